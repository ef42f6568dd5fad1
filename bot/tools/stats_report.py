"""The anonymous report as text, CSV and an HTML page, drawn only from what may be shown
(`stats.Report`): no exact count reaches this module."""

from __future__ import annotations

import csv
import html
from pathlib import Path

from bot.tools.gain import Gain
from bot.tools.small_numbers import Shown
from bot.tools.stats import LessonRow, Report

TOO_FEW = "too few answers to tell"


def percent(value: int | None) -> str:
    return "too few" if value is None else f"{value}%"


def gain_text(g: Gain | None) -> str:
    """The gain in points with its 95% interval, or why it can't be told."""
    if g is None or not g.tells:
        return TOO_FEW
    return f"{g.change * 100:+.0f} points (95% interval {g.low * 100:+.0f} to {g.high * 100:+.0f})"


def gain_cell(x: LessonRow) -> str:
    return "no answers yet" if x.answers_before.value == x.answers_after.value == 0 else (
        gain_text(x.gain))  # fmt: skip


def _listing(rows: list[tuple[str, Shown]]) -> str:
    return ", ".join(f"{name} {n.text}" for name, n in rows if n.value != 0) or "none"


def text_report(r: Report) -> str:
    width = max([len(x.title) for x in r.lessons] + [6]) + 2
    lines = [r.title, f"Period: {r.period}", ""]
    lines.append(f"{'lesson':<{width}}{'started':>9}{'completed':>11}{'right before':>18}"
                 f"{'right after':>18}  gain")  # fmt: skip
    for x in r.lessons:
        lines.append(
            f"{x.title:<{width}}{x.started.text:>9}{x.completed.text:>11}"
            f"{_answers(x.right_before, x.answers_before):>18}"
            f"{_answers(x.right_after, x.answers_after):>18}  {gain_cell(x)}"
        )
    lines += [
        "",
        "completed, by language: " + _listing(r.by_language),
        "completed, by country: " + _listing(r.by_country),
        "help shown: " + _listing(r.help_by_trigger),
    ]
    if any(n.value != 0 for _name, n in r.topics):
        lines.append("topics wanted next: " + _listing(r.topics))
    lines += ["", 'Sums over children, never one child: numbers are rounded to 5 and under 5 '
              'shown as "<5".']  # fmt: skip
    return "\n".join(lines)


def _answers(share: int | None, answers: Shown) -> str:
    return f"{percent(share)} of {answers.text}" if answers.value != 0 else "-"


def write_csv(r: Report, path: Path) -> None:
    """The report's own tables in one file: every lesson offered, merged breakdowns."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["table", "name", "measure", "value"])
        out.writerow(["report", r.title, "period", r.period])
        for x in r.lessons:
            for measure, value in _lesson_measures(x):
                out.writerow(["lesson", x.title, measure, value])
        for table, rows in (("language", r.by_language), ("country", r.by_country),
                            ("week", r.by_week), ("help shown", r.help_by_trigger),
                            ("topic wanted", r.topics)):  # fmt: skip
            for name, n in rows:
                out.writerow([table, name, "completed" if table in {"language", "country",
                              "week"} else "times", n.text])  # fmt: skip


def _lesson_measures(x: LessonRow) -> list[tuple[str, str]]:
    g = x.gain if x.gain is not None and x.gain.tells else None
    return [
        ("started", x.started.text),
        ("completed", x.completed.text),
        ("answers before", x.answers_before.text),
        ("right before (%)", percent(x.right_before)),
        ("answers after", x.answers_after.text),
        ("right after (%)", percent(x.right_after)),
        ("gain (points)", TOO_FEW if g is None else f"{g.change * 100:+.0f}"),
        ("gain 95% interval", "" if g is None else f"{g.low * 100:+.0f} to {g.high * 100:+.0f}"),
    ]


def _bars(items: list[tuple[str, int, str]], colour: str) -> str:
    """A horizontal bar chart as inline SVG from shown values only: (label, value, text).
    Negative values are drawn to the left of the axis."""
    top = max([abs(v) for _label, v, _text in items] + [1])
    negative = any(v < 0 for _label, v, _text in items)
    axis, scale = (370, 180) if negative else (200, 360)
    height = 28 * len(items) + 10
    parts = [f'<svg role="img" viewBox="0 0 680 {height}" width="100%">']
    for i, (label, value, text) in enumerate(items):
        y = 10 + i * 28
        width = abs(value) / top * scale
        x = axis - width if value < 0 else axis
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="14">{html.escape(label[:28])}</text>'
            f'<rect x="{x:.0f}" y="{y}" width="{width:.0f}" height="20" fill="{colour}" rx="3"/>'
            f'<text x="{axis + 5 + (width if value >= 0 else 0):.0f}" y="{y + 15}" '
            f'font-size="14">{html.escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def html_report(r: Report) -> str:
    """A page a board member can read: gain per lesson, completions per week."""
    told = [(x.title, round(x.gain.change * 100), gain_text(x.gain))
            for x in r.lessons if x.gain is not None and x.gain.tells]  # fmt: skip
    rows = "".join(
        f"<tr><td>{html.escape(x.title)}</td><td>{x.started.text}</td><td>{x.completed.text}</td>"
        f"<td>{_answers(x.right_before, x.answers_before)}</td>"
        f"<td>{_answers(x.right_after, x.answers_after)}</td>"
        f"<td>{html.escape(gain_cell(x))}</td></tr>"
        for x in r.lessons
    )

    def items(rows: list[tuple[str, Shown]]) -> str:
        shown = [f"<li>{html.escape(name)}: {n.text}</li>" for name, n in rows if n.value != 0]
        return "".join(shown)

    title = html.escape(r.title)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:820px;margin:2rem auto;padding:0 1rem;
color:#1d2433}}table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #dde;
padding:.4rem;text-align:left}}h2{{margin-top:2rem}}.note{{color:#556}}</style></head>
<body><h1>{title}</h1>
<p>Period: {html.escape(r.period)}</p>
<p class="note">Anonymous figures: sums over children, never one child. Numbers are rounded
to 5, and numbers under 5 are shown as "&lt;5" and drawn as nothing. "Right before" and
"right after" are the shares of right answers to the questions asked before and after each
story; a gain is shown only when its 95% interval does not include zero.</p>
<h2>Learning gain per lesson</h2>
{_bars(told, "#2f8f6b") if told else "<p>" + TOO_FEW + " yet.</p>"}
<h2>Lessons completed per week</h2>
{_bars([(w, n.drawn, n.text) for w, n in r.by_week], "#3d6fb6") if r.by_week else "<p>none yet</p>"}
<h2>Lessons</h2>
<table><tr><th>lesson</th><th>started</th><th>completed</th><th>right before</th>
<th>right after</th><th>gain</th></tr>{rows}</table>
<h2>Completed, by language</h2><ul>{items(r.by_language) or "<li>none yet</li>"}</ul>
<h2>Completed, by country</h2><ul>{items(r.by_country) or "<li>none yet</li>"}</ul>
<h2>Help shown</h2><ul>{items(r.help_by_trigger) or "<li>none yet</li>"}</ul>
</body></html>
"""
