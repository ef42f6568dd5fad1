"""The terminal channel (`safebot play`): a dialog played with numbered choices, kept like a
child's progress, so a reviewer can stop and come back to the same step."""

from __future__ import annotations

import sys
from collections.abc import Callable

from bot.content.model import Band
from bot.core.conversation import Incoming
from bot.core.engine import Position
from bot.core.turn import Turns
from bot.render.formats import plain
from bot.render.text import Reply

Ask = Callable[[int], int | str | None]  # a choice's number, typed words, or the end


def show(reply: Reply) -> list[str]:
    """Print a reply; return the button data in the order they are numbered."""
    print()
    print(plain(reply))
    numbered: list[str] = []
    for row in reply.buttons:
        for button in row:
            if button.press is not None:
                numbered.append(button.press)
                print(f"  {len(numbered)}. {button.label}")
            elif button.copy is not None:
                print(f"  [{button.label}: {button.copy}]")
            elif button.url is not None:
                print(f"  [{button.label}: {button.url}]")
    return numbered


def ask_number(count: int) -> int | str | None:
    """A choice number from stdin (typed or piped), or words typed as a child would type
    them (the bot answers those as it would on Telegram); None at the end of input."""
    while True:
        print(f"> choose 1-{count}, or type: ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            return None
        if not sys.stdin.isatty():
            print(line.strip())
        answer = line.strip()
        if answer.isdigit() and 1 <= int(answer) <= count:
            return int(answer)
        if answer and not answer.isdigit():
            return answer
        print(f"  please type a number from 1 to {count}")


def play(
    turns: Turns[Reply],
    dialog: str,
    *,
    locale: str,
    country: str | None,
    band: Band | None,
    restart: bool = False,
    ask: Ask = ask_number,
) -> None:
    """Play one dialog to its end, or until the input ends; resume where it was left."""
    key = turns.key("terminal", "player")
    settings = {"locale": locale, "country": country}
    if band is not None:
        settings["band"] = band
    delivery = turns.play(key, dialog, settings=settings, restart=restart)
    replies = delivery.replies
    engine = turns.conversation.engine
    choices: list[str] = []
    while True:
        for reply in replies:
            choices = show(reply) or choices
        position = turns.child(key).position
        if not _in(position, dialog):
            return
        assert position is not None
        if engine.dialogs[dialog].steps[position.step].end:
            print("\n(the end)")
            return
        answer = ask(len(choices))
        if answer is None:
            print()
            return
        if isinstance(answer, str):
            incoming = Incoming("text", arg=answer, language=locale)
        else:
            incoming = Incoming("press", arg=choices[answer - 1])
        delivery = turns.handle(key, incoming)
        turns.delivered(delivery)
        replies = delivery.replies


def _in(position: Position | None, dialog: str) -> bool:
    return position is not None and position.dialog == dialog
