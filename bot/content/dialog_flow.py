"""Checks of a dialog as a whole, after its steps are read: every choice leads somewhere,
every step can be reached and can reach an end, learning checks come in fair pairs, and
links between dialogs exist."""

from __future__ import annotations

from collections.abc import Mapping

from bot.content.model import Dialog, Step
from bot.content.yamlfile import Located
from bot.errors import Problem, Severity, did_you_mean

MIN_CHECK_OPTIONS = 3  # two options, one plainly wrong, measure nothing
# the rules that make learning checks measure something: a lesson that breaks them can't
# say what children learned
CHECK_RULES: Severity = "error"


class FlowCheck:
    """The problems of one dialog's flow, located in its file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str, severity: Severity = "error") -> None:
        self.problems.append(Problem(self.path, line, message, severity))

    def flow(self, dialog: Dialog, data: Located) -> None:
        """Targets exist, every step is reachable, and every step can reach an end."""
        steps = dialog.steps
        step_lines = data["steps"]
        broken = False
        for step in steps.values():
            broken = broken or (not step.end and not step.choices)  # a dead end
            for choice in step.choices:
                if choice.next and choice.next not in steps:
                    broken = True
                    self.problem(
                        choice.line,
                        f"choice goes to '{choice.next}', which does not exist."
                        f"{did_you_mean(choice.next, set(steps))}",
                    )
        if broken:
            return  # the broken link explains any step that looks unreachable or stuck
        reachable = _reachable(_edges(steps), [dialog.start])
        for step_id in steps:
            if step_id not in reachable:
                self.problem(
                    step_lines.line_of(step_id),
                    f"step '{step_id}' can never be reached: no choice leads to it. "
                    "Add a choice that goes there, or remove the step.",
                )
        exits = [s.id for s in steps.values() if s.end or any(c.dialog for c in s.choices)]
        can_finish = _reachable(_reversed(steps), exits)
        for step_id in sorted(reachable - can_finish, key=lambda s: step_lines.line_of(s)):
            self.problem(
                step_lines.line_of(step_id),
                f"from step '{step_id}' there is no way to reach an end: every path goes "
                "round in a circle. Add a choice that leads on to an end.",
            )
        befores = {
            s.check.question for s in steps.values() if s.check and s.check.phase == "before"
        }
        afters = {s.check.question for s in steps.values() if s.check and s.check.phase == "after"}
        for missing in sorted(befores ^ afters):
            self.problem(
                data.line_of("steps"),
                f"the learning check '{missing}' is asked only "
                f"{'before' if missing in befores else 'after'} the story. Ask it both "
                "before and after, so the change can be measured.",
            )
        if dialog.is_lesson:
            self.check_pairs(dialog)

    def check_pairs(self, dialog: Dialog) -> None:
        """A learning check is a pair of equivalent questions: different words after the
        story than before it, the same number of plausible options, at least three."""
        asked: dict[str, dict[str, Step]] = {}
        for step in dialog.steps.values():
            if step.check:
                asked.setdefault(step.check.question, {})[step.check.phase] = step
        for question, pair in asked.items():
            for step in pair.values():
                if len(step.choices) < MIN_CHECK_OPTIONS:
                    self.problem(
                        step.line,
                        f"step '{step.id}': the learning check '{question}' has "
                        f"{len(step.choices)} options. Give {MIN_CHECK_OPTIONS} or 4 that a "
                        "child could really choose, so that a right answer means something.",
                        CHECK_RULES,
                    )
            before, after = pair.get("before"), pair.get("after")
            if before is None or after is None:
                continue
            if len(before.choices) != len(after.choices):
                self.problem(
                    after.line,
                    f"step '{after.id}': the learning check '{question}' has "
                    f"{len(after.choices)} options after the story and {len(before.choices)} "
                    "before it. Give both the same number, so the two can be compared.",
                    CHECK_RULES,
                )
            if _asked_as(before) == _asked_as(after):
                self.problem(
                    after.line,
                    f"step '{after.id}': the learning check '{question}' is asked in the same "
                    "words before and after the story. Ask an equivalent question in other "
                    "words, so that a child who remembers the first answer is not just "
                    "repeating it.",
                    CHECK_RULES,
                )


def _asked_as(step: Step) -> tuple[str, ...]:
    question = step.question or step.text
    return (question.source, *(c.label.source for c in step.choices))


def _edges(steps: Mapping[str, Step]) -> dict[str, set[str]]:
    return {s.id: {c.next for c in s.choices if c.next and c.next in steps} for s in steps.values()}


def _reversed(steps: Mapping[str, Step]) -> dict[str, set[str]]:
    back: dict[str, set[str]] = {step_id: set() for step_id in steps}
    for source, targets in _edges(steps).items():
        for target in targets:
            back[target].add(source)
    return back


def _reachable(edges: dict[str, set[str]], roots: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = [r for r in roots if r in edges]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges[node] - seen)
    return seen


def link_problems(dialogs: dict[str, Dialog], unreadable: set[str]) -> list[Problem]:
    """Choices that open other dialogs, and suggested next lessons, must exist."""
    found = []
    for dialog in dialogs.values():
        for step in dialog.steps.values():
            for choice in step.choices:
                # a file that could not be read is reported itself: don't blame its users
                if choice.dialog and choice.dialog not in dialogs | dict.fromkeys(unreadable):
                    found.append(
                        Problem(
                            dialog.path,
                            choice.line,
                            f"choice opens the dialog "
                            f"'{choice.dialog}', which does not exist."
                            f"{did_you_mean(choice.dialog, set(dialogs))}",
                        )
                    )
        nxt = dialog.next_lesson
        if nxt and nxt not in unreadable and (nxt not in dialogs or not dialogs[nxt].is_lesson):
            found.append(
                Problem(
                    dialog.path,
                    dialog.lines.get("next_lesson", 0),
                    f"next_lesson '{nxt}' is not a lesson."
                    f"{did_you_mean(nxt, {d.id for d in dialogs.values() if d.is_lesson})}",
                )
            )
    return found
