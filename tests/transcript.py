"""Plain-text transcripts of conversations, as a child would read them."""

from __future__ import annotations

import html
import re

from bot.conversation import Answer
from bot.reply import Reply


def plain(text: str) -> str:
    return html.unescape(re.sub(r"</?(b|i|a)( [^>]*)?>", "", text))


def reply_lines(reply: Reply) -> list[str]:
    lines = [f"bot: {line}" if i == 0 else f"     {line}"
             for i, line in enumerate(plain(reply.text).splitlines())]  # fmt: skip
    for row in reply.buttons:
        cells = []
        for b in row:
            extra = f" -> {b.url}" if b.url else (f" (copies {b.copy})" if b.copy else "")
            cells.append(f"[{plain(b.label)}{extra}]")
        lines.append("     " + " ".join(cells))
    return lines


def answer_lines(answer: Answer) -> list[str]:
    lines: list[str] = []
    for reply in answer.replies:
        lines += reply_lines(reply)
    return lines


def button_data(answer: Answer, label: str) -> str:
    """The data of the button with this label on the answer's last message that has it."""
    for reply in reversed(answer.replies):
        for row in reply.buttons:
            for b in row:
                if plain(b.label) == label and b.data is not None:
                    return b.data
    labels = [plain(b.label) for r in answer.replies for row in r.buttons for b in row]
    raise AssertionError(f"no button {label!r}; there are {labels}")
