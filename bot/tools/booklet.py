"""The review booklet: one self-contained HTML page for a youth review group, showing a
lesson as the child reads it in each age band, its flow, its learning checks, key message,
sources and reading grades, with translations beside the English. No scripts: it reads
offline, on a phone and on paper (A4)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from babel import Locale, UnknownLocaleError

from bot.content.model import BANDS, Band, Dialog, Step
from bot.content.quality import GRADED_WORDS, grade_limit, messages, reading_grade
from bot.errors import Problem
from bot.render.bidi import is_right_to_left
from bot.render.text import Paragraph
from bot.tools.booklet_style import STYLE
from bot.tools.booklet_words import STATE_WORDS, Line, Translation, reading_order, step_lines
from bot.tools.flow_drawing import first_words, flow_svg

STATUS_WORDS = {
    "draft": "draft: still being written",
    "review": "in review: waiting for a youth group's sign-off",
    "approved": "approved by a youth review group",
}
ACTION_WORDS = {
    "show_help": "Here the bot shows the helplines of the child's country, with a way back.",
    "show_lessons": "Here the bot shows the lessons as buttons.",
}


def language_name(locale: str) -> str:
    try:
        return Locale.parse(locale).english_name or locale
    except (ValueError, UnknownLocaleError):
        return locale


def band_sections(dialog: Dialog) -> list[tuple[Band, str, str]]:
    """(band, heading, id) for each age band the lesson shows apart; one when they agree."""
    if dialog.by_band():
        return [(band, f"Ages {band}", f"ages-{band}") for band in dialog.bands]
    return [(BANDS[0], "Ages 10-12 and 13-17 (the same words)", "ages-all")]


def booklet(
    dialog: Dialog,
    translations: Sequence[Translation],
    lesson_titles: Mapping[str, str],
    problems: Sequence[Problem],
    today: date,
) -> str:
    """The whole page."""
    sections = band_sections(dialog)
    body = [_header(dialog, translations, sections, today)]
    for band, heading, key in sections:
        body.append(_band(dialog, band, heading, key, tuple(translations), lesson_titles))
    body.append(_sources(dialog))
    body.append(_problems(problems))
    title = _esc(f"Review booklet: {dialog.title.source}")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _header(
    dialog: Dialog,
    translations: Sequence[Translation],
    sections: list[tuple[Band, str, str]],
    today: date,
) -> str:
    people = ", ".join(dialog.reviewers) if dialog.reviewers else "nobody yet"
    rows = [
        ("Status", STATUS_WORDS.get(dialog.status, dialog.status)),
        ("Reviewed by", people),
        ("Written by", ", ".join(dialog.authors)),
        ("Age bands", " and ".join(dialog.bands)),
    ]
    for translation in translations:
        review = translation.review or "no review status in the translation file"
        rows.append((f"{language_name(translation.locale)} translation", review))
    rows.append(("Made", f"{today.isoformat()} with safebot review, from {dialog.path}"))
    facts = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in rows)
    contents = "".join(
        f'<li><a href="#{key}">{_esc(heading)}</a></li>' for _band, heading, key in sections
    )
    return (
        f'<header>\n<p class="kicker">Review booklet</p>\n'
        f"<h1>{_esc(dialog.title.source)}</h1>\n<p>{_esc(dialog.summary.source)}</p>\n"
        f'<dl class="status">{facts}</dl>\n{_legend(translations)}\n'
        f'<nav><h2>Contents</h2><ol>{contents}<li><a href="#sources">Sources</a></li>'
        '<li><a href="#check">What safebot check says</a></li></ol></nav>\n</header>'
    )


def _legend(translations: Sequence[Translation]) -> str:
    items = [
        "Each step is one message, as the child sees it. <b>Bold</b> is the question; "
        "<i>italic</i> is what the bot says after a choice.",
        '<span class="choice">A choice</span> is a button. '
        '<span class="right">✓ right answer</span> marks the answer that counts as right.',
        "<b>Reading grade</b>: the school year that reads the message easily. Aim for 5 or "
        "less for ages 10-12, and 8 or less for 13-17.",
        "The flow drawing shows every way through the lesson. Click or tap a box to go to "
        "that step.",
    ]
    if translations:
        items.append(
            f'<span class="mark missing">{STATE_WORDS["missing"]}</span>: children reading '
            f'this language see the English. <span class="mark fuzzy">{STATE_WORDS["fuzzy"]}'
            "</span>: the English changed since it was translated; check it still says "
            "the same."
        )
    return (
        '<section class="how"><h2>How to read this booklet</h2><ul>'
        + "".join(f"<li>{item}</li>" for item in items)
        + "</ul></section>"
    )


@dataclass(frozen=True)
class _Section:
    """One age band's part of the booklet: its steps in reading order, numbered."""

    dialog: Dialog
    band: Band
    key: str
    translations: tuple[Translation, ...]
    steps: tuple[Step, ...]

    def anchor(self, step_id: str) -> str:
        return f"{self.key}-{step_id}"

    def number(self, step_id: str | None) -> int | None:
        found = [n for n, step in enumerate(self.steps, 1) if step.id == step_id]
        return found[0] if found else None

    def link(self, step_id: str) -> str:
        return f'<a href="#{self.anchor(step_id)}">Step {self.number(step_id)}</a>'


