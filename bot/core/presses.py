"""Every button a child can press, as one typed vocabulary, and its button data.

A press that answers a question carries the turn it was shown at, so a stale or doubled
tap never moves a child; Get help, Quick exit, Back and Lessons work from any message.
Button data stays within Telegram's 64 bytes and never holds anything about the child.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Question = Literal["language", "country", "band", "forget"]
QUESTIONS: tuple[Question, ...] = ("language", "country", "band", "forget")
MAX_DATA = 64  # bytes of callback data Telegram accepts


@dataclass(frozen=True)
class Choose:
    """A choice of the step shown at `turn`: its index in the step's choices."""

    turn: int
    index: int


@dataclass(frozen=True)
class OpenLesson:
    turn: int
    dialog: str


@dataclass(frozen=True)
class Rate:
    """Was this lesson helpful? yes, some or no."""

    turn: int
    rating: str


@dataclass(frozen=True)
class WantTopic:
    """What would the child like to learn about next."""

    turn: int
    topic: str


@dataclass(frozen=True)
class Answer:
    """An answer to a question the bot asked: a language, a country, an age band, or yes/no
    to erasing everything."""

    turn: int
    question: Question
    value: str


@dataclass(frozen=True)
class Help:
    """Get help: the helplines of the child's country, from any message."""


@dataclass(frozen=True)
class Exit:
    """Quick exit: clear the chat."""


@dataclass(frozen=True)
class Back:
    """Back to where the child was."""


@dataclass(frozen=True)
class Lessons:
    """The list of lessons."""


@dataclass(frozen=True)
class TellCountry:
    """Tell the bot the country, from a help message that had to do without it."""


Press = Choose | OpenLesson | Rate | WantTopic | Answer | Help | Exit | Back | Lessons | TellCountry

_PLAIN: dict[str, Press] = {
    "h": Help(),
    "x": Exit(),
    "b": Back(),
    "m": Lessons(),
    "k": TellCountry(),
}
_PLAIN_DATA = {type(press): data for data, press in _PLAIN.items()}
_QUESTION_CODES = {"language": "l", "country": "c", "band": "a", "forget": "f"}
_CODE_QUESTIONS: dict[str, Question] = {"l": "language", "c": "country", "a": "band", "f": "forget"}


def encode(press: Press) -> str:
    """The button data of a press: 'h', 'c12.0', 'o12.grooming', 'q12.c.KE' ..."""
    match press:
        case Choose(turn, index):
            data = f"c{turn}.{index}"
        case OpenLesson(turn, dialog):
            data = f"o{turn}.{dialog}"
        case Rate(turn, rating):
            data = f"r{turn}.{rating}"
        case WantTopic(turn, topic):
            data = f"t{turn}.{topic}"
        case Answer(turn, question, value):
            data = f"q{turn}.{_QUESTION_CODES[question]}.{value}"
        case _:
            data = _PLAIN_DATA[type(press)]
    if len(data.encode()) > MAX_DATA:
        raise ValueError(f"button data {data!r} is over {MAX_DATA} bytes")
    return data


def decode(data: str) -> Press | None:
    """The press a button's data stands for; None for anything forged or unknown."""
    if data in _PLAIN:
        return _PLAIN[data]
    if len(data) < 4 or len(data.encode()) > MAX_DATA or data[0] not in "cortq":
        return None
    turn_text, _, arg = data[1:].partition(".")
    # only ASCII digits: str.isdigit also accepts '²', which int() refuses
    if not (turn_text.isascii() and turn_text.isdigit()) or not arg:
        return None
    turn = int(turn_text)
    kind = data[0]
    if kind == "c":
        return Choose(turn, int(arg)) if arg.isascii() and arg.isdigit() else None
    if kind == "o":
        return OpenLesson(turn, arg)
    if kind == "r":
        return Rate(turn, arg)
    if kind == "t":
        return WantTopic(turn, arg)
    code, _, value = arg.partition(".")
    question = _CODE_QUESTIONS.get(code)
    return Answer(turn, question, value) if question and value else None
