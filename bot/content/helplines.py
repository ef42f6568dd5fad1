"""The help directory: who a child can talk to, report to and call, by country. No I/O here;
bot.content.helpline_files reads the files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Literal

from babel import Locale

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
