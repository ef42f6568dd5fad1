"""Reading a dialog's `review:` section: per language and age band, who drafted, reviewed
and approved it, and on which day. Files are public, so every sign-off names a group or a
role, never a young person."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from itertools import pairwise

from bot.content.model import BANDS, STAGES, Band, Review, SignOff, Stage
from bot.content.yamlfile import Located
from bot.errors import did_you_mean

Report = Callable[..., None]  # PartReader.problem: (line, message, severity="error")

# the name of a folder in locales/: es, fil, pt_BR
LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
AGE_RANGE = re.compile(r"^\d+-\d+$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SIGN_OFF_KEYS = {"by", "on"}
NEVER_A_NAME = "write a group or role, never a young person's name"
# words that say a sign-off names a group or a role rather than a person
GROUP_WORDS = {
    "advisory", "association", "board", "centre", "center", "charity", "circle", "class",
    "club", "committee", "coordinator", "council", "counsellor", "department", "editor",
    "forum", "foundation", "group", "lead", "leader", "manager", "member", "moderator",
    "network", "ngo", "officer", "organisation", "organization", "panel", "programme",
    "program", "project", "reviewer", "safeguarding", "school", "service", "staff", "team",
    "teacher", "translator", "trust", "unit", "volunteer", "youth",
}  # fmt: skip


def looks_like_a_name(value: str) -> bool:
    """Capitalised words only ('Amina', 'Amina Otieno'), and no group or role word."""
    words = re.findall(r"[^\W\d_]+", value)
    if not words or len(words) > 3:
        return False
    if any(w.lower() in GROUP_WORDS or w.lower().rstrip("s") in GROUP_WORDS for w in words):
        return False
    return all(w[0].isupper() and not w.isupper() for w in words)


def name_problem(value: str) -> str:
    return (
        f"'{value}' looks like a person's name: {NEVER_A_NAME} (like \"Youth panel, "
        'Nairobi" or "Safeguarding lead, Example NGO"). The dialog files are public.'
    )


class ReviewReader:
    """Reads one `review:` section, reporting each mistake with its line."""

    def __init__(self, report: Report, bands: tuple[Band, ...], today: date) -> None:
        self.report = report
        self.bands = bands
        self.today = today

    def review(self, data: Located) -> dict[str, dict[Band, Review]]:
        raw = data.get("review")
        if raw is None:
            return {}
        if not isinstance(raw, Located) or not raw:
            self.report(
                data.line_of("review"),
                "review lists each language under it, like 'en:' with 'drafted: {by: ..., "
                "on: YYYY-MM-DD}'. See docs/dialog-format.md.",
            )
            return {}
        found: dict[str, dict[Band, Review]] = {}
        for language, body in raw.items():
            line = raw.line_of(language)
            if not LANGUAGE.match(language):
                self.report(
                    line,
                    f"review: '{language}' is not a language code. Write the name of its "
                    "folder in locales/, like es or pt_BR (en for English).",
                )
                continue
            if not isinstance(body, Located) or not body:
                self.report(line, f"review: {language} needs 'drafted:' (and later 'reviewed:').")
                continue
            found[language] = self.language(body, language, line)
        return found

    def language(self, body: Located, language: str, line: int) -> dict[Band, Review]:
        """Stages for every band of the lesson, or one set of stages per band."""
        if not any(key in BANDS or AGE_RANGE.match(key) for key in body):
            review = self.stages(body, language, line)
            return {band: review for band in self.bands}
        found: dict[Band, Review] = {}
        for band, stages in body.items():
            where = body.line_of(band)
            if band not in BANDS:
                self.report(where, f"review: {language}: '{band}' is not an age band. "
                            "Use 10-12 or 13-17.")  # fmt: skip
            elif band not in self.bands:
                self.report(
                    where,
                    f"review: {language}: this lesson is not for {band} (its bands are "
                    f"{', '.join(self.bands)}).",
                )
            elif not isinstance(stages, Located):
                self.report(where, f"review: {language} {band} needs 'drafted:' under it.")
            else:
                found[band] = self.stages(stages, f"{language} {band}", line)
        return found

    def stages(self, body: Located, what: str, line: int) -> Review:
        done: dict[Stage, SignOff] = {}
        for stage, value in body.items():
            where = body.line_of(stage)
            if stage not in STAGES:
                hint = did_you_mean(stage, {*STAGES, *BANDS}) or (
                    f" Use {', '.join(STAGES)}, or an age band (10-12, 13-17)."
                )
                self.report(where, f"review: {what}: '{stage}' is not a stage.{hint}")
                continue
            sign_off = self.sign_off(value, where, f"{what} {stage}")
            if sign_off is not None:
                done[stage] = sign_off
        self.order(done, body, what)
        return Review(
            drafted=done.get("drafted"),
            reviewed=done.get("reviewed"),
            approved=done.get("approved"),
            line=line,
        )

    def order(self, done: dict[Stage, SignOff], body: Located, what: str) -> None:
        """Approved only after a youth group reviewed it; each day on or after the last."""
        if "approved" in body and "reviewed" not in body:
            self.report(
                body.line_of("approved"),
                f"review: {what} is approved but nobody reviewed it. Add 'reviewed:' with the "
                "youth group that reviewed it and the day, before 'approved:'.",
            )
        for earlier, later in pairwise(STAGES):
            first, then = done.get(earlier), done.get(later)
            if first and then and then.on < first.on:
                self.report(
                    body.line_of(later),
                    f"review: {what} was {later} on {then.on}, before it was {earlier} on "
                    f"{first.on}. Check the days.",
                )

    def sign_off(self, value: object, line: int, what: str) -> SignOff | None:
        shape = f"review: {what} must look like {{by: Youth panel, Nairobi, on: 2026-11-24}}."
        if not isinstance(value, Located):
            self.report(line, shape)
            return None
        for key in value:
            if key not in SIGN_OFF_KEYS:
                self.report(value.line_of(key), f"{shape} '{key}' is not known.")
        by, on = value.get("by"), value.get("on")
        if not isinstance(by, str) or not by.strip():
            self.report(value.line_of("by"), f"review: {what} needs 'by': a group or a role.")
            by = None
        elif looks_like_a_name(by):
            self.report(value.line_of("by"), f"review: {what}: {name_problem(by)}")
        day = self.day(on, value.line_of("on"), what)
        return SignOff(by.strip(), day) if by and day else None

    def day(self, value: object, line: int, what: str) -> date | None:
        if isinstance(value, str) and DAY.match(value):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                pass
        if isinstance(value, datetime) or not isinstance(value, date):
            shown = "nothing" if value is None else f"'{value}'"
            self.report(
                line, f"review: {what} is on {shown}: write the day as YYYY-MM-DD, like 2026-11-24."
            )
            return None
        if value > self.today:
            self.report(
                line,
                f"review: {what} is on {value}, which is in the future. Write the day it was "
                "signed off.",
            )
        return value
