"""Distress phrases: every must-match sentence gets help, no everyday sentence does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.content.keywords import (
    GROUPS,
    DistressPhrases,
    normalise,
    phrases_for,
    read_keywords,
)
from bot.errors import shown_path

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS_DIR = ROOT / "content" / "keywords"


def load_keywords(*folders: Path) -> dict[str, DistressPhrases]:
    files = {p.name: p for f in folders for p in sorted(f.glob("*.yaml"))}
    return read_keywords(files.values())[0]


def check_keywords(folder: Path) -> list[str]:
    return [str(p) for p in read_keywords(sorted(folder.glob("*.yaml")))[1]]


KEYWORDS = load_keywords(KEYWORDS_DIR)
CORPORA = ROOT / "tests" / "data" / "distress"
BAD = ROOT / "tests" / "data" / "bad_keywords"
LANGUAGES = {"en", "es", "fr", "pt_BR", "ar", "fil", "sw", "hi"}


def heard(locale: str, sentence: str) -> str | None:
    """The group that answers this sentence, trying lists in the order the bot does."""
    for phrases in phrases_for(KEYWORDS, locale):
        group = phrases.match(sentence)
        if group:
            return group
    return None


def corpus(kind: str) -> list[pytest.ParameterSet]:
    cases = []
    for path in sorted(CORPORA.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases += [
            pytest.param(path.stem, sentence, id=f"{path.stem}: {sentence}")
            for sentence in data[kind]
        ]
    return cases


@pytest.mark.parametrize(("locale", "sentence"), corpus("must_match"))
def test_a_child_in_distress_is_heard(locale: str, sentence: str) -> None:
    assert heard(locale, sentence) is not None


@pytest.mark.parametrize(("locale", "sentence"), corpus("must_not_match"))
def test_everyday_words_do_not_interrupt(locale: str, sentence: str) -> None:
    assert heard(locale, sentence) is None


def test_every_language_has_phrases_and_a_corpus_of_25_each_way() -> None:
    assert set(KEYWORDS) == LANGUAGES
    for path in CORPORA.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert len(data["must_match"]) >= 25, path.name
        assert len(data["must_not_match"]) >= 25, path.name
    assert {p.stem for p in CORPORA.glob("*.yaml")} == LANGUAGES


@pytest.mark.parametrize("locale", sorted(LANGUAGES))
def test_each_language_covers_every_group_in_40_to_120_phrases(locale: str) -> None:
    phrases = KEYWORDS[locale].phrases
    assert 40 <= len(phrases) <= 120
    assert {p.group for p in phrases} == set(GROUPS)


def test_the_shipped_phrase_files_have_no_mistakes() -> None:
    assert check_keywords(KEYWORDS_DIR) == []


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("Heeelp ME pleeease!!", "help me please"),
        ("helpp meee", "help me"),
        ("he has my n00dz", "he has my nodz"),
        ("k1ll mys3lf", "kil myself"),
        ("$ex pics 4 m0ney", "sex pics 4 money"),
        ("Está chantajeándome", "esta chantajeandome"),
        ("AYÚDAME", "ayudame"),
        ("don’t tell", "dont tel"),
        ("j'ai peur", "jai peur"),
        ("ｈｅｌｐ　ｍｅ", "help me"),
        ("😭😭i wanna die😭", "i wana die"),
        ("I\u200bm sc\u00adared", "im scared"),
        ("he\u200d\u2060lp\ufe0f me", "help me"),
        ("\u202ehelp me\u202c", "help me"),
        ("مُسَاعَدَة", "مساعده"),
        ("أنا خائفة جداً ـــ", "انا خائفه جدا"),
        ("إلى", "الي"),
        ("मुझे ज़बरदस्ती हूँ", "मुझे जबरदस्ती हूं"),
        ("मैं डरी हुई हूँ।", "मैं डरी हुई हूं"),
        ("grade 10 photos", "grade 10 photos"),
        ("$100 or 1000 in 2024", "100 or 1000 in 2024"),
        ("3rd 10pm 12yo 5kms", "3rd 10pm 12yo 5kms"),
        ("", ""),
    ],
)
def test_normalising_folds_what_children_vary(typed: str, normal: str) -> None:
    assert normalise(typed) == normal


def test_a_match_names_the_group_and_needs_whole_words() -> None:
    phrases = DistressPhrases.build(
        "en", {"fear": ["help me"], "threat": ["blackmail*"], "self_harm": ["kms"]}
    )
    assert phrases.match("HELP ME!!") == "fear"
    assert phrases.match("he is blackmailing me") == "threat"
    assert phrases.match("kms") == "self_harm"
    assert phrases.match("helpme") is None
    assert phrases.match("this was helpful to me") is None
    assert phrases.match("black mail") is None
    assert phrases.match("he helped me") is None


def test_a_language_without_phrases_is_heard_in_english() -> None:
    assert [p.language for p in phrases_for(KEYWORDS, "de")] == ["en"]
    assert [p.language for p in phrases_for(KEYWORDS, None)] == ["en"]
    assert [p.language for p in phrases_for(KEYWORDS, "es-MX")] == ["es", "en"]
    assert [p.language for p in phrases_for(KEYWORDS, "pt-br")] == ["pt_BR", "en"]
    assert [p.language for p in phrases_for(KEYWORDS, "pt-PT")] == ["pt_BR", "en"]
    assert [p.language for p in phrases_for(KEYWORDS, "en", "fil")] == ["en", "fil"]
    assert [p.language for p in phrases_for(KEYWORDS, "fr", "fr-CA")] == ["fr", "en"]


def test_an_overlay_file_replaces_the_shipped_language(tmp_path: Path) -> None:
    (tmp_path / "sw.yaml").write_text(
        "language: sw\nphrases:\n  fear:\n    - maneno yetu maalum\n", encoding="utf-8"
    )
    keywords = load_keywords(KEYWORDS_DIR, tmp_path)
    assert keywords["sw"].match("haya ni maneno yetu maalum") == "fear"
    assert keywords["sw"].match("nisaidie") is None
    assert keywords["es"].match("ayúdame") == "fear"


BAD_FILES = {
    "broken_yaml": [
        "es.yaml:8: the file cannot be read as YAML: expected <block end>, but found '?'. "
        "Check the indentation, and put text that contains ':' or starts with a quote "
        "inside quotes."
    ],
    "unknown_group": ["en.yaml:5: the group 'treat' is not known. Did you mean 'threat'?"],
    "too_common": [
        "es.yaml:6: 'Ayuda' alone is too common: it would interrupt children who are not "
        "in distress. Use a longer phrase, like 'help me'.",
        "es.yaml:10: 'fotos' alone is too common: it would interrupt children who are not "
        "in distress. Use a longer phrase, like 'help me'.",
        "es.yaml:11: 'ch*' is too short to end with *: it would match many everyday words. "
        "Write more of the word.",
    ],
    "same_after_normalising": [
        "fr.yaml:7: 'j ai peur' is the same as the phrase on line 6 once case, accents and "
        "repeated letters are ignored. Remove one.",
        "fr.yaml:8: 'J’AI PEUR' is the same as the phrase on line 6 once case, accents and "
        "repeated letters are ignored. Remove one.",
        "pt_BR.yaml:10: 'ME  AJUDAAA' is the same as the phrase on line 6 once case, accents "
        "and repeated letters are ignored. Remove one.",
        "pt_BR.yaml:11: 'tô com medo!' is the same as the phrase on line 7 once case, "
        "accents and repeated letters are ignored. Remove one.",
    ],
    "pattern_not_words": [
        "en.yaml:6: 'blackmail(ing|ed)' looks like a pattern. Write plain words; only a * at "
        "the very end is allowed, to match the start of a word ('blackmail*').",
        "en.yaml:7: 'sext*rt' looks like a pattern. Write plain words; only a * at the very "
        "end is allowed, to match the start of a word ('blackmail*').",
        "en.yaml:10: this phrase is empty. Write the words a child might type.",
    ],
    "wrong_language": [
        "fr.yaml:1: 'langage' is not known. Did you mean 'language'?",
        "fr.yaml:1: there is no 'language:'. Add 'language: fr'.",
    ],
    "insecure_source": [
        "sw.yaml:3: 'http://sematanzania.org/child-helpline/' is not a secure link. "
        "Write it as https://..."
    ],
    "no_phrases": [
        "hi.yaml:4: 'phrase' is not known. Did you mean 'phrases'?",
        "hi.yaml:1: a keywords file needs 'phrases:' with groups of phrases under it "
        "(threat, pressure, secret, fear, self_harm, abuse).",
    ],
    "covered_phrase": [
        "fil.yaml:1: warning: there are no 'sources:'. List the pages (https) the phrases "
        "come from.",
        "fil.yaml:5: warning: 'send nudes' is already matched by 'nudes' on line 4. Remove "
        "it, or make the shorter phrase longer.",
        "fil.yaml:9: warning: 'blackmailing me' is already matched by 'blackmail*' on line "
        "7. Remove it, or make the shorter phrase longer.",
    ],
}


def test_every_bad_file_has_a_test() -> None:
    assert {p.name for p in BAD.iterdir()} == set(BAD_FILES)


@pytest.mark.parametrize(("case", "expected"), sorted(BAD_FILES.items()))
def test_mistakes_in_a_phrase_file_are_explained(case: str, expected: list[str]) -> None:
    folder = BAD / case
    messages = [m.removeprefix(f"{shown_path(folder)}/") for m in check_keywords(folder)]
    assert messages == expected
