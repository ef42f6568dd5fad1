"""Anonymous impact figures from the tallies: what children did and what they learned.

Every figure is a sum over children; a cell under 5 is shown as "<5" so that no figure
can point at one child.
"""

from __future__ import annotations

import csv
import html
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SMALL = 5


def shown(value: int) -> str:
    return "<5" if 0 < value < SMALL else str(value)


@dataclass
class LessonFigures:
    """One lesson's figures over the period."""

    dialog: str
    started: int = 0
    completed: int = 0
    before: list[int] = field(default_factory=lambda: [0, 0])  # correct, answered
    after: list[int] = field(default_factory=lambda: [0, 0])
    ratings: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @staticmethod
    def share(pair: list[int]) -> float | None:
        return pair[0] / pair[1] if pair[1] >= SMALL else None

    @property
    def gain(self) -> float | None:
        before, after = self.share(self.before), self.share(self.after)
        return None if before is None or after is None else after - before


@dataclass
class Figures:
    lessons: dict[str, LessonFigures] = field(default_factory=dict)
    help_by_trigger: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    completions_by_day: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    topics: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def lesson(self, dialog: str) -> LessonFigures:
        return self.lessons.setdefault(dialog, LessonFigures(dialog))


def figures(rows: Iterable[dict[str, Any]], since: str | None = None) -> Figures:
    """Sum the tallies (optionally from a day on) into figures per lesson."""
    result = Figures()
    for row in rows:
        if since and row["day"] < since:
            continue
        name, value = row["name"], int(row["value"])
        if name == "lesson_started":
            result.lesson(row["dialog"]).started += value
        elif name == "lesson_completed":
            result.lesson(row["dialog"]).completed += value
            result.completions_by_day[row["day"]] += value
        elif name == "check_answer":
            pair = (
                result.lesson(row["dialog"]).before
                if row["phase"] == "before"
                else (result.lesson(row["dialog"]).after)
            )
            pair[1] += value
            pair[0] += value if row["outcome"] == "correct" else 0
        elif name == "help_shown":
            result.help_by_trigger[row["phase"] or "other"] += value
        elif name == "rating":
            result.lesson(row["dialog"]).ratings[row["outcome"]] += value
        elif name == "topic_wanted":
            result.topics[row["outcome"]] += value
    return result


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _gain(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:+.0f} points"


def text_report(f: Figures) -> str:
    lines = [f"{'lesson':<16}{'started':>9}{'completed':>11}{'before':>9}{'after':>8}  gain"]
    for lesson in sorted(f.lessons.values(), key=lambda x: x.dialog):
        lines.append(
            f"{lesson.dialog:<16}{shown(lesson.started):>9}{shown(lesson.completed):>11}"
            f"{_percent(lesson.share(lesson.before)):>9}{_percent(lesson.share(lesson.after)):>8}"
            f"  {_gain(lesson.gain)}"
        )
    lines.append("")
    lines.append("help shown: " + (", ".join(
        f"{trigger} {shown(n)}" for trigger, n in sorted(f.help_by_trigger.items())
    ) or "none"))  # fmt: skip
    if f.topics:
        lines.append("topics wanted next: " + ", ".join(
            f"{topic} {shown(n)}" for topic, n in sorted(f.topics.items())
        ))  # fmt: skip
    return "\n".join(lines)


def write_csv(rows: Iterable[dict[str, Any]], path: Path) -> None:
    """The tallies themselves, with small cells masked."""
    columns = ["day", "name", "dialog", "language", "country", "question", "phase", "outcome",
               "value"]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([*(row[c] for c in columns[:-1]), shown(int(row["value"]))])


def _bars(items: list[tuple[str, float, str]], unit_max: float, colour: str) -> str:
    """A horizontal bar chart as inline SVG: (label, value, value as text)."""
    height = 28 * len(items) + 10
    parts = [f'<svg role="img" viewBox="0 0 640 {height}" width="100%">']
    for i, (label, value, text) in enumerate(items):
        y = 10 + i * 28
        width = 0 if unit_max <= 0 else max(0.0, value) / unit_max * 380
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="14">{html.escape(label)}</text>'
            f'<rect x="170" y="{y}" width="{width:.0f}" height="20" fill="{colour}" rx="3"/>'
            f'<text x="{175 + width:.0f}" y="{y + 15}" font-size="14">{html.escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def html_report(f: Figures, organisation: str = "") -> str:
    """A page a board member can read: learning gain per lesson, completions over time."""
    lessons = sorted(f.lessons.values(), key=lambda x: x.dialog)
    gains = [(x.dialog, (x.gain or 0) * 100, _gain(x.gain)) for x in lessons]
    top_gain = max([abs(g[1]) for g in gains] + [1.0])
    days = sorted(f.completions_by_day.items())
    top_day = max([n for _d, n in days] + [1])
    rows = "".join(
        f"<tr><td>{html.escape(x.dialog)}</td><td>{shown(x.started)}</td>"
        f"<td>{shown(x.completed)}</td><td>{_percent(x.share(x.before))}</td>"
        f"<td>{_percent(x.share(x.after))}</td><td>{_gain(x.gain)}</td></tr>"
        for x in lessons
    )
    helps = "".join(
        f"<li>{html.escape(t)}: {shown(n)}</li>" for t, n in sorted(f.help_by_trigger.items())
    )
    title = "What children learned" + (f" with {html.escape(organisation)}" if organisation else "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;
color:#1d2433}}table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #dde;
padding:.4rem;text-align:left}}h2{{margin-top:2rem}}.note{{color:#556}}</style></head>
<body><h1>{title}</h1>
<p class="note">Anonymous figures: sums over children, never one child. Numbers under 5
are shown as "&lt;5". "Before" and "after" are the shares of right answers to the same
questions asked before and after each story.</p>
<h2>Learning gain per lesson</h2>
{_bars([(g[0], g[1], g[2]) for g in gains], top_gain, "#2f8f6b")}
<h2>Lessons completed per day</h2>
{_bars([(d, n, shown(n)) for d, n in days], top_day, "#3d6fb6")}
<h2>Lessons</h2>
<table><tr><th>lesson</th><th>started</th><th>completed</th><th>before</th><th>after</th>
<th>gain</th></tr>{rows}</table>
<h2>Help shown</h2><ul>{helps or "<li>none yet</li>"}</ul>
</body></html>
"""
