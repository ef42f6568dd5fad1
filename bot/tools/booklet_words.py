"""What each step of a lesson says in the review booklet: the words as the bot renders them
(bold questions, italic feedback) in English and in each language asked for, and whether
each translation is done, missing or in need of checking."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from babel.messages.catalog import Catalog
from babel.support import NullTranslations

from bot.content.catalogs import read_catalog
from bot.content.model import Band, Dialog, Step, Text
from bot.content.same_as_english import says_words
from bot.core.engine import Ending, StepShown
from bot.render.lessons import LessonWords
from bot.render.text import Paragraph, Run

State = Literal["done", "missing", "fuzzy"]
STATE_WORDS: dict[State, str] = {
    "done": "",
    "missing": "not translated yet",
    "fuzzy": "needs checking",
}


class Translation:
    """One language's catalog as a review group needs it: every line's words, fuzzy ones
    included (the bot leaves those in English), and whether each is done."""

    def __init__(self, locale: str, path: Path, names: frozenset[str]) -> None:
        catalog, status = read_catalog(path, locale, names)
        self.locale = locale
        self.catalog: Catalog = catalog
        self.names = names
        self.review = status.review  # the catalog's "Review status:" line
        self.words = _AllWords(self)

    def state(self, context: str | None, english: str) -> State:
        message = self.catalog.get(english, context=context)
        if message is None or not message.string:
            return "missing"
        if message.fuzzy:
            return "fuzzy"
        if str(message.string) == english and says_words(english, self.names):
            return "missing"  # word for word the English, and not a listed name
        return "done"

    def translated(self, context: str | None, english: str) -> str:
        message = self.catalog.get(english, context=context)
        return str(message.string) if message is not None and message.string else english


class _AllWords(NullTranslations):
    """The catalog's words, fuzzy or not, through the same calls the renderer makes."""

    def __init__(self, translation: Translation) -> None:
        super().__init__()
        self.translation = translation

    def gettext(self, message: str) -> str:
        return self.translation.translated(None, message)

    def pgettext(self, context: str, message: str) -> str:
        return self.translation.translated(context, message)


@dataclass(frozen=True)
class Said:
    """One line in one language: its runs of words and whether it is translated."""

    runs: Paragraph
    state: State = "done"


@dataclass(frozen=True)
class Line:
    """One thing the child reads at a step, in English and in each language asked for."""

    what: str  # "text", "question", "choice", "feedback", "key message", "bot"
    english: Paragraph
    translations: tuple[Said, ...] = ()
    correct: bool = False
    leads_to: str | None = None  # a choice's next step
    opens: str | None = None  # a choice's other lesson


def step_lines(
    dialog: Dialog, step: Step, band: Band, translations: tuple[Translation, ...]
) -> Iterator[Line]:
    """The step's lines in the order the child meets them."""
    ending = Ending(dialog.key_message, None) if step.end and dialog.is_lesson else None
    shown = StepShown(dialog.id, step, (), ending=ending)
    english, _rows = LessonWords(NullTranslations(), band).step(shown)
    by_language = [LessonWords(t.words, band).step(shown)[0] for t in translations]
    texts: list[tuple[str, Text | None]] = [("text", step.text)]
    if step.question:
        texts.append(("question", step.question))
    if ending and ending.key_message:
        texts.append(("key message", ending.key_message))
    texts += [("bot", None)] * (len(english) - len(texts))  # the bot's own closing words
    for n, (what, text) in enumerate(texts):
        said = tuple(
            Said(paragraphs[n], _state(t, text, band, english[n]))
            for t, paragraphs in zip(translations, by_language, strict=True)
        )
        yield Line(what, english[n], said)
    for choice in step.choices:
        label = choice.label
        yield Line(
            "choice",
            (Run(label.in_band(band)),),
            tuple(Said((Run(t.words.pgettext(label.context, label.in_band(band))),),
                       t.state(label.context, label.in_band(band))) for t in translations),
            choice.correct,
            choice.next,
            choice.dialog,
        )  # fmt: skip
        if choice.feedback:
            feedback = choice.feedback
            yield Line(
                "feedback",
                LessonWords(NullTranslations(), band).feedback(feedback),
                tuple(Said(LessonWords(t.words, band).feedback(feedback),
                           t.state(feedback.context, feedback.in_band(band)))
                      for t in translations),
            )  # fmt: skip


def _state(translation: Translation, text: Text | None, band: Band, english: Paragraph) -> State:
    if text is not None:
        return translation.state(text.context, text.in_band(band))
    return translation.state(None, "".join(run.text for run in english))


def reading_order(dialog: Dialog) -> list[Step]:
    """The steps as a child meets them from the start, choice by choice; any other after."""
    order: list[str] = []
    todo = [dialog.start]
    while todo:
        key = todo.pop(0)
        if key in order or key not in dialog.steps:
            continue
        order.append(key)
        todo += [c.next for c in dialog.steps[key].choices if c.next]
    order += [key for key in dialog.steps if key not in order]
    return [dialog.steps[key] for key in order]
