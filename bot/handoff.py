"""The help hand-off: who a child can talk to, report to and call, in their own country."""

from __future__ import annotations

import gettext
import html
from dataclasses import dataclass

from bot.helplines import GLOBAL, CountryHelplines, Directory, Helpline, Kind
from bot.reply import MAX_TEXT, Button, Reply

MAX_BUTTONS = 6  # more and the help no longer fits one phone screen


def escape(text: str) -> str:
    return html.escape(text, quote=False)


@dataclass(frozen=True)
class _Shown:
    """A helpline and the translation context of the file it came from."""

    helpline: Helpline
    context: str
    # a worldwide service's phone (a US toll-free number) does not help a child elsewhere
    with_phone: bool = True


class _HandOff:
    """Builds one hand-off message in one child's language."""

    def __init__(self, directory: Directory, translations: gettext.NullTranslations) -> None:
        self.directory = directory
        self.t = translations
        self.worldwide = directory.for_country(None)

    def say(self, shown: _Shown, text: str) -> str:
        """A content string (name, hours) in the child's language, escaped."""
        return escape(self.t.pgettext(shown.context, text))

    def label_name(self, shown: _Shown) -> str:
        # buttons stay short: "Report Remove (Childline and IWF)" -> "Report Remove"
        return self.t.pgettext(shown.context, shown.helpline.name).split(" (")[0]

    def pick(self, place: CountryHelplines, *kinds: Kind) -> list[_Shown]:
        context = f"helplines.{place.country}"
        return [_Shown(h, context) for kind in kinds for h in place.of_kind(kind)]

    def entry(self, shown: _Shown) -> str:
        """Name in bold, then numbers, hours and 'free' on one line, other channels below."""
        _ = self.t.gettext
        helpline = shown.helpline
        lines = [f"<b>{self.say(shown, helpline.name)}</b>"]
        details = []
        if helpline.phone and shown.with_phone:
            details.append("📞 " + escape(", ".join(helpline.phone)))
        if helpline.hours:
            details.append(self.say(shown, helpline.hours))
        if helpline.free:
            details.append(escape(_("free")))
        if details:
            lines.append(" · ".join(details))
        if helpline.sms:
            lines.append(escape(_("SMS: {numbers}").format(numbers=", ".join(helpline.sms))))
        if helpline.whatsapp:
            numbers = ", ".join(helpline.whatsapp)
            lines.append(escape(_("WhatsApp: {numbers}").format(numbers=numbers)))
        return "\n".join(lines)

    def section(self, icon: str, heading: str, shown: list[_Shown]) -> str:
        return "\n".join([f"{icon} <i>{escape(heading)}</i>", *(self.entry(s) for s in shown)])

    def build(self, country: str | None, topic: str, country_name: str) -> Reply:
        _ = self.t.gettext
        place = self.directory.for_country(country)
        known = place.country != GLOBAL
        helpers = self.pick(place, "child_helpline")
        heading = _("Talk to someone")
        if not helpers:
            helpers = self.pick(self.worldwide, "child_helpline")
            heading = _("Find a child helpline near you")
        reporters = self.pick(place, "report_hotline", "police")
        if not self.pick(place, "report_hotline"):
            # a country without its own hotline: the CyberTipline takes reports from anywhere
            reporters += [
                _Shown(s.helpline, s.context, with_phone=not known)
                for s in self.pick(self.worldwide, "report_hotline")
            ]
        removers: list[_Shown] = []
        if topic == "images" or not known:
            removers = self.pick(place, "removal_tool") if known else []
            removers += self.pick(self.worldwide, "removal_tool")
        emergency = [*place.emergency, *(n for h in place.of_kind("emergency") for n in h.phone)]

        if known and country_name:
            title = _("You are not alone. These people in {country} can help:").format(
                country=country_name
            )
        elif known:
            title = _("You are not alone. These people can help:")
        elif country_name:
            title = _(
                "You are not alone. I have no list for {country} yet, but these "
                "can help from anywhere:"
            ).format(country=country_name)
        else:
            title = _("You are not alone. These people can help, wherever you are:")
        parts = [f"<b>{escape(title)}</b>"]
        parts.append(self.section("💬", heading, helpers))
        if reporters:
            parts.append(self.section("📣", _("Report what happened"), reporters))
        if removers:
            parts.append(self.section("🖼", _("Get pictures taken down"), removers))
        if len(emergency) == 1:
            line = escape(_("In danger right now? Call {number}."))
            parts.append("🚨 " + line.format(number=f"<b>{escape(emergency[0])}</b>"))
        elif emergency:
            line = escape(_("In danger right now? Call {number} or {other}."))
            # "Call 112, 113 or 114": every number but the last, then the last
            first = ", ".join(f"<b>{escape(n)}</b>" for n in emergency[:-1])
            parts.append("🚨 " + line.format(number=first, other=f"<b>{escape(emergency[-1])}</b>"))
        else:
            parts.append(
                "🚨 " + escape(_("In danger right now? Call your local emergency number."))
            )
        if topic == "danger":
            # someone may be in danger now: the emergency number comes first
            parts.insert(1, parts.pop())
        return Reply(_fit(parts), self.buttons(helpers, reporters, removers, topic), kind="help")

    def buttons(
        self, helpers: list[_Shown], reporters: list[_Shown], removers: list[_Shown], topic: str
    ) -> tuple[tuple[Button, ...], ...]:
        """Copy the first number, then chats, then report and take-down pages: six at most."""
        _ = self.t.gettext
        found: list[Button] = []
        first_number = next((n for s in helpers for n in s.helpline.phone), None)
        if first_number:
            label = _("Copy number {number}").format(number=first_number)
            found.append(Button(label, copy=first_number))
        for shown in helpers:
            name = self.label_name(shown)
            if shown.helpline.chat:
                found.append(
                    Button(_("Chat with {name}").format(name=name), url=shown.helpline.chat)
                )
            elif shown.helpline.website and not shown.helpline.phone:
                found.append(
                    Button(_("Visit {name}").format(name=name), url=shown.helpline.website)
                )
        report = [
            Button(_("Report: {name}").format(name=self.label_name(s)), url=s.helpline.website)
            for s in reporters
            if s.helpline.website
        ]
        remove = [
            Button(_("Use {name}").format(name=self.label_name(s)), url=s.helpline.website)
            for s in removers
            if s.helpline.website
        ]
        # a child who sent a picture needs the take-down tools before anything else
        found += remove + report if topic == "images" else report + remove
        return tuple((button,) for button in found[:MAX_BUTTONS])


def _fit(parts: list[str]) -> str:
    """Keep the message within Telegram's limit: the title, first help and danger line stay."""
    while len("\n\n".join(parts)) > MAX_TEXT and len(parts) > 3:
        del parts[-2]
    return "\n\n".join(parts)


def build_handoff(
    directory: Directory,
    country: str | None,
    topic: str,
    translations: gettext.NullTranslations,
    country_name: str,
) -> Reply:
    """The help message for a child in `country` (None or unknown: help from anywhere)."""
    return _HandOff(directory, translations).build(country, topic, country_name)
