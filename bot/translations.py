"""The translators' side: extract, update, compile, and a status of every catalog."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from bot.config import PROJECT_ROOT
from bot.i18n import BUTTON_NOTE, DOMAIN, SOURCE_LOCALE, po_path, shipped_locales
from bot.loader import MAX_LABEL
from bot.problems import Problem

REVIEW_LINE = "Review status: "  # a line of the PO header comment, kept by every update
AWAITING_REVIEW = "awaiting review by native-speaking young people"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
MARKUP = re.compile(r"</?[a-z]+[^>]*>")


@dataclass
class CatalogStatus:
    """How far one language is, and what is wrong in it."""

    locale: str
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    review: str = ""
    mismatches: list[Problem] = field(default_factory=list)

    @property
    def untranslated(self) -> int:
        return self.total - self.translated - self.fuzzy

    @property
    def share(self) -> float:
        return self.translated / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.translated == self.total and not self.mismatches


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
    pybabel("update", "-i", str(pot), "-d", str(locales_dir), "--no-wrap")


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


def status(locales_dir: Path) -> list[CatalogStatus]:
    """One status per shipped language other than English (the source)."""
    return [
        catalog_status(po_path(locales_dir, code), code)
        for code in shipped_locales(locales_dir)
        if code != SOURCE_LOCALE
    ]


def catalog_status(path: Path, locale: str) -> CatalogStatus:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    result = CatalogStatus(locale, review=_review(catalog))
    for message in catalog:
        if not message.id:
            continue
        result.total += 1
        if message.fuzzy:
            result.fuzzy += 1
        elif _translated(message):
            result.translated += 1
            result.mismatches += _mismatches(str(path), message)
    return result


def _review(catalog: Catalog) -> str:
    for line in str(catalog.header_comment).splitlines():
        if REVIEW_LINE in line:
            return line.split(REVIEW_LINE, 1)[1].strip().rstrip(".")
    return ""


def _translated(message: Message) -> bool:
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string)


def _mismatches(path: str, message: Message) -> list[Problem]:
    """Placeholders and markup must survive translation unchanged."""
    sources = [
        str(s) for s in (message.id if isinstance(message.id, tuple | list) else (message.id,))
    ]
    raw = message.string if isinstance(message.string, tuple | list) else (message.string,)
    targets = [str(t) for t in raw if t]
    found = []
    line = message.lineno or 0
    wanted_places = set(PLACEHOLDER.findall(sources[0]))
    wanted_markup = sorted(MARKUP.findall(sources[0]))
    for target in targets:
        if BUTTON_NOTE in message.auto_comments and len(target) > MAX_LABEL:
            found.append(
                Problem(
                    path,
                    line,
                    f"the button '{_short(target)}' has {len(target)} characters; "
                    f"at most {MAX_LABEL} fit a phone screen. Say it in fewer words.",
                )
            )
        if set(PLACEHOLDER.findall(target)) != wanted_places:
            found.append(
                Problem(
                    path,
                    line,
                    f"the translation of '{_short(sources[0])}' must "
                    f"keep the placeholders {sorted(wanted_places)} exactly.",
                )
            )
        if sorted(MARKUP.findall(target)) != wanted_markup:
            found.append(
                Problem(
                    path,
                    line,
                    f"the translation of '{_short(sources[0])}' must "
                    f"keep the same markup tags {wanted_markup}.",
                )
            )
    return found


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def source_messages(root: Path = PROJECT_ROOT) -> set[tuple[str | None, str]]:
    """(context, English) of every string the code and the files have now."""
    from babel.messages.extract import extract_from_dir

    method_map = [
        ("bot/**.py", "python"),
        ("dialogs/*.yaml", "bot.i18n:extract_dialog"),
        ("content/helplines/*.yaml", "bot.i18n:extract_helplines"),
    ]
    found: set[tuple[str | None, str]] = set()
    for _file, _line, message, _comments, context in extract_from_dir(str(root), method_map):
        text = message[0] if isinstance(message, tuple) else message
        found.add((context, text))
    return found


def check_translations(
    locales_dir: Path, enabled: list[str] | None = None, root: Path = PROJECT_ROOT
) -> list[Problem]:
    """Errors for an enabled language that is incomplete, out of date, or broken."""
    problems: list[Problem] = []
    wanted = source_messages(root)
    for result in status(locales_dir):
        if enabled is not None and result.locale not in enabled:
            continue
        path = str(po_path(locales_dir, result.locale))
        with Path(path).open("rb") as handle:
            catalog = read_po(handle, locale=result.locale)
        have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}
        new = wanted - have
        if new:
            example = sorted(new, key=lambda m: (m[0] or "", m[1]))[0]
            problems.append(
                Problem(
                    path,
                    0,
                    f"{len(new)} texts are not in this catalog yet "
                    f"(e.g. '{_short(example[1])}'). Run 'safebot i18n extract' "
                    "and 'safebot i18n update', then translate them.",
                )
            )
        missing = result.untranslated + result.fuzzy
        if missing:
            problems.append(
                Problem(
                    path,
                    0,
                    f"{missing} of {result.total} texts are not "
                    f"translated or out of date ({result.fuzzy} fuzzy). Run "
                    "'safebot i18n status' and translate them.",
                )
            )
        problems += result.mismatches
    return problems
