"""Hearing distress: the phrase files, the matcher's rules, and the evaluation lines.

The evaluation lines themselves are measured, not asserted line by line, by
benchmarks/distress_eval.py (`make eval-distress`); here they are only pinned and checked
for shape. What a child is answered is tested in tests/test_conversation.py.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from bot.content.keywords import CATEGORIES, read_keywords
from bot.content.likeness import Likeness
from bot.content.likeness_files import EXPECTED, HINT, digest, learned_from, read_likeness
from bot.content.phrases import normalise
from bot.core.distress import HELP_FOR, LIKE, NEARLY, Hearing
from bot.errors import shown_path

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS_DIR = ROOT / "content" / "keywords"
DATA = ROOT / "tests" / "data" / "distress"
BAD = ROOT / "tests" / "data" / "bad_keywords"
PHRASES, PROBLEMS = read_keywords(sorted(KEYWORDS_DIR.glob("*.yaml")))
HEARING = Hearing(PHRASES)
KINDS = {"idiom", "game", "homework", "lesson_question", "everyday_fear", "chat"}
# the held-out lines as they were committed before any phrase or matcher change: they are
# never edited, so that they keep measuring what the phrases were not tuned on
HELD_OUT = {
    "ar.yaml": "f91f645de6713d963bb06a66c432549b262beff222c23c084a270524297d727b",
    "en.yaml": "b34d8e28a2e7b39ff5fc0c19391175ecb1e671a4f86ff4cc5aa36e531cb4a1ab",
    "es.yaml": "4e6bc8bbb20ec899bc3de39ed47266fa378012db74fbee5890ed1044f2b22dc9",
    "fa.yaml": "4ddfae3072f814309d1327c968ed8950998178cb8c253b40ac8b0df05d03b29b",
    "fil.yaml": "19cafd637da39aeb7a49b43ad31317592c5bd51f389d75cbc2d9f8a5bf948bd8",
    "fr.yaml": "f32a53d204eeb519039f90d8acf67fdfc44151a6ec5765a3b379250d565d2bcc",
    "hi.yaml": "eb5361df2a64d315c11d7224439c3d672576bd3cbf22e1d30b04ff4efdf6af5e",
    "id.yaml": "e1914d92cca89f4ecb36e3dae9ed4e8b17375a58a8c58a2b40628ca128fae7b9",
    "pt_BR.yaml": "cac1c5eda17a377c28d325ad1b0f73217c4d2d4380660b15f8ccfbd12efdfcf5",
    "ru.yaml": "dac63b053f767132dbec076e84987118dd28af0047c665a7cde8e021ee0f7694",
    "sw.yaml": "0957c3dd871128fcc1b36c815837e2b29d16d5563f88190f0634038b08d19ad7",
    "uk.yaml": "6b56202b0c006d7e28d066e5acf721a00a4d21ca055b26a7315b6a42b9448747",
}


def rules(text: str, language: str = "en") -> Hearing:
    """A hearing from one small phrase file, written here."""
    data = yaml.safe_load(text)
    path = Path(f"/tmp/{language}.yaml")
    path.write_text(yaml.safe_dump({"language": language, **data}), encoding="utf-8")
    phrases, problems = read_keywords([path])
    assert [p for p in problems if p.severity == "error"] == []
    return Hearing(phrases)


def test_the_held_out_lines_are_the_ones_first_committed() -> None:
    found = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in (DATA / "heldout").glob("*.yaml")
    }
    assert found == HELD_OUT


@pytest.mark.parametrize("part", ["dev", "heldout"])
def test_the_evaluation_lines_are_labelled(part: str) -> None:
    for path in (DATA / part).glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["language"] == path.stem
        assert data["part"] == {"dev": "dev", "heldout": "held-out"}[part]
        assert {line["category"] for line in data["distress"]} == set(CATEGORIES), path
        assert {line["kind"] for line in data["ordinary"]} == KINDS, path
        texts = [line["text"] for line in data["distress"] + data["ordinary"]]
        assert len(texts) == len(set(texts)), path


def test_every_language_has_enough_lines() -> None:
    """300 and 300 in English, 100 and 100 in es, fr and pt_BR, 50 and 50 in the others."""
    wanted = {"en": 300, "es": 100, "fr": 100, "pt_BR": 100}
    for language in {p.stem for p in DATA.glob("*/*.yaml")}:
        distress = ordinary = 0
        for part in ("dev", "heldout"):
            data = yaml.safe_load((DATA / part / f"{language}.yaml").read_text(encoding="utf-8"))
            distress += len(data["distress"])
            ordinary += len(data["ordinary"])
        assert min(distress, ordinary) >= wanted.get(language, 50), language


def test_the_shipped_phrase_files_have_no_mistakes() -> None:
    assert [str(p) for p in PROBLEMS] == []
    assert set(PHRASES) >= {"en", "es", "fr", "pt_BR", "ar", "fil", "sw", "hi"}


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
        ("💊💊 tonight", "💊 💊 tonight"),  # a method's emoji is a word; others break words
        ("⚰️🪦", "⚰ 🪦"),
        ("I\u200bm sc\u00adared", "im scared"),
        ("he\u200d\u2060lp\ufe0f me", "help me"),
        ("\u202ehelp me\u202c", "help me"),
        ("مُسَاعَدَة", "مساعده"),
        ("أنا خائفة جداً ـــ", "انا خائفه جدا"),
        ("إلى", "الی"),
        ("مي‌خواهم بميرم", "میخواهم بمیرم"),
        ("ёлки", "елки"),
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


def test_a_rule_matches_whole_words_in_order() -> None:
    hearing = rules("categories: {cry_for_help: [help me], sextortion: [blackmail*]}")
    assert hearing.hear("HELP ME!!") is not None
    assert hearing.hear("he is blackmailing me") is not None
    for ordinary in ("helpme", "this was helpful to me", "black mail", "me help"):
        assert hearing.hear(ordinary) is None, ordinary


def test_words_between_any_order_and_groups() -> None:
    hearing = rules(
        "words: {pic: [pic*, photo*, nudes]}\n"
        "categories:\n"
        "  sextortion: ['post ... my @pic', 'pay + @pic']\n"
        "  suicide: ['took ... pills']\n"
    )
    assert hearing.hear("he will post all of my pics").category == "sextortion"  # type: ignore[union-attr]
    assert hearing.hear("he will post the photos of my") is None  # "my" must come before
    assert hearing.hear("he will post one two three four five six my pics") is None  # too far
    assert hearing.hear("my nudes, and he wants me to pay").category == "sextortion"  # type: ignore[union-attr]
    assert hearing.hear("i took all of my mums pills").category == "suicide"  # type: ignore[union-attr]
    assert hearing.hear("pills") is None


def test_one_typo_in_longer_words_only() -> None:
    hearing = rules("categories: {suicide: [hurt myself], sextortion: [blackmail*]}")
    assert hearing.hear("im going to hurt myslef") is not None  # swapped letters
    assert hearing.hear("hes blackmaling me") is not None  # a letter missing
    assert hearing.hear("hurt mine") is None
    assert rules("categories: {cry_for_help: [help me]}").hear("helo me") is None  # short


def test_a_word_of_its_own_is_never_read_as_a_typo() -> None:
    typo = rules("categories: {violence: [me fouette]}", "fr")
    assert typo.hear("sous ma couette", "fr") is None  # "ma", not "me"
    assert typo.hear("reste avec me couette", "fr") is not None  # one letter from "fouette"
    hearing = rules("words: {not_typos: [couette]}\ncategories: {violence: [me fouette]}", "fr")
    assert hearing.hear("reste avec me couette", "fr") is None  # a duvet
    for hurt in ("il me fouette", "il me fouete", "mon pere me fouette souvent"):
        finding = hearing.hear(hurt, "fr")
        assert finding is not None and finding.category == "violence", hurt


def test_the_pill_emoji_is_a_word_a_rule_can_name() -> None:
    hearing = rules("categories: {suicide: ['💊 💊', '💊 + tonight']}")
    for said in ("💊💊💊", "tonight 💊", "💊 💊 and thats it"):
        finding = hearing.hear(said)
        assert finding is not None and finding.category == "suicide", said
    for ordinary in ("took a 💊 for my headache", "😭😭 tonight", ""):
        assert hearing.hear(ordinary) is None, ordinary


def test_a_whole_message_rule_hears_a_common_word_only_alone() -> None:
    hearing = rules("words: {help: [help, halp]}\ncategories: {cry_for_help: ['= @help', '= sos']}")
    for cry in ("HELP!!!", "helppp 😭", "halp", "SOS", "sos 😢"):
        finding = hearing.hear(cry)
        assert finding is not None and finding.category == "cry_for_help", cry
        assert finding.rule in ("= @help", "= sos")
    for ordinary in ("i would ask for help", "sos is a signal", "help button", ""):
        assert hearing.hear(ordinary) is None, ordinary


def test_a_guard_stops_its_category_in_context() -> None:
    hearing = rules(
        "categories: {violence: [beat me up], suicide: [want to die]}\n"
        "guards: {violence: [fortnite]}\n"
    )
    assert hearing.hear("he beat me up in fortnite") is None
    assert hearing.hear("he beat me up after school") is not None
    assert hearing.hear("fortnite is boring i want to die") is not None  # only violence


def test_a_guard_does_not_hide_what_a_carer_does_in_a_game() -> None:
    hearing = rules(
        "words: {carer: [dad, stepdad, mum]}\n"
        "categories: {violence: [hit me, beat me up]}\n"
        "guards: {violence: ['fortnite - @carer']}\n"
    )
    assert hearing.hear("he beat me up in fortnite lol") is None  # a game
    finding = hearing.hear("my dad hit me because i played fortnite too long")
    assert finding is not None and finding.category == "violence"
    assert finding.rule == "hit me"


def test_an_apostrophe_in_an_unless_clause_holds_however_the_child_types_it() -> None:
    hearing = rules("categories: {violence: [\"il m'a frappe - c'est pour rire\"]}")
    for typed in (
        "il m'a frappe mais c'est pour rire",
        "il ma frappe mais cest pour rire",
        "il m a frappe mais c est pour rire",
        "il m'a frappe mais c est pour rire",
    ):
        assert hearing.hear(typed, "fr") is None, typed
    for typed in ("il m'a frappe", "il ma frappe", "il m a frappe"):
        assert hearing.hear(typed, "fr") is not None, typed


def test_a_dash_with_nothing_after_it_is_a_clear_mistake(tmp_path: Path) -> None:
    path = tmp_path / "en.yaml"
    path.write_text(
        "language: en\ncategories: {violence: [hit me]}\nguards: {violence: ['fortnite -']}\n",
        encoding="utf-8",
    )
    _, problems = read_keywords([path])
    errors = [p for p in problems if p.severity == "error"]
    assert [p.line for p in errors] == [3]
    assert "not a word a child types" in errors[0].message


def test_the_childs_own_guards_also_guard_what_english_hears(tmp_path: Path) -> None:
    files = {
        "en": {"categories": {"suicide": ["suicide*"]}},
        "fr": {"categories": {"suicide": ["me suicider"]}, "guards": {"suicide": ["phedre"]}},
    }
    for language, data in files.items():
        (tmp_path / f"{language}.yaml").write_text(
            yaml.safe_dump({"language": language, **data}), encoding="utf-8"
        )
    phrases, _ = read_keywords(sorted(tmp_path.glob("*.yaml")))
    hearing = Hearing(phrases)
    homework = "on doit analyser la scene ou phedre se suicide"
    assert hearing.hear(homework, "fr") is None  # French homework, in the French guards
    assert hearing.hear(homework, "en") is not None  # an English child is not guarded by them
    finding = hearing.hear("je vais me suicider ce soir", "fr")
    assert finding is not None and finding.category == "suicide"


def test_the_most_concerning_category_decides() -> None:
    hearing = rules("categories: {cry_for_help: [help me], suicide: [want to die]}")
    finding = hearing.hear("help me i want to die")
    assert finding is not None and finding.category == "suicide"
    assert finding.rule == "want to die" and finding.where.startswith("/tmp/en.yaml:")


def test_the_childs_languages_are_tried_then_english() -> None:
    assert HEARING.languages("es-MX") == ["es", "en"]
    assert HEARING.languages("pt") == ["pt_BR", "en"]
    assert HEARING.languages("fil", "en") == ["fil", "en"]
    assert HEARING.languages("tl") == ["en"] or "fil" in HEARING.languages("fil")
    assert HEARING.languages(None, "zz") == ["en"]
    assert HEARING.languages("fr", "fr-CA") == ["fr", "en"]


BAD_FILES = {
    "broken_yaml": [
        "es.yaml:8: the file cannot be read as YAML: expected <block end>, but found '?'. "
        "Check the indentation, and put text that contains ':' or starts with a quote "
        "inside quotes."
    ],
    "insecure_source": [
        "sw.yaml:3: 'http://sematanzania.org/child-helpline/' is not a secure link. "
        "Write it as https://..."
    ],
    "misplaced_gap": [
        "en.yaml:6: '... want to die': '...' goes between words, never first or last.",
        "en.yaml:7: 'took ... ... pills': write '...' once between two words.",
        "en.yaml:9: 'help me ...': '...' goes between words, never first or last.",
    ],
    "old_format": [
        "hi.yaml:4: 'phrases' is not known. Use language, sources, words, categories, guards.",
        "hi.yaml:1: a phrase file needs 'categories:' with the rules of each category under it "
        "(suicide, violence, sexual_abuse, sextortion, grooming_meeting, image_pressure, "
        "grooming_secrecy, grooming_gifts, cry_for_help).",
    ],
    "pattern_not_words": [
        "en.yaml:6: 'blackmail(ing|ed)' is not a word a child types. Write plain words; only "
        "a * at the very end is allowed, to match the start of a word ('blackmail*').",
        "en.yaml:7: 'sext*rt' is not a word a child types. Write plain words; only a * at "
        "the very end is allowed, to match the start of a word ('blackmail*').",
        "en.yaml:10: this rule is empty. Write the words a child might type.",
    ],
    "same_after_normalising": [
        "fr.yaml:7: 'J’AI PEUR' is the same as the rule on line 6 once case, accents and "
        "repeated letters are ignored. Remove one.",
        "fr.yaml:8: 'jai peur' is the same as the rule on line 6 once case, accents and "
        "repeated letters are ignored. Remove one.",
        "pt_BR.yaml:8: 'ME  AJUDAAA' is the same as the rule on line 6 once case, accents "
        "and repeated letters are ignored. Remove one.",
        "pt_BR.yaml:9: 'tô com medo!' is the same as the rule on line 7 once case, "
        "accents and repeated letters are ignored. Remove one.",
    ],
    "too_common": [
        "es.yaml:6: 'Ayuda' alone is too common: it would interrupt children who are not "
        "in distress. Use a longer phrase, like 'help me'.",
        "es.yaml:10: 'fotos' alone is too common: it would interrupt children who are not "
        "in distress. Use a longer phrase, like 'help me'.",
        "es.yaml:11: 'ch*' is too short to end with *: it would match many everyday words. "
        "Write more of the word.",
    ],
    "whole_message_misused": [
        "en.yaml:7: '= help ... me': '=' is followed by the whole message, in plain words, "
        "without '...', '+' or ' - ', and only under categories.",
        "en.yaml:8: '= help + sos': '=' is followed by the whole message, in plain words, "
        "without '...', '+' or ' - ', and only under categories.",
        "en.yaml:9: '=': '=' is followed by the whole message, in plain words, without "
        "'...', '+' or ' - ', and only under categories.",
        "en.yaml:12: '= homework': '=' is followed by the whole message, in plain words, "
        "without '...', '+' or ' - ', and only under categories.",
    ],
    "unknown_category": [
        "en.yaml:5: the category 'sextortian' is not known. Did you mean 'sextortion'?"
    ],
    "unknown_word_group": [
        "en.yaml:8: 'post ... my @pix': there is no group '@pix' under words. Did you mean 'pic'?"
    ],
    "wrong_language": [
        "fr.yaml:1: 'langage' is not known. Did you mean 'language'?",
        "fr.yaml:1: there is no 'language:'. Add 'language: fr'.",
    ],
}


def test_every_bad_file_has_a_test() -> None:
    assert {p.name for p in BAD.iterdir()} == set(BAD_FILES)


@pytest.mark.parametrize(("case", "expected"), sorted(BAD_FILES.items()))
def test_mistakes_in_a_phrase_file_are_explained(case: str, expected: list[str]) -> None:
    folder = BAD / case
    _phrases, problems = read_keywords(sorted(folder.glob("*.yaml")))
    assert [str(p).removeprefix(f"{shown_path(folder)}/") for p in problems] == expected


def test_a_broken_overlay_phrase_file_stops_start_up_as_check_says(tmp_path: Path) -> None:
    from bot.content.load import load_content, read_content
    from bot.errors import ProblemsFound
    from bot.settings import Settings

    folder = tmp_path / "content" / "keywords"
    folder.mkdir(parents=True)
    (folder / "sw.yaml").write_text(
        "language: sw\ncategories:\n  cry_for_help:\n    - nisaidie\n    tafadhali: [x]\n",
        encoding="utf-8",
    )
    settings = Settings(overlay=tmp_path)
    with pytest.raises(ProblemsFound) as raised:
        load_content(settings)
    refused = [str(p) for p in raised.value.problems]
    assert len(refused) == 1 and refused[0].startswith(f"{shown_path(folder / 'sw.yaml')}:5: ")
    _content, checked = read_content(settings)
    assert [str(p) for p in checked if p.severity == "error"] == refused


def test_an_overlay_phrase_file_replaces_the_shipped_language(tmp_path: Path) -> None:
    from bot.content.load import load_content
    from bot.settings import Settings

    folder = tmp_path / "content" / "keywords"
    folder.mkdir(parents=True)
    (folder / "sw.yaml").write_text(
        "language: sw\nsources: [https://sematanzania.org]\n"
        "categories:\n  violence:\n    - maneno yetu maalum\n",
        encoding="utf-8",
    )
    hearing = Hearing(load_content(Settings(overlay=tmp_path)).keywords)
    finding = hearing.hear("haya ni maneno yetu maalum", "sw")
    assert finding is not None and finding.category == "violence" and finding.language == "sw"
    assert hearing.hear("me quiero morir", "es") is not None  # the other languages stay


def like(
    weights: dict[str, float], threshold: float = 0.5, suicide: dict[str, float] | None = None
) -> Likeness:
    return Likeness("en", "en.tsv", weights, 0.0, threshold, "", suicide or {}, 0.0, 0.5)


def test_what_no_rule_hears_can_be_like_the_distress_lines() -> None:
    phrases = rules("categories: {suicide: [want to die]}").indexes
    hearing = Hearing({"en": phrases["en"].phrases}, {"en": like({"w:heavy": 4.0})})
    finding = hearing.hear("everything feels so heavy")
    assert finding is not None and finding.category == "cry_for_help"  # the gentlest answer
    assert finding.rule == LIKE and finding.where == "en.tsv"
    assert "heavy" not in finding.rule + finding.where  # the child's words are not kept
    assert hearing.hear("everything feels so light") is None
    rule = hearing.hear("so heavy i want to die")
    assert rule is not None and rule.category == "suicide"  # a rule that hears decides


def test_what_is_most_like_the_suicide_lines_gets_the_crisis_answer() -> None:
    phrases = rules("categories: {suicide: [want to die]}").indexes
    weights = like({"w:heavy": 4.0, "w:gone": 4.0}, suicide={"w:gone": 4.0})
    hearing = Hearing({"en": phrases["en"].phrases}, {"en": weights})
    gone = hearing.hear("soon i will be gone")
    assert gone is not None and gone.category == "suicide" and gone.rule == LIKE
    assert HELP_FOR[gone.category] == "crisis"
    heavy = hearing.hear("everything feels so heavy")
    assert heavy is not None and heavy.category == "cry_for_help"


def test_just_below_the_threshold_only_what_is_very_like_the_suicide_lines_is_heard() -> None:
    """A message a little short of the threshold is heard when it is very like the lines
    about suicide and self-harm, and answered with the crisis line; nothing else is."""
    phrases = rules("categories: {suicide: [want to die]}").indexes
    weights = like(
        {"w:wont": 1.5, "w:friday": 0.7, "w:sad": 1.3, "w:homework": -8.0},
        suicide={"w:wont": 20.0},
    )
    hearing = Hearing({"en": phrases["en"].phrases}, {"en": weights})
    near = hearing.hear("wont need it after friday")  # 0.30, just short of 0.5
    assert near is not None and near.category == "suicide" and near.rule == NEARLY
    assert HELP_FOR[near.category] == "crisis"
    assert hearing.hear("so sad about friday") is None  # as close, but not like suicide
    assert hearing.hear("wont do homework friday") is None  # like suicide, but far below


def test_a_plain_cry_for_help_in_a_message_far_from_distress_is_set_aside() -> None:
    """The vaguest words ("scared", "help") in a message far more like the ordinary lines
    get the warm reply that names the helpline; no other kind, and no word alone, ever."""
    phrases = rules(
        "categories: {cry_for_help: [so scared, '= help'], violence: [scared he hits]}"
    ).indexes
    weights = like({"w:dentist": -100.0}, threshold=0.0)
    hearing = Hearing({"en": phrases["en"].phrases}, {"en": weights})
    heard = hearing.listen("so scared of the dentist tomorrow")
    assert heard.finding is None
    assert heard.set_aside is not None and heard.set_aside.category == "cry_for_help"
    assert hearing.hear("so scared of the dentist tomorrow") is None
    scared = hearing.hear("im so scared right now")  # nothing ordinary about it: heard
    assert scared is not None and scared.category == "cry_for_help"
    hits = hearing.hear("scared he hits me after the dentist")
    assert hits is not None and hits.category == "violence"  # violence is never set aside
    assert hearing.hear("help") is not None  # a whole-message rule: the child said only that
    no_likeness = Hearing({"en": phrases["en"].phrases})
    assert no_likeness.hear("so scared of the dentist") is not None  # nothing to set it aside


def test_grooming_or_sextortion_far_from_distress_is_set_aside_only_farther_below() -> None:
    """A rule of grooming or sextortion in a message far more like the ordinary lines is set
    aside only when it scores farther below than a plain cry for help must; suicide never."""
    phrases = rules(
        "categories: {grooming_secrecy: [keep* + secret + parents], suicide: [end it all]}"
    ).indexes
    weights = like({"w:group": -41.0, "w:clas": -25.0, "w:homework": -100.0}, threshold=0.0)
    hearing = Hearing({"en": phrases["en"].phrases}, {"en": weights})
    heard = hearing.listen("teacher keeps the class group secret from parents")  # -6.26
    assert heard.finding is None
    assert heard.set_aside is not None and heard.set_aside.category == "grooming_secrecy"
    near = hearing.hear("he keeps our group secret from my parents")  # -4.33: far, not farther
    assert near is not None and near.category == "grooming_secrecy"
    said = hearing.hear("he says keep it secret from my parents")  # nothing ordinary about it
    assert said is not None and said.category == "grooming_secrecy"
    end = hearing.hear("homework makes me want to end it all")  # -11.5, but suicide: heard
    assert end is not None and end.category == "suicide"


def test_the_likeness_names_the_words_that_weighed_most() -> None:
    weights = like({"w:pills": 2.0, "c:ton": 0.5, "w:the": -1.0})
    assert [word for word, _ in weights.explain(["the", "pills", "tonight"])] == [
        "pills",
        "tonight",
    ]


def test_the_shipped_likeness_was_learned_from_todays_development_lines() -> None:
    """After the development lines change, `make train-distress` writes the weights again."""
    learned, problems = read_likeness(sorted((KEYWORDS_DIR / "likeness").glob("*.tsv")))
    assert problems == []
    assert sorted(learned) == sorted(p.stem for p in (DATA / "dev").glob("*.yaml"))
    lines = digest(learned_from(DATA / "dev"))
    for language, weights in learned.items():
        assert weights.lines == lines, f"{language}: run make train-distress"


def test_mistakes_in_a_likeness_file_are_explained(tmp_path: Path) -> None:
    path = tmp_path / "sw.tsv"
    path.write_text(
        "# weights\nlanguage: sw\nlines: abc\nbias: -1\nthreshold: high\n"
        "suicide_bias: 0\nsuicide_threshold: 1\n"
        "w:nisaidie\t0.5\t0.1\nw:tafadhali 0.4\nw:msaada\t0.3\nsize: 3\n",
        encoding="utf-8",
    )
    learned, problems = read_likeness([path])
    assert learned == {}
    where = shown_path(path)
    assert [str(p).split(". ")[0] for p in problems] == [
        f"{where}:9: expected {EXPECTED}",
        f"{where}:10: expected {EXPECTED}",
        f"{where}:11: expected {EXPECTED}",
        f"{where}:1: threshold must be numbers",
    ]


def test_a_broken_likeness_file_stops_start_up_as_check_says(tmp_path: Path) -> None:
    from bot.content.load import load_content, read_content
    from bot.errors import ProblemsFound
    from bot.settings import Settings

    folder = tmp_path / "content" / "keywords" / "likeness"
    folder.mkdir(parents=True)
    (folder / "fr.tsv").write_text("language: fr\nbias: 1\nthreshold: 2\n", encoding="utf-8")
    settings = Settings(overlay=tmp_path)
    with pytest.raises(ProblemsFound) as raised:
        load_content(settings)
    refused = [str(p) for p in raised.value.problems]
    assert refused == [
        (
            f"{shown_path(folder / 'fr.tsv')}:1: the file needs lines, suicide_bias, "
            f"suicide_threshold. {HINT}"
        )
    ]
    _content, checked = read_content(settings)
    assert [str(p) for p in checked if p.severity == "error"] == refused
