"""Anonymous impact figures from the tallies: what children did and what they learned.

The tallies are sums by day, lesson, language and country, never by child. `figures`
adds them up exactly; `report` turns them into what may be shown, with the small-number
rules of `small_numbers` applied before anything is printed, drawn or written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.tools import small_numbers
from bot.tools.gain import Gain, gain
from bot.tools.small_numbers import Shown


@dataclass
class LessonFigures:
    """One lesson's exact sums over the period (never shown as they are)."""

    started: int = 0
    completed: int = 0
    before: list[int] = field(default_factory=lambda: [0, 0])  # right, answered
    after: list[int] = field(default_factory=lambda: [0, 0])


@dataclass
class Figures:
    lessons: dict[str, LessonFigures] = field(default_factory=lambda: defaultdict(LessonFigures))
    by_language: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_country: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_week: dict[date, int] = field(default_factory=lambda: defaultdict(int))
    help_by_trigger: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    topics: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first: date | None = None
    last: date | None = None


LESSON_TALLIES = ("lesson_started", "lesson_completed", "check_answer")


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def figures(rows: Iterable[Mapping[str, Any]], since: date | None = None) -> Figures:
    """Sum the tallies, from a day on if given."""
    result = Figures()
    for row in rows:
        day = date.fromisoformat(row["day"])
        if since and day < since:
            continue
        result.first = min(result.first or day, day)
        result.last = max(result.last or day, day)
        name, value = row["name"], int(row["value"])
        lesson = result.lessons[row["dialog"]] if name in LESSON_TALLIES else LessonFigures()
        if name == "lesson_started":
            lesson.started += value
        elif name == "lesson_completed":
            lesson.completed += value
            result.by_language[row["language"] or "not known"] += value
            result.by_country[row["country"] or "not known"] += value
            result.by_week[week_of(day)] += value
        elif name == "check_answer":
            pair = lesson.before if row["phase"] == "before" else lesson.after
            pair[1] += value
            pair[0] += value if row["outcome"] == "correct" else 0
        elif name == "help_shown":
            result.help_by_trigger[row["phase"] or "other"] += value
        elif name == "topic_wanted":
            result.topics[row["outcome"]] += value
    return result


# -- what may be shown ------------------------------------------------------------------


@dataclass(frozen=True)
class LessonRow:
    lesson: str  # the id, for the CSV
    title: str
    started: Shown
    completed: Shown
    answers_before: Shown
    answers_after: Shown
    right_before: int | None  # percent, rounded to 5, or None when too few
    right_after: int | None
    gain: Gain | None  # only when it can be shown: both shares shown


@dataclass(frozen=True)
class Report:
    title: str
    period: str
    lessons: list[LessonRow]
    by_language: list[tuple[str, Shown]]
    by_country: list[tuple[str, Shown]]
    by_week: list[tuple[str, Shown]]
    help_by_trigger: list[tuple[str, Shown]]
    topics: list[tuple[str, Shown]]


def _lesson_row(lesson: str, title: str, f: LessonFigures) -> LessonRow:
    before = small_numbers.share(f.before[0], f.before[1])
    after = small_numbers.share(f.after[0], f.after[1])
    shown_gain = (
        gain((f.before[0], f.before[1]), (f.after[0], f.after[1]))
        if before is not None and after is not None
        else None
    )
    return LessonRow(
        lesson,
        title,
        small_numbers.count(f.started),
        small_numbers.count(f.completed),
        small_numbers.count(f.before[1]),
        small_numbers.count(f.after[1]),
        before,
        after,
        shown_gain,
    )


def _weeks(f: Figures) -> list[tuple[str, Shown]]:
    """Every week of the period, those with nothing included, so no row's presence tells."""
    if f.first is None or f.last is None:
        return []
    weeks, week = [], week_of(f.first)
    while week <= f.last:
        weeks.append((f"week of {week.isoformat()}", small_numbers.count(f.by_week.get(week, 0))))
        week += timedelta(days=7)
    return weeks


def report(
    f: Figures,
    lessons: Sequence[tuple[str, str]],
    organisation: str = "",
    since: date | None = None,
) -> Report:
    """What may be shown of the figures: every lesson offered (id, title), used or not."""
    known = dict(lessons)
    rows = [_lesson_row(lesson, title, f.lessons.get(lesson, LessonFigures()))
            for lesson, title in lessons]  # fmt: skip
    rows += [_lesson_row(lesson, lesson, f.lessons[lesson])
             for lesson in sorted(f.lessons) if lesson not in known]  # fmt: skip
    start = since or f.first
    period = (
        "no lessons yet"
        if start is None
        else f"{start.isoformat()} to {(f.last or start).isoformat()}"
    )
    title = "What children did and learned" + (f" with {organisation}" if organisation else "")
    return Report(
        title=title,
        period=period,
        lessons=rows,
        by_language=small_numbers.breakdown(f.by_language),
        by_country=small_numbers.breakdown(f.by_country),
        by_week=_weeks(f),
        help_by_trigger=small_numbers.breakdown(f.help_by_trigger),
        topics=small_numbers.breakdown(f.topics),
    )
