"""The authors' guide: every example is a real file that loads without mistakes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.loader import read_dialog
from bot.quality import check_quality

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_loads_without_mistakes(path: Path) -> None:
    dialog, problems = read_dialog(path)
    assert dialog is not None and problems == []
    assert check_quality(dialog) == []


def snippets(guide: Path) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", guide.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("guide", ["docs/authoring.md", "README.md"])
def test_every_yaml_snippet_comes_from_a_real_file(guide: str) -> None:
    files = [p.read_text(encoding="utf-8") for p in [*EXAMPLES, ROOT / "dialogs/example.yaml"]]
    for snippet in snippets(ROOT / guide):
        lines = [line for line in snippet.splitlines() if line.strip()]
        assert any(all(line in text.splitlines() for line in lines) for text in files), snippet


def test_the_readme_shows_the_two_quick_start_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
