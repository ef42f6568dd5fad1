"""A lesson's flow as inline SVG for the review booklet: boxes with the first words a child
reads at each step, a pill for every choice with its label, one arrow from each choice to
where it leads. Laid out top to bottom in layers, rows wrapped to fit a printed page; each
step's box links to its section of the booklet. No Graphviz, no scripts."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.content.model import Band, Dialog, Step

WIDTH = 760  # points: fits an A4 page between print margins, and scales down on a phone
MARGIN = 16
LANE = 8  # room on the right for arrows that go back up, one lane each
STEP_WIDTH = 180
STEP_CHARS = 26  # characters on a line of a step's box at 11.5px
CHOICE_CHARS = 22
CHAR_WIDTH = 6.3  # an average character of the sans-serif font, in points
LINE = 14
GAP_X, GAP_Y = 14, 26
FIRST_WORDS = 52  # characters of a step's text shown in its box


@dataclass
class Box:
    """A step, a choice or another lesson, placed on the drawing."""

    key: str
    lines: list[str]
    kind: str  # "step", "end", "choice", "right", "lesson"
    words: str  # the whole label, for the tooltip
    href: str | None = None
    width: float = 0.0
    x: float = 0.0  # left
    y: float = 0.0  # top

    @property
    def height(self) -> float:
        return 12 + LINE * len(self.lines)

    @property
    def middle(self) -> float:
        return self.x + self.width / 2


def first_words(words: str, limit: int = FIRST_WORDS) -> str:
    """The start of a text, cut at a word, with '…' when there is more."""
    words = " ".join(words.split())
    if len(words) <= limit:
        return words
    cut = words.rfind(" ", 0, limit)
    return words[: cut if cut > 0 else limit].rstrip(",.;:") + "…"


def _lines(words: str, chars: int) -> list[str]:
    return textwrap.wrap(words, chars, break_on_hyphens=False) or [""]


def layers(dialog: Dialog) -> dict[str, int]:
    """Each step's layer: the longest way to it from the start, not counting ways back."""
    forward: dict[str, list[str]] = {key: [] for key in dialog.steps}
    seen: set[str] = set()
    on_way: set[str] = set()
    order: list[str] = []

    def visit(key: str) -> None:
        seen.add(key)
        on_way.add(key)
        for choice in dialog.steps[key].choices:
            target = choice.next
            if target is None or target not in dialog.steps or target in on_way:
                continue  # another lesson, or a way back up
            forward[key].append(target)
            if target not in seen:
                visit(target)
        on_way.discard(key)
        order.append(key)

    for key in [dialog.start, *dialog.steps]:
        if key in dialog.steps and key not in seen:
            visit(key)
    layer = dict.fromkeys(dialog.steps, 0)
    for key in reversed(order):  # every step before the steps it leads to
        for target in forward[key]:
            layer[target] = max(layer[target], layer[key] + 1)
    return layer


def flow_svg(
    dialog: Dialog,
    band: Band,
    anchor: Callable[[str], str],
    lesson_titles: Mapping[str, str],
    name: str,
) -> str:
    """The drawing; `anchor` names each step's section, `name` keeps the ids apart."""
    boxes = {step.id: _step_box(step, band, anchor) for step in dialog.steps.values()}
    arrows: list[tuple[str, str]] = []
    rows: list[list[Box]] = []
    by_layer = layers(dialog)
    for level in range(max(by_layer.values(), default=0) + 1):
        steps = [boxes[k] for k in dialog.steps if by_layer[k] == level]
        step_rows = _placed(steps, _wanted_under(steps, arrows, boxes))
        rows += step_rows
        pills: list[Box] = []
        wanted: list[float] = []
        lessons: list[Box] = []
        for box in (b for row in step_rows for b in row):
            step = dialog.steps[box.key]
            for n, choice in enumerate(step.choices):
                label = choice.label.in_band(band)
                kind = "right" if choice.correct else "choice"
                pill = Box(f"{step.id}/{n}", _lines(("✓ " if choice.correct else "") + label,
                           CHOICE_CHARS), kind, label)  # fmt: skip
                pill.width = max(44.0, max(map(len, pill.lines)) * CHAR_WIDTH + 16)
                spread = (n - (len(step.choices) - 1) / 2) * (pill.width + GAP_X)
                pills.append(pill)
                wanted.append(box.middle + spread)
                boxes[pill.key] = pill
                arrows.append((box.key, pill.key))
                target = choice.next
                if choice.dialog:
                    target = f"lesson:{choice.dialog}"
                    if target not in boxes:
                        title = lesson_titles.get(choice.dialog, "another lesson")
                        words = f"Opens the lesson “{title}”"
                        boxes[target] = Box(
                            target, _lines(words, STEP_CHARS), "lesson", words, None, STEP_WIDTH
                        )
                        lessons.append(boxes[target])
                if target in boxes or (target and target.startswith("lesson:")):
                    arrows.append((pill.key, target))
        rows += _placed(pills, wanted)
        rows += _placed(lessons, _wanted_under(lessons, arrows, boxes))
    height = _stack(rows)
    return _drawn(rows, arrows, boxes, height, name, dialog.title.in_band(band))


