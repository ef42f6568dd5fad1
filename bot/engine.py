"""The lesson engine: (position, press) -> (new position, outputs), as plain data.

Each dialog becomes one `transitions` state machine, built once at load: its states
are the dialog's steps and its triggers are the choices. A child's position is
restored into a throwaway cursor for each press, so one machine serves every child.
This module knows nothing of Telegram, SQLite or HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from transitions import Machine, MachineError

from bot.model import Dialog, Step, Text, Topic


@dataclass(frozen=True)
class Position:
    """Where a child is: the dialog, the step, and the turn (bumped by every move)."""

    dialog: str
    step: str
    turn: int


@dataclass(frozen=True)
class ChoiceButton:
    label: Text
    data: str


@dataclass(frozen=True)
class LessonLink:
    dialog: str
    title: Text
    data: str


@dataclass(frozen=True)
class Feedback:
    """The reply to a choice, shown before the next step."""

    text: Text


@dataclass(frozen=True)
class Ending:
    """What closes a lesson: its key message, a rating, and the lesson to try next."""

    key_message: Text | None
    next_lesson: LessonLink | None
    ratings: tuple[tuple[str, str], ...] = ()  # (rating, button data)


@dataclass(frozen=True)
class AskTopics:
    """After a rating: which topic would the child like next? (buttons: topic, data)"""

    topics: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Thanks:
    """The child told us what they think; nothing else happens."""


@dataclass(frozen=True)
class StepShown:
    """A step as the child sees it: words, choices, and what its actions add."""

    dialog: str
    step: Step
    buttons: tuple[ChoiceButton, ...]
    help_topic: Topic | None = None
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
    position: Position | None
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

    def __init__(self, dialogs: Mapping[str, Dialog], lessons: Iterable[str] | None = None):
        self.dialogs = dict(dialogs)
        self.lessons = tuple(lessons) if lessons is not None else default_lesson_order(dialogs)
        self.machines = {d.id: _machine(d) for d in self.dialogs.values()}

    def open(self, dialog_id: str, position: Position | None) -> Outcome:
        """Start a dialog at its first step."""
        dialog = self.dialogs[dialog_id]
        turn = position.turn + 1 if position else 1
        counts = [Count("lesson_started", dialog_id)] if dialog.is_lesson else []
        return self._arrive(Position(dialog_id, dialog.start, turn), (), counts)

    def show(self, position: Position) -> Outcome:
        """The current step again, e.g. after help; nothing moves."""
        return Outcome(position, (self._shown(position),))

    def press(self, position: Position | None, data: str) -> Outcome:
        """A button press. Presses meant for another turn never move the child."""
        parsed = _parse(data)
        if parsed is None or position is None or parsed[1] != position.turn:
            return Outcome(position, stale=True)
        kind, _turn, arg = parsed
        if kind in "rt":
            return self._feedback_on_lesson(position, kind, arg)
        if kind == "o":
            if arg not in self.dialogs:
                return Outcome(position, stale=True)
            return self.open(arg, position)
        step = self.dialogs[position.dialog].steps[position.step]
        index = int(arg) if arg.isdigit() else -1
        if not 0 <= index < len(step.choices):
            return Outcome(position, stale=True)
        choice = step.choices[index]
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
            opened = self.open(choice.dialog, position)
            return Outcome(opened.position, before + opened.outputs, (*counts, *opened.counts))
        cursor = _Cursor(position.step)
        try:
            self.machines[position.dialog].events[f"c{index}"].trigger(cursor)
        except (MachineError, KeyError):
            return Outcome(position, stale=True)
        moved = Position(position.dialog, cursor.state, position.turn + 1)
        return self._arrive(moved, before, counts)

    def _feedback_on_lesson(self, position: Position, kind: str, arg: str) -> Outcome:
        """A rating, then a topic wished for next: counted, never linked to the child."""
        dialog = self.dialogs[position.dialog]
        allowed = RATINGS if kind == "r" else TOPICS
        if not (dialog.is_lesson and dialog.steps[position.step].end and arg in allowed):
            return Outcome(position, stale=True)
        moved = Position(position.dialog, position.step, position.turn + 1)
        name = "rating" if kind == "r" else "topic_wanted"
        count = Count(name, dialog.id, outcome=arg)
        if kind == "r":
            asked = AskTopics(tuple((t, f"t{moved.turn}.{t}") for t in TOPICS))
            return Outcome(moved, (asked,), (count,))
        return Outcome(moved, (Thanks(),), (count,))

    def _arrive(
        self, position: Position, before: tuple[Output, ...], counts: list[Count]
    ) -> Outcome:
        dialog = self.dialogs[position.dialog]
        if dialog.steps[position.step].end and dialog.is_lesson:
            counts.append(Count("lesson_completed", dialog.id))
        return Outcome(position, (*before, self._shown(position)), tuple(counts))

    def _shown(self, position: Position) -> StepShown:
        dialog = self.dialogs[position.dialog]
        step = dialog.steps[position.step]
        turn = position.turn
        buttons = tuple(
            ChoiceButton(choice.label, f"c{turn}.{i}") for i, choice in enumerate(step.choices)
        )
        lessons: tuple[LessonLink, ...] = ()
        if "show_lessons" in step.actions:
            lessons = tuple(self._link(lesson, turn) for lesson in self.lessons)
        ending = None
        if step.end and dialog.is_lesson:
            nxt = dialog.next_lesson
            link = self._link(nxt, turn) if nxt and nxt in self.lessons else None
            ratings = tuple((r, f"r{turn}.{r}") for r in RATINGS)
            ending = Ending(dialog.key_message, link, ratings)
        help_topic = dialog.topic if "show_help" in step.actions else None
        return StepShown(dialog.id, step, buttons, help_topic, lessons, ending)

    def _link(self, dialog_id: str, turn: int) -> LessonLink:
        return LessonLink(dialog_id, self.dialogs[dialog_id].title, f"o{turn}.{dialog_id}")

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


def _parse(data: str) -> tuple[str, int, str] | None:
    """'c12.0' -> ('c', 12, '0'); anything else -> None."""
    if len(data) < 4 or data[0] not in "cort" or "." not in data:
        return None
    turn, _, arg = data[1:].partition(".")
    if not turn.isdigit() or not arg:
        return None
    return data[0], int(turn), arg
