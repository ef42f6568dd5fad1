"""The fields of one helpline entry, each checked as it is read: numbers, links, the
source's own words, scope. Shared by the reader of whole files (bot.content.helpline_files)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from bot.content.helplines import GLOBAL, KINDS, Helpline, Kind, country_codes
from bot.content.yamlfile import Located, LocatedList
from bot.errors import Problem, Severity, did_you_mean, shown_path

FILE_KEYS = {
    "country",
    "emergency",
    "emergency_source",
    "emergency_evidence",
    "notes",
    "helplines",
    "removed",
}
REMOVED_KEYS = {"name", "searched", "reason"}
# what may stand between the digits of a number as a page writes it: "0800 1111",
# "0800-1111", "(61) 9965", "020 – 261"
_SEPARATORS = r"[\s.\-\u2010-\u2015\u00a0/()]*"
# a verified entry without its source's words is an error: "verified" must mean a quote
# that gives the details (every shipped entry has one)
EVIDENCE_MISSING: Severity = "error"
ENTRY_KEYS = {
    "name",
    "kind",
    "phone",
    "sms",
    "whatsapp",
    "chat",
    "website",
    "hours",
    "languages",
    "free",
    "ages",
    "source",
    "verified",
    "evidence",
    "unverified",
    "countries",
    "notes",
}
NUMBER_KEYS = ("phone", "sms", "whatsapp")
TEXT_KEYS = ("hours", "ages", "notes")
# short codes such as *4141 and area codes in brackets are dialled as written
PHONE_CHARACTERS = set("0123456789 +-*#()")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")


class FieldReader:
    """Reads the fields of entries in one file, noting every problem instead of stopping."""

    def __init__(self, path: Path, today: date) -> None:
        self.path = path
        self.today = today
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str, severity: Severity = "error") -> None:
        self.problems.append(Problem(shown_path(self.path), line, message, severity))

    def keys(self, where: Located, allowed: set[str], what: str) -> None:
        for key in where:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f" Known keys: {', '.join(sorted(allowed))}."
                self.problem(where.line_of(key), f"{what} has an unknown key '{key}'.{hint}")

    def entry(self, entry: Located, country: str | None) -> Helpline | None:
        self.keys(entry, ENTRY_KEYS, "the helpline")
        for key in ("name", "kind", "source"):
            if key not in entry:
                self.problem(entry.line, f"the helpline needs a '{key}'.{_REQUIRED_HINTS[key]}")
        name = self.text(entry, "name", "the helpline")
        what = f"'{name}'" if name else "the helpline"
        kind = self.kind(entry)
        source = self.url(entry, "source", what, strict=True)
        verified, evidence, unverified = self.verification(entry, what)
        countries = self.scope(entry, what, country)
        chat = self.url(entry, "chat", what, strict=True)
        website = self.url(entry, "website", what, strict=False)
        numbers = {key: self.numbers(entry, key, what) for key in NUMBER_KEYS}
        texts = {key: self.text(entry, key, what) for key in TEXT_KEYS}
        languages = self.languages(entry, what)
        free = entry.get("free")
        if free is not None and not isinstance(free, bool):
            self.problem(
                entry.line_of("free"),
                f"{what}: 'free' is true or false (or leave it out when the source does not say).",
            )
            free = None
        if evidence:
            numbers_given = [n for key in NUMBER_KEYS for n in numbers[key]]
            self.evidence_shows(entry.line_of("evidence"), what, numbers_given, evidence)
        # a key written but refused is reported itself; only an entry with none is empty
        written = any(entry.get(k) for k in (*NUMBER_KEYS, "chat", "website"))
        if kind is not None and kind != "emergency" and not written:
            self.problem(
                entry.line,
                f"{what} gives a child nothing to call, write to or open. Add the phone "
                "or website its source gives; if no source gives one, take the entry out "
                "(and note under 'removed:' what was searched).",
            )
        if name is None or kind is None or source is None:
            return None
        if verified is None and unverified is None:
            return None
        return Helpline(
            name=name,
            kind=kind,
            source=source,
            verified=verified,
            evidence=evidence,
            unverified=unverified,
            countries=countries,
            phone=numbers["phone"],
            sms=numbers["sms"],
            whatsapp=numbers["whatsapp"],
            chat=chat,
            website=website,
            hours=texts["hours"],
            languages=languages,
            free=free,
            ages=texts["ages"],
            notes=texts["notes"],
        )

    def kind(self, entry: Located) -> Kind | None:
        value = entry.get("kind")
        if value is None:
            return None
        if value not in KINDS:
            hint = did_you_mean(str(value), set(KINDS)) or f" Use one of: {', '.join(KINDS)}."
            self.problem(entry.line_of("kind"), f"unknown kind '{value}'.{hint}")
            return None
        return cast(Kind, value)

    def text(self, where: Located, key: str, what: str) -> str | None:
        value = where.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(where.line_of(key), f"{what}: '{key}' must be some words in quotes.")
            return None
        return value.strip()

    def numbers(self, where: Located, key: str, what: str) -> tuple[str, ...]:
        value = where.get(key)
        if value is None:
            return ()
        line = where.line_of(key)
        if not isinstance(value, LocatedList):
            self.problem(line, f"{what}: '{key}' is a list, e.g. {key}: [\"116 111\"].")
            return ()
        found = []
        for item, item_line in zip(value, value.item_lines, strict=True):
            label = "number" if key == "emergency" else key
            if not isinstance(item, str):
                # YAML reads 000 as 0 and 0800 as 800: only quotes keep a number as written
                self.problem(
                    item_line,
                    f"{label} {item!r} is not in quotes. Write numbers in "
                    'quotes, e.g. ["0800 1111"], so that leading zeros are kept.',
                )
            elif (
                not item.strip()
                or not set(item) <= PHONE_CHARACTERS
                or not any(c.isdigit() for c in item)
            ):
                self.problem(
                    item_line,
                    f"{label} '{item}' may only contain digits (0-9), spaces and + - * # ( ).",
                )
            else:
                found.append(item.strip())
        return tuple(found)

    def url(self, where: Located, key: str, what: str, *, strict: bool) -> str | None:
        """A full https link; http is an error where it matters, a warning for websites."""
        value = where.get(key)
        if value is None:
            return None
        line = where.line_of(key)
        parts = urlsplit(value) if isinstance(value, str) else None
        if not parts or parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
            self.problem(
                line, f"{what}: {key} '{value}' must be a full link starting with https://."
            )
            return None
        if parts.scheme == "http":
            if strict:
                self.problem(
                    line,
                    f"{what}: {key} '{value}' must be an https:// link. Find "
                    "the https address of the page.",
                )
                return None
            self.problem(
                line,
                f"{what}: {key} '{value}' is http only. Use the https address "
                "when the site has one.",
                "warning",
            )
        return str(value)

    def languages(self, entry: Located, what: str) -> tuple[str, ...]:
        value = entry.get("languages")
        if value is None:
            return ()
        if not isinstance(value, list) or not all(
            isinstance(v, str) and LANGUAGE.match(v) for v in value
        ):
            self.problem(
                entry.line_of("languages"),
                f"{what}: languages is a list of language codes, e.g. [en, sw].",
            )
            return ()
        return tuple(value)

    def verification(self, entry: Located, what: str) -> tuple[date | None, str | None, str | None]:
        """(verified, evidence, unverified): a date and the source's own words, or the doubt."""
        has_date, has_doubt = "verified" in entry, "unverified" in entry
        evidence = self.text(entry, "evidence", what)
        doubt = self.text(entry, "unverified", what)
        if has_date and has_doubt:
            self.problem(
                entry.line_of("unverified"),
                f"{what} is both verified and unverified. Keep 'verified' only when the source "
                "confirms every detail.",
            )
        if not has_date and not has_doubt:
            self.problem(
                entry.line,
                f"{what} needs 'verified: YYYY-MM-DD' with 'evidence: ...' (the words of the "
                "source that give its details), or 'unverified: ...' saying what is in doubt.",
            )
            return None, evidence, None
        if has_doubt:
            if doubt:
                self.problem(
                    entry.line_of("unverified"), f"{what} is not verified: {doubt}", "warning"
                )
            return None, evidence, doubt
        verified = self.verified(entry, what)
        if not evidence and "evidence" not in entry:
            self.problem(
                entry.line_of("verified"),
                f"{what} says verified but quotes no evidence. Add 'evidence: \"...\"' with the "
                "words of its source that give the number or address, or write 'unverified: "
                "...' with what is in doubt.",
                EVIDENCE_MISSING,
            )
        return verified, evidence, None

    def evidence_shows(self, line: int, what: str, numbers: list[str] | tuple[str, ...],
                       evidence: str) -> None:  # fmt: skip
        """The quoted words must give each number: otherwise the quote proves nothing."""
        # Persian, Arabic-Indic and other digits count as the digits they are
        evidence = "".join(str(unicodedata.digit(c, c)) if c.isdigit() else c for c in evidence)
        for number in numbers:
            wanted = [c for c in number if c.isdigit()]
            # the same digits in the same order, written with any spacing, dashes or brackets
            pattern = r"(?<!\d)" + _SEPARATORS.join(wanted) + r"(?!\d)"
            if wanted and not re.search(pattern, evidence):
                self.problem(
                    line,
                    f"{what}: the evidence does not give {number}. Quote the words of the "
                    "source that state this number, or mark the entry unverified.",
                )

    def scope(self, entry: Located, what: str, country: str | None) -> tuple[str, ...]:
        value = entry.get("countries")
        if value is None:
            return ()
        line = entry.line_of("countries")
        if country != GLOBAL:
            self.problem(
                line,
                f"{what}: 'countries' is for global.yaml, to show a worldwide entry only in some "
                "countries. In a country's own file every entry is for that country.",
            )
            return ()
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v in country_codes() for v in value)
        ):
            self.problem(
                line, f"{what}: countries is a list of country codes, e.g. countries: [GB]."
            )
            return ()
        return tuple(value)

    def verified(self, entry: Located, what: str) -> date | None:
        value: Any = entry.get("verified")
        if value is None:
            return None
        line = entry.line_of("verified")
        if isinstance(value, datetime):  # a time after the date: the day is what counts
            value = value.date()
        elif isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                pass
        if not isinstance(value, date):
            self.problem(line, f"{what}: verified '{value}' must be a date like 2026-11-01.")
            return None
        if value > self.today:
            self.problem(
                line,
                f"{what}: verified {value} is in the future. Write the day the entry was checked.",
            )
        elif value < year_before(self.today):
            self.problem(
                line,
                f"{what} was last verified on {value}, more than 12 months ago. Check it "
                "against its source again, then update 'verified'.",
                "warning",
            )
        return value


_REQUIRED_HINTS = {
    "name": "",
    "kind": f" Use one of: {', '.join(KINDS)}.",
    "source": " Add 'source: https://...' with the page that gives these details.",
}


def bad_country(value: str) -> str:
    hint = " Use 'GB' for the United Kingdom." if value.upper() == "UK" else ""
    return (
        f"'{value}' is not a country code. Use the two capital letters of ISO 3166-1, "
        f"e.g. KE for Kenya.{hint}"
    )


def year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
