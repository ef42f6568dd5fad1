"""Translations with Babel: catalogs read from .po at start-up, language negotiation,
localised country and language names, and the extractor for dialog and content files."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from babel import Locale, UnknownLocaleError, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

SOURCE_LOCALE = "en"
DOMAIN = "messages"
# a translator comment on every text shown on a button; the catalog check reads it back
BUTTON_NOTE = "A button: at most 40 characters."


# Telegram speaks ISO 639-1 (two letters). Filipino has no such code: Telegram and the
# phones write it 'tl' (Tagalog, which Filipino is based on).
TWO_LETTER = {"fil": "tl"}
FROM_TWO_LETTER = {two: code for code, two in TWO_LETTER.items()}


def telegram_language(locale: str) -> str:
    """The language_code Telegram uses for one of our locales ('pt_BR' -> 'pt')."""
    code = locale.split("_")[0]
    return TWO_LETTER.get(code, code)


def po_path(locales_dir: Path, locale: str) -> Path:
    return locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def shipped_locales(locales_dir: Path) -> list[str]:
    """English (the source) and every locale that has a catalog."""
    found = sorted(p.parent.parent.name for p in locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [SOURCE_LOCALE, *[code for code in found if code != SOURCE_LOCALE]]


def load_translations(po_file: Path, locale: str) -> Translations:
    """Compile a .po file in memory: no .mo files to build, none to go stale."""
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


@dataclass
class Catalogs:
    """One translation object per enabled locale, loaded once."""

    locales: list[str]
    translations: dict[str, NullTranslations] = field(default_factory=dict)

    @classmethod
    def load(
        cls, locales_dir: Path, enabled: list[str] | None = None, overlay: Path | None = None
    ) -> Catalogs:
        """Every enabled catalog; an overlay's catalog replaces the shipped one."""
        available = shipped_locales(locales_dir)
        available += [c for c in shipped_locales(overlay) if c not in available] if overlay else []
        locales = [code for code in available if enabled is None or code in enabled]
        if SOURCE_LOCALE not in locales:
            locales.insert(0, SOURCE_LOCALE)
        catalogs = cls(locales)
        for code in locales:
            path = po_path(locales_dir, code)
            if overlay is not None and po_path(overlay, code).exists():
                path = po_path(overlay, code)
            if code != SOURCE_LOCALE and path.exists():
                catalogs.translations[code] = load_translations(path, code)
            else:
                catalogs.translations[code] = NullTranslations()
        return catalogs

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


def locale_of(code: str) -> Locale:
    return Locale.parse(code)


def language_name(code: str) -> str:
    """A language's name in itself ('español', 'العربية'), as a child would look for it."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def text_direction(code: str) -> str:
    return str(Locale.parse(code).text_direction)


def region_of(tag: str | None) -> str | None:
    """The country part of a language tag ('pt-BR' -> 'BR'), if there is one."""
    if not tag:
        return None
    try:
        territory = Locale.parse(tag.replace("_", "-"), sep="-").territory
    except (ValueError, UnknownLocaleError):
        return None
    return territory if territory and len(territory) == 2 and territory.isalpha() else None


def country_names(locale: str) -> dict[str, str]:
    """Every country code (two letters) with its name in the child's language."""
    names = Locale.parse(locale).territories
    return {code: name for code, name in names.items() if len(code) == 2 and code.isalpha()}


def sort_key(name: str) -> str:
    """Sort names the way a reader expects: ignore case and accents ('Égypte' with 'E')."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def find_country(query: str, locale: str, others: tuple[str, ...] = ()) -> str | None:
    """'FR', 'fr', 'France' or 'Francia' (in the child's language, English, or another
    shipped language) -> 'FR'."""
    query = query.strip()
    if len(query) == 2 and query.isalpha() and query.upper() in country_names(SOURCE_LOCALE):
        return query.upper()
    wanted = sort_key(query)
    for names in (country_names(code) for code in (locale, SOURCE_LOCALE, *others)):
        for code, name in names.items():
            if sort_key(name) == wanted:
                return code
    return None


# -- extraction: dialog and content files -> the .pot, through pybabel ------------------


def extract_dialog(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extractor for dialogs/*.yaml: every author string, with its context and notes."""
    from bot.loader import read_dialog

    path = Path(fileobj.name) if hasattr(fileobj, "name") else Path("dialog.yaml")
    dialog, _problems = read_dialog(path)
    if dialog is None:
        return
    buttons = {dialog.title} | {c.label for step in dialog.steps.values() for c in step.choices}
    for text, note, line in dialog.texts():
        comments = [note] if note else []
        if text in buttons:
            comments.append(BUTTON_NOTE)
        for band, words in text.variants():
            notes = [*comments, f"For readers aged {band}."] if band else comments
            yield line or 1, "pgettext", (text.context, words), notes


def extract_helplines(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extractor for content/helplines/*.yaml: the names and hours a child reads."""
    from bot.yamlsource import Located, read_yaml

    path = Path(fileobj.name) if hasattr(fileobj, "name") else Path("helplines.yaml")
    data, _problems = read_yaml(path)
    if not isinstance(data, Located):
        return
    context = f"helplines.{data.get('country', 'global')}"
    for entry in data.get("helplines", []) or []:
        if not isinstance(entry, Located):
            continue
        for key in ("name", "hours"):
            value = entry.get(key)
            if isinstance(value, str) and value.strip():
                yield entry.line_of(key), "pgettext", (context, value.strip()), [f"helpline {key}"]
