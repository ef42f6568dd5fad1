"""Engine outputs + the child's language -> `Reply` messages, escaped for Telegram HTML."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from babel.support import NullTranslations

from bot.engine import AskTopics, Feedback, Output, StepShown, Thanks
from bot.model import Band, Text
from bot.reply import Button, Reply

HELP, EXIT, BACK, MENU = "h", "x", "b", "m"

# Builds the help hand-off: (country, topic, translations) -> Reply
HandOff = Callable[[str | None, str, NullTranslations], Reply]


def escape(text: str) -> str:
    return html.escape(text, quote=False)


class Renderer:
    """Turns what the engine says into messages, in one child's language."""

    def __init__(
        self, translations: NullTranslations, handoff: HandOff, band: Band | None = None
    ) -> None:
        self.t = translations
        self.handoff = handoff
        self.band = band

    def say(self, text: Text) -> str:
        """An author's words for the child's age band, in their language, escaped."""
        return escape(str(self.t.pgettext(text.context, text.in_band(self.band))))

    def safety_row(self, *, with_help: bool = True) -> tuple[Button, ...]:
        _ = self.t.gettext
        exit_button = Button(_("Quick exit"), data=EXIT)
        return (Button(_("Get help"), data=HELP), exit_button) if with_help else (exit_button,)

    def outputs(self, outputs: Iterable[Output], country: str | None) -> list[Reply]:
        replies: list[Reply] = []
        feedback: str | None = None
        for output in outputs:
            if isinstance(output, Feedback):
                feedback = f"<i>{self.say(output.text)}</i>"
                continue
            if isinstance(output, AskTopics):
                reply = self.topics(output)
            elif isinstance(output, Thanks):
                reply = self.thanks()
            else:
                reply = self.step(output, country)
            if feedback is not None:
                # the answer's feedback and what comes next share one message: Telegram
                # allows about one message a second per chat, and one bubble reads calmer
                reply = Reply(f"{feedback}\n\n{reply.text}", reply.buttons, kind=reply.kind)
                feedback = None
            replies.append(reply)
        if feedback is not None:
            replies.append(Reply(feedback, kind="feedback"))
        return replies

    def step(self, shown: StepShown, country: str | None) -> Reply:
        _ = self.t.gettext
        step = shown.step
        parts = [self.say(step.text)]
        if step.question:
            parts.append(f"<b>{self.say(step.question)}</b>")
        rows: list[tuple[Button, ...]] = []
        with_help = True
        if shown.help_topic:
            handoff = self.handoff(country, shown.help_topic, self.t)
            parts.append(handoff.text)
            rows.extend(handoff.buttons)
            with_help = False
        rows.extend((Button(self.say(b.label), data=b.data),) for b in shown.buttons)
        rows.extend((Button(self.say(link.title), data=link.data),) for link in shown.lessons)
        if shown.ending:
            if shown.ending.key_message:
                parts.append("💡 <b>" + self.say(shown.ending.key_message) + "</b>")
            parts.append(escape(_("Was this lesson helpful?")))
            names = {"yes": _("Yes"), "some": _("A bit"), "no": _("Not really")}
            rows.append(tuple(Button(names[r], data=d) for r, d in shown.ending.ratings))
            if shown.ending.next_lesson:
                title = self.say(shown.ending.next_lesson.title)
                label = _("Next: {title}").format(title=title)
                rows.append((Button(label, data=shown.ending.next_lesson.data),))
            rows.append((Button(_("All lessons"), data=MENU),))
        rows.append(self.safety_row(with_help=with_help))
        return Reply("\n\n".join(parts), tuple(rows), kind="step")

    def topics(self, asked: AskTopics) -> Reply:
        _ = self.t.gettext
        names = {
            "bullying": _("Bullying online"),
            "scams": _("Scams and fake profiles"),
            "gaming": _("Staying safe in games"),
            "privacy": _("Privacy settings"),
            "pictures": _("Sharing pictures"),
            "other": _("Something else"),
        }
        rows = tuple((Button(names[t], data=d),) for t, d in asked.topics)
        text = escape(_("Thank you! What would you like to learn about next?"))
        return Reply(text, (*rows, (Button(_("All lessons"), data=MENU),)), kind="topics")

    def thanks(self) -> Reply:
        _ = self.t.gettext
        text = escape(_("Thank you. This helps us make better lessons."))
        return Reply(text, ((Button(_("All lessons"), data=MENU),), self.safety_row()))

    def help(self, country: str | None, topic: str, *, intro: str | None, in_lesson: bool) -> Reply:
        """The help hand-off with a way back to where the child was."""
        _ = self.t.gettext
        handoff = self.handoff(country, topic, self.t)
        text = f"{intro}\n\n{handoff.text}" if intro else handoff.text
        back = (
            Button(_("Back to the lesson"), data=BACK)
            if in_lesson
            else Button(_("See the lessons"), data=MENU)
        )
        rows = (*handoff.buttons, (back,), self.safety_row(with_help=False))
        return Reply(text, rows, kind="help")
