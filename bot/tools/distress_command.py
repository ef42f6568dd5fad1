"""`safebot distress "words"`: what the distress phrases hear in a message, and which rule."""

from __future__ import annotations

import argparse

from bot.content.keywords import read_keywords
from bot.content.likeness import SURE
from bot.content.likeness_files import read_likeness
from bot.content.load import content_files, likeness_files
from bot.content.phrases import normalise
from bot.core.distress import HELP_FOR, LIKENESS, NEARLY, SET_ASIDE_BELOW, Hearing
from bot.errors import ProblemsFound
from bot.settings import Settings


def distress(args: argparse.Namespace, settings: Settings) -> int:
    """Say whether a message is heard as distress, which kind, and which rule heard it."""
    phrases, problems = read_keywords(content_files(settings, "keywords"))
    likeness, found = read_likeness(likeness_files(settings))
    errors = [p for p in problems + found if p.severity == "error"]
    if errors:
        raise ProblemsFound(errors)
    hearing = Hearing(phrases, likeness)
    languages = args.lang or ["en"]
    tried = ", ".join(hearing.languages(*languages))
    heard = hearing.listen(args.text, *languages)
    finding = heard.finding
    if finding is None:
        print(f"not heard as distress (tried: {tried}): the child gets the warm reply that the")
        print("bot can't chat, with their helpline's number and Get help one tap away.")
        if heard.set_aside is not None:
            aside = heard.set_aside
            weights = hearing.likeness_for(hearing.languages(*languages))
            tokens = normalise(args.text).split()
            score = weights.score(tokens) if weights else 0.0
            farther = SET_ASIDE_BELOW[aside.category]
            limit = (weights.far_below if weights else 0.0) - farther
            kind = "a plain cry for help" if aside.category == "cry_for_help" else aside.category
            print(
                f"set aside: '{aside.rule}' at {aside.where} heard {kind}, but the message is "
                f"far more like the ordinary lines (score {score:.2f}, below {limit:.2f})"
            )
        return 0
    print(f"heard: {finding.category} (help first: {HELP_FOR[finding.category]})")
    if finding.rule in LIKENESS:
        weights = hearing.likeness[finding.language]
        tokens = normalise(args.text).split()
        words = ", ".join(f"'{word}' ({part:+.2f})" for word, part in weights.explain(tokens))
        near = finding.rule == NEARLY
        print(f"no rule heard it; {finding.rule} ({finding.where}, tried: {tried}):")
        print(
            f"score {weights.score(tokens):.2f} {'just below' if near else 'above'} "
            f"{weights.threshold:.2f}; the words that weighed most: {words or 'none alone'}"
        )
        towards = weights.suicide_score(tokens)
        side = "at or above" if towards >= weights.suicide_threshold else "below"
        side = f"at least {SURE} above" if near else side
        print(
            f"like the lines about suicide and self-harm: {towards:.2f}, {side} "
            f"{weights.suicide_threshold:.2f}, so {finding.category}"
        )
        return 0
    print(
        f"rule: '{finding.rule}' at {finding.where} (the {finding.language} list; tried: {tried})"
    )
    return 0
