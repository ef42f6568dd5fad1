"""Checks of a lesson's words and paths, beyond the format: reading ease, length,
victim-blaming or outdated phrases, and help on every path."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pyphen

from bot.content.model import BANDS, Band, Dialog, Step, Text
from bot.content.yamlfile import Located, LocatedList, read_yaml
from bot.errors import Problem, shown_path

# Flesch-Kincaid grade per message, for each age band: 10-12 stays simple, 13-17 reads as
# written for teenagers (aim at 5-7) and may go a little higher
MAX_GRADE: dict[Band, float] = {"10-12": 5.0, "13-17": 8.0}
# a 13-17 lesson whose messages average below this reads as written for young children
TEEN_FLOOR = 4.0
MAX_WORDS = 80
GRADED_WORDS = 8  # a message shorter than this has no meaningful reading grade
FLAGGED_KEYS = ("phrase", "instead", "source")


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


@cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=8192)  # the lessons use a few thousand words, thousands of times
def syllables(word: str) -> int:
    """Syllables of an English word, from its hyphenation points (as textstat counts them)."""
    return max(1, len(_hyphenator().positions(word.strip("'’-"))) + 1)


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level of English text: the school year that reads it easily."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text.strip())))
    per_sentence = len(words) / sentences
    per_word = sum(syllables(w) for w in words) / len(words)
    return round(0.39 * per_sentence + 11.8 * per_word - 15.59, 1)


@dataclass(frozen=True)
class Flagged:
    """A phrase that can hurt or mislead a child, and what to say instead."""

    phrase: str
    instead: str

    def found_in(self, words: str) -> bool:
        return re.search(r"\b" + re.escape(self.phrase) + r"\b", words.lower()) is not None


def read_flagged(path: Path) -> tuple[tuple[Flagged, ...], list[Problem]]:
    """content/language/flagged-phrases.yaml: each phrase with what to say instead and a source."""
    name = shown_path(path)
    data, problems = read_yaml(path, name)
    if data is None:
        return (), problems
    entries = data.get("phrases") if isinstance(data, Located) else None
    if not isinstance(entries, LocatedList):
        return (), [*problems, Problem(name, 1, "the file needs a 'phrases:' list.")]
    found = []
    for entry, line in zip(entries, entries.item_lines, strict=True):
        if not (
            isinstance(entry, Located)
            and all(isinstance(entry.get(k), str) and entry[k].strip() for k in FLAGGED_KEYS)
        ):
            problems.append(
                Problem(name, line, "each entry needs 'phrase:', 'instead:' and 'source:'.")
            )
            continue
        if not entry["source"].startswith("https://"):
            problems.append(Problem(name, entry.line_of("source"), "the source must be https."))
        found.append(Flagged(entry["phrase"].strip().lower(), entry["instead"].strip()))
    return tuple(found), problems


def messages(step: Step, band: Band | None = None) -> list[tuple[str, str, int]]:
    """What a child of a band reads at this step, one entry per message: (what, words, line)."""
    question = " " + step.question.in_band(band) if step.question else ""
    found = [("text", step.text.in_band(band) + question, step.line)]
    for choice in step.choices:
        if choice.feedback:
            found.append(("feedback", choice.feedback.in_band(band), choice.line))
    return found


def _differs(step: Step) -> bool:
    """Whether the bands read different words anywhere in this step."""
    texts: list[Text | None] = [step.text, step.question]
    texts += [c.feedback for c in step.choices]
    return any(t is not None and t.older is not None for t in texts)


def grade_limit(dialog: Dialog, step: Step, band: Band) -> float:
    """The highest reading grade this step's messages may have for a band: words both
    bands read must be simple enough for the younger one."""
    return MAX_GRADE[BANDS[0]] if shares_words(dialog, step) else MAX_GRADE[band]


def shares_words(dialog: Dialog, step: Step) -> bool:
    """Whether both of the lesson's bands read this step in the same words."""
    return len(dialog.bands) > 1 and not _differs(step)


