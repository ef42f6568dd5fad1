"""`safebot helplines`: the help directory as a table an NGO can act on, one row per country:
what each country has, how long ago it was checked, and what is still in doubt."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from babel import Locale

from bot.content.helpline_fields import year_before
from bot.content.helpline_files import read_directory
from bot.content.helplines import GLOBAL, KINDS, CountryHelplines, Directory, Kind
from bot.content.load import content_files
from bot.settings import Settings

# the words a reader of the table uses for each kind of entry
KIND_WORDS: dict[Kind, str] = {
    "child_helpline": "child",
    "crisis_line": "crisis",
    "report_hotline": "report",
    "removal_tool": "removal",
    "police": "police",
    "emergency": "emergency",
}
DOUBT_WIDTH = 60  # each doubt is cut to this many characters: the file has the rest


@dataclass(frozen=True)
class Row:
    """One country's line: what it has, how old its checks are, what is in doubt."""

    code: str
    name: str
    by_kind: tuple[tuple[Kind, int], ...]  # entries of each kind present, in reading order
    emergency: bool  # the file gives emergency numbers of its own
    oldest: date | None  # the oldest `verified` among its entries
    verified: int
    doubts: tuple[str, ...]  # "entry name: what is in doubt", one per unverified entry

    @property
    def entries(self) -> int:
        return sum(n for _kind, n in self.by_kind)

    @property
    def unverified(self) -> int:
        return self.entries - self.verified

    @property
    def kinds(self) -> list[str]:
        words = [KIND_WORDS[kind] for kind, _n in self.by_kind]
        if self.emergency and "emergency" not in words:
            words.append("emergency")  # the file's own emergency numbers count as one
        return words

    def in_doubt(self, today: date) -> bool:
        """An unverified entry, or one last checked more than 12 months ago."""
        stale = self.oldest is not None and self.oldest < year_before(today)
        return self.unverified > 0 or stale


def rows(directory: Directory) -> list[Row]:
    """Every country in code order, then the worldwide list."""
    names = Locale("en").territories
    found = [_row(place, str(names.get(code, code))) for code, place in
             sorted(directory.by_country.items())]  # fmt: skip
    return [*found, _row(directory.worldwide, "from anywhere (global.yaml)")]


def _row(place: CountryHelplines, name: str) -> Row:
    helplines = place.helplines
    by_kind = tuple((k, len(place.of_kind(k))) for k in KINDS if place.of_kind(k))
    dates = [h.verified for h in helplines if h.verified is not None]
    doubts = tuple(
        _shorten(f"{h.name.split(' (')[0]}: {h.unverified or 'no reason given'}")
        for h in helplines
        if h.verified is None
    )
    return Row(place.country, name, by_kind, bool(place.emergency), min(dates, default=None),
               len(dates), doubts)  # fmt: skip


def _shorten(text: str, width: int = DOUBT_WIDTH) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"  # at a word's end


def age(row: Row, today: date) -> str:
    """How long ago the oldest check was, in the unit a person plans with."""
    if row.entries == 0:
        return "-"
    if row.oldest is None:
        return "unverified"
    oldest = row.oldest
    days = (today - oldest).days
    if days <= 0:
        return "today"
    if days < 60:
        return f"{days} day{'s' * (days != 1)}"
    months = (today.year - oldest.year) * 12 + today.month - oldest.month
    months -= today.day < oldest.day
    return f"{months} months"


def table(shown: Iterable[Row], today: date) -> list[str]:
    """The rows as aligned lines, under a heading."""
    lines = [("code", "country", "entries", "kinds", "verified", "doubts")]
    for row in shown:
        lines.append((row.code, row.name, str(row.entries), ", ".join(row.kinds) or "-",
                      age(row, today), " | ".join(row.doubts) or "-"))  # fmt: skip
    widths = [max(len(line[n]) for line in lines) for n in range(5)]
    out = []
    for line in lines:
        cells = [line[0].ljust(widths[0]), line[1].ljust(widths[1]),
                 line[2].rjust(widths[2]), line[3].ljust(widths[3]),
                 line[4].ljust(widths[4]), line[5]]  # fmt: skip
        out.append("  ".join(cells).rstrip())
    return out


def total(shown: list[Row], every: int) -> str:
    """Countries, entries by kind, verified and unverified, over the rows shown; `every` is
    how many countries the directory has."""
    countries = sum(r.code != GLOBAL for r in shown)
    what = f"{countries} countries" if countries == every else f"{countries} of {every} countries"
    if any(r.code == GLOBAL for r in shown):
        what += " and the worldwide list"
    counts: Counter[Kind] = Counter()
    for row in shown:
        counts.update(dict(row.by_kind))
    kinds = ", ".join(f"{KIND_WORDS[k]} {counts[k]}" for k in KINDS if counts[k])
    entries = sum(r.entries for r in shown)
    verified = sum(r.verified for r in shown)
    return (
        f"total: {what}; {entries} entries ({kinds or 'none'}); "
        f"{verified} verified, {entries - verified} unverified"
    )


def helplines_report(directory: Directory, today: date, *, doubts_only: bool) -> list[str]:
    """The table and its total line: every country, or only those with something in doubt."""
    every = rows(directory)
    shown = [r for r in every if r.in_doubt(today)] if doubts_only else every
    return [*table(shown, today), total(shown, len(directory.by_country))]


def print_helplines(settings: Settings, today: date, *, doubts_only: bool) -> int:
    """The instance's directory, shipped files and overlay, as `safebot check` reads it; exit 1
    when a file has errors (its broken entries are missing from the table)."""
    directory, problems = read_directory(content_files(settings, "helplines"), today)
    for line in helplines_report(directory, today, doubts_only=doubts_only):
        print(line)
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        print(f"safebot helplines: {errors} error{'s' * (errors != 1)} in the helplines files; "
              "entries with errors are left out. Run 'safebot check' for the list.",
              file=sys.stderr)  # fmt: skip
        return 1
    return 0
