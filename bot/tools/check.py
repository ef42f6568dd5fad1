"""`safebot check`: everything an instance reads, read as start-up reads it, or only the
files or folders given (an author checking one lesson)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.content.catalogs import po_files
from bot.content.dialogs import dialog_files, read_dialogs
from bot.content.helpline_files import read_directory
from bot.content.keywords import read_keywords
from bot.content.load import FLAGGED, chosen, read_content
from bot.content.model import Dialog
from bot.content.quality import MAX_GRADE, check_quality, read_flagged, reading_grades
from bot.content.signoff import unknown_languages
from bot.errors import Problem, shown_path
from bot.settings import Settings


@dataclass
class Checked:
    """What was checked, and what was found: a check that read nothing cannot pass."""

    problems: list[Problem]
    dialogs: Mapping[str, Dialog]
    locales: tuple[str, ...] = ()  # the languages children can choose, when an instance
    countries: int = 0
    languages: int = 0
    keywords: int = 0

    def summary(self) -> str:
        lessons = sum(1 for d in self.dialogs.values() if d.is_lesson)
        parts = [_count(lessons, "lesson")]
        if self.countries:
            parts.append(_count(self.countries, "country", "countries"))
        if self.languages:
            parts.append(_count(self.languages, "language"))
        if self.keywords:
            parts.append(_count(self.keywords, "phrase list"))
        return ", ".join(parts)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def check_everything(settings: Settings, today: date) -> Checked:
    """Exactly what start-up reads and refuses."""
    content, problems = read_content(settings, today)
    return Checked(
        problems,
        content.dialogs,
        locales=tuple(content.catalogs.locales),
        countries=len(content.directory.countries()),
        languages=len(content.catalogs.locales),
        keywords=len(content.keywords),
    )


def check_paths(paths: Iterable[Path], today: date, settings: Settings | None = None) -> Checked:
    """Files or folders: helplines and keywords folders by name, dialogs otherwise."""
    problems: list[Problem] = []
    dialogs: list[Path] = []
    countries = keywords = 0
    for path in paths:
        kind = path.name if path.is_dir() else path.parent.name
        files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        if kind == "helplines":
            directory, found = read_directory(files, today)
            problems += found
            countries += len(directory.countries())
        elif kind == "keywords":
            phrases, found = read_keywords(files)
            problems += found
            keywords += len(phrases)
        elif path.is_dir():
            dialogs += dialog_files(path)
        elif path.exists():
            dialogs.append(path)
        else:
            problems.append(Problem(str(path), 0, "there is no such file or folder."))
    read, found = _dialogs(dialogs, _neighbours(dialogs), settings or Settings(), today)
    return Checked(problems + found, read, countries=countries, keywords=keywords)


def _neighbours(paths: list[Path]) -> list[Path]:
    """The other dialogs of the same folders: a checked file may open them."""
    chosen = {p.resolve() for p in paths}
    folders = {p.resolve().parent for p in paths}
    return [p for f in folders for p in dialog_files(f) if p.resolve() not in chosen]


def _dialogs(
    paths: list[Path], context: list[Path], settings: Settings, today: date
) -> tuple[dict[str, Dialog], list[Problem]]:
    files = chosen(settings.folders("content"), str(FLAGGED))
    flagged = read_flagged(files[-1])[0] if files else ()
    dialogs, problems = read_dialogs([*paths, *context], today)
    for dialog in dialogs.values():
        problems += check_quality(dialog, flagged)
    others = {shown_path(p) for p in context}
    mine = {d.id: d for d in dialogs.values() if d.path not in others}
    problems += unknown_languages(mine.values(), {"en", *po_files(settings.folders("locales"))})
    return mine, [p for p in problems if p.path not in others]


def grades_table(dialogs: Mapping[str, Dialog]) -> list[str]:
    """Each lesson's reading grade per age band: what `safebot check` reports besides problems."""
    lines = []
    for dialog in sorted(dialogs.values(), key=lambda d: d.id):
        if not dialog.is_lesson:
            continue
        cells = [
            f"{g.band}: average {g.average:.1f}, highest {g.highest:.1f} (limit "
            f"{MAX_GRADE[g.band]:.0f})"
            for g in reading_grades(dialog)
        ]
        lines.append(f"  {dialog.id:<18} " + "; ".join(cells))
    return ["reading grade per age band:", *lines] if lines else []
