"""Checks of a lesson's words and paths, beyond the format: reading ease, length,
victim-blaming or outdated phrases, and help on every path."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pyphen
import yaml

from bot.config import PROJECT_ROOT
from bot.model import Dialog, Step
from bot.problems import Problem

MAX_GRADE = 7.0  # Flesch-Kincaid grade: a 12-year-old reads it easily
MAX_WORDS = 80
FLAGGED_FILE = PROJECT_ROOT / "content" / "language" / "flagged-phrases.yaml"


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


@cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


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


@cache
def flagged_phrases(path: Path = FLAGGED_FILE) -> tuple[tuple[str, str], ...]:
    """(phrase, what to say instead) pairs, from content/language/flagged-phrases.yaml."""
    if not path.exists():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple((str(e["phrase"]).lower(), str(e["instead"])) for e in data.get("phrases", []))


def messages(step: Step) -> list[tuple[str, str, int]]:
    """What a child reads at this step, one entry per message: (what, words, line)."""
    found = [
        (
            "text",
            step.text.source + (" " + step.question.source if step.question else ""),
            step.line,
        )
    ]
    for choice in step.choices:
        if choice.feedback:
            found.append(("feedback", choice.feedback.source, choice.line))
    return found


def check_quality(dialog: Dialog) -> list[Problem]:
    """Problems a youth reviewer would raise; only lessons are held to them."""
    if not dialog.is_lesson:
        return []
    problems: list[Problem] = []
    path = dialog.path
    for step in dialog.steps.values():
        for what, words, line in messages(step):
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
            if count >= 8 and grade > MAX_GRADE:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"step '{step.id}': the {what} reads at "
                        f"grade {grade:.1f}; aim for {MAX_GRADE:.0f} or less. Use "
                        "shorter sentences and everyday words.",
                    )
                )
            problems += _flagged(path, line, step.id, words)
    for text, _note, line in dialog.texts():
        if line == 0:
            problems += _flagged(path, dialog.lines.get("key_message", 0), "", text.source)
    problems += _help_on_every_path(dialog)
    return problems


def _flagged(path: str, line: int, step_id: str, words: str) -> list[Problem]:
    found = []
    lowered = words.lower()
    for phrase, instead in flagged_phrases():
        if re.search(r"\b" + re.escape(phrase) + r"\b", lowered):
            where = f"step '{step_id}': " if step_id else ""
            found.append(
                Problem(
                    path,
                    line,
                    f"{where}'{phrase}' can hurt or mislead a child. Say instead: {instead}.",
                )
            )
    return found


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
