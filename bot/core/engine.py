"""The lesson engine: (position, press) -> (new position, outputs), as plain data.

Each dialog becomes one `transitions` state machine, built once at load: its states
are the dialog's steps and its triggers are the choices. A child's position is
restored into a throwaway cursor for each press, so one machine serves every child.
This module knows nothing of Telegram, SQLite or HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from transitions import Machine, MachineError

from bot.content.model import Band, Dialog, HelpTopic, Step, Text
from bot.core.presses import Choose, OpenLesson, Press, Rate, WantTopic


@dataclass(frozen=True)
class Position:
    """Where a child is: the dialog and the step."""

    dialog: str
    step: str


@dataclass(frozen=True)
class ChoiceButton:
    label: Text
    press: Press


@dataclass(frozen=True)
class LessonLink:
    dialog: str
    title: Text
    press: Press


@dataclass(frozen=True)
class Feedback:
    """The reply to a choice, shown before the next step."""

    text: Text


@dataclass(frozen=True)
class Ending:
    """What closes a lesson: its key message, a rating, and the lesson to try next."""

    key_message: Text | None
    next_lesson: LessonLink | None
    ratings: tuple[tuple[str, Press], ...] = ()


@dataclass(frozen=True)
class AskTopics:
    """After a rating: which topic would the child like next?"""

    topics: tuple[tuple[str, Press], ...]


@dataclass(frozen=True)
class Thanks:
    """The child told us what they think; nothing else happens."""


@dataclass(frozen=True)
class StepShown:
    """A step as the child sees it: words, choices, and what its actions add."""

    dialog: str
    step: Step
    buttons: tuple[ChoiceButton, ...]
    help_topic: HelpTopic | None = None
    lessons: tuple[LessonLink, ...] = ()
    ending: Ending | None = None


Output = Feedback | StepShown | AskTopics | Thanks

RATINGS = ("yes", "some", "no")
TOPICS = ("bullying", "scams", "gaming", "privacy", "pictures", "other")


@dataclass(frozen=True)
class Count:
    """An anonymous tally the store adds one to: no child, no time beyond the day."""

    name: str  # lesson_started, lesson_completed, check_answer
    dialog: str
    question: str = ""
    phase: str = ""
    correct: bool | None = None
    outcome: str = ""  # a rating or a topic; never free text


@dataclass(frozen=True)
class Outcome:
    """Where the child is after a press, at which turn, and what they are shown."""

    position: Position | None
    turn: int
    outputs: tuple[Output, ...] = ()
    counts: tuple[Count, ...] = ()
    # the press was for an earlier turn (a double tap or an old message): nothing moved
    stale: bool = False


class _Cursor:
    """The model a machine moves for one press; it lives only as long as the press."""

    def __init__(self, state: str) -> None:
        self.state = state


class Engine:
    """Plays dialogs. Holds one state machine per dialog and no per-child state."""

    def __init__(
        self,
        dialogs: Mapping[str, Dialog],
        lessons: Iterable[str] | None = None,
        *,
        require_approved: bool = False,
    ):
        self.dialogs = dict(dialogs)
        self.lessons = tuple(lessons) if lessons is not None else default_lesson_order(dialogs)
        # only lessons a youth group approved in the child's language and band are offered
        self.require_approved = require_approved
        self.machines = {d.id: _machine(d) for d in self.dialogs.values()}

    def open(
        self, dialog_id: str, turn: int, band: Band | None = None, language: str = "en"
    ) -> Outcome:
        """Start a dialog at its first step, as a new turn."""
        dialog = self.dialogs[dialog_id]
        counts = [Count("lesson_started", dialog_id)] if dialog.is_lesson else []
        start = Position(dialog_id, dialog.start)
        return self._arrive(start, turn + 1, (), counts, band, language)

    def show(
        self, position: Position, turn: int, band: Band | None = None, language: str = "en"
    ) -> Outcome:
        """The current step again, e.g. after help; nothing moves."""
        return Outcome(position, turn, (self._shown(position, turn, band, language),))

    def jump(
        self, position: Position, turn: int, band: Band | None = None, language: str = "en"
    ) -> Outcome:
        """A reviewer goes straight to a step, as a new turn: older buttons go stale, and
        nothing is counted."""
        return Outcome(position, turn + 1, (self._shown(position, turn + 1, band, language),))

    def press(
        self,
        position: Position | None,
        turn: int,
        press: Press,
        band: Band | None = None,
        language: str = "en",
    ) -> Outcome:
        """A press of a step's button. Presses meant for another turn never move the child."""
        stale = Outcome(position, turn, stale=True)
        if position is None or getattr(press, "turn", None) != turn:
            return stale
        if isinstance(press, Rate | WantTopic):
            return self._feedback_on_lesson(position, turn, press)
        if isinstance(press, OpenLesson):
            if press.dialog not in self.dialogs or not self.approved(press.dialog, band, language):
                return stale
            return self.open(press.dialog, turn, band, language)
        if not isinstance(press, Choose):
            return stale
        step = self.dialogs[position.dialog].steps[position.step]
        if not 0 <= press.index < len(step.choices):
            return stale
        choice = step.choices[press.index]
        counts = []
        if step.check:
            counts.append(
                Count(
                    "check_answer",
                    position.dialog,
                    step.check.question,
                    step.check.phase,
                    choice.correct,
                )
            )
        before = (Feedback(choice.feedback),) if choice.feedback else ()
        if choice.dialog:
            opened = self.open(choice.dialog, turn, band, language)
            return replace(
                opened, outputs=before + opened.outputs, counts=(*counts, *opened.counts)
            )
        cursor = _Cursor(position.step)
        try:
            self.machines[position.dialog].events[f"c{press.index}"].trigger(cursor)
        except (MachineError, KeyError):
            return stale
        moved = Position(position.dialog, cursor.state)
        return self._arrive(moved, turn + 1, before, counts, band, language)

    def _feedback_on_lesson(
        self, position: Position, turn: int, press: Rate | WantTopic
    ) -> Outcome:
        """A rating, then a topic wished for next: counted, never linked to the child."""
        dialog = self.dialogs[position.dialog]
        rating = isinstance(press, Rate)
        value = press.rating if isinstance(press, Rate) else press.topic
        allowed = RATINGS if rating else TOPICS
        if not (dialog.is_lesson and dialog.steps[position.step].end and value in allowed):
            return Outcome(position, turn, stale=True)
        count = Count("rating" if rating else "topic_wanted", dialog.id, outcome=value)
        if rating:
            asked = AskTopics(tuple((t, WantTopic(turn + 1, t)) for t in TOPICS))
            return Outcome(position, turn + 1, (asked,), (count,))
        return Outcome(position, turn + 1, (Thanks(),), (count,))

    def _arrive(
        self,
        position: Position,
        turn: int,
        before: tuple[Output, ...],
        counts: list[Count],
        band: Band | None,
        language: str,
    ) -> Outcome:
        dialog = self.dialogs[position.dialog]
        if dialog.steps[position.step].end and dialog.is_lesson:
            counts.append(Count("lesson_completed", dialog.id))
        shown = self._shown(position, turn, band, language)
        return Outcome(position, turn, (*before, shown), tuple(counts))

    def _shown(self, position: Position, turn: int, band: Band | None, language: str) -> StepShown:
        dialog = self.dialogs[position.dialog]
        step = dialog.steps[position.step]
        buttons = tuple(
            ChoiceButton(choice.label, Choose(turn, i)) for i, choice in enumerate(step.choices)
        )
        lessons: tuple[LessonLink, ...] = ()
        if "show_lessons" in step.actions:
            offered = self.for_band(band, language)
            lessons = tuple(self._link(lesson, turn) for lesson in offered)
        ending = None
        if step.end and dialog.is_lesson:
            nxt = dialog.next_lesson
            link = self._link(nxt, turn) if nxt and nxt in self.for_band(band, language) else None
            ratings = tuple((r, Rate(turn, r)) for r in RATINGS)
            ending = Ending(dialog.key_message, link, ratings)
        help_topic = (step.help or dialog.topic) if "show_help" in step.actions else None
        return StepShown(dialog.id, step, buttons, help_topic, lessons, ending)

    def for_band(self, band: Band | None, language: str = "en") -> tuple[str, ...]:
        """The lessons a child of this band and language sees, in order."""
        return tuple(
            lesson
            for lesson in self.lessons
            if self.dialogs[lesson].for_band(band) and self.approved(lesson, band, language)
        )

    def approved(self, dialog_id: str, band: Band | None, language: str = "en") -> bool:
        """With require_approved, whether a youth group approved the lesson in this language
        and band (a button of an old list cannot open one that is not); system dialogs and
        instances without the setting: always."""
        dialog = self.dialogs[dialog_id]
        return not (self.require_approved and dialog.is_lesson) or dialog.approved_in(
            language, band
        )

    def _link(self, dialog_id: str, turn: int) -> LessonLink:
        return LessonLink(dialog_id, self.dialogs[dialog_id].title, OpenLesson(turn, dialog_id))

    def is_valid(self, position: Position) -> bool:
        """False when a saved position no longer fits the dialogs (a step was renamed)."""
        dialog = self.dialogs.get(position.dialog)
        return dialog is not None and position.step in dialog.steps


def default_lesson_order(dialogs: Mapping[str, Dialog]) -> tuple[str, ...]:
    """Lessons in the order their `next_lesson` links suggest, the rest by id."""
    lessons = sorted(d.id for d in dialogs.values() if d.is_lesson)
    order: list[str] = []
    pending = list(lessons)
    while pending:
        current: str | None = pending[0]
        while current and current in pending:
            order.append(current)
            pending.remove(current)
            current = dialogs[current].next_lesson
    return tuple(order)


def _machine(dialog: Dialog) -> Machine:
    transitions = [
        {"trigger": f"c{i}", "source": step.id, "dest": choice.next}
        for step in dialog.steps.values()
        for i, choice in enumerate(step.choices)
        if choice.next
    ]
    return Machine(
        model=None,
        states=list(dialog.steps),
        transitions=transitions,
        initial=None,
        auto_transitions=False,
        send_event=False,
    )
