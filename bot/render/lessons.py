"""A lesson's steps in words: the author's text for the child's age band and language,
its question, its choices, and at the end the key message and what comes next."""

from __future__ import annotations

from babel.support import NullTranslations

from bot.content.model import Band, Text
from bot.core.engine import AskTopics, StepShown
from bot.core.presses import Lessons, encode
from bot.render.text import Button, Paragraph, Reply, Rows, Run, b, fill, i, para


class LessonWords:
    """A lesson's words for one child: their language and age band."""

    def __init__(self, translations: NullTranslations, band: Band | None) -> None:
        self.t = translations
        self.band = band

    def say(self, text: Text) -> str:
        """An author's words for the child's age band, in their language."""
        return str(self.t.pgettext(text.context, text.in_band(self.band)))

    def feedback(self, text: Text) -> Paragraph:
        return (i(self.say(text)),)

    def step(
        self, shown: StepShown, handoff: Reply | None = None
    ) -> tuple[list[Paragraph], list[tuple[Button, ...]]]:
        """The step's paragraphs and buttons, with the help hand-off after its question when
        the step shows help (the safety row is added by the caller)."""
        _ = self.t.gettext
        step = shown.step
        parts = [para(self.say(step.text))]
        if step.question:
            parts.append((b(self.say(step.question)),))
        rows: list[tuple[Button, ...]] = []
        if handoff is not None:
            parts += handoff.paragraphs
            rows += handoff.buttons
        rows += [(Button(self.say(c.label), press=encode(c.press)),) for c in shown.buttons]
        rows += [
            (Button(self.say(link.title), press=encode(link.press)),) for link in shown.lessons
        ]
        if shown.ending:
            if shown.ending.key_message:
                parts.append((Run("💡 "), b(self.say(shown.ending.key_message))))
            parts.append(para(_("Was this lesson helpful?")))
            names = {
                # Translators: A button: at most 40 characters.
                "yes": _("Yes"),
                # Translators: A button: at most 40 characters.
                "some": _("A bit"),
                # Translators: A button: at most 40 characters.
                "no": _("Not really"),
            }
            rows.append(tuple(Button(names[r], press=encode(p)) for r, p in shown.ending.ratings))
            if shown.ending.next_lesson:
                title = self.say(shown.ending.next_lesson.title)
                # Translators: A button: at most 40 characters.
                label = "".join(r.text for r in fill(_("Next: {title}"), title=title))
                rows.append((Button(label, press=encode(shown.ending.next_lesson.press)),))
            rows.append((self.all_lessons(),))
        return parts, rows

    def topics(self, asked: AskTopics) -> Reply:
        _ = self.t.gettext
        names = {
            # Translators: A button: at most 40 characters.
            "bullying": _("Bullying online"),
            # Translators: A button: at most 40 characters.
            "scams": _("Scams and fake profiles"),
            # Translators: A button: at most 40 characters.
            "gaming": _("Staying safe in games"),
            # Translators: A button: at most 40 characters.
            "privacy": _("Privacy settings"),
            # Translators: A button: at most 40 characters.
            "pictures": _("Sharing pictures"),
            "other": _("Something else"),
        }
        rows: Rows = (
            *((Button(names[t], press=encode(p)),) for t, p in asked.topics),
            (self.all_lessons(),),
        )
        return Reply(
            (para(_("Thank you! What would you like to learn about next?")),), rows, "topics"
        )

    def all_lessons(self) -> Button:
        # Translators: A button: at most 40 characters.
        return Button(self.t.gettext("All lessons"), press=encode(Lessons()))
