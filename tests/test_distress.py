"""Distress phrases: every must-match sentence gets help, no everyday sentence does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.distress import check_keywords, load_keywords, normalise

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = load_keywords(ROOT / "content" / "keywords")
CORPORA = sorted((ROOT / "tests" / "data" / "distress").glob("*.yaml"))


def cases(kind: str) -> list[tuple[str, str]]:
    found = []
    for path in CORPORA:
        locale = path.stem
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += [(locale, sentence) for sentence in data[kind]]
    return found


@pytest.mark.parametrize(("locale", "sentence"), cases("must_match"))
def test_a_child_in_distress_is_heard(locale: str, sentence: str) -> None:
    assert KEYWORDS[locale].match(sentence) is not None


@pytest.mark.parametrize(("locale", "sentence"), cases("must_not_match"))
def test_everyday_words_do_not_interrupt(locale: str, sentence: str) -> None:
    assert KEYWORDS[locale].match(sentence) is None


def test_every_language_with_phrases_has_a_corpus() -> None:
    assert {p.stem for p in CORPORA} == set(KEYWORDS)


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("Heeelp ME pleeease!!", "help me please"),
        ("he has my n00dz", "he has my nodz"),
        ("Está chantajeándome", "esta chantajeandome"),
        ("مُسَاعَدَة", "مساعدة"),
        ("I\u200bm sc\u00adared", "im scared"),
        ("grade 10 photos", "grade 10 photos"),
    ],
)
def test_normalising_folds_what_children_vary(typed: str, normal: str) -> None:
    assert normalise(typed) == normal


def test_the_shipped_phrase_files_have_no_mistakes() -> None:
    assert check_keywords(ROOT / "content" / "keywords") == []


def test_mistakes_in_a_phrase_file_are_explained(tmp_path: Path) -> None:
    (tmp_path / "en.yaml").write_text(
        "language: en\nphrases:\n  treat:\n    - blackmail*\n  fear:\n    - help\n"
        "    - help me\n    - HELP  ME\n"
    )
    messages = [str(p) for p in check_keywords(tmp_path)]
    assert messages == [
        f"{tmp_path}/en.yaml:3: the group 'treat' is not known. Did you mean 'threat'?",
        f"{tmp_path}/en.yaml:6: 'help' alone is too common: it would interrupt children who "
        "are not in distress. Use a longer phrase, like 'help me'.",
        f"{tmp_path}/en.yaml:8: 'HELP  ME' is the same as the phrase on line 7 once case, "
        "accents and repeated letters are ignored. Remove one.",
    ]
