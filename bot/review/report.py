"""The review notes of a lesson as authors read them: Markdown or CSV.

Notes are grouped by step in the lesson's order, then the steps the lesson no longer has
("step removed"); each shows the session, language, band, mark, note and the step's
English words when the note was made.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from bot.content.model import Dialog
from bot.review.notes import Note, step_words

CSV_COLUMNS = (
    "lesson", "step", "step_removed", "session", "language", "band", "mark", "note", "day",
    "words_then", "words_changed",
)  # fmt: skip


@dataclass(frozen=True)
class StepNotes:
    """The notes on one step, and whether the lesson still has that step."""

    step: str
    removed: bool
    notes: tuple[Note, ...]


def by_step(dialog: Dialog | None, notes: Sequence[Note]) -> list[StepNotes]:
    """Steps with notes in the lesson's order, then removed steps in the order noted."""
    steps = list(dialog.steps) if dialog is not None else []
    noted = [s for s in steps if any(n.step == s for n in notes)]
    gone: list[str] = []
    for note in notes:
        if note.step not in steps and note.step not in gone:
            gone.append(note.step)
    return [
        StepNotes(step, step in gone, tuple(n for n in notes if n.step == step))
        for step in noted + gone
    ]


def words_changed(dialog: Dialog | None, note: Note) -> bool:
    """Whether the step reads differently now than when the note was made."""
    if dialog is None or note.step not in dialog.steps:
        return False
    return step_words(dialog.steps[note.step], note.band) != note.words


def markdown(lesson: str, dialog: Dialog | None, notes: Sequence[Note]) -> str:
    """The notes as a Markdown page for the lesson's authors."""
    title = f"{dialog.title.source} ({lesson})" if dialog is not None else lesson
    sessions = sorted({n.session for n in notes})
    lines = [f"# Review notes: {title}", ""]
    if dialog is None:
        lines += [f"The lesson '{lesson}' is not among the dialogs any more.", ""]
    if not notes:
        return "\n".join([*lines, "No notes yet.", ""])
    many = "s" * (len(notes) != 1)
    lines += [
        f"{len(notes)} note{many} from {len(sessions)} review session"
        f"{'s' * (len(sessions) != 1)}: {'; '.join(sessions)}.",
        "",
    ]
    for group in by_step(dialog, notes):
        removed = " (step removed)" if group.removed else ""
        lines += [f"## Step `{group.step}`{removed}", ""]
        for note in group.notes:
            lines += _note_lines(note, changed=words_changed(dialog, note))
    return "\n".join(lines)


def _note_lines(note: Note, *, changed: bool) -> list[str]:
    said = note.note.strip() or "(no note written)"
    lines = [
        f"- **{note.mark}**: {_one_line(said)}",
        f"  - session: {note.session}; language: {note.language}; band: {note.band}; "
        f"day: {note.day}",
        "  - the step's words then" + (" (they have changed since):" if changed else ":"),
        "",
    ]
    quoted = [f"    > {line}" for line in note.words.splitlines() if line.strip()]
    # a quoted line of its own for each line of the step, as the chat shows them
    return [*lines, *"\n    >\n".join(quoted).split("\n"), ""]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def csv_text(lesson: str, dialog: Dialog | None, notes: Sequence[Note]) -> str:
    """The notes as CSV, one row a note, in the same order as the Markdown."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for group in by_step(dialog, notes):
        for n in group.notes:
            writer.writerow(
                [lesson, n.step, "yes" if group.removed else "no", n.session, n.language,
                 n.band, n.mark, n.note, n.day, n.words,
                 "yes" if words_changed(dialog, n) else "no"]
            )  # fmt: skip
    return out.getvalue()
