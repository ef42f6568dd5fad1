"""Golden transcripts: one full path through each lesson, as plain text in tests/golden/.

When a lesson changes on purpose, run `UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`
and read the difference in git: it is what a child will now read.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.core.conversation import Incoming
from bot.core.turn import Turns
from bot.render.text import Reply
from tests.transcript import DISCLOSURES, answer_lines, choice_data

GOLDEN = Path(__file__).parent / "golden"
LESSONS = ["grooming", "sextortion", "reporting"]


def transcript(turns: Turns[Reply], lesson: str, country: str | None = "") -> str:
    # "" = the child preferred not to say: the worldwide hand-off, which changes rarely
    """Play a lesson taking, at every step, the choice the author marked correct or the first."""
    key = turns.key("golden", lesson)
    answer = turns.play(key, lesson, settings={"locale": "en", "country": country})
    lines = [f"# {lesson}: the first choice (or the right one) at every step", ""]
    lines += answer_lines(answer)
    for _ in range(40):
        position = turns.store.child(key).position
        assert position is not None
        step = turns.conversation.engine.dialogs[lesson].steps[position.step]
        if step.end:
            return "\n".join(lines) + "\n"
        index = next((i for i, c in enumerate(step.choices) if c.correct), 0)
        lines += ["", f"child: [{step.choices[index].label.source}]"]
        answer = turns.handle(key, Incoming("press", arg=choice_data(answer, index)))
        lines += answer_lines(answer)
    raise AssertionError(f"{lesson} did not end within 40 steps")


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_reads_as_its_golden_transcript(turns: Turns[Reply], lesson: str) -> None:
    actual = transcript(turns, lesson)
    path = GOLDEN / f"{lesson}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden transcript yet: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("category", "country"), [
    *((category, "GB") for category in sorted(DISCLOSURES)),
    ("suicide", ""),  # a child who has not said their country
    ("suicide", "KE"),
])  # fmt: skip
def test_each_disclosure_reads_as_its_golden_transcript(
    turns: Turns[Reply], category: str, country: str
) -> None:
    """The first screen a child sees after telling the bot something, by what they told."""
    key = turns.key("golden", f"{category}-{country}")
    if country:
        turns.handle(key, Incoming("command", name="country", arg=country, language="en"))
    text = DISCLOSURES[category]
    answer = turns.handle(key, Incoming("text", arg=text, language="en"))
    lines = [f"# {category}, in {country or 'a country not said yet'}", "", f"child: {text}"]
    actual = "\n".join([*lines, *answer_lines(answer)]) + "\n"
    path = GOLDEN / "disclosures" / f"{category}-{country or 'anywhere'}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden transcript yet: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert actual == path.read_text(encoding="utf-8")
