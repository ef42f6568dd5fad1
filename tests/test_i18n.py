"""Translations as translators and children meet them: the template, the catalogs, the
checks, and lessons played in every shipped language."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from bot.content.catalogs import AWAITING_REVIEW, BUTTON_NOTE, po_files, po_path
from bot.content.dialogs import read_dialogs
from bot.content.load import Content, load_content, read_content
from bot.core.conversation import Incoming
from bot.core.turn import Turns
from bot.render.text import Reply
from bot.settings import Settings
from bot.tools.translations import source_messages, status
from tests.transcript import answer_lines, choice_data

ROOT = Path(__file__).parent.parent
LOCALES = ROOT / "locales"
LANGUAGES = ["ar", "es", "fa", "fil", "fr", "hi", "id", "pt_BR", "ru", "sw", "uk"]
LESSONS = [
    "grooming", "sextortion", "reporting", "own_pictures", "someone_you_know",
    "live_and_games", "fake_pictures", "friends_picture", "privacy_settings",
]  # fmt: skip


def read(path: Path, locale: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def test_the_template_holds_every_text_of_the_code_and_the_files() -> None:
    template = read(LOCALES / "messages.pot", "en")
    held = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id}
    assert source_messages(ROOT) == held, "run 'safebot i18n extract'"


def test_the_extractor_finds_every_author_string_with_its_context() -> None:
    template = {(m.context, m.id): m for m in read(LOCALES / "messages.pot", "en") if m.id}
    dialogs, problems = read_dialogs(sorted((ROOT / "dialogs").glob("*.yaml")))
    assert [p for p in problems if p.severity == "error"] == []
    for dialog in dialogs.values():
        for text, note, _line in dialog.texts():
            for band, words in text.variants():
                message = template[(text.context, words)]
                assert (f"For readers aged {band}." in message.auto_comments) == bool(band)
            message = template[(text.context, text.source)]
            if note:
                assert note in " ".join(message.auto_comments)  # long notes are wrapped
        for step in dialog.steps.values():
            for choice in step.choices:
                label = template[(choice.label.context, choice.label.source)]
                assert BUTTON_NOTE in label.auto_comments
    assert ("helplines.KE", "Childline Kenya") in template
    assert ("helplines.KE", "24/7") in template


def catalog_problems(overlay: Path | None = None, enabled: list[str] | None = None) -> list[str]:
    """What start-up and `safebot check` say of the catalogs (an overlay's replace the
    shipped ones)."""
    _content, problems = read_content(Settings(overlay=overlay, languages=enabled))
    return [str(p) for p in problems if "LC_MESSAGES" in p.path]


def test_twelve_languages_ship_complete_and_awaiting_review() -> None:
    assert ["en", *sorted(po_files([LOCALES]))] == ["en", *LANGUAGES]
    for result in status(LOCALES):
        assert result.complete, (result.locale, result.share, result.mismatches)
        assert result.review == AWAITING_REVIEW
    assert catalog_problems() == []


# -- catalogs with one mistake each: safebot check names it ------------------------------


def _first(catalog: Catalog, wanted: Callable[[str], bool]) -> str:
    return next(m.id for m in catalog if isinstance(m.id, str) and m.id and wanted(m.id))


def _lose_placeholder(catalog: Catalog) -> str:
    message = catalog[_first(catalog, lambda i: "{country}" in i)]
    message.string = "{pais}"
    return "must keep the placeholders ['{country}']"


def _add_markup(catalog: Catalog) -> str:
    # texts are escaped when shown: a tag in a translation would show as "<b>"
    message = next(m for m in catalog if m.id)
    message.string = f"<b>{message.string}</b>"
    return "must keep the same markup tags []"


def _long_button(catalog: Catalog) -> str:
    message = next(m for m in catalog if BUTTON_NOTE in m.auto_comments)
    message.string = "Un botón que dice demasiado para caber en un teléfono"
    return "has 53 characters; at most 40 fit a phone screen"


def _left_in_english(catalog: Catalog) -> str:
    message = next(m for m in catalog if BUTTON_NOTE in m.auto_comments)
    message.string = message.id
    return f"the translation of '{message.id}' is the same as the English"


def _texts(catalog: Catalog) -> int:
    return sum(1 for m in catalog if m.id)


def _fuzzy(catalog: Catalog) -> str:
    next(m for m in catalog if m.id).flags.add("fuzzy")
    return f"1 of {_texts(catalog)} texts are not translated or out of date (1 fuzzy)"


def _untranslated(catalog: Catalog) -> str:
    next(m for m in catalog if m.id).string = ""
    return f"1 of {_texts(catalog)} texts are not translated or out of date (0 fuzzy)"


def _stale(catalog: Catalog) -> str:
    message = next(m for m in catalog if m.id)
    catalog.delete(message.id, context=message.context)
    return "1 texts are not in this catalog yet"


@pytest.mark.parametrize(
    "spoil",
    [_lose_placeholder, _add_markup, _long_button, _left_in_english, _fuzzy, _untranslated,
     _stale],
)  # fmt: skip
def test_check_explains_a_broken_catalog(spoil: Callable[[Catalog], str], tmp_path: Path) -> None:
    path = po_path(tmp_path / "locales", "es")
    path.parent.mkdir(parents=True)
    catalog = read(po_path(LOCALES, "es"), "es")
    expected = spoil(catalog)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    problems = catalog_problems(tmp_path)
    assert len(problems) == 1 and expected in problems[0], problems
    assert problems[0].startswith(str(path))


def test_a_language_the_instance_did_not_enable_is_not_checked(tmp_path: Path) -> None:
    path = po_path(tmp_path / "locales", "es")
    path.parent.mkdir(parents=True)
    catalog = read(po_path(LOCALES, "es"), "es")
    _fuzzy(catalog)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    assert catalog_problems(tmp_path, enabled=["en", "fr"]) == []


# -- lessons played in every language: no English left ------------------------------------


@functools.cache  # one catalog read per language, for the many lessons played in it
def english_leaks(locale: str) -> Callable[[list[str]], list[str]]:
    """A finder of English texts that a child reading `locale` should not see."""
    catalog = read(po_path(LOCALES, locale), locale)
    sentences, labels = set(), set()
    for message in catalog:
        english = message.id
        if not isinstance(english, str) or not english or message.string == english:
            continue  # proper names (helplines, Take It Down) stay as they are
        if (message.context or "").startswith("helplines."):
            continue
        for piece in english.replace("{", "\0").split("\0")[0].split("\n"):
            if len(piece.split()) >= 4:
                sentences.add(piece.strip())
        labels.add(english)

    def find(lines: list[str]) -> list[str]:
        shown = "\n".join(lines)
        found = [s for s in sentences if s in shown]
        cells = {c.strip("[] ") for line in lines for c in line.split("] [")}
        return found + sorted(cells & labels)

    return find


def play_every_choice(
    turns: Turns[Reply], lesson: str, locale: str, band: str | None = None
) -> list[str]:
    """Every choice of every step: a child goes straight to the step (as review mode does)
    and presses it; returns all the lines they read."""
    dialog = turns.conversation.engine.dialogs[lesson]
    settings = {"locale": locale, "country": "KE", "band": band}
    key = turns.key("i18n", f"{lesson}.{band}")
    lines = answer_lines(turns.play(key, lesson, settings=settings))
    for step_id, step in dialog.steps.items():
        for index in range(len(step.choices)):
            if turns.store.child(key).position is None:  # the last press ended the lesson
                turns.play(key, lesson, settings=settings)
            shown = turns.jump(key, step_id)
            assert shown is not None, step_id
            lines += answer_lines(shown)
            data = choice_data(shown, index)
            lines += answer_lines(turns.handle(key, Incoming("press", arg=data, language=locale)))
    return lines


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize(
    ("lesson", "band"),
    [*((lesson, band) for lesson in LESSONS for band in ("10-12", "13-17")),
     ("welcome", None), ("menu", None)],
)  # fmt: skip
def test_a_lesson_played_in_a_language_shows_no_english(
    turns: Turns[Reply], lesson: str, band: str | None, locale: str
) -> None:
    lines = play_every_choice(turns, lesson, locale, band)
    assert len(lines) >= 5
    assert english_leaks(locale)(lines) == []


@pytest.mark.parametrize("locale", LANGUAGES)
def test_everything_around_the_lessons_is_in_the_childs_language(
    turns: Turns[Reply], locale: str
) -> None:
    """What a child meets outside a story: welcome, help, privacy, media, distress, exit."""
    tag = locale.replace("_", "-").lower()  # as Telegram sends it: 'pt-br'
    key = turns.key("i18n", f"around.{locale}")
    lines: list[str] = []
    events = [
        Incoming("command", name="start"), Incoming("command", name="country"),
        Incoming("command", name="country", arg="KE"), Incoming("command", name="help"),
        Incoming("command", name="privacy"), Incoming("command", name="forget"),
        Incoming("press", arg="F:no"), Incoming("command", name="language"),
        Incoming("command", name="lessons"), Incoming("command", name="nonsense"),
        Incoming("media", name="photo"), Incoming("other", name="sticker"),
        Incoming("text", arg="hello there"), Incoming("command", name="exit"),
        Incoming("command", name="exit"),
    ]  # fmt: skip
    for event in events:
        lines += answer_lines(turns.handle(key, dataclasses.replace(event, language=tag)))
    assert len(lines) > 30
    assert english_leaks(locale)(lines) == []


def test_the_leak_finder_finds_english(turns: Turns[Reply]) -> None:
    lines = play_every_choice(turns, "grooming", "en")
    leaks = english_leaks("es")(lines)
    assert "Get help" in leaks and any("Joy" in leak for leak in leaks)


def test_an_instance_can_enable_only_some_languages() -> None:
    loaded = load_content(Settings(languages=["en", "sw"]))
    assert loaded.catalogs.locales == ["en", "sw"]
    assert loaded.catalogs.negotiate("es") is None
    assert loaded.catalogs.negotiate("sw-KE") == "sw"


@pytest.mark.parametrize(
    ("tag", "locale"),
    [("es-MX", "es"), ("es-419", "es"), ("pt-br", "pt_BR"), ("pt", "pt_BR"), ("fr-CA", "fr"),
     ("ar-EG", "ar"), ("fil", "fil"), ("tl", "fil"), ("sw-KE", "sw"), ("hi-IN", "hi"),
     ("en-GB", "en"), ("ur", None), ("", None)],
)  # fmt: skip
def test_telegram_language_codes_find_the_shipped_language(
    content: Content, tag: str, locale: str | None
) -> None:
    assert content.catalogs.negotiate(tag) == locale


@pytest.mark.parametrize(
    ("days", "locale", "expected"),
    [(30, "en", "for 30 days"), (1, "en", "for 1 day,"), (30, "es", "durante 30 días"),
     (1, "es", "durante 1 día,"),
     # in Arabic the number is a left-to-right run, between LRI and PDI
     (30, "ar", "لمدة \u206630\u2069 يومًا"), (7, "ar", "لمدة \u20667\u2069 أيام")],
)  # fmt: skip
def test_privacy_tells_how_long_in_the_childs_plural_forms(
    content: Content, tmp_path: Path, days: int, locale: str, expected: str
) -> None:
    from bot.core.store import Store
    from bot.instance import make_turns

    turns = make_turns(Settings(retention_days=days), content, Store(tmp_path))
    key = turns.key("i18n", "privacy")
    lines = answer_lines(turns.handle(key, Incoming("command", name="privacy", language=locale)))
    assert expected in "\n".join(lines)


def test_an_instance_translates_its_own_lesson_in_its_own_folder(tmp_path: Path) -> None:
    """extract, init and status for an instance write only to its folder; a language starts
    from the shipped translation, so only the instance's own texts are left to do."""
    from tests.test_cli import safebot

    shipped = sorted((ROOT / "locales").rglob("*"))
    before = {p: p.stat().st_mtime_ns for p in shipped if p.is_file()}
    assert safebot("init", str(tmp_path / "inst")).returncode == 0
    own = (ROOT / "dialogs" / "example.yaml").read_text(encoding="utf-8")
    (tmp_path / "inst" / "dialogs" / "our_lesson.yaml").write_text(
        own.replace("id: example", "id: our_lesson").replace(
            "title: ", "title: Our own lesson. ", 1), encoding="utf-8")  # fmt: skip
    config = str(tmp_path / "inst" / "safebot.toml")
    extracted = safebot("--config", config, "i18n", "extract")
    assert extracted.returncode == 0, extracted.stderr
    pot = (tmp_path / "inst" / "locales" / "messages.pot").read_text(encoding="utf-8")
    assert 'msgctxt "our_lesson"' in pot and 'msgctxt "grooming"' in pot
    assert safebot("--config", config, "i18n", "init", "sw").returncode == 0
    po = (tmp_path / "inst" / "locales" / "sw" / "LC_MESSAGES" / "messages.po").read_text()
    assert 'msgctxt "our_lesson"' in po
    shipped_sw = (ROOT / "locales" / "sw" / "LC_MESSAGES" / "messages.po").read_text()
    title = re.search(r'msgctxt "grooming"\nmsgid "[^"]+"\nmsgstr "([^"]+)"', shipped_sw)
    assert title and f'msgstr "{title.group(1)}"' in po  # the shipped translation kept
    again = safebot("--config", config, "i18n", "init", "sw")
    assert again.returncode == 2 and "exists already" in again.stderr
    status = safebot("--config", config, "i18n", "status")
    assert status.stdout.splitlines()[1].startswith("sw")
    assert "same as the English" not in status.stdout  # the shipped names are still known
    after = {p: p.stat().st_mtime_ns for p in shipped if p.is_file()}
    assert after == before  # nothing written into the shipped translations
