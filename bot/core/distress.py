"""Hearing a child who types: which kind of distress a message discloses, if any, and why.

The text is only read here: it is never logged, stored or returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from bot.content.keywords import DistressPhrases, phrases_for
from bot.content.model import HelpTopic

Category = Literal[
    "suicide",
    "sextortion",
    "image_pressure",
    "grooming_secrecy",
    "grooming_gifts",
    "grooming_meeting",
    "sexual_abuse",
    "violence",
    "cry_for_help",
]
# the help each kind of distress needs first
HELP_FOR: dict[Category, HelpTopic] = {
    "suicide": "crisis",
    "sextortion": "sextortion",
    "image_pressure": "images",
    "grooming_secrecy": "general",
    "grooming_gifts": "general",
    "grooming_meeting": "danger",
    "sexual_abuse": "danger",
    "violence": "danger",
    "cry_for_help": "general",
}
_GROUPS: dict[str, Category] = {
    "threat": "sextortion",
    "pressure": "image_pressure",
    "secret": "grooming_secrecy",
    "fear": "violence",
    "self_harm": "suicide",
    "abuse": "sexual_abuse",
}


@dataclass(frozen=True)
class Finding:
    """What a message disclosed, and which phrase list heard it."""

    category: Category
    language: str


class Hearing:
    """Every language's phrases, tried in the order a child may write."""

    def __init__(self, keywords: Mapping[str, DistressPhrases]) -> None:
        self.keywords = dict(keywords)

    def hear(self, text: str, *languages: str | None) -> Finding | None:
        """The child's chosen language, the language of their app, then English: a child
        may write in their own language even when the lessons are in another."""
        for phrases in phrases_for(self.keywords, *languages):
            group = phrases.match(text)
            if group:
                return Finding(_GROUPS.get(group, "cry_for_help"), phrases.language)
        return None
