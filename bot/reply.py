"""What a channel sends: plain message data, already translated and escaped.

Channels (Telegram, the web playground) turn a `Reply` into their own messages;
nothing here knows either of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_TEXT = 4096  # Telegram's limit for one message, after entity parsing
MAX_CALLBACK_BYTES = 64  # Telegram's limit for callback_data, in UTF-8 bytes


@dataclass(frozen=True)
class Button:
    """One button: exactly one of `data` (a press comes back), `url` or `copy`."""

    label: str
    data: str | None = None
    url: str | None = None
    copy: str | None = None

    def __post_init__(self) -> None:
        kinds = [k for k in (self.data, self.url, self.copy) if k is not None]
        if len(kinds) != 1:
            raise ValueError(f"button {self.label!r} needs exactly one of data, url, copy")
        if self.data is not None and len(self.data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"button data {self.data!r} is over {MAX_CALLBACK_BYTES} bytes")
        if self.url is not None and not self.url.startswith(("https://", "http://")):
            raise ValueError(f"button url {self.url!r} must be http or https")


@dataclass(frozen=True)
class Reply:
    """One message: text in Telegram's HTML subset (<b>, <i>, <a>) and rows of buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())
    # which part of the product made it: "step", "feedback", "help", "notice" ...
    kind: str = "notice"

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("a reply needs some text")


def split_text(reply: Reply) -> list[Reply]:
    """A reply too long for one message, as several; the buttons go on the last one."""
    if len(reply.text) <= MAX_TEXT:
        return [reply]
    parts: list[str] = []
    current = ""
    for paragraph in reply.text.split("\n\n"):
        while len(paragraph) > MAX_TEXT:  # one huge paragraph: cut at a space
            cut = paragraph.rfind(" ", 0, MAX_TEXT) if " " in paragraph[:MAX_TEXT] else MAX_TEXT
            parts.append(paragraph[:cut])
            paragraph = paragraph[cut:].lstrip()
        joined = f"{current}\n\n{paragraph}" if current else paragraph
        if len(joined) > MAX_TEXT:
            parts.append(current)
            current = paragraph
        else:
            current = joined
    if current:
        parts.append(current)
    last = len(parts) - 1
    return [
        Reply(text, reply.buttons if i == last else (), reply.kind) for i, text in enumerate(parts)
    ]
