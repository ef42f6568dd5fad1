"""The sign-off table of `safebot check`: for each lesson and language, how far each age
band's review has come (drafted, reviewed, approved), by which group or role, and when."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.content.model import ENGLISH, Dialog, Review


def signoff_table(dialogs: Mapping[str, Dialog], languages: Iterable[str] = ()) -> list[str]:
    """One line per lesson and language: the languages given (an instance's), or else every
    language the lessons' reviews name."""
    lessons = sorted((d for d in dialogs.values() if d.is_lesson), key=lambda d: d.id)
    wanted = list(languages) or _named(lessons)
    lines = [
        f"  {lesson.id:<18} {language:<6} {_state(lesson, language)}"
        for lesson in lessons
        for language in wanted
    ]
    return ["sign-off per lesson, language and age band:", *lines] if lines else []


def _named(lessons: Iterable[Dialog]) -> list[str]:
    named = {language for lesson in lessons for language in lesson.review}
    return sorted(named, key=lambda language: (language != ENGLISH, language))


def _state(lesson: Dialog, language: str) -> str:
    """'10-12, 13-17: drafted by safebot project on 2026-11-24', bands alike said once."""
    reviews = lesson.review.get(language, {})
    said: dict[str, list[str]] = {}
    for band in lesson.bands:
        said.setdefault(_said(reviews.get(band)), []).append(band)
    return "; ".join(f"{', '.join(bands)}: {words}" for words, bands in said.items())


def _said(review: Review | None) -> str:
    latest = review.latest() if review else None
    if review is None or latest is None:
        return "no sign-off recorded"
    stage, sign_off = latest
    said = f"{stage} by {sign_off.by} on {sign_off.on}"
    if stage == "approved" and review.reviewed is not None:
        said += f", reviewed by {review.reviewed.by} on {review.reviewed.on}"
    return said
