"""The help hand-off: who a child can talk to, report to and call, in their own country.

What it shows depends on the situation it serves ("help topic"): the same directory
gives a crisis line first after a child says they want to die, the emergency number
first when someone is in danger, take-down tools when a picture is out, and the
national reporting routes in the reporting lesson.
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.content.helplines import GLOBAL, Directory, Helpline, Kind
from bot.content.model import HELP_TOPICS, MAX_TEXT, HelpTopic
from bot.render.text import Button, Paragraph, Reply, Run, b, fill, i, para

MAX_BUTTONS = 6  # more and the help no longer fits one phone screen

Section = Literal["talk", "crisis", "report", "police", "remove", "emergency"]
# what each situation shows, in the order a child reads it
SECTIONS: dict[HelpTopic, tuple[Section, ...]] = {
    "general": ("talk", "report", "emergency"),
    "images": ("talk", "remove", "report", "emergency"),
    "sextortion": ("talk", "remove", "report", "police", "emergency"),
    "crisis": ("emergency", "crisis", "talk"),
    "danger": ("emergency", "talk", "police"),
    "reporting": ("talk", "report", "police", "emergency"),
}
# which buttons come first: the take-down tools when a picture is out
BUTTON_ORDER: dict[HelpTopic, tuple[Section, ...]] = {
    "images": ("remove", "report", "police"),
    "sextortion": ("remove", "report", "police"),
}


@dataclass(frozen=True)
class _Shown:
    """A helpline and the translation context of the file it came from."""

    helpline: Helpline
    context: str


class _HandOff:
    """Builds one hand-off message in one child's language."""

    def __init__(
        self, directory: Directory, translations: gettext.NullTranslations, country: str | None
    ) -> None:
        self.directory = directory
        self.t = translations
        self.place = directory.for_country(country)
        self.known = self.place.country != GLOBAL
        # worldwide entries this child can use: from anywhere, or meant for their country
        self.anywhere = [
            _Shown(h, f"helplines.{GLOBAL}")
            for h in directory.anywhere(self.place.country if self.known else None)
        ]

    def say(self, shown: _Shown, text: str) -> str:
        """A content string (name, hours) in the child's language."""
        return self.t.pgettext(shown.context, text)

    def label_name(self, shown: _Shown) -> str:
        # buttons stay short: "Report Remove (Childline and IWF)" -> "Report Remove"
        return self.t.pgettext(shown.context, shown.helpline.name).split(" (")[0]

    def own(self, *kinds: Kind) -> list[_Shown]:
        if not self.known:
            return []  # no country: each section falls back on what works from anywhere
        context = f"helplines.{self.place.country}"
        found = [_Shown(h, context) for kind in kinds for h in self.place.of_kind(kind)]
        # worldwide entries scoped to this country (Report Remove: GB)
        scoped = [s for s in self.anywhere if s.helpline.kind in kinds and s.helpline.countries]
        return found + scoped

    def worldwide(self, *kinds: Kind) -> list[_Shown]:
        return [s for s in self.anywhere if s.helpline.kind in kinds and not s.helpline.countries]

    def entries(self, section: Section) -> tuple[str, list[_Shown]]:
        """A section's heading and entries for this child."""
        _ = self.t.gettext
        if section == "talk":
            found = self.own("child_helpline")
            if found:
                return _("Talk to someone"), found
            return _("Find a child helpline near you"), self.worldwide("child_helpline")
        if section == "crisis":
            return _("Talk to someone now"), self.own("crisis_line")
        if section == "report":
            found = self.own("report_hotline")
            # a country without its own hotline: worldwide ones take reports from anywhere
            return _("Report what happened"), found or self.worldwide("report_hotline")
        if section == "police":
            return _("Tell the police"), self.own("police")
        if section == "remove":
            return _("Get pictures taken down"), self.own("removal_tool") + self.worldwide(
                "removal_tool"
            )
        return "", []

    def entry(self, shown: _Shown) -> list[Run]:
        """Name in bold, then numbers, hours and 'free' on one line, other channels below."""
        _ = self.t.gettext
        helpline = shown.helpline
        runs = [b(self.say(shown, helpline.name))]
        details = []
        # a worldwide service's phone is a national number (a US toll-free line): it does
        # not help a child elsewhere, so only the web address is shown
        with_phone = not _is_worldwide(shown)
        if helpline.phone and with_phone:
            details.append("📞 " + ", ".join(helpline.phone))
        if helpline.hours:
            details.append(self.say(shown, helpline.hours))
        if helpline.free:
            details.append(_("free"))
        lines = [" · ".join(details)] if details else []
        if helpline.sms and with_phone:
            lines.append(_("SMS: {numbers}").format(numbers=", ".join(helpline.sms)))
        if helpline.whatsapp and with_phone:
            lines.append(_("WhatsApp: {numbers}").format(numbers=", ".join(helpline.whatsapp)))
        runs += [Run("\n" + line) for line in lines]
        return runs

    def section(self, icon: str, heading: str, shown: list[_Shown]) -> Paragraph:
        runs: list[Run] = [Run(icon + " "), i(heading)]
        for item in shown:
            runs.append(Run("\n"))
            runs += self.entry(item)
        return tuple(runs)

    def emergency_line(self) -> Paragraph:
        _ = self.t.gettext
        place = self.place
        numbers = [*place.emergency, *(n for h in place.of_kind("emergency") for n in h.phone)]
        if len(numbers) == 1:
            return (
                Run("🚨 "),
                *fill(_("In danger right now? Call {number}."), number=b(numbers[0])),
            )
        if numbers:
            # "Call 112, 113 or 114": every number but the last, then the last
            first: list[Run] = []
            for number in numbers[:-1]:
                first += [Run(", "), b(number)] if first else [b(number)]
            line = _("In danger right now? Call {number} or {other}.")
            return (Run("🚨 "), *fill(line, number=tuple(first), other=b(numbers[-1])))
        return para("🚨 " + _("In danger right now? Call your local emergency number."))

    def title(self, country_name: str) -> Paragraph:
        _ = self.t.gettext
        # a country where nothing can safely be listed yet (Afghanistan) is said so
        listed = self.place.helplines or self.place.emergency
        if self.known and country_name and listed:
            title = _("You are not alone. These people in {country} can help:").format(
                country=country_name
            )
        elif self.known and listed:
            title = _("You are not alone. These people can help:")
        elif country_name:
            title = _(
                "You are not alone. I have no list for {country} yet, but these "
                "can help from anywhere:"
            ).format(country=country_name)
        else:
            title = _("You are not alone. These people can help, wherever you are:")
        return (b(title),)

    def build(self, topic: HelpTopic, country_name: str) -> Reply:
        icons = {"talk": "💬", "crisis": "💛", "report": "📣", "police": "👮", "remove": "🖼"}
        parts = [self.title(country_name)]
        shown: dict[Section, list[_Shown]] = {}
        sections = SECTIONS[topic]
        if not self.known and "remove" not in sections:
            # help from anywhere always includes the take-down tools that work everywhere
            sections = (sections[0], "remove", *sections[1:])
        for section in sections:
            if section == "emergency":
                parts.append(self.emergency_line())
                continue
            heading, found = self.entries(section)
            if found:
                shown[section] = found
                parts.append(self.section(icons[section], heading, found))
        return Reply(_fit(parts), self.buttons(topic, shown), kind="help")

    def buttons(
        self, topic: HelpTopic, shown: dict[Section, list[_Shown]]
    ) -> tuple[tuple[Button, ...], ...]:
        """Copy the first number, then chats, then report and take-down pages: six at most."""
        _ = self.t.gettext
        found: list[Button] = []
        talk = [*shown.get("crisis", []), *shown.get("talk", [])]
        first_number = next(
            (n for s in talk for n in s.helpline.phone if not _is_worldwide(s)), None
        )
        if first_number:
            # Translators: A button: at most 40 characters.
            label = _("Copy number {number}").format(number=first_number)
            found.append(Button(label, copy=first_number))
        for item in talk:
            name = self.label_name(item)
            if item.helpline.chat:
                # Translators: A button: at most 40 characters.
                label = _("Chat with {name}").format(name=name)
                found.append(Button(label, url=item.helpline.chat))
            elif item.helpline.website and (not item.helpline.phone or _is_worldwide(item)):
                # Translators: A button: at most 40 characters.
                found.append(Button(_("Visit {name}").format(name=name), url=item.helpline.website))
        labels: dict[Section, str] = {
            # Translators: A button: at most 40 characters.
            "report": _("Report: {name}"),
            # Translators: A button: at most 40 characters.
            "police": _("Report: {name}"),
            # Translators: A button: at most 40 characters.
            "remove": _("Use {name}"),
        }
        for section in BUTTON_ORDER.get(topic, ("report", "police", "remove")):
            found += [
                Button(labels[section].format(name=self.label_name(s)), url=s.helpline.website)
                for s in shown.get(section, [])
                if s.helpline.website
            ]
        unique: dict[str, Button] = {}
        for button in found:
            unique.setdefault(button.url or button.copy or button.label, button)
        return tuple((button,) for button in list(unique.values())[:MAX_BUTTONS])


