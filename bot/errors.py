"""Errors and problems, written for the person who edits the file or runs the command."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


class SafebotError(Exception):
    """The root of every error safebot raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, at one line, with a hint in plain words."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class ProblemsFound(SafebotError):
    """Raised when files have errors; carries every problem, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, candidates: list[str] | set[str]) -> str:
    """' Did you mean 'x'?' when a close match exists, else ''."""
    close = get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def shown_path(path: Path | str) -> str:
    """A path as the person editing it knows it: from the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