def band_messages(dialog: Dialog) -> dict[Band, list[tuple[Step, str, str, int]]]:
    """Each band's messages in the lesson: (step, what, words, line)."""
    return {
        band: [
            (step, what, words, line)
            for step in dialog.steps.values()
            for what, words, line in messages(step, band)
        ]
        for band in dialog.bands
    }


@dataclass(frozen=True)
class Grades:
    """One band's reading grades over a lesson's messages of eight words or more."""

    band: Band
    average: float
    highest: float
    messages: int


def reading_grades(dialog: Dialog) -> list[Grades]:
    """The reading grade of each band's messages, as `safebot check` reports it."""
    found = []
    for band, listed in band_messages(dialog).items():
        grades = [
            reading_grade(words)
            for _s, _w, words, _l in listed
            if len(words.split()) >= GRADED_WORDS
        ]
        if grades:
            average = round(sum(grades) / len(grades), 1)
            found.append(Grades(band, average, max(grades), len(grades)))
    return found


def check_quality(dialog: Dialog, flagged: tuple[Flagged, ...] = ()) -> list[Problem]:
    """Problems a youth reviewer would raise; only lessons are held to them."""
    if not dialog.is_lesson:
        return []
    problems: list[Problem] = []
    path = dialog.path
    seen: set[tuple[str, str]] = set()
    for band, listed in band_messages(dialog).items():
        for step, what, words, line in listed:
            if (step.id, words) in seen:
                continue  # the same words for both bands: reported once
            seen.add((step.id, words))
            # words both bands read must be simple enough for the younger one
            shared = shares_words(dialog, step)
            limit = grade_limit(dialog, step, band)
            for_band = "" if shared or len(dialog.bands) == 1 else f" for {band}"
            count = len(words.split())
            if count > MAX_WORDS:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"step '{step.id}': the {what} has {count} "
                        f"words; keep a message under {MAX_WORDS}. Split the step "
                        "or say it more simply.",
                    )
                )
            grade = reading_grade(words)
            if count >= GRADED_WORDS and grade > limit:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"step '{step.id}': the {what}{for_band} reads at "
                        f"grade {grade:.1f}; aim for {limit:.0f} or less. Use "
                        "shorter sentences and everyday words.",
                    )
                )
            problems += _flagged(flagged, path, line, step.id, words)
    for grades in reading_grades(dialog):
        if grades.band == BANDS[1] and grades.average < TEEN_FLOOR:
            problems.append(
                Problem(
                    path,
                    dialog.lines.get("steps", 0),
                    f"for 13-17 the lesson reads at grade {grades.average:.1f} on average, "
                    "which reads as written for young children. Write the 13-17 text apart "
                    "('13-17:' under text) and aim at grade 5 to 7.",
                    "warning",
                )
            )
    for text, _note, line in dialog.texts():
        if line == 0:
            for _band, words in text.variants():
                problems += _flagged(flagged, path, dialog.lines.get("key_message", 0), "", words)
    problems += _help_on_every_path(dialog)
    return problems


def _flagged(
    flagged: tuple[Flagged, ...], path: str, line: int, step_id: str, words: str
) -> list[Problem]:
    where = f"step '{step_id}': " if step_id else ""
    return [
        Problem(
            path,
            line,
            f"{where}'{f.phrase}' can hurt or mislead a child. Say instead: {f.instead}.",
        )
        for f in flagged
        if f.found_in(words)
    ]


def _help_on_every_path(dialog: Dialog) -> list[Problem]:
    """No path from the start reaches an end without passing a help hand-off."""
    helped = {s.id for s in dialog.steps.values() if "show_help" in s.actions}
    seen: set[str] = set()
    todo = [dialog.start] if dialog.start not in helped else []
    while todo:
        step = dialog.steps[todo.pop()]
        if step.id in seen:
            continue
        seen.add(step.id)
        if step.end:
            return [
                Problem(
                    dialog.path,
                    step.line,
                    f"a child can reach the end '{step.id}' "
                    "without seeing where to get help. Put a step with "
                    "'actions: [show_help]' on every path to the end.",
                )
            ]
        todo += [
            c.next
            for c in step.choices
            if c.next and c.next in dialog.steps and c.next not in helped
        ]
    return []