def _is_worldwide(shown: _Shown) -> bool:
    return shown.context == f"helplines.{GLOBAL}" and not shown.helpline.countries


def _fit(parts: Sequence[Paragraph]) -> tuple[Paragraph, ...]:
    """Keep the message within Telegram's limit: the title, first help and danger line stay."""
    kept = list(parts)

    def size() -> int:
        return sum(len(r.text) for p in kept for r in p) + 2 * (len(kept) - 1)

    while size() > MAX_TEXT and len(kept) > 3:
        del kept[-2]
    return tuple(kept)


def build_handoff(
    directory: Directory,
    country: str | None,
    topic: str,
    translations: gettext.NullTranslations,
    country_name: str,
) -> Reply:
    """The help message for a child in `country` (None or unknown: help from anywhere)."""
    chosen: HelpTopic = next((t for t in HELP_TOPICS if t == topic), "general")
    return _HandOff(directory, translations, country).build(chosen, country_name)


def first_to_call(
    directory: Directory, country: str | None, translations: gettext.NullTranslations
) -> tuple[str, str] | None:
    """The name and number of the child's own country's first child helpline that has a
    phone (or, where there is none, its crisis line), for the words that answer typed text:
    a child whose words no rule heard still reads who to call. None where the country is not
    known or has no such line."""
    hand_off = _HandOff(directory, translations, country)
    for shown in [*hand_off.own("child_helpline"), *hand_off.own("crisis_line")]:
        if shown.helpline.phone and not _is_worldwide(shown):
            return hand_off.label_name(shown), shown.helpline.phone[0]
    return None
