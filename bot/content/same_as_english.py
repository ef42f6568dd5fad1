"""A translation equal to its English: a line nobody translated, which a child would read
in English, unless what it says is a name every language writes the same way
("Childline", "Take It Down (NCMEC)", "WhatsApp"). Those names are listed, one a line
with a comment saying why, in locales/same-as-english.txt."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Message

from bot.errors import Problem

FILE_NAME = "same-as-english.txt"
_PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
_MARKUP = re.compile(r"</?[a-z]+[^>]*>")


def read_names(folders: Iterable[Path]) -> frozenset[str]:
    """The names listed in each locales folder's same-as-english.txt ('#' starts a comment)."""
    names: set[str] = set()
    for folder in folders:
        path = folder / FILE_NAME
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            name = line.split("#", 1)[0].strip()
            if name:
                names.add(name)
    return frozenset(names)


def says_words(text: str, names: frozenset[str]) -> bool:
    """Whether `text` has letters left to translate once placeholders, markup and listed
    names are taken out ("SMS: {numbers}" has none when "SMS" is listed)."""
    rest = _MARKUP.sub(" ", _PLACEHOLDER.sub(" ", text))
    for name in sorted(names, key=len, reverse=True):  # "Childline Kenya" before "Childline"
        rest = rest.replace(name, " ")
    return any(character.isalpha() for character in rest)


def left_in_english(path: str, message: Message, names: frozenset[str]) -> list[Problem]:
    """An error for each form of the translation that is its English, word for word."""
    sources = message.id if isinstance(message.id, tuple | list) else (message.id,)
    targets = message.string if isinstance(message.string, tuple | list) else (message.string,)
    english = {str(source) for source in sources}
    for target in targets:
        if target and str(target) in english and says_words(str(target), names):
            shown = target if len(target) <= 40 else target[:39] + "…"
            return [
                Problem(
                    path,
                    message.lineno or 0,
                    f"the translation of '{shown}' is the same as the English: a child "
                    "would read it in English. Translate it; if it is a name that every "
                    f"language writes this way, add it to locales/{FILE_NAME} with a "
                    "comment saying why.",
                )
            ]
    return []
