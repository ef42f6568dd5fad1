"""Translations of an instance's own lessons and helplines, kept in the instance folder
(never in the installed package): the template holds every text the instance shows (the
bot's own, the shipped files and the instance's, an instance file replacing a shipped one
of the same name), and a language is started from the shipped translation, so only what
the instance adds or changes is left to translate."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import write_po

from bot.content.catalogs import DOMAIN, po_files, po_path
from bot.content.load import content_files
from bot.errors import SafebotError
from bot.render.extract import extract_dialog, extract_helplines
from bot.settings import PROJECT_ROOT, Settings

Method = str | Callable[..., Any]
TAGS = ("Translators:",)


def instance_locales(settings: Settings) -> Path:
    """The instance's locales folder, or why there is none to write to."""
    if settings.overlay is None:
        raise SafebotError(
            "the translations of the shipped lessons are part of safebot: run this for an "
            "instance, 'safebot --config DIR/safebot.toml i18n ...' (safebot init DIR makes one)."
        )
    return settings.overlay / "locales"


def _sources(settings: Settings) -> Iterable[tuple[Path, Method]]:
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        yield path, "python"
    for path in content_files(settings, "dialogs"):
        yield path, extract_dialog
    for path in content_files(settings, "helplines"):
        yield path, extract_helplines


def extract_instance(settings: Settings) -> Path:
    """Every text the instance shows -> <instance>/locales/messages.pot."""
    locales = instance_locales(settings)
    catalog = Catalog(project="safebot", copyright_holder="safebot contributors")
    for path, method in _sources(settings):
        where = _shown(path, settings)
        found = extract_from_file(
            method, str(path), keywords=DEFAULT_KEYWORDS, comment_tags=TAGS, strip_comment_tags=True
        )
        for line, message, comments, context in found:
            catalog.add(message, None, [(where, line)], auto_comments=comments, context=context)
    locales.mkdir(parents=True, exist_ok=True)
    pot = locales / f"{DOMAIN}.pot"
    with pot.open("wb") as handle:
        write_po(handle, catalog, width=0, sort_by_file=True)
    return pot


def start_from_shipped(settings: Settings, locale: str) -> bool:
    """Copy the shipped translation of `locale` into the instance, if there is one."""
    shipped = po_files([settings.locales_dir]).get(locale)
    if shipped is None:
        return False
    target = po_path(instance_locales(settings), locale)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shipped, target)
    return True


def _shown(path: Path, settings: Settings) -> str:
    """Where a text comes from, from the instance or the project (never the working folder,
    so the template is the same wherever it is made)."""
    resolved = path.resolve()
    for root in (settings.overlay, PROJECT_ROOT):
        if root is not None and resolved.is_relative_to(root.resolve()):
            return str(resolved.relative_to(root.resolve()))
    return path.name
