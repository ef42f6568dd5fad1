"""Left-to-right words inside right-to-left replies: "/privacy", "116 111", web addresses
and Latin names such as "Take It Down", each kept whole and in reading order.

In an Arabic or Persian sentence a command would otherwise show as "privacy/", a phone
number's groups could swap places ("111 116"), and a line that starts with a command would
be laid out left to right. Each such run is wrapped in Unicode directional isolates
(LRI ... PDI): invisible, copied with the text, understood by Telegram's apps and by
browsers. Translators type nothing special; the wrapping is done here, on the plain words
of each run before any markup is written, so tags, links and button data never change.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from babel import Locale

from bot.render.text import Button, Paragraph, Reply

LRI, PDI = "\u2066", "\u2069"  # left-to-right isolate, pop directional isolate

_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
_URL = r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*[A-Za-z0-9/#=&_\-~%+]"
_COMMAND = r"(?<![A-Za-z0-9_/])/[A-Za-z][A-Za-z0-9_]*"
# words, names with dots or @ (takeitdown.ncmec.org, help@example.org), "Report-Remove"
_WORD = rf"[{_LATIN}](?:[{_LATIN}0-9'’._@&+\-]*[{_LATIN}0-9])?"
# Latin digits only: phone numbers are written with them in every language
_NUMBER = r"\+?[0-9](?:[0-9 \u00a0.\-]*[0-9])?"
_TOKEN = rf"(?:{_URL}|{_COMMAND}|{_WORD}|{_NUMBER})"
# tokens a space or a dash apart are one run: "Take It Down", "Childline 116 111"
_JOIN = r"(?:[ \u00a0]+|[ \u00a0]?[\-–:&][ \u00a0]?)"
_LEFT_TO_RIGHT = re.compile(
    rf"(?P<kept>[\u2066-\u2068][^\u2069]*\u2069)|(?P<run>{_TOKEN}(?:{_JOIN}{_TOKEN})*)"
)


@cache
def is_right_to_left(locale: str) -> bool:
    """Whether a language is written right to left (Arabic, Persian), as CLDR says."""
    return bool(Locale.parse(locale).character_order == "right-to-left")


def isolate(text: str) -> str:
    """Each left-to-right run of `text` between LRI and PDI; runs already isolated (by a
    translator, or an earlier call) stay as they are."""

    def wrapped(match: re.Match[str]) -> str:
        if match.group("kept"):
            return match.group("kept")
        return f"{LRI}{match.group('run')}{PDI}"

    return _LEFT_TO_RIGHT.sub(wrapped, text)


def _paragraph(paragraph: Paragraph) -> Paragraph:
    return tuple(replace(run, text=isolate(run.text)) for run in paragraph)


def _button(button: Button) -> Button:
    return replace(button, label=isolate(button.label))  # never its data, address or copy


def isolated(reply: Reply) -> Reply:
    """A reply for a right-to-left reader: the same words and buttons, with every
    left-to-right run of its text and button labels isolated."""
    return Reply(
        tuple(_paragraph(p) for p in reply.paragraphs),
        tuple(tuple(_button(b) for b in row) for row in reply.buttons),
        reply.kind,
    )
