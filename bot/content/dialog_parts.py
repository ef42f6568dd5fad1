"""Reading the parts of a dialog file, each checked as it is read: texts (one, or one per
age band), lists, choices among known words, steps, choices, actions and learning checks.
The file as a whole is bot.content.dialogs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from bot.content.model import (
    ACTIONS,
    BANDS,
    HELP_TOPICS,
    ID_PATTERN,
    MAX_LABEL,
    MAX_TEXT,
    PHASES,
    Check,
    Choice,
    Phase,
    Step,
    Text,
)
from bot.content.yamlfile import Located, LocatedList
from bot.errors import Problem, did_you_mean

STEP_KEYS = {"text", "question", "choices", "end", "actions", "check", "note", "help"}
CHOICE_KEYS = {"label", "next", "dialog", "feedback", "correct"}
CHECK_KEYS = {"question", "phase"}


class PartReader:
    """Reads the parts of one dialog file, noting every problem instead of stopping."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.path, line, message, severity))  # type: ignore[arg-type]

    def keys(self, where: Located, allowed: set[str], what: str) -> None:
        for key in where:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f" Known keys: {', '.join(sorted(allowed))}."
                self.problem(where.line_of(key), f"{what} has an unknown key '{key}'.{hint}")

    def text(self, where: Located, key: str, context: str, what: str) -> Text | None:
        """One text for every band, or `{10-12: ..., 13-17: ...}`: one per band."""
        value = where.get(key)
        if value is None:
            return None
        line = where.line_of(key)
        if isinstance(value, Located):
            return self.band_texts(value, key, context, what)
        words = self.words(value, line, key, what)
        return Text(context, words) if words is not None else None

    def band_texts(self, value: Located, key: str, context: str, what: str) -> Text | None:
        shape = f"{what}: the {key} is one text, or one per age band: '10-12:' and '13-17:'."
        for band in value:
            if band not in BANDS:
                self.problem(value.line_of(band), f"{shape} '{band}' is not an age band.")
        if set(value) != set(BANDS):
            if set(value) <= set(BANDS):
                self.problem(value.line, shape)
            return None
        younger = self.words(value[BANDS[0]], value.line_of(BANDS[0]), key, what)
        older = self.words(value[BANDS[1]], value.line_of(BANDS[1]), key, what)
        if younger is None or older is None:
            return None
        return Text(context, younger, older)

    def words(self, value: object, line: int, key: str, what: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.problem(line, f"{what}: the {key} is empty. Write some words.")
            return None
        if len(value) > MAX_TEXT:
            self.problem(
                line,
                f"{what}: the {key} has {len(value)} characters; Telegram shows at most "
                f"{MAX_TEXT}. Split it into two steps.",
            )
        return value.strip()

    def required(self, where: Located, keys: Iterable[str], what: str) -> None:
        for key in keys:
            if key not in where:
                self.problem(where.line, f"{what} needs a '{key}'.")

    def string_list(self, where: Located, key: str, what: str) -> tuple[str, ...]:
        value = where.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.problem(where.line_of(key), f"{what} '{key}' must be a list of names or links.")
            return ()
        return tuple(value)

    def choice_of(self, where: Located, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = where.get(key, default)
        if value not in allowed:
            hint = did_you_mean(str(value), set(allowed)) or f" Use one of: {', '.join(allowed)}."
            self.problem(where.line_of(key), f"{key} '{value}' is not known.{hint}")
            return default
        return str(value)

    def step(self, body: Located, step_id: str, context: str, line: int) -> Step:
        what = f"step '{step_id}'"
        self.keys(body, STEP_KEYS, what)
        if "text" not in body:
            self.problem(line, f"{what} needs a 'text'.")
        text = self.text(body, "text", context, what)
        question = self.text(body, "question", context, what)
        if (
            text
            and question
            and any(len(text.in_band(b)) + len(question.in_band(b)) + 2 > MAX_TEXT for b in BANDS)
        ):
            self.problem(
                line,
                f"{what}: text and question together are over {MAX_TEXT} "
                "characters. Split the step in two.",
            )
        end = body.get("end", False)
        if end not in (True, False):
            self.problem(body.line_of("end"), f"{what}: end must be true or false.")
        choices = self.choices(body, context, what)
        if end is True and choices:
            self.problem(line, f"{what} has both 'end: true' and choices. Keep one of them.")
        if end is not True and not choices and "choices" not in body:
            self.problem(
                line,
                f"{what} is a dead end: it has no choices and is not an end. "
                "Add choices, or 'end: true'.",
            )
        actions = self.actions(body, what)
        check = self.check(body, what, choices)
        note = body.get("note")
        help_topic = body.get("help")
        if help_topic is not None and help_topic not in HELP_TOPICS:
            hint = did_you_mean(str(help_topic), set(HELP_TOPICS)) or (
                f" Use one of: {', '.join(HELP_TOPICS)}."
            )
            self.problem(body.line_of("help"), f"{what}: help '{help_topic}' is not known.{hint}")
            help_topic = None
        if help_topic is not None and "show_help" not in actions:
            self.problem(
                body.line_of("help"),
                f"{what} says which help to show but does not show it. Add 'actions: [show_help]'.",
            )
        return Step(
            id=step_id,
            # a step without words is reported above; keeping it keeps the flow checks true
            text=text or Text(context, ""),
            question=question,
            choices=choices,
            end=end is True,
            actions=actions,
            check=check,
            note=note if isinstance(note, str) else None,
            help=help_topic,
            line=line,
        )

    def choices(self, body: Located, context: str, what: str) -> tuple[Choice, ...]:
        raw = body.get("choices")
        if raw is None:
            return ()
        if not isinstance(raw, LocatedList) or not raw:
            self.problem(body.line_of("choices"), f"{what}: choices must be a list of buttons.")
            return ()
        found = []
        for item, line in zip(raw, raw.item_lines, strict=True):
            if not isinstance(item, Located):
                self.problem(line, f"{what}: each choice needs a 'label' and a 'next'.")
                continue
            self.keys(item, CHOICE_KEYS, "this choice")
            label = self.text(item, "label", context, "the choice")
            if "label" not in item:
                self.problem(line, "this choice needs a 'label': the words on the button.")
            for _band, words in label.variants() if label else ():
                if len(words) > MAX_LABEL:
                    self.problem(
                        item.line_of("label"),
                        f"the button '{words}' has {len(words)} characters; at most "
                        f"{MAX_LABEL} fit on a phone screen. Shorten it, and move the rest to "
                        "the question.",
                    )
            targets = [k for k in ("next", "dialog") if k in item]
            if len(targets) != 1:
                self.problem(
                    line,
                    "this choice needs either 'next' (a step) or 'dialog' (another dialog).",
                )
            for key in targets:
                if not isinstance(item[key], str) or not ID_PATTERN.match(item[key]):
                    self.problem(item.line_of(key), bad_id(f"'{key}'", item[key]))
            correct = item.get("correct", False)
            if correct not in (True, False):
                self.problem(item.line_of("correct"), "correct must be true or false.")
            feedback = self.text(item, "feedback", context, "the choice")
            if label:
                found.append(
                    Choice(
                        label=label,
                        next=item.get("next"),
                        dialog=item.get("dialog"),
                        feedback=feedback,
                        correct=correct is True,
                        line=line,
                    )
                )
        return tuple(found)

    def actions(self, body: Located, what: str) -> tuple[str, ...]:
        raw = body.get("actions", [])
        if not isinstance(raw, list):
            self.problem(
                body.line_of("actions"), f"{what}: actions must be a list, like [show_help]."
            )
            return ()
        lines = (
            raw.item_lines if isinstance(raw, LocatedList) else [body.line_of("actions")] * len(raw)
        )
        for name, line in zip(raw, lines, strict=True):
            if name not in ACTIONS:
                hint = did_you_mean(str(name), set(ACTIONS)) or (
                    f" Known actions: {', '.join(sorted(ACTIONS))}."
                )
                self.problem(
                    line, f"{what} asks for the action '{name}', which does not exist.{hint}"
                )
        return tuple(str(name) for name in raw)

    def check(self, body: Located, what: str, choices: tuple[Choice, ...]) -> Check | None:
        raw = body.get("check")
        if raw is None:
            if any(c.correct for c in choices):
                self.problem(
                    body.line,
                    f"{what} marks a choice 'correct' but is not a learning "
                    "check. Add check: {question: ..., phase: before}.",
                )
            return None
        line = body.line_of("check")
        if not isinstance(raw, Located):
            self.problem(
                line, f"{what}: check must look like {{question: secrets, phase: before}}."
            )
            return None
        self.keys(raw, CHECK_KEYS, "check")
        question, phase = raw.get("question"), raw.get("phase")
        if not isinstance(question, str) or not ID_PATTERN.match(question):
            self.problem(line, bad_id("the check question", question))
            return None
        if phase not in PHASES:
            self.problem(line, f"check phase '{phase}' is not known. Use 'before' or 'after'.")
            return None
        if not any(c.correct for c in choices):
            self.problem(line, f"{what} is a learning check, so one choice needs 'correct: true'.")
        return Check(question, cast(Phase, phase))


def bad_id(what: str, value: object) -> str:
    return (
        f"{what} '{value}' is not a valid id: use lower-case letters, digits and '_', "
        "starting with a letter (like 'meet_mo')."
    )
