"""Sign-offs checked against the instance: a review names only languages the instance can
have, and with `require_approved` on, every language children can choose has a lesson a
youth group approved in it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.content.model import ENGLISH, Dialog
from bot.errors import Problem, did_you_mean


def unknown_languages(dialogs: Iterable[Dialog], known: set[str]) -> list[Problem]:
    """A sign-off for a language with no translation cannot be shown to anyone."""
    found = []
    for dialog in dialogs:
        for language, bands in dialog.review.items():
            if language in known or not bands:
                continue
            line = next(iter(bands.values())).line
            hint = did_you_mean(language, known) or f" Known: {', '.join(sorted(known))}."
            found.append(
                Problem(
                    dialog.path,
                    line,
                    f"review: '{language}' has no translation in locales/, so nobody reads "
                    f"the lesson in it.{hint}",
                )
            )
    return found


def unapproved_languages(
    where: str, dialogs: Mapping[str, Dialog], lessons: Iterable[str], languages: Iterable[str]
) -> list[Problem]:
    """With require_approved on: a language with no approved lesson is refused; an age band
    with none is a warning (its children see an empty list of lessons)."""
    shown = [dialogs[lesson] for lesson in lessons]
    found = []
    for language in languages:
        bands = {b for d in shown for b in d.bands if d.approved_in(language, b)}
        if not bands:
            other = (
                f"take '{language}' out of 'languages'"
                if language != ENGLISH
                else "turn require_approved off (English is always offered)"
            )
            found.append(
                Problem(
                    where,
                    0,
                    f"require_approved is on, but no lesson is approved in '{language}'. "
                    f"Record a youth group's approval under 'review: {language}:' of a lesson "
                    f"(docs/authoring.md), or {other}.",
                )
            )
            continue
        for band in sorted({b for d in shown for b in d.bands} - bands):
            found.append(
                Problem(
                    where,
                    0,
                    f"require_approved is on, but no lesson is approved in '{language}' for "
                    f"{band}: children of that age reading '{language}' see no lessons.",
                    "warning",
                )
            )
    return found
