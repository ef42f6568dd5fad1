"""The review file of a lesson: what youth review groups said about its steps.

One plain YAML file per lesson, `reviews/<lesson>.yaml` in the instance folder (the
overlay, else the folder of safebot.toml, else the current folder), never the children's
database. A note is kept per step, language, age band and review session; a session is a
group's name, and nothing in the file is about a person: no client id, no names, no time
of day. Each note keeps the English words of the step as they were when it was made.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.content.model import OLDER, YOUNGER, Band, Dialog, Step
from bot.errors import SafebotError, shown_path
from bot.settings import Settings

Mark = Literal["clear", "confusing", "not right"]
MARKS: tuple[Mark, ...] = ("clear", "confusing", "not right")
MAX_NOTE = 500  # characters: a short note, a few sentences
MAX_SESSION = 80  # characters: "Youth panel Nairobi, 3 Dec"

HEADER = """\
# Notes from youth review groups on the lesson '{lesson}', left in `safebot demo --review`.
# One entry per step, language, age band and review session (a group's name). `words` is
# the step in English as it was when the note was made. Read them with
# `safebot review notes {lesson}`.
"""


@dataclass(frozen=True)
class Note:
    """A review group's mark on one step, with what they wrote and what they read."""

    step: str
    session: str
    language: str
    band: str
    mark: Mark
    note: str
    day: str  # YYYY-MM-DD: which review meeting, not when a person typed
    words: str

    def same_place(self, other: Note) -> bool:
        """The same step, language, band and session: a new mark there replaces the old."""
        return (self.step, self.session, self.language, self.band) == (
            other.step,
            other.session,
            other.language,
            other.band,
        )


def review_folder(settings: Settings) -> Path:
    """Where the review files live: the instance folder, never the data folder."""
    if settings.overlay is not None:
        return settings.overlay / "reviews"
    if settings.config_path is not None:
        return settings.config_path.parent / "reviews"
    return Path("reviews")


def step_words(step: Step, band: str) -> str:
    """A step in English as a reader of this band sees it: its text, question and buttons."""
    reader: Band = OLDER if band == OLDER else YOUNGER
    lines = [step.text.in_band(reader)]
    if step.question is not None:
        lines.append(step.question.in_band(reader))
    lines.extend(f"[{choice.label.in_band(reader)}]" for choice in step.choices)
    return "\n".join(lines)


class ReviewFile:
    """The notes on one lesson, read from and written to its review file."""

    def __init__(self, folder: Path, lesson: str) -> None:
        self.lesson = lesson
        self.path = folder / f"{lesson}.yaml"

    def notes(self) -> list[Note]:
        """The notes in the file, in the order they were first made; none if no file."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            raise SafebotError(
                f"{shown_path(self.path)}: this review file is not valid YAML ({error}). "
                "Undo the last hand edit, or move the file away to start a new one."
            ) from None
        entries = data.get("notes") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise SafebotError(
                f"{shown_path(self.path)}: a review file holds 'notes:', a list of notes."
            )
        return [_note(entry, self.path, n) for n, entry in enumerate(entries, 1)]

    def keep(self, note: Note) -> list[Note]:
        """Add the note, or replace the one at the same place; the file is written whole
        and atomically, so a crash leaves the old file or the new one, never half."""
        notes = self.notes()
        for i, old in enumerate(notes):
            if old.same_place(note):
                notes[i] = note
                break
        else:
            notes.append(note)
        self._write(notes)
        return notes

    def _write(self, notes: list[Note]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = yaml.dump(
            {"lesson": self.lesson, "notes": [asdict(n) for n in notes]},
            Dumper=_Dumper,
            allow_unicode=True,
            sort_keys=False,
            width=88,
        )
        text = HEADER.format(lesson=self.lesson) + body
        handle, temporary = tempfile.mkstemp(
            prefix=f".{self.lesson}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _sync_folder(self.path.parent)


def note_for(
    dialog: Dialog, step_id: str, *, session: str, language: str, band: str, mark: Mark,
    note: str, day: str,
) -> Note:  # fmt: skip
    """A note on a step of a lesson as it is now, with its English words."""
    words = step_words(dialog.steps[step_id], band)
    return Note(step_id, session, language, band, mark, note, day, words)


def _note(entry: Any, path: Path, number: int) -> Note:
    names = [f.name for f in fields(Note)]
    if not isinstance(entry, dict) or any(not isinstance(entry.get(n), str) for n in names):
        raise SafebotError(
            f"{shown_path(path)}: note {number} needs each of {', '.join(names)} as text."
        )
    if entry["mark"] not in MARKS:
        raise SafebotError(
            f"{shown_path(path)}: note {number} has the mark '{entry['mark']}'; a mark is "
            "clear, confusing or not right."
        )
    return Note(**{n: entry[n] for n in names})


class _Dumper(yaml.SafeDumper):
    """Words of several lines written as a block, the way a person would type them."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _sync_folder(folder: Path) -> None:
    """The rename itself reaches the disk (where the system lets a folder be synced)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
