"""What the conversation says to a child, before it is put into words.

The conversation decides; bot.render words each of these in the child's language.
Nothing here holds wording, markup or anything a child typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.content.model import HelpTopic
from bot.core.engine import Count, Output

Note = Literal[
    "unknown_command",  # a command the bot does not know
    "language_set",  # OK, I will use this language
    "no_such_language",
    "no_such_country",
    "band_set",
    "nothing_erased",  # the child said no to erasing
    "typed",  # typed words that are not a disclosure: the bot can't chat, help is one tap away
    "other",  # a sticker, a voice message, a location ...
]


@dataclass(frozen=True)
class Notice:
    """A short system message; `back` offers the way back to where the child was."""

    note: Note
    back: bool = False


@dataclass(frozen=True)
class CountrySet:
    country: str  # "" when the child preferred not to say


@dataclass(frozen=True)
class AskLanguage:
    turn: int
    locales: tuple[str, ...]
    first: bool = False  # the very first thing a new child sees


@dataclass(frozen=True)
class AskCountry:
    turn: int
    countries: tuple[str, ...]
    suggested: str | None = None  # from the region of the child's language tag


@dataclass(frozen=True)
class AskBand:
    turn: int


@dataclass(frozen=True)
class AskForget:
    turn: int


@dataclass(frozen=True)
class Erased:
    """Everything kept about the child is gone."""


@dataclass(frozen=True)
class Privacy:
    retention_days: int


@dataclass(frozen=True)
class ChatCleared:
    first_time: bool  # explain, once, how to clear what is older than Telegram's 48 hours


@dataclass(frozen=True)
class HelpShown:
    """The help hand-off for the child's country, with a way back."""

    topic: HelpTopic
    country: str | None
    # why it is shown, for the words before it: a distress category ("suicide", ...),
    # "media" (the child sent a picture or file), or None (the child asked)
    reason: str | None = None
    in_lesson: bool = False
    # the country is not known: offer to tell it, in the same message
    ask_country: bool = False


@dataclass(frozen=True)
class Trouble:
    """Something failed on the bot's side: try again in a moment (nothing was kept)."""


@dataclass(frozen=True)
class GroupNotice:
    """The one line a group chat gets: lessons happen in a private chat."""


Said = (
    Output
    | Notice
    | CountrySet
    | AskLanguage
    | AskCountry
    | AskBand
    | AskForget
    | Erased
    | Privacy
    | ChatCleared
    | HelpShown
    | GroupNotice
    | Trouble
)


@dataclass
class Turn:
    """One event handled: what to say, what to count, and what to do in the chat."""

    said: list[Said] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    stale: bool = False  # a press for an earlier message: a short note on the button
    clear_buttons: bool = False  # take the buttons off the message that was pressed
    quick_exit: bool = False  # delete the chat's messages, then send the replies
    delete_incoming: bool = False  # remove what the child sent (a photo, a file)
    forgotten: bool = False  # the child was erased
    hint: str | None = None  # the app's language tag, whose region suggests the country
