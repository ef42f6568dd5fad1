"""What the conversation said -> replies in one child's language: the one place where a
turn's outputs become words and buttons."""

from __future__ import annotations

from collections.abc import Iterable

from babel.support import NullTranslations

from bot.content.helplines import Directory
from bot.content.model import Band
from bot.content.places import country_names
from bot.core.engine import AskTopics, Feedback, StepShown, Thanks
from bot.core.presses import Back, Lessons, TellCountry, encode
from bot.core.said import (
    AskBand,
    AskCountry,
    AskForget,
    AskLanguage,
    ChatCleared,
    CountrySet,
    Erased,
    GroupNotice,
    HelpShown,
    Notice,
    Privacy,
    Said,
    Trouble,
)
from bot.render.bidi import is_right_to_left, isolated
from bot.render.disclosures import country_question, disclosure_words
from bot.render.handoff import build_handoff, first_to_call
from bot.render.lessons import LessonWords
from bot.render.system import SystemWords
from bot.render.text import Button, Paragraph, Reply


class Renderer:
    """Words for one language: built once per language at start-up."""

    def __init__(self, locale: str, translations: NullTranslations, directory: Directory) -> None:
        self.locale = locale
        self.t = translations
        self.directory = directory
        self.system = SystemWords(translations, locale)
        self.right_to_left = is_right_to_left(locale)

    def render(
        self, said: Iterable[Said], band: Band | None = None, country: str | None = None
    ) -> list[Reply]:
        """Each output as a reply; a choice's feedback shares the next message (Telegram
        allows about one message a second per chat, and one bubble reads calmer)."""
        lessons = LessonWords(self.t, band)
        replies: list[Reply] = []
        feedback: Paragraph | None = None
        for output in said:
            if isinstance(output, Feedback):
                feedback = lessons.feedback(output.text)
                continue
            reply = self.one(output, lessons, country)
            if feedback is not None:
                reply = Reply((feedback, *reply.paragraphs), reply.buttons, reply.kind)
                feedback = None
            replies.append(reply)
        if feedback is not None:
            replies.append(Reply((feedback,), kind="feedback"))
        if self.right_to_left:  # here, once, so every channel shows "/privacy", not "privacy/"
            return [isolated(reply) for reply in replies]
        return replies

    def stale(self) -> str:
        """The note on a button from an earlier message."""
        return self.system.stale()

    def one(self, output: Said, lessons: LessonWords, country: str | None = None) -> Reply:
        words = self.system
        if isinstance(output, StepShown):
            return self.step(output, lessons, country)
        if isinstance(output, AskTopics):
            return lessons.topics(output)
        if isinstance(output, Thanks):
            return words.thanks()
        if isinstance(output, HelpShown):
            return self.help(output)
        if isinstance(output, Notice):
            typed = output.note == "typed" and country
            to_call = first_to_call(self.directory, country, self.t) if typed else None
            return words.notice(output, to_call)
        if isinstance(output, AskLanguage):
            return words.ask_language(output)
        if isinstance(output, AskCountry):
            return words.ask_country(output)
        if isinstance(output, AskBand):
            return words.ask_band(output.turn)
        if isinstance(output, AskForget):
            return words.ask_forget(output.turn)
        if isinstance(output, CountrySet):
            return words.country_set(output.country)
        if isinstance(output, Erased):
            return words.erased()
        if isinstance(output, Privacy):
            return words.privacy(output.retention_days)
        if isinstance(output, ChatCleared):
            return words.chat_cleared(output.first_time)
        if isinstance(output, GroupNotice):
            return words.group()
        if isinstance(output, Trouble):
            return words.trouble()
        raise TypeError(f"nothing says {output!r}")

    def handoff(self, country: str | None, topic: str) -> Reply:
        name = country_names(self.locale).get(country, country) if country else ""
        return build_handoff(self.directory, country, topic, self.t, name)

    def step(self, shown: StepShown, lessons: LessonWords, country: str | None) -> Reply:
        handoff = self.handoff(country or None, shown.help_topic) if shown.help_topic else None
        parts, rows = lessons.step(shown, handoff)
        rows.append(self.system.safety_row(with_help=handoff is None))
        return Reply(tuple(parts), tuple(rows), kind="step")

    def help(self, shown: HelpShown) -> Reply:
        """The help hand-off with the words its reason needs, and a way back; without the
        child's country, help that works from anywhere and the country question too."""
        _ = self.t.gettext
        handoff = self.handoff(shown.country, shown.topic)
        paragraphs = [*disclosure_words(self.t, shown.reason), *handoff.paragraphs]
        rows = list(handoff.buttons)
        if shown.ask_country:
            paragraphs.append(country_question(self.t))
            # Translators: A button: at most 40 characters.
            rows.append((Button(_("Choose my country"), press=encode(TellCountry())),))
        if shown.in_lesson:
            # Translators: A button: at most 40 characters.
            back = Button(_("Back to the lesson"), press=encode(Back()))
        else:
            # Translators: A button: at most 40 characters.
            back = Button(_("See the lessons"), press=encode(Lessons()))
        rows += [(back,), self.system.safety_row(with_help=False)]
        return Reply(tuple(paragraphs), tuple(rows), kind="help")
