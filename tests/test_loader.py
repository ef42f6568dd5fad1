"""The loader reads the shipped dialogs and explains every mistake in the bad corpus."""

import re
from pathlib import Path

import pytest

from bot.content.dialogs import load_dialogs, read_dialog, read_dialogs
from bot.content.quality import check_quality, read_flagged
from bot.errors import ProblemsFound

ROOT = Path(__file__).resolve().parent.parent
BAD = sorted((ROOT / "tests" / "data" / "bad").glob("*.yaml"))


def expectation(path: Path) -> tuple[int, str]:
    """Each bad file names, on its first line, the line and the words it must produce."""
    found = re.match(r"# expect: (\d+): (.+)", path.read_text().splitlines()[0])
    assert found, f"{path.name} needs a first line '# expect: LINE: message'"
    return int(found.group(1)), found.group(2).strip()


FLAGGED, _ = read_flagged(ROOT / "content" / "language" / "flagged-phrases.yaml")


def problems_of(path: Path) -> list[str]:
    dialogs, problems = read_dialogs([path])
    for dialog in dialogs.values():
        problems += check_quality(dialog, FLAGGED)
    return [str(p) for p in problems]


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_each_bad_file_is_explained_with_file_and_line(path: Path) -> None:
    line, words = expectation(path)
    messages = problems_of(path)
    where = f"tests/data/bad/{path.name}:{line}: "
    assert any(m.startswith(where) and words in m for m in messages), messages


def test_the_bad_corpus_covers_every_kind_of_mistake() -> None:
    kinds = {p.stem for p in BAD}
    assert {
        "unknown_target",
        "unreachable_step",
        "dead_end",
        "no_way_to_end",
        "duplicate_step",
        "empty_text",
        "long_label",
        "long_text",
        "unknown_action",
        "yaml_syntax",
    } <= kinds


def test_a_typo_in_a_target_gets_a_suggestion() -> None:
    messages = problems_of(ROOT / "tests/data/bad/unknown_target.yaml")
    assert messages == [
        "tests/data/bad/unknown_target.yaml:16: choice goes to 'quizz', which does not "
        "exist. Did you mean 'quiz'?"
    ]


def test_the_shipped_dialogs_load_without_errors() -> None:
    dialogs = load_dialogs(ROOT / "dialogs")
    assert "example" in dialogs


def test_the_example_uses_every_key_the_readme_documents() -> None:
    readme = (ROOT / "README.md").read_text()
    tables = readme[readme.index("### Dialog keys") : readme.index("How translations survive")]
    documented = set(re.findall(r"^\| `([a-z_]+)", tables, re.M))
    used = set(re.findall(r"\b([a-z_]+):", (ROOT / "dialogs/example.yaml").read_text()))
    assert len(documented) > 20
    assert documented - used == {"dialog"}  # opening another dialog: see welcome.yaml
    assert "dialog: menu" in (ROOT / "dialogs/welcome.yaml").read_text()


def test_load_dialogs_raises_with_every_error_at_once(tmp_path: Path) -> None:
    for name in ("unknown_target", "dead_end"):
        (tmp_path / f"{name}.yaml").write_text((ROOT / f"tests/data/bad/{name}.yaml").read_text())
    with pytest.raises(ProblemsFound) as raised:
        load_dialogs(tmp_path)
    text = str(raised.value)
    assert "quizz" in text and "dead end" in text


def test_yes_and_no_stay_words_on_buttons(tmp_path: Path) -> None:
    source = (ROOT / "dialogs/example.yaml").read_text().replace("label: Next", "label: No", 1)
    (tmp_path / "example.yaml").write_text(source)
    dialog, _problems = read_dialog(tmp_path / "example.yaml")
    assert dialog is not None
    assert dialog.steps["meet_mo"].choices[0].label.source == "No"


def test_every_author_string_has_a_stable_context() -> None:
    dialog, _ = read_dialog(ROOT / "dialogs" / "example.yaml")
    assert dialog is not None
    contexts = {text.context for text, _note, _line in dialog.texts()}
    assert "example.meet_mo" in contexts
    assert all(c == "example" or c.startswith("example.") for c in contexts)


@pytest.mark.parametrize(
    ("by", "a_name"),
    [
        ("Amina Otieno", True),
        ("Jonas", True),
        ("Youth panel, Nairobi", False),
        ("Safeguarding lead, Example NGO", False),
        ("safebot project", False),
        ("Nairobi Youth Advisory Group", False),
    ],
)
def test_a_sign_off_by_a_person_is_told_apart_from_a_group(by: str, a_name: bool) -> None:
    from bot.content.review import looks_like_a_name

    assert looks_like_a_name(by) == a_name


def test_a_day_that_does_not_exist_is_a_problem_on_its_line(tmp_path: Path) -> None:
    """YAML would stop the whole check on 2026-13-01; the author gets the line instead."""
    source = (ROOT / "dialogs/example.yaml").read_text()
    (tmp_path / "example.yaml").write_text(source.replace("on: 2026-11-24}", "on: 2026-13-01}", 1))
    _dialog, problems = read_dialog(tmp_path / "example.yaml")
    assert [(p.line, p.message) for p in problems] == [
        (12, "review: en drafted is on '2026-13-01': write the day as YYYY-MM-DD, like 2026-11-24.")
    ]


def test_the_shipped_lessons_claim_no_review_by_young_people() -> None:
    """Written by the project; no youth group has reviewed them yet, in any language."""
    for dialog in load_dialogs(ROOT / "dialogs").values():
        for language, bands in dialog.review.items():
            for band, review in bands.items():
                where = f"{dialog.id} {language} {band}"
                assert review.drafted and review.drafted.by == "safebot project", where
                assert review.reviewed is None and review.approved is None, where
        assert dialog.status != "approved", dialog.id
