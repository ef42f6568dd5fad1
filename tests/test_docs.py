"""The authors' guide: every example is a real file that loads without mistakes, the
`safebot check` output it shows is what the command says, and its commands exist."""

from __future__ import annotations

import re
import shlex
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.content.dialogs import read_dialog
from bot.content.model import ACTIONS
from bot.content.quality import check_quality
from bot.tools.check import check_paths, grades_table
from bot.tools.cli import _parser
from bot.tools.signoff import signoff_table

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "authoring.md"
EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.yaml"))
MISTAKES = ROOT / "docs" / "examples" / "mistakes" / "online_friends.yaml"


def blocks(guide: Path, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", guide.read_text(encoding="utf-8"), re.S)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_loads_without_mistakes(path: Path) -> None:
    dialog, problems = read_dialog(path)
    assert dialog is not None and problems == []
    assert check_quality(dialog) == []


@pytest.mark.parametrize("snippet", blocks(GUIDE, "yaml"), ids=lambda s: lines(s)[0].strip())
def test_each_snippet_of_the_guide_is_a_piece_of_an_example(snippet: str) -> None:
    """Line for line, in the same order and indentation, in one of docs/examples/*.yaml."""
    wanted = lines(snippet)
    for path in EXAMPLES:
        have = lines(path.read_text(encoding="utf-8"))
        if any(have[i : i + len(wanted)] == wanted for i in range(len(have))):
            return
    raise AssertionError(f"not in any of docs/examples/*.yaml:\n{snippet}")


def test_the_readme_snippet_comes_from_the_complete_example() -> None:
    files = [p.read_text(encoding="utf-8") for p in [*EXAMPLES, ROOT / "dialogs/example.yaml"]]
    for snippet in blocks(ROOT / "README.md", "yaml"):
        wanted = lines(snippet)
        assert any(all(line in text.splitlines() for line in wanted) for text in files), snippet


def test_the_check_output_in_the_guide_is_what_check_says() -> None:
    """The guide shows the mistakes file as if it were copied to dialogs/."""
    (shown,) = blocks(GUIDE, "text")
    checked = check_paths([MISTAKES], date.today())
    problems = sorted(checked.problems)
    said = [str(replace(p, path="dialogs/online_friends.yaml")) for p in problems]
    said += grades_table(checked.dialogs) + signoff_table(checked.dialogs)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    said.append(
        f"safebot check: {checked.summary()}: {errors} errors, {warnings} warning"
        + "s" * (warnings != 1)
    )
    assert lines(shown) == said


def test_every_command_in_the_guide_exists() -> None:
    parser = _parser()
    commands = [line for block in blocks(GUIDE, "sh") for line in lines(block)]
    commands += re.findall(r"`(safebot [^`]+)`", GUIDE.read_text(encoding="utf-8"))
    for command in commands:
        words = shlex.split(command.split("#")[0])
        if words[0] != "safebot" or words[1].endswith(":"):  # its output, not a command
            continue
        parser.parse_args(words[1:])  # exits (fails the test) on an unknown command or option


def test_the_readme_shows_the_two_quick_start_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


CURRICULUM = sorted(p for p in (ROOT / "docs" / "curriculum").glob("*.md") if p.stem != "bands")


@pytest.mark.parametrize("page", CURRICULUM, ids=lambda p: p.stem)
def test_each_lesson_page_maps_the_guidance_to_steps_that_exist(page: Path) -> None:
    """The table of what the content guidance asks and the step that teaches it names real
    steps, and the learning checks it describes are the lesson's own."""
    dialog, problems = read_dialog(ROOT / "dialogs" / f"{page.stem}.yaml")
    assert dialog is not None, problems
    text = page.read_text(encoding="utf-8")
    rows = [line.split("|") for line in text.splitlines() if line.startswith("| §")]
    assert rows, f"{page.name} has no table mapping the content guidance to steps"
    for row in rows:
        named = set(re.findall(r"`([a-z0-9_]+)`", row[2])) - set(ACTIONS)
        assert named or "whole lesson" in row[2], f"{page.name}: no step for {row[1].strip()}"
        assert named <= set(dialog.steps), f"{page.name}: {named - set(dialog.steps)}"
    checks = {s.check.question for s in dialog.steps.values() if s.check}
    described = set(re.findall(r"^\| `([a-z0-9_]+)` \|", text, re.M)) - set(dialog.steps)
    assert checks <= described | set(dialog.steps), checks - described
