"""`safebot check`: every checker over every file, or over the paths given."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from bot.config import Settings
from bot.distress import check_keywords
from bot.helplines import check_helplines
from bot.loader import dialog_files, read_dialogs
from bot.problems import Problem
from bot.quality import check_quality


def check_everything(settings: Settings, today: date) -> list[Problem]:
    from bot.app import overlaid
    from bot.translations import check_translations

    problems = _dialogs(overlaid(settings.folders("dialogs"), "*.yaml"))
    problems += check_translations(settings.locales_dir, settings.languages)
    for content in settings.folders("content"):
        if (content / "helplines").is_dir():
            problems += check_helplines(content / "helplines", today)
        if (content / "keywords").is_dir():
            problems += check_keywords(content / "keywords")
    return problems


def check_paths(paths: Iterable[Path], today: date) -> list[Problem]:
    """Files or folders: helplines and keywords folders by name, dialogs otherwise."""
    problems: list[Problem] = []
    dialogs: list[Path] = []
    for path in paths:
        kind = path.name if path.is_dir() else path.parent.name
        if kind == "helplines":
            problems += check_helplines(path if path.is_dir() else path.parent, today)
        elif kind == "keywords":
            problems += check_keywords(path if path.is_dir() else path.parent)
        elif path.is_dir():
            dialogs += dialog_files(path)
        elif path.exists():
            dialogs.append(path)
        else:
            problems.append(Problem(str(path), 0, "there is no such file or folder."))
    return problems + _dialogs(dialogs, _neighbours(dialogs))


def _neighbours(paths: list[Path]) -> list[Path]:
    """The other dialogs of the same folders: a checked file may open them."""
    chosen = {p.resolve() for p in paths}
    folders = {p.resolve().parent for p in paths}
    return [p for f in folders for p in dialog_files(f) if p.resolve() not in chosen]


def _dialogs(paths: list[Path], context: list[Path] | None = None) -> list[Problem]:
    dialogs, problems = read_dialogs([*paths, *(context or [])])
    for dialog in dialogs.values():
        problems += check_quality(dialog)
    if context:
        shown = {str(p) for p in context} | {_relative(p) for p in context}
        problems = [p for p in problems if p.path not in shown]
    return problems


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def grades_table(settings: Settings, paths: Iterable[Path] = ()) -> list[str]:
    """Each lesson's reading grade per age band: what `safebot check` reports besides problems."""
    from bot.app import overlaid
    from bot.quality import MAX_GRADE, reading_grades

    chosen = [p for p in paths if p.suffix in (".yaml", ".yml") and p.is_file()]
    chosen += [f for p in paths if p.is_dir() for f in dialog_files(p)]
    files = chosen if paths else overlaid(settings.folders("dialogs"), "*.yaml")
    dialogs, _problems = read_dialogs(files)
    lines = []
    for dialog in sorted(dialogs.values(), key=lambda d: d.id):
        if not dialog.is_lesson:
            continue
        cells = [
            f"{g.band}: average {g.average:.1f}, highest {g.highest:.1f} (limit "
            f"{MAX_GRADE[g.band]:.0f})"
            for g in reading_grades(dialog)
        ]
        lines.append(f"  {dialog.id:<16}" + "; ".join(cells))
    return ["reading grade per age band:", *lines] if lines else []
