"""`safebot distress "words"`: what the distress phrases hear in a message, and which rule."""

from __future__ import annotations

import argparse

from bot.content.keywords import read_keywords
from bot.content.load import content_files
from bot.core.distress import HELP_FOR, Hearing
from bot.errors import ProblemsFound
from bot.settings import Settings


def distress(args: argparse.Namespace, settings: Settings) -> int:
    """Say whether a message is heard as distress, which kind, and which rule heard it."""
    phrases, problems = read_keywords(content_files(settings, "keywords"))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ProblemsFound(errors)
    hearing = Hearing(phrases)
    languages = args.lang or ["en"]
    tried = ", ".join(hearing.languages(*languages))
    finding = hearing.hear(args.text, *languages)
    if finding is None:
        print(f"not heard as distress (tried: {tried}): the child gets the warm reply that the")
        print("bot can't chat, with Get help one tap away.")
        return 0
    print(f"heard: {finding.category} (help first: {HELP_FOR[finding.category]})")
    print(
        f"rule: '{finding.rule}' at {finding.where} (the {finding.language} list; tried: {tried})"
    )
    return 0
