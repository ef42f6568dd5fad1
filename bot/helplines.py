"""Helplines by country: content/helplines/*.yaml -> a Directory, every mistake located."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlsplit

from babel import Locale

from bot.problems import Problem, ProblemsFound, Severity, did_you_mean
from bot.yamlsource import Located, LocatedList, read_yaml

Kind = Literal[
    "child_helpline", "crisis_line", "report_hotline", "removal_tool", "police", "emergency"
]
# also the order a child reads them in: people to talk to first, then ways to act
KINDS: tuple[Kind, ...] = (
    "child_helpline",
    "crisis_line",
    "report_hotline",
    "removal_tool",
    "police",
    "emergency",
)
GLOBAL = "global"
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
# a verified entry without its source's words: a warning until every shipped entry has them
EVIDENCE_MISSING: Severity = "warning"
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
# Babel territories that are groupings or test regions, not countries with helplines
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


@dataclass(frozen=True)
class Helpline:
    """One service a child can call, write to, report to or use."""

    name: str
    kind: Kind
    source: str
    # the day the source was seen to state the details, in the words of `evidence`; None
    # when something is in doubt, said in `unverified`
    verified: date | None
    evidence: str | None = None
    unverified: str | None = None
    # a worldwide entry that serves children of these countries only (global.yaml)
    countries: tuple[str, ...] = ()
    phone: tuple[str, ...] = ()
    sms: tuple[str, ...] = ()
    whatsapp: tuple[str, ...] = ()
    chat: str | None = None
    website: str | None = None
    hours: str | None = None
    languages: tuple[str, ...] = ()
    free: bool | None = None
    ages: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Removed:
    """A service taken out of a file, and where its number was looked for, so that the
    next person does not start again."""

    name: str
    reason: str
    searched: tuple[str, ...] = ()


@dataclass(frozen=True)
class CountryHelplines:
    """Everything one file says: a country's (or the world's) helplines and emergency numbers."""

    country: str
    emergency: tuple[str, ...] = ()
    helplines: tuple[Helpline, ...] = ()
    emergency_source: str | None = None
    notes: str | None = None
    emergency_evidence: str | None = None
    # entries taken out because no source confirmed them, with what was searched
    removed: tuple[Removed, ...] = ()

    def of_kind(self, kind: Kind) -> tuple[Helpline, ...]:
        return tuple(h for h in self.helplines if h.kind == kind)


@dataclass(frozen=True)
class Directory:
    """The helplines of every shipped country, and the ones that work from anywhere."""

    by_country: dict[str, CountryHelplines]
    worldwide: CountryHelplines = field(default_factory=lambda: CountryHelplines(GLOBAL))

    def for_country(self, code: str | None) -> CountryHelplines:
        """The country's helplines; the worldwide ones when the country is unknown or not said."""
        return self.by_country.get((code or "").strip().upper(), self.worldwide)

    def anywhere(self, country: str | None = None) -> tuple[Helpline, ...]:
        """Worldwide entries a child can use: from anywhere, or scoped to their country."""
        code = (country or "").strip().upper()
        return tuple(h for h in self.worldwide.helplines if not h.countries or code in h.countries)

    def countries(self) -> list[str]:
        return sorted(self.by_country)

    def child_helpline(self, code: str | None) -> Helpline | None:
        found = self.for_country(code).of_kind("child_helpline")
        return found[0] if found else None


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, as Babel (CLDR) knows them."""
    codes = (code for code in Locale("en").territories if isinstance(code, str))
    return frozenset(
        code
        for code in codes
        if len(code) == 2 and code.isalpha() and code.isupper() and code not in NOT_COUNTRIES
    )


def load_directory(folder: Path, *overlays: Path) -> Directory:
    """Read every helplines file, or raise `ProblemsFound` with every error (not warnings).
    A file in an overlay folder replaces the shipped file of the same name."""
    directory, problems = _read_folder(folder, date.today(), overlays)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ProblemsFound(errors)
    return directory


def check_helplines(folder: Path, today: date) -> list[Problem]:
    """Every mistake and every out-of-date entry in a helplines folder."""
    return sorted(_read_folder(folder, today)[1])


def _read_folder(
    folder: Path, today: date, overlays: tuple[Path, ...] = ()
) -> tuple[Directory, list[Problem]]:
    problems: list[Problem] = []
    by_country: dict[str, CountryHelplines] = {}
    worldwide: CountryHelplines | None = None
    by_name = {p.name: p for f in (folder, *overlays) for p in sorted(f.glob("*.yaml"))}
    paths = list(by_name.values())
    for path in paths:
        reader = _FileReader(path, today)
        country = reader.read()
        problems += reader.problems
        if country is None:
            continue
        if country.country == GLOBAL:
            worldwide = country
        else:
            by_country[country.country] = country
    if worldwide is None:
        problems.append(
            Problem(
                str(folder / f"{GLOBAL}.yaml"),
                0,
                "there is no global.yaml. Add it: children who do not say their country "
                "see its helplines.",
            )
        )
        worldwide = CountryHelplines(GLOBAL)
    return Directory(by_country, worldwide), problems


class _FileReader:
    """Reads one helplines file, noting every problem instead of stopping at the first."""

    def __init__(self, path: Path, today: date) -> None:
        self.path = path
        self.today = today
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str, severity: Severity = "error") -> None:
        self.problems.append(Problem(str(self.path), line, message, severity))

    def read(self) -> CountryHelplines | None:
        data, self.problems = read_yaml(self.path)
        if data is None and self.problems:
            return None
        if not isinstance(data, Located):
            self.problem(
                1, "a helplines file is a set of 'key: value' lines: country, emergency, helplines."
            )
            return None
        self.keys(data, FILE_KEYS, "the file")
        country = self.country(data)
        emergency = self.numbers(data, "emergency", "the emergency list")
        emergency_source = self.url(data, "emergency_source", "the file", strict=True)
        if emergency and emergency_source is None and "emergency_source" not in data:
            self.problem(
                data.line_of("emergency"),
                "the emergency numbers need a source. Add 'emergency_source: https://...' "
                "with the page that gives them.",
            )
        emergency_evidence = self.text(data, "emergency_evidence", "the file")
        if emergency_evidence:
            self.evidence_shows(data.line_of("emergency_evidence"), "the file", emergency,
                                emergency_evidence)  # fmt: skip
        notes = self.text(data, "notes", "the file")
        helplines = self.helplines(data, country)
        removed = self.removed(data)
        if country is None or helplines is None:
            return None
        found = CountryHelplines(
            country,
            emergency,
            tuple(sorted(helplines, key=lambda h: KINDS.index(h.kind))),
            emergency_source,
            notes,
            emergency_evidence,
            removed,
        )
        if country != GLOBAL:
            self.complete(data, found)
        return found

    def complete(self, data: Located, found: CountryHelplines) -> None:
        """What a child of this country needs: someone to talk to and a number for danger."""
        line = data.line_of("helplines")
        if found.helplines and not found.of_kind("child_helpline") and not found.notes:
            self.problem(
                line,
                f"{found.country} has no child helpline. Add one with 'kind: child_helpline', "
                "or write in 'notes' why there is none.",
            )
        if not found.emergency and not found.of_kind("emergency"):
            self.problem(
                data.line_of("emergency"),
                f"{found.country} has no emergency number. Add it under 'emergency' with an "
                "'emergency_source' when a source gives it.",
                "warning",
            )

    def keys(self, where: Located, allowed: set[str], what: str) -> None:
        for key in where:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f" Known keys: {', '.join(sorted(allowed))}."
                self.problem(where.line_of(key), f"{what} has an unknown key '{key}'.{hint}")

    def country(self, data: Located) -> str | None:
        stem = self.path.stem
        value = data.get("country")
        if stem == GLOBAL:
            if value != GLOBAL:
                self.problem(data.line_of("country"), "global.yaml must say 'country: global'.")
            return GLOBAL
        if value is None:
            self.problem(1, f"the file needs a 'country' line, e.g. 'country: {stem.upper()}'.")
            return None
        line = data.line_of("country")
        if not isinstance(value, str) or value not in country_codes():
            self.problem(line, _bad_country(str(value)))
            return None
        if value != stem:
            if stem in country_codes():
                hint = f"Rename the file to '{value}.yaml' or change the country."
            else:
                hint = f"Rename the file to '{value}.yaml'."
            self.problem(
                line, f"the country '{value}' differs from the file name '{stem}.yaml'. {hint}"
            )
        return value

    def removed(self, data: Located) -> tuple[Removed, ...]:
        """`removed:` entries: a name, why it went, and what was searched."""
        raw = data.get("removed")
        if raw is None:
            return ()
        shape = (
            "each removed entry says 'name:', 'reason:' and 'searched:' (the pages and "
            "words looked for)."
        )
        if not isinstance(raw, LocatedList):
            self.problem(data.line_of("removed"), f"'removed' is a list: {shape}")
            return ()
        found = []
        for item, line in zip(raw, raw.item_lines, strict=True):
            if not isinstance(item, Located):
                self.problem(line, shape)
                continue
            self.keys(item, REMOVED_KEYS, "the removed entry")
            name, reason = (
                self.text(item, "name", "the removed entry"),
                self.text(item, "reason", "the removed entry"),
            )
            searched = item.get("searched", [])
            if isinstance(searched, str):
                searched = [searched]
            if not name or not reason or not isinstance(searched, list):
                self.problem(line, shape)
                continue
            found.append(Removed(name, reason, tuple(str(s) for s in searched)))
        return tuple(found)

    def helplines(self, data: Located, country: str | None) -> list[Helpline] | None:
        entries = data.get("helplines")
        if not isinstance(entries, LocatedList):
            self.problem(
                data.line_of("helplines"),
                "the file needs a 'helplines' list, with one '- name: ...' entry per helpline.",
            )
            return None
        if not entries and not data.get("notes"):
            # a country where nothing can safely be listed says why, and children there get
            # help that works from anywhere
            self.problem(
                entries.line,
                "the file lists no helplines. Add at least one under 'helplines', or say in "
                "'notes' why none can be listed.",
            )
        found: list[Helpline] = []
        names: dict[str, int] = {}
        numbers: dict[str, int] = {}
        for entry, line in zip(entries, entries.item_lines, strict=True):
            if not isinstance(entry, Located):
                self.problem(
                    line,
                    "each helpline is a set of 'key: value' lines (name, kind, "
                    "phone, source, verified ...).",
                )
                continue
            helpline = self.entry(entry, country)
            if helpline is None:
                continue
            self.unique(entry, helpline, names, numbers)
            found.append(helpline)
        return found

    def unique(
        self, entry: Located, helpline: Helpline, names: dict[str, int], numbers: dict[str, int]
    ) -> None:
        """One entry per service and one service per number, so a child is never sent twice."""
        line = entry.line_of("name")
        key = helpline.name.casefold()
        if key in names:
            self.problem(
                line,
                f"'{helpline.name}' is listed twice (first on line "
                f"{names[key]}). Merge the two entries.",
            )
        names.setdefault(key, line)
        phone_line = entry.line_of("phone")
        for number in helpline.phone:
            digits = "".join(c for c in number if c.isdigit())
            if digits in numbers:
                self.problem(
                    phone_line,
                    f"phone '{number}' is already listed on line "
                    f"{numbers[digits]}. Keep it on one entry only.",
                )
            numbers.setdefault(digits, phone_line)

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
        elif value < _year_before(self.today):
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


def _bad_country(value: str) -> str:
    hint = " Use 'GB' for the United Kingdom." if value.upper() == "UK" else ""
    return (
        f"'{value}' is not a country code. Use the two capital letters of ISO 3166-1, "
        f"e.g. KE for Kenya.{hint}"
    )


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
