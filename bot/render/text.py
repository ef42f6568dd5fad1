"""What a channel sends: replies as structured text (runs of plain, bold, italic and linked
words) with rows of buttons, already translated. Each channel turns them into its own
markup (bot.render.formats); nothing here knows any of them, and nothing parses markup back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from bot.content.model import MAX_TEXT
from bot.core.presses import MAX_DATA

Style = Literal["", "b", "i"]


@dataclass(frozen=True)
class Run:
    """Some words in one style, perhaps a link."""

    text: str
    style: Style = ""
    link: str | None = None


Paragraph = tuple[Run, ...]


def b(text: str) -> Run:
    return Run(text, "b")


def i(text: str) -> Run:
    return Run(text, "i")


def para(*parts: str | Run) -> Paragraph:
    """A paragraph of plain strings and runs."""
    return tuple(part if isinstance(part, Run) else Run(part) for part in parts if part)


_PLACE = re.compile(r"\{([a-z_]+)\}")


def fill(template: str, style: Style = "", **values: str | Run | Paragraph) -> Paragraph:
    """A translated sentence with its {placeholders} filled: values may be runs of their own
    style ("Call {number}." with the number in bold), the rest keeps `style`."""
    runs: list[Run] = []
    at = 0
    for match in _PLACE.finditer(template):
        name = match.group(1)
        if name not in values:
            continue
        if match.start() > at:
            runs.append(Run(template[at : match.start()], style))
        value = values[name]
        if isinstance(value, tuple):
            runs.extend(value)
        else:
            runs.append(value if isinstance(value, Run) else Run(value, style))
        at = match.end()
    if at < len(template):
        runs.append(Run(template[at:], style))
    return tuple(r for r in runs if r.text)


@dataclass(frozen=True)
class Button:
    """One button: exactly one of `press` (button data that comes back), `url` or `copy`."""

    label: str
    press: str | None = None
    url: str | None = None
    copy: str | None = None

    def __post_init__(self) -> None:
        kinds = [k for k in (self.press, self.url, self.copy) if k is not None]
        if len(kinds) != 1:
            raise ValueError(f"button {self.label!r} needs exactly one of press, url, copy")
        if self.press is not None and len(self.press.encode()) > MAX_DATA:
            raise ValueError(f"button data {self.press!r} is over {MAX_DATA} bytes")
        if self.url is not None and not self.url.startswith(("https://", "http://")):
            raise ValueError(f"button url {self.url!r} must be http or https")


Rows = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Reply:
    """One message: paragraphs of runs, and rows of buttons."""

    paragraphs: tuple[Paragraph, ...]
    buttons: Rows = field(default=())
    # which part of the product made it: "step", "feedback", "help", "notice" ...
    kind: str = "notice"

    def __post_init__(self) -> None:
        if not self.plain().strip():
            raise ValueError("a reply needs some text")

    def plain(self) -> str:
        """The words as a reader sees them, without markup."""
        return "\n\n".join("".join(run.text for run in p) for p in self.paragraphs)


def split(reply: Reply, limit: int = MAX_TEXT) -> list[Reply]:
    """A reply too long for one message, as several at paragraph breaks (a paragraph too
    long on its own at a space); the buttons go on the last one."""
    if len(reply.plain()) <= limit:
        return [reply]
    pieces: list[list[Paragraph]] = [[]]
    size = 0
    for paragraph in _short_paragraphs(reply.paragraphs, limit):
        length = sum(len(r.text) for r in paragraph)
        if pieces[-1] and size + 2 + length > limit:
            pieces.append([])
            size = 0
        pieces[-1].append(paragraph)
        size += length + (2 if size else 0)
    last = len(pieces) - 1
    return [
        Reply(tuple(piece), reply.buttons if n == last else (), reply.kind)
        for n, piece in enumerate(pieces)
    ]


def _short_paragraphs(paragraphs: tuple[Paragraph, ...], limit: int) -> list[Paragraph]:
    found: list[Paragraph] = []
    for paragraph in paragraphs:
        runs = list(paragraph)
        while sum(len(r.text) for r in runs) > limit:
            head: list[Run] = []
            room = limit
            while runs and len(runs[0].text) <= room:
                room -= len(runs[0].text)
                head.append(runs.pop(0))
            if runs and room > 0:
                text = runs[0].text
                cut = text.rfind(" ", 0, room)
                cut = cut if cut > 0 else room
                head.append(Run(text[:cut], runs[0].style, runs[0].link))
                runs[0] = Run(text[cut:].lstrip(), runs[0].style, runs[0].link)
            found.append(tuple(head))
        found.append(tuple(runs))
    return [p for p in found if p]
