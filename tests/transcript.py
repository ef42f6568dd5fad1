"""Plain-text transcripts of conversations, as a child would read them."""

from __future__ import annotations

from bot.core.turn import Delivery
from bot.render.formats import telegram_html
from bot.render.text import Reply


def html(reply: Reply) -> str:
    """A reply as Telegram receives it."""
    return telegram_html(reply)


def reply_lines(reply: Reply) -> list[str]:
    lines = [f"bot: {line}" if i == 0 else f"     {line}"
             for i, line in enumerate(reply.plain().splitlines())]  # fmt: skip
    for row in reply.buttons:
        cells = []
        for b in row:
            extra = f" -> {b.url}" if b.url else (f" (copies {b.copy})" if b.copy else "")
            cells.append(f"[{b.label}{extra}]")
        lines.append("     " + " ".join(cells))
    return lines


def answer_lines(answer: Delivery[Reply]) -> list[str]:
    lines: list[str] = []
    for reply in answer.replies:
        lines += reply_lines(reply)
    return lines


def button_data(answer: Delivery[Reply], label: str) -> str:
    """The data of the button with this label on the answer's last message that has it."""
    for reply in reversed(answer.replies):
        for row in reply.buttons:
            for b in row:
                if b.label == label and b.press is not None:
                    return b.press
    labels = [b.label for r in answer.replies for row in r.buttons for b in row]
    raise AssertionError(f"no button {label!r}; there are {labels}")


def choice_data(answer: Delivery[Reply], index: int) -> str:
    """The data of the step's choice `index`: its buttons come first among those pressed."""
    presses = [b.press for r in answer.replies[-1:] for row in r.buttons for b in row if b.press]
    return presses[index]


# what a child may type, by kind of distress: the first screens differ for each
DISCLOSURES = {
    "suicide": "i dont want to be here anymore",
    "sextortion": "i sent a pic and now hes asking for money",
    "image_pressure": "he keeps asking me to send pictures of my body",
    "grooming_secrecy": "he told me not to tell my parents about our chats",
    "grooming_gifts": "he bought me vbucks and now he says i owe him",
    "grooming_meeting": "a man from the game wants to meet me alone",
    "sexual_abuse": "my stepdad touches me when mum is out",
    "violence": "he would hurt my family if i tell",
    "cry_for_help": "please help me",
}