def _step_box(step: Step, band: Band, anchor: Callable[[str], str]) -> Box:
    words = step.text.in_band(band)
    if not words.strip() and step.question:
        words = step.question.in_band(band)
    kind = "end" if step.end else "step"
    lines = _lines(first_words(words), STEP_CHARS)
    return Box(step.id, lines, kind, words, "#" + anchor(step.id), STEP_WIDTH)


def _wanted_under(
    targets: list[Box], arrows: list[tuple[str, str]], boxes: Mapping[str, Box]
) -> list[float]:
    """Where each box would like to be: under the middle of the choices that lead to it."""
    wanted = []
    for n, box in enumerate(targets):
        above = [boxes[a].middle for a, b in arrows if b == box.key]
        wanted.append(sum(above) / len(above) if above else WIDTH / 2 + n)
    return wanted


def _placed(boxes: list[Box], wanted: list[float]) -> list[list[Box]]:
    """Boxes in rows that fit the width, each as near where it is wanted as room allows."""
    left, right = MARGIN, WIDTH - MARGIN - LANE * 3
    rows: list[list[tuple[Box, float]]] = []
    used = float("inf")
    for box, at in sorted(zip(boxes, wanted, strict=True), key=lambda pair: pair[1]):
        if used + GAP_X + box.width > right - left:
            rows.append([])
            used = -GAP_X
        rows[-1].append((box, at))
        used += GAP_X + box.width
    for row in rows:
        edge = float(left)
        for box, at in row:  # as wanted, pushed right past the one before
            box.x = max(edge, at - box.width / 2)
            edge = box.x + box.width + GAP_X
        edge = float(right)
        for box, _at in reversed(row):  # then pulled back inside the page
            box.x = min(box.x, edge - box.width)
            edge = box.x - GAP_X
    return [[box for box, _at in row] for row in rows]


def _stack(rows: list[list[Box]]) -> float:
    """Each row below the one before; the height of the whole drawing."""
    top = float(MARGIN)
    for row in rows:
        for box in row:
            box.y = top
        top += max(box.height for box in row) + GAP_Y
    return top - GAP_Y + MARGIN


def _drawn(
    rows: list[list[Box]],
    arrows: list[tuple[str, str]],
    boxes: Mapping[str, Box],
    height: float,
    name: str,
    title: str,
) -> str:
    marker = f"arrow-{name}"
    parts = [
        f'<svg class="flow" viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" '
        f'height="{height:.0f}" role="img" aria-labelledby="{name}-title" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{name}-title">{_esc(f"The flow of “{title}”")}</title>',
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" '
        'fill="#555"/></marker></defs>',
    ]
    back = 0
    for source, target in arrows:
        start, end = boxes[source], boxes[target]
        if end.y > start.y:
            x1, y1, x2, y2 = start.middle, start.y + start.height, end.middle, end.y
            bend = (y2 - y1) / 2
            path = (
                f"M{x1:.1f} {y1:.1f}C{x1:.1f} {y1 + bend:.1f} "
                f"{x2:.1f} {y2 - bend:.1f} {x2:.1f} {y2:.1f}"
            )
        else:  # back up (or along the row): round the right-hand side
            back += 1
            lane = WIDTH - MARGIN - LANE * (back % 3)
            x1, y1 = start.x + start.width, start.y + start.height / 2
            x2, y2 = end.x + end.width, end.y + end.height / 2
            path = f"M{x1:.1f} {y1:.1f}C{lane} {y1:.1f} {lane} {y2:.1f} {x2:.1f} {y2:.1f}"
        parts.append(
            f'<path class="arrow" d="{path}" fill="none" stroke="#555" stroke-width="1.2" '
            f'marker-end="url(#{marker})"/>'
        )
    for row in rows:
        for box in row:
            parts.append(_box(box))
    parts.append("</svg>")
    return "\n".join(parts)


_LOOK = {  # fill, stroke, stroke width, corner
    "step": ("#ffffff", "#1f4e79", 1.5, 6),
    "end": ("#eef5ec", "#2e6b2e", 3.0, 6),
    "lesson": ("#f4f4f4", "#777777", 1.5, 6),
    "choice": ("#fdf6e3", "#9a7b2f", 1.0, 12),
    "right": ("#e6f4e6", "#2e6b2e", 2.0, 12),
}


def _box(box: Box) -> str:
    fill, stroke, width, corner = _LOOK[box.kind]
    size = 11.5 if box.kind in ("step", "end", "lesson") else 11
    texts = "".join(
        f'<text x="{box.middle:.1f}" y="{box.y + 6 + LINE * (n + 0.8):.1f}" '
        f'text-anchor="middle" font-size="{size}">{_esc(line)}</text>'
        for n, line in enumerate(box.lines)
    )
    shape = (
        f'<g class="{box.kind}"><title>{_esc(box.words)}</title>'
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" '
        f'height="{box.height:.1f}" rx="{corner}" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{width}"/>{texts}</g>'
    )
    if box.href:
        return f'<a href="{_esc(box.href)}" class="step-link">{shape}</a>'
    return shape


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
