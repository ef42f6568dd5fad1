"""Translation catalogs: each .po file read once at start-up, compiled in memory (no .mo
files to build or go stale), and checked in the same pass: what is missing, out of date
or broken is what `safebot check` reports and what start-up refuses."""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import negotiate_locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from bot.content.model import MAX_LABEL
from bot.content.same_as_english import left_in_english, read_names
from bot.errors import Problem, shown_path

SOURCE_LOCALE = "en"
DOMAIN = "messages"
# a translator comment on every text shown on a button; the catalog check reads it back
BUTTON_NOTE = f"A button: at most {MAX_LABEL} characters."
REVIEW_LINE = "Review status: "  # a line of the PO header comment, kept by every update
AWAITING_REVIEW = "awaiting review by native-speaking young people"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
MARKUP = re.compile(r"</?[a-z]+[^>]*>")
# Telegram speaks ISO 639-1 (two letters). Filipino has no such code: Telegram and the
# phones write it 'tl' (Tagalog, which Filipino is based on).
TWO_LETTER = {"fil": "tl"}
FROM_TWO_LETTER = {two: code for code, two in TWO_LETTER.items()}

Wanted = set[tuple[str | None, str]]  # (context, English) of every text the bot shows


def po_path(locales_dir: Path, locale: str) -> Path:
    return locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def po_files(folders: Iterable[Path]) -> dict[str, Path]:
    """Each language's catalog: a later folder's (an instance overlay) replaces the shipped."""
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            found[path.parent.parent.name] = path
    found.pop(SOURCE_LOCALE, None)
    return found


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


def read_catalog(
    path: Path, locale: str, same_as_english: frozenset[str] | None = None
) -> tuple[Catalog, CatalogStatus]:
    """One catalog and its status; `same_as_english` are the names that may stay as in
    English (by default those listed beside the catalog's language folders)."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    result = CatalogStatus(locale, review=_review(catalog))
    where = shown_path(path)
    english = locale.split("_")[0] == SOURCE_LOCALE
    names = read_names([path.parents[2]]) if same_as_english is None else same_as_english
    for message in catalog:
        if not message.id:
            continue
        result.total += 1
        if message.fuzzy:
            result.fuzzy += 1
        elif _translated(message):
            result.translated += 1
            result.mismatches += _mismatches(where, message)
            if not english:
                result.mismatches += left_in_english(where, message, names)
    return catalog, result


def compiled(catalog: Catalog) -> Translations:
    """The catalog as gettext reads it: what babel's `write_mo` and a `.mo` file would
    give, built straight from the messages (which `write_mo` first sorts, a third of the
    start-up time). Fuzzy and untranslated texts are left out, so they show in English."""
    translations = Translations(domain=DOMAIN)
    table: dict[tuple[str, Any] | str, str] = {}
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        first = _with_context(message.context, ids[0])
        if message.pluralizable:
            for n, text in enumerate(message.string):
                table[(first, n)] = text
        else:
            table[first] = str(message.string)
    translations._catalog = table  # the table GNUTranslations reads from a .mo file
    plural = gettext.c2py(catalog.plural_expr)
    translations.plural = lambda n: plural(int(n))
    return translations


def _with_context(context: str | None, text: str) -> str:
    """How a .mo file keys a text with its context."""
    return f"{context}\x04{text}" if context else text


@dataclass
class Catalogs:
    """One translation object per enabled locale, loaded once."""

    locales: list[str]
    translations: dict[str, NullTranslations] = field(default_factory=dict)

    def get(self, locale: str | None) -> NullTranslations:
        return self.translations.get(locale or SOURCE_LOCALE, self.translations[SOURCE_LOCALE])

    def negotiate(self, tag: str | None) -> str | None:
        """Telegram's language_code ('pt-br', 'en-GB', 'fil') -> a shipped locale, or None."""
        if not tag:
            return None
        by_tag = {code.replace("_", "-").lower(): code for code in self.locales}
        tag = tag.replace("_", "-").lower()
        language, _, rest = tag.partition("-")
        tag = "-".join(filter(None, (FROM_TWO_LETTER.get(language, language), rest)))
        found = negotiate_locale([tag], list(by_tag), sep="-")
        if found:
            return by_tag[found.lower()]
        # 'pt' or 'pt-PT' with only 'pt_BR' shipped: the same language beats English
        language = tag.split("-")[0]
        for key, code in by_tag.items():
            if key.split("-")[0] == language:
                return code
        return None


def read_catalogs(
    files: Mapping[str, Path],
    enabled: list[str] | None,
    wanted: Wanted,
    same_as_english: frozenset[str] | None = None,
) -> tuple[Catalogs, list[Problem]]:
    """The enabled languages' catalogs, and what is missing, out of date, left in English
    or broken in them."""
    locales = [SOURCE_LOCALE, *(c for c in files if enabled is None or c in enabled)]
    catalogs = Catalogs(list(dict.fromkeys(locales)))
    catalogs.translations[SOURCE_LOCALE] = NullTranslations()
    problems: list[Problem] = []
    for locale in catalogs.locales[1:]:
        catalog, status = read_catalog(files[locale], locale, same_as_english)
        catalogs.translations[locale] = compiled(catalog)
        problems += catalog_problems(shown_path(files[locale]), catalog, status, wanted)
    return catalogs, problems


def catalog_problems(
    where: str, catalog: Catalog, status: CatalogStatus, wanted: Wanted
) -> list[Problem]:
    """Texts the bot shows that the catalog lacks, untranslated or fuzzy ones (warnings: a
    child sees those in English), and broken ones (errors: they would show wrongly)."""
    problems: list[Problem] = []
    have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}
    new = wanted - have
    if new:
        example = sorted(new, key=lambda m: (m[0] or "", m[1]))[0]
        problems.append(
            Problem(
                where,
                0,
                f"{len(new)} texts are not in this catalog yet "
                f"(e.g. '{_short(example[1])}'): children reading it see them in English. "
                "Run 'safebot i18n extract' and 'safebot i18n update', then translate them.",
                "warning",
            )
        )
    missing = status.untranslated + status.fuzzy
    if missing:
        problems.append(
            Problem(
                where,
                0,
                f"{missing} of {status.total} texts are not "
                f"translated or out of date ({status.fuzzy} fuzzy): children reading it see "
                "them in English. Run 'safebot i18n status' and translate them.",
                "warning",
            )
        )
    return problems + status.mismatches


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
    """Placeholders and markup must survive translation unchanged; buttons must fit."""
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
        if any(BUTTON_NOTE in c for c in message.auto_comments) and len(target) > MAX_LABEL:
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
