"""Countries and languages, from Babel (CLDR): their codes, their names in each language,
and finding one from what a child types ('Francia', 'fr', 'español')."""

from __future__ import annotations

import unicodedata

from babel import Locale, UnknownLocaleError

from bot.content.catalogs import SOURCE_LOCALE
from bot.content.helplines import country_codes


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
    """Every country's code with its name in the child's language (no groupings such as
    EU or UN, and no test regions such as XA)."""
    names = Locale.parse(locale).territories
    codes = country_codes()
    return {code: name for code, name in names.items() if code in codes}


def sort_key(name: str) -> str:
    """Sort names the way a reader expects: ignore case and accents ('Égypte' with 'E')."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def find_country(query: str, locale: str, others: tuple[str, ...] = ()) -> str | None:
    """'FR', 'fr', 'France' or 'Francia' (in the child's language, English, or another
    shipped language) -> 'FR'."""
    query = query.strip()
    if len(query) == 2 and query.isalpha() and query.upper() in country_codes():
        return query.upper()
    wanted = sort_key(query)
    for names in (country_names(code) for code in (locale, SOURCE_LOCALE, *others)):
        for code, name in names.items():
            if sort_key(name) == wanted:
                return code
    return None


def language_by_name(name: str, locales: tuple[str, ...] | list[str]) -> str | None:
    """'Français', 'francais' or 'العربية' -> the locale among `locales`, or None."""
    wanted = sort_key(name)
    return next((code for code in locales if sort_key(language_name(code)) == wanted), None)
