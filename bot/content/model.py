"""The lesson model: frozen data loaded from dialog files. No I/O here."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_TEXT = 4096  # characters a message may have: Telegram's limit, after entity parsing
MAX_LABEL = 40  # characters on a button: one button per row still fits a small phone screen

# named behaviours a step can ask for; dialog files are checked against this list
ACTIONS: dict[str, str] = {
    "show_help": "shows the helplines of the child's country, with a way back",
    "show_lessons": "shows the lessons as buttons",
}

Kind = Literal["lesson", "system"]
Band = Literal["10-12", "13-17"]
Status = Literal["draft", "review", "approved"]
Topic = Literal["general", "images", "sextortion", "reporting"]
Phase = Literal["before", "after"]
Stage = Literal["drafted", "reviewed", "approved"]

KINDS: tuple[Kind, ...] = ("lesson", "system")
BANDS: tuple[Band, ...] = ("10-12", "13-17")
YOUNGER, OLDER = BANDS
ENGLISH = "en"  # the language lessons are written in; `status` is its state
STATUSES: tuple[Status, ...] = ("draft", "review", "approved")
TOPICS: tuple[Topic, ...] = ("general", "images", "sextortion", "reporting")
# the situations a help hand-off serves (see bot.handoff): a lesson's topic, or a step's
# own `help:` (crisis after a question about feeling hopeless, danger, ...)
HelpTopic = Literal["general", "images", "sextortion", "crisis", "danger", "reporting"]
HELP_TOPICS: tuple[HelpTopic, ...] = (
    "general",
    "images",
    "sextortion",
    "crisis",
    "danger",
    "reporting",
)
PHASES: tuple[Phase, ...] = ("before", "after")
STAGES: tuple[Stage, ...] = ("drafted", "reviewed", "approved")  # in the order they happen


@dataclass(frozen=True)
class Text:
    """An author's words and their stable identity for translators (`dialog.step`).

    One text for every age band, or, where the author wrote the bands apart, `source` for
    10-12 and `older` for 13-17 (each its own message for translators)."""

    context: str
    source: str
    older: str | None = None

    def in_band(self, band: Band | None) -> str:
        """The words a child of this band reads (10-12 when the band is not known)."""
        return self.older if band == OLDER and self.older is not None else self.source

    def variants(self) -> tuple[tuple[Band | None, str], ...]:
        """(band, words) for each text written: band None when it is one for both."""
        if self.older is None:
            return ((None, self.source),)
        return ((YOUNGER, self.source), (OLDER, self.older))


@dataclass(frozen=True)
class Choice:
    """A button in a step: it leads to a step of the same dialog or opens another dialog."""

    label: Text
    next: str | None = None
    dialog: str | None = None
    feedback: Text | None = None
    correct: bool = False
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Check:
    """Marks a step as a learning-check question, asked before and after the story."""

    question: str
    phase: Phase


@dataclass(frozen=True)
class Step:
    """One message of a dialog, with its choices, or the end."""

    id: str
    text: Text
    question: Text | None = None
    choices: tuple[Choice, ...] = ()
    end: bool = False
    actions: tuple[str, ...] = ()
    check: Check | None = None
    note: str | None = None
    # the help this step's hand-off shows, when it differs from the lesson's topic
    help: HelpTopic | None = None
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class SignOff:
    """One stage of a review: which group or role did it (never a young person's name), and
    on which day."""

    by: str
    on: date


@dataclass(frozen=True)
class Review:
    """Where one language and age band of a dialog stands: drafted, reviewed, approved."""

    drafted: SignOff | None = None
    reviewed: SignOff | None = None
    approved: SignOff | None = None
    line: int = field(default=0, compare=False)  # the line of its language in the file

    def latest(self) -> tuple[Stage, SignOff] | None:
        """The furthest stage reached, and who signed it off when."""
        for stage in reversed(STAGES):
            done = getattr(self, stage)
            if done is not None:
                return stage, done
        return None


@dataclass(frozen=True)
class Dialog:
    """A lesson or a system dialog, as its author wrote it."""

    id: str
    kind: Kind
    title: Text
    summary: Text
    status: Status
    authors: tuple[str, ...]
    start: str
    steps: Mapping[str, Step]
    reviewers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    topic: Topic = "general"
    key_message: Text | None = None
    next_lesson: str | None = None
    note: str | None = None
    bands: tuple[Band, ...] = BANDS  # the age bands that see this lesson
    # language -> age band -> its sign-off, as the `review:` section records it
    review: Mapping[str, Mapping[Band, Review]] = field(default_factory=dict)
    path: str = field(default="", compare=False)
    # the line of each top-level key in the file, for messages to the author
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)

    @property
    def is_lesson(self) -> bool:
        return self.kind == "lesson"

    def for_band(self, band: Band | None) -> bool:
        """Whether a child of this band sees the lesson (10-12 when not known)."""
        return (band or YOUNGER) in self.bands

    def approved_in(self, language: str, band: Band | None) -> bool:
        """Whether a youth group's review approved it for readers of this language and band;
        when the band is not known, for every band the lesson has."""
        bands = self.bands if band is None else (band,)
        found = self.review.get(language, {})
        return all(b in found and found[b].approved is not None for b in bands)

    def by_band(self) -> bool:
        """Whether children of the two age bands see it differently (then the band is asked)."""
        return self.bands != BANDS or any(t.older is not None for t, _n, _l in self.texts())

    def texts(self) -> list[tuple[Text, str | None, int]]:
        """Every author string with its translator note and line, in file order."""
        found: list[tuple[Text, str | None, int]] = [(self.title, self.note, 0)]
        found.append((self.summary, None, 0))
        if self.key_message:
            found.append((self.key_message, None, 0))
        for step in self.steps.values():
            found.append((step.text, step.note, step.line))
            if step.question:
                found.append((step.question, step.note, step.line))
            for choice in step.choices:
                found.append((choice.label, step.note, choice.line))
                if choice.feedback:
                    found.append((choice.feedback, step.note, choice.line))
        return found
