"""Deep links: what a poster's QR code (`https://t.me/<bot>?start=PAYLOAD`) asks /start to
do: open a lesson, and set the language and the country, in any combination.

PAYLOAD follows Telegram's rule, at most 64 characters of A-Z, a-z, 0-9, `_` and `-`. It
is parts joined by `-`, each a key and its value joined by the first `_`:

    lesson_<lesson id>   open this lesson        lesson_sextortion
    country_<XX>         the child's country     country_KE   (ISO 3166 code)
    lang_<code>          the language            lang_sw, lang_pt_BR

for example `lesson_sextortion-country_KE-lang_sw`. A part that is not understood is left
out; a payload that breaks Telegram's rule is ignored whole, and /start goes on as usual.
Nothing in a link is about the child.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class Link:
    lesson: str | None = None
    country: str | None = None
    language: str | None = None


def read_link(payload: str) -> Link:
    """The parts of a /start payload, unchecked against the instance (see Conversation)."""
    if not PAYLOAD.fullmatch(payload):
        return Link()
    found: dict[str, str] = {}
    for part in payload.split("-"):
        key, _, value = part.partition("_")
        if key in ("lesson", "country", "lang") and value and key not in found:
            found[key] = value
    return Link(found.get("lesson"), found.get("country"), found.get("lang"))


def link_payload(lesson: str | None = None, country: str | None = None,
                 language: str | None = None) -> str:  # fmt: skip
    """The payload for a poster: the inverse of `read_link`."""
    parts = [f"{key}_{value}" for key, value in
             (("lesson", lesson), ("country", country), ("lang", language)) if value]  # fmt: skip
    payload = "-".join(parts)
    if not PAYLOAD.fullmatch(payload):
        raise ValueError(f"'{payload}' is not a payload Telegram accepts")
    return payload