def _band(
    dialog: Dialog,
    band: Band,
    heading: str,
    key: str,
    translations: tuple[Translation, ...],
    lesson_titles: Mapping[str, str],
) -> str:
    section = _Section(dialog, band, key, translations, tuple(reading_order(dialog)))
    drawing = flow_svg(dialog, band, section.anchor, lesson_titles, key)
    parts = [
        f'<section class="band" id="{key}">\n<h2>{_esc(heading)}</h2>',
        f'<figure class="flow-figure" id="{key}-flow"><figcaption>The flow: every box is a '
        "step (click it to go there), every rounded label a choice. A box with a thick "
        f"green line is the end.</figcaption>\n{drawing}\n</figure>",
        _checks(section),
    ]
    if dialog.key_message:
        parts.append(
            '<div class="key"><h3>Key message</h3><p>💡 '
            f"<b>{_esc(dialog.key_message.in_band(band))}</b></p></div>"
        )
    parts += [_step(section, step) for step in section.steps]
    parts.append("</section>")
    return "\n".join(parts)


def _checks(section: _Section) -> str:
    pairs: dict[str, dict[str, Step]] = {}
    for step in section.steps:
        if step.check:
            pairs.setdefault(step.check.question, {})[step.check.phase] = step
    if not pairs:
        return ""
    rows = []
    for n, pair in enumerate(pairs.values(), 1):
        cells = []
        for phase in ("before", "after"):
            asked_at = pair.get(phase)
            if asked_at is None:
                cells.append(f"<td>no question {phase} the story</td>")
                continue
            asked = (asked_at.question or asked_at.text).in_band(section.band)
            cells.append(f"<td>{section.link(asked_at.id)}: {_esc(asked)}</td>")
        rows.append(f"<tr><th>Pair {n}</th>{''.join(cells)}</tr>")
    return (
        '<div class="checks"><h3>Learning checks</h3><p>The same question, asked before and '
        "after the story in other words, to see what the child learned.</p><table><thead>"
        "<tr><th></th><th>Before the story</th><th>After the story</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )


def _step(section: _Section, step: Step) -> str:
    band, translations = section.band, section.translations
    said = messages(step, band)
    limit = grade_limit(section.dialog, step, band)
    notes = [_grade(said[0][1], limit)]
    if step.check:
        pair = f"learning check, {step.check.phase} the story"
        notes.append(f'<span class="tag check">{pair}</span>')
    if step.end:
        notes.append('<span class="tag end">the end</span>')
    notes += [f'<span class="tag">{_esc(ACTION_WORDS.get(a, a))}</span>' for a in step.actions]
    columns = ['<div class="cell head" lang="en">English</div>'] + [
        f'<div class="cell head">{_esc(language_name(t.locale))}</div>' for t in translations
    ]
    rows = [f'<div class="row heads">{"".join(columns)}</div>'] if translations else []
    feedback = iter(words for what, words, _line in said if what == "feedback")
    for line in step_lines(section.dialog, step, band, translations):
        grade = _grade(next(feedback, ""), limit) if line.what == "feedback" else ""
        rows.append(_row(section, line, grade))
    short = first_words(step.text.in_band(band), 60)
    return (
        f'<section class="step" id="{section.anchor(step.id)}">\n'
        f'<h3><span class="number">Step {section.number(step.id)}</span> {_esc(short)}</h3>\n'
        f'<p class="notes">{" ".join(notes)}</p>\n'
        f'<div class="lines" style="--columns: {1 + len(translations)}">\n'
        + "\n".join(rows)
        + f'\n</div>\n<p class="top"><a href="#{section.key}-flow">back to the flow</a></p>'
        "\n</section>"
    )


def _row(section: _Section, line: Line, grade: str) -> str:
    english = _runs(line.english)
    extra = f" {grade}" if grade else ""
    if line.what == "choice":
        english = f'<span class="choice">{english}</span>'
        if line.correct:
            english += ' <span class="right">✓ right answer</span>'
        if line.leads_to and section.number(line.leads_to):
            extra = f' <span class="leads">→ {section.link(line.leads_to)}</span>'
        elif line.opens:
            extra = ' <span class="leads">→ opens another lesson</span>'
    cells = [f'<div class="cell" lang="en">{english}{extra}</div>']
    for translation, said in zip(section.translations, line.translations, strict=True):
        words = _runs(said.runs)
        if line.what == "choice":
            words = f'<span class="choice">{words}</span>'
        mark = ""
        if said.state != "done":
            mark = f' <span class="mark {said.state}">{STATE_WORDS[said.state]}</span>'
        direction = ' dir="rtl"' if is_right_to_left(translation.locale) else ""
        lang = translation.locale.replace("_", "-")
        cells.append(f'<div class="cell {said.state}" lang="{lang}"{direction}>{words}{mark}</div>')
    what = line.what.replace(" ", "-")
    return f'<div class="row line-{what}">{"".join(cells)}</div>'


def _grade(words: str, limit: float) -> str:
    if len(words.split()) < GRADED_WORDS:
        return '<span class="tag grade">reading grade: too short to measure</span>'
    grade = reading_grade(words)
    over = grade > limit
    hint = f"aim for {limit:.0f} or less" + (": too hard" if over else "")
    level = "grade over" if over else "grade"
    return f'<span class="tag {level}">reading grade {grade:.1f} ({hint})</span>'


def _sources(dialog: Dialog) -> str:
    links = "".join(f'<li><a href="{_esc(u)}">{_esc(u)}</a></li>' for u in dialog.sources)
    body = f"<ol>{links}</ol>" if links else "<p>The lesson names no sources.</p>"
    return (
        '<section id="sources"><h2>Sources</h2><p>Every fact in the lesson should come from '
        f"one of these pages.</p>{body}</section>"
    )


def _problems(problems: Sequence[Problem]) -> str:
    if not problems:
        body = "<p>Nothing: safebot check finds no problem in this lesson.</p>"
    else:
        body = (
            "<ul>"
            + "".join(
                f'<li class="{p.severity}">{p.severity}: line {p.line}: {_esc(p.message)}</li>'
                for p in problems
            )
            + "</ul>"
        )
    return f'<section id="check"><h2>What safebot check says</h2>{body}</section>'


def _runs(paragraph: Paragraph) -> str:
    found = []
    for run in paragraph:
        text = _esc(run.text).replace("\n", "<br>")
        found.append(f"<{run.style}>{text}</{run.style}>" if run.style else text)
    return "".join(found)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
