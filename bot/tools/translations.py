"""The translators' side: extract, update, compile, and a status of every catalog."""

from __future__ import annotations

import contextlib
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from bot.content.catalogs import (
    AWAITING_REVIEW,
    DOMAIN,
    REVIEW_LINE,
    CatalogStatus,
    po_files,
    po_path,
    read_catalog,
)
from bot.settings import PROJECT_ROOT


def pybabel(*args: str, cwd: Path | None = None) -> None:
    """Run one pybabel command (from `cwd`, so file references stay relative)."""
    with contextlib.chdir(cwd or Path.cwd()):
        CommandLineInterface().run(["pybabel", "-q", *args])  # type: ignore[no-untyped-call]


def extract(root: Path = PROJECT_ROOT) -> Path:
    """Every UI and author string -> locales/messages.pot (mapping in pyproject.toml)."""
    pot = root / "locales" / f"{DOMAIN}.pot"
    # patterns in pyproject.toml are relative to the folder searched: search the root
    pybabel(
        "extract", "-F", str(root / "pyproject.toml"), "-o", str(pot),
        "--add-comments=Translators:", "--sort-by-file", "--no-wrap",
        "--project=safebot", "--copyright-holder=safebot contributors", ".",
        cwd=root,
    )  # fmt: skip
    return pot


def update(locales_dir: Path) -> None:
    """Merge the .pot into every catalog; changed English marks translations fuzzy."""
    pot = locales_dir / f"{DOMAIN}.pot"
    pybabel("update", "-i", str(pot), "-d", str(locales_dir), "--no-wrap", "--previous")


def compile_catalogs(locales_dir: Path) -> None:
    """Write .mo files next to the catalogs (optional: safebot reads .po directly)."""
    pybabel("compile", "-d", str(locales_dir), "--statistics")


def init(locales_dir: Path, locale: str) -> None:
    """Start a new language from the .pot, marked as awaiting review."""
    pot = locales_dir / f"{DOMAIN}.pot"
    pybabel("init", "-i", str(pot), "-d", str(locales_dir), "-l", locale, "--no-wrap")
    path = po_path(locales_dir, locale)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    mark_awaiting_review(path, catalog)


def mark_awaiting_review(path: Path, catalog: Catalog) -> None:
    from babel.messages.pofile import write_po

    lines = [line for line in catalog.header_comment.splitlines() if REVIEW_LINE not in line]
    lines.insert(1, f"# {REVIEW_LINE}{AWAITING_REVIEW}.")
    catalog.header_comment = "\n".join(lines)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)


def status(locales_dir: Path, names: frozenset[str] | None = None) -> list[CatalogStatus]:
    """One status per language other than English (the source); `names` that may stay as
    in English, if not those listed beside the catalogs."""
    return [read_catalog(path, code, names)[1] for code, path in po_files([locales_dir]).items()]


def source_messages(root: Path = PROJECT_ROOT) -> set[tuple[str | None, str]]:
    """(context, English) of every string the code and the files have now."""
    from babel.messages.extract import extract_from_dir

    method_map = [
        ("bot/**.py", "python"),
        ("dialogs/*.yaml", "bot.render.extract:extract_dialog"),
        ("content/helplines/*.yaml", "bot.render.extract:extract_helplines"),
    ]
    found: set[tuple[str | None, str]] = set()
    for _file, _line, message, _comments, context in extract_from_dir(str(root), method_map):
        text = message[0] if isinstance(message, tuple) else message
        found.add((context, text))
    return found
