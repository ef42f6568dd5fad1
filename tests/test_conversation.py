"""The conversation a child has, whatever the channel: read like a chat."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.support import NullTranslations

from bot.content.helplines import country_codes
from bot.content.load import Content, load_content
from bot.core.conversation import Incoming
from bot.core.said import AskCountry
from bot.core.store import Store
from bot.core.turn import Delivery, Turns
from bot.instance import make_turns
from bot.render.system import SystemWords
from bot.render.text import Reply
from bot.settings import Settings
from tests.transcript import DISCLOSURES, answer_lines, button_data


class Child:
    """A child talking to the turns: `send('/start')`, `tap('Next')`, `type('hi')`."""

    def __init__(self, turns: Turns[Reply], user_id: int = 1001, language: str = "en") -> None:
        self.turns = turns
        self.key = turns.key("test", user_id)
        self.language = language
        self.last: Delivery[Reply] = Delivery("", "en")

    def send(self, command: str) -> Delivery[Reply]:
        name, _, arg = command.lstrip("/").partition(" ")
        return self._do(Incoming("command", name=name, arg=arg, language=self.language))

    def tap(self, label: str) -> Delivery[Reply]:
        return self._do(
            Incoming("press", arg=button_data(self.last, label), language=self.language)
        )

    def tap_data(self, data: str) -> Delivery[Reply]:
        return self._do(Incoming("press", arg=data, language=self.language))

    def type(self, text: str) -> Delivery[Reply]:
        return self._do(Incoming("text", arg=text, language=self.language))

    def _do(self, incoming: Incoming) -> Delivery[Reply]:
        # a chat like Telegram's, where messages older than two days cannot be deleted
        incoming = dataclasses.replace(incoming, keeps_old_messages=True)
        answer = self.turns.handle(self.key, incoming)
        if answer.replies:
            self.last = answer
        return answer

    def reads(self) -> str:
        return "\n".join(answer_lines(self.last))


def first_text(answer: Delivery[Reply]) -> str:
    return answer.replies[0].plain()


def test_a_new_child_is_greeted_asked_their_country_then_shown_the_lessons(
    turns: Turns[Reply],
) -> None:
    ana = Child(turns, language="en-KE")
    welcome = ana.send("/start")
    assert "automatic guide, not a person" in ana.reads()
    assert "not an emergency service" in welcome.replies[0].plain()
    ana.tap("Show me the stories")
    assert "Which country are you in?" in ana.reads()
    assert "[✓ Kenya]" in ana.reads()  # suggested from the language tag en-KE
    ana.tap("✓ Kenya")
    assert "How old are you?" in ana.reads()  # once, kept as the age group only
    ana.tap("13 to 17")
    assert "Someone who is too nice" in ana.reads()


def test_a_child_whose_language_is_unknown_is_asked_first(turns: Turns[Reply]) -> None:
    child = Child(turns, language="zz")
    child.send("/start")
    assert "Which language do you want to use?" in child.reads()
    for name in ("[English]", "[Español]", "[Français]", "[العربية]", "[Kiswahili]", "[हिन्दी]"):
        assert name in child.reads()


def test_with_one_language_a_child_is_not_asked(content: Content, tmp_path: Path) -> None:
    settings = Settings(show_drafts=True, languages=["en"])
    turns = make_turns(settings, load_content(settings), Store(tmp_path))
    child = Child(turns, language="pt-BR")
    child.send("/start")
    assert "I am an automatic guide" in child.reads()


def test_help_mid_lesson_shows_the_countrys_helpline_and_the_way_back(turns: Turns[Reply]) -> None:
    joy = Child(turns)
    joy.send("/country KE")
    joy.tap("10 to 12")
    joy.tap("Someone who is too nice")
    joy.tap("A warning sign")
    help_answer = joy.send("/help")
    text = help_answer.replies[0].plain()
    assert "Childline Kenya" in text and "116" in text
    joy.tap("Back to the lesson")
    assert "Someone online makes you feel uneasy" in joy.reads()


def test_a_double_tap_never_skips_a_step(turns: Turns[Reply]) -> None:
    joy = Child(turns)
    joy.send("/country KE")
    joy.tap("10 to 12")
    joy.tap("Someone who is too nice")
    data = button_data(joy.last, "A warning sign")
    first = joy.tap_data(data)
    second = joy.tap_data(data)
    assert "Someone online makes you feel uneasy" in first.replies[-1].plain()
    assert second.replies == [] and second.toast == "That button is from an earlier message."
    position = turns.store.child(joy.key).position
    assert position is not None and position.step == "tell_before"


def test_forged_button_data_is_answered_safely(turns: Turns[Reply]) -> None:
    joy = Child(turns)
    joy.send("/lessons")
    for data in ("c999.0", "<script>", "L:xx", "C:ZZZ", "o1.nope", "x" * 64, ""):
        answer = joy.tap_data(data)
        assert answer.toast is not None or answer.replies, data


def first_screen(turns: Turns[Reply], text: str, country: str = "GB") -> Reply:
    child = Child(turns, user_id=hash(text) % 10**8)
    child.send(f"/country {country}")
    answer = child.type(text)
    assert len(answer.replies) == 1 and answer.replies[0].kind == "help", answer.replies
    return answer.replies[0]


def test_each_kind_of_disclosure_has_its_own_first_screen(turns: Turns[Reply]) -> None:
    seen = {}
    for category, text in DISCLOSURES.items():
        reply = first_screen(turns, text)
        buttons = [b.label for row in reply.buttons for b in row]
        seen[category] = (reply.plain().split("\n")[0], buttons[0])
        assert reply.plain().startswith("Thank you for telling me."), category
        assert "Back to the lesson" in buttons or "See the lessons" in buttons, category
    assert len({words for words, _button in seen.values()}) == len(DISCLOSURES)
    suicide = first_screen(turns, DISCLOSURES["suicide"]).plain()
    assert suicide.index("Samaritans") < suicide.index("Childline")
    assert seen["suicide"][1] == "Copy number 116 123"
    sextortion = first_screen(turns, DISCLOSURES["sextortion"])
    assert "Don't pay and don't send anything more" in sextortion.plain()
    assert "Use Report Remove" in [b.label for row in sextortion.buttons for b in row][:3]
    for danger in ("violence", "sexual_abuse", "grooming_meeting"):
        text = first_screen(turns, DISCLOSURES[danger]).plain()
        assert text.index("Call 999") < text.index("Childline"), danger
    cry = first_screen(turns, DISCLOSURES["cry_for_help"]).plain()
    assert cry.index("Childline") < cry.index("Call 999")


@pytest.mark.parametrize(("country", "line"), [
    ("GB", "Samaritans"), ("US", "988"), ("CA", "9-8-8"), ("AU", "Lifeline"),
])  # fmt: skip
def test_a_child_who_wants_to_die_sees_their_countrys_crisis_line(
    turns: Turns[Reply], country: str, line: str
) -> None:
    text = first_screen(turns, "i want to die", country).plain()
    assert line in text
    assert text.index(line) < text.index("Talk to someone\n")  # before the child helpline


def test_without_a_crisis_line_the_child_helpline_and_emergency_number(
    turns: Turns[Reply],
) -> None:
    """Every country with no confirmed crisis line, as a child who wants to die reads it."""
    directory = turns.words["en"].directory  # type: ignore[attr-defined]
    without = [
        c for c in directory.countries() if not directory.for_country(c).of_kind("crisis_line")
    ]
    assert without  # the case exists in the shipped files
    for country in without:
        text = first_screen(turns, "i want to die", country).plain()
        helpline = directory.child_helpline(country)
        if helpline is not None and helpline.phone:
            assert helpline.phone[0] in text, country
        else:
            assert "Child Helpline International" in text, country
        place = directory.for_country(country)
        emergency = [*place.emergency, *(n for h in place.of_kind("emergency") for n in h.phone)]
        if emergency:
            assert f"Call {emergency[0]}" in text, country
        else:  # no number confirmed (Afghanistan): said so, and help from anywhere
            assert "Call your local emergency number" in text, country
            assert "these can help from anywhere" in text, country


def test_a_child_without_a_country_gets_help_from_anywhere_and_the_question(
    turns: Turns[Reply],
) -> None:
    child = Child(turns, user_id=5151, language="en")
    answer = child.type("i want to die")
    reply = answer.replies[0]
    assert "wherever you are" in reply.plain()
    assert "Tell me your country" in reply.plain()
    assert "1-800" not in reply.plain()  # no national toll-free number
    child.tap("Choose my country")
    assert "Which country are you in?" in child.reads()


def test_distress_in_the_childs_own_language_is_heard(turns: Turns[Reply]) -> None:
    """Only English lessons ship, but a Spanish-speaking child typing Spanish gets help."""
    joy = Child(turns, language="es-MX")
    joy.send("/country MX")
    answer = joy.type("me está chantajeando con mis fotos")
    assert answer.replies[0].kind == "help"


def test_other_typed_text_gets_a_warm_reply_with_help_one_tap_away(
    turns: Turns[Reply],
) -> None:
    joy = Child(turns)
    answer = joy.type("hello bot")
    assert "If something is worrying you, help is one tap away" in first_text(answer)
    assert "Get help" in [b.label for row in answer.replies[0].buttons for b in row]
    assert "can't read" not in first_text(answer)


def test_typed_text_names_the_childs_own_helpline_and_its_number(turns: Turns[Reply]) -> None:
    """A child whose words no rule hears still reads who to call in their country."""
    joy = Child(turns)
    joy.send("/country GB")
    answer = joy.type("idk what to say")
    assert "If something is worrying you, you can talk to Childline: call 0800 1111" in (
        first_text(answer)
    )
    assert "Get help" in [b.label for row in answer.replies[0].buttons for b in row]
    mexico = Child(turns, user_id=1002)
    mexico.send("/country MX")  # no child helpline confirmed: its crisis line
    assert "Línea de la Vida: call 800 911 2000" in first_text(mexico.type("hola"))
    afghanistan = Child(turns, user_id=1003)
    afghanistan.send("/country AF")  # nothing confirmed: Get help, which works from anywhere
    assert "help is one tap away: tap Get help" in first_text(afghanistan.type("salam"))


def test_a_photo_is_removed_and_answered_calmly(turns: Turns[Reply]) -> None:
    joy = Child(turns)
    joy.send("/country GB")
    answer = joy._do(Incoming("media", name="photo"))
    assert answer.delete_incoming
    text = first_text(answer)
    assert "it is not your fault, and you are not in trouble. Don't send more." in text
    assert "Report Remove" in text and "Take It Down" in text


def test_quick_exit_leaves_one_neutral_line_and_explains_once(turns: Turns[Reply]) -> None:
    joy = Child(turns)
    first = joy.send("/exit")
    assert first.quick_exit and len(first.replies) == 1
    assert "delete this chat from your chat list" in first_text(first)
    again = joy.send("/exit")
    assert [first_text(again)] == ["Chat cleared."]


def test_forget_asks_then_erases_everything(turns: Turns[Reply]) -> None:
    joy = Child(turns)
    joy.send("/country KE")
    joy.send("/forget")
    assert "erase everything" in joy.reads()
    joy.tap("Yes, erase it")
    child = turns.store.child(joy.key)
    assert (child.country, child.position, child.locale) == (None, None, None)


def test_a_restart_mid_lesson_loses_nothing(content: Content, tmp_path: Path) -> None:
    store = Store(tmp_path)
    joy = Child(make_turns(Settings(), content, store))
    joy.send("/country KE")
    joy.tap("10 to 12")
    joy.tap("Someone who is too nice")
    joy.tap("A warning sign")
    next_button = button_data(joy.last, "Stop, and tell an adult I trust")
    store.close()  # the process stops
    again = Child(make_turns(Settings(), content, Store(tmp_path)))
    answer = again.tap_data(next_button)
    assert "Joy is 13 and lives in Manila" in answer.replies[-1].plain()


def test_language_switch_mid_lesson_keeps_the_place(turns: Turns[Reply]) -> None:
    joy = Child(turns)
    joy.send("/country EG")
    joy.tap("10 to 12")
    joy.tap("Someone who is too nice")
    assert "Two quick questions" in joy.reads()
    answer = joy.send("/language ar")
    position = turns.store.child(joy.key).position
    assert position is not None and position.step == "signs_before"
    assert turns.store.child(joy.key).locale == "ar"
    # the same step again, now in Arabic, with Arabic buttons
    assert "سؤالان سريعان" in answer.replies[-1].plain()
    assert "Two quick questions" not in joy.reads()
    assert "[اطلب المساعدة]" in joy.reads()
    joy.send("/language es")
    assert "Dos preguntas rápidas" in joy.reads()


def test_an_unknown_language_gets_a_short_answer_and_the_buttons(turns: Turns[Reply]) -> None:
    joy = Child(turns)
    joy.send("/language klingon")
    assert "I don't speak that language yet." in joy.reads()
    assert "Which language do you want to use?" in joy.reads()


def test_country_by_name_and_prefer_not_to_say(turns: Turns[Reply]) -> None:
    joy = Child(turns)
    joy.send("/country france")
    assert turns.store.child(joy.key).country == "FR"
    joy.send("/country")
    joy.tap("Prefer not to say")
    assert turns.store.child(joy.key).country == ""
    answer = joy.send("/help")
    assert "Child Helpline International" in first_text(answer)


def test_prefer_not_to_say_gets_help_that_works_from_anywhere(turns: Turns[Reply]) -> None:
    joy = Child(turns)
    joy.send("/country")
    joy.tap("Prefer not to say")
    reply = joy.send("/help").replies[0]
    text = reply.plain()
    for name in ("Child Helpline International", "Take It Down", "INHOPE"):
        assert name in text
    assert "📞" not in text and "1-800" not in text  # no national (toll-free) number
    assert "In danger right now? Call your local emergency number." in text
    joy.tap("Choose my country")  # telling the bot the country is one tap away
    assert "Which country are you in?" in joy.reads()


def test_the_country_keyboard_fits_telegrams_hundred_buttons(turns: Turns[Reply]) -> None:
    joy = Child(turns)
    reply = joy.send("/country").replies[0]
    labels = [b.label for row in reply.buttons for b in row]
    assert len(labels) <= 100
    shipped = turns.words["en"].directory  # type: ignore[attr-defined]
    assert len(labels) == len(shipped.countries()) + 1  # every country, and Prefer not to say
    assert labels[-1] == "Prefer not to say"


def test_a_keyboard_of_every_country_in_the_world_still_fits() -> None:
    """An instance with a file for every country: the keyboard must still be sent."""
    words = SystemWords(NullTranslations(), "en")
    everywhere = tuple(sorted(country_codes()))
    assert len(everywhere) > 100
    reply = words.ask_country(AskCountry(1, everywhere, suggested="ZW"))
    labels = [b.label for row in reply.buttons for b in row]
    assert len(labels) == 100
    assert labels[0] == "✓ Zimbabwe" and labels[-1] == "Prefer not to say"
    assert "Type /country and the name of your country." in reply.plain()


def test_lesson_counters_move_and_identify_nobody(turns: Turns[Reply]) -> None:
    joy = Child(turns, user_id=55501234)
    joy.send("/country KE")
    joy.tap("10 to 12")
    joy.tap("Someone who is too nice")
    joy.tap("A warning sign")
    rows = turns.store.tallies()
    names = {(r["name"], r["outcome"]) for r in rows}
    assert ("lesson_started", "") in names and ("check_answer", "correct") in names
    assert all("55501234" not in str(v) for r in rows for v in r.values())


def test_country_then_help_shows_that_countrys_child_helpline(turns: Turns[Reply]) -> None:
    """/country XX then /help, for every shipped country, as a child types it."""
    shipped = load_content(Settings()).directory
    for n, country in enumerate(shipped.countries()):
        child = Child(turns, user_id=70_000 + n)
        child.send(f"/country {country}")
        text = first_text(child.send("/help"))
        helpline = shipped.child_helpline(country)
        if helpline is not None and helpline.phone:
            assert helpline.name in text, country
            assert helpline.phone[0] in text, country
        else:  # no child helpline with a number a source confirms: the international fallback
            assert "Find a child helpline near you" in text, country
            assert "Child Helpline International" in text, country
        place = shipped.for_country(country)
        if place.emergency or place.of_kind("emergency"):
            assert "In danger right now? Call " in text and "your local" not in text, country
        else:  # no number a source confirms (Afghanistan): the file says why
            assert place.notes and place.removed, country
            assert "In danger right now? Call your local emergency number." in text, country


def test_a_child_is_heard_in_the_language_of_their_app(turns: Turns[Reply]) -> None:
    """A child whose app is in Spanish, in a lesson shown in English, writing Spanish."""
    child = Child(turns, language="es-MX")
    child.send("/language en")
    answer = child.type("mi padrastro me toca")
    assert answer.replies[0].kind == "help"
    assert "Thank you for telling me" in answer.replies[0].plain()


# -- require_approved: only lessons a youth group approved in the child's language ----------

ROOT = Path(__file__).resolve().parent.parent


def approved_instance(folder: Path, languages: list[str]) -> Settings:
    """An instance whose own lesson is approved in English (10-12) and only drafted in sw."""
    (folder / "dialogs").mkdir(exist_ok=True)
    example = (ROOT / "docs/examples/two_paths.yaml").read_text(encoding="utf-8")
    (folder / "dialogs/two_paths.yaml").write_text(example, encoding="utf-8")
    return Settings(overlay=folder, languages=languages, require_approved=True)


@pytest.fixture(scope="module")
def approved_only(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Content]:
    settings = approved_instance(tmp_path_factory.mktemp("instance"), ["en"])
    return settings, load_content(settings)


@pytest.fixture
def approved_turns(
    approved_only: tuple[Settings, Content], tmp_path: Path
) -> Iterator[Turns[Reply]]:
    settings, content = approved_only
    store = Store(tmp_path / "data")
    yield make_turns(settings, content, store)
    store.close()


def test_with_require_approved_a_child_sees_only_lessons_approved_in_their_language(
    approved_turns: Turns[Reply],
) -> None:
    lina = Child(approved_turns)
    lina.send("/country KE")
    lina.tap("10 to 12")
    lina.send("/lessons")
    assert "[Lina and the photo]" in lina.reads()
    assert "Someone who is too nice" not in lina.reads()  # shipped, not reviewed yet
    lina.tap("Lina and the photo")
    assert "Someone she met in a game asks her for a photo" in lina.reads()


def test_with_require_approved_a_forged_button_cannot_open_an_unapproved_lesson(
    approved_turns: Turns[Reply],
) -> None:
    from bot.core.presses import OpenLesson, encode

    joy = Child(approved_turns)
    joy.send("/country KE")
    joy.tap("10 to 12")
    joy.send("/lessons")
    turn = approved_turns.store.child(joy.key).turn
    joy.tap_data(encode(OpenLesson(turn, "grooming")))
    position = approved_turns.store.child(joy.key).position
    assert position is not None and position.dialog == "menu"
    joy.tap_data(encode(OpenLesson(turn, "two_paths")))  # the same press, for an approved one
    position = approved_turns.store.child(joy.key).position
    assert position is not None and position.dialog == "two_paths"


def test_with_require_approved_help_is_never_hidden(approved_turns: Turns[Reply]) -> None:
    child = Child(approved_turns)
    child.send("/country KE")
    text = first_text(child.send("/help"))
    assert "Childline Kenya" in text and "116" in text
    assert first_screen(approved_turns, DISCLOSURES["sextortion"], "KE").kind == "help"


def test_with_require_approved_a_language_with_no_approved_lesson_is_refused(
    tmp_path: Path,
) -> None:
    from bot.errors import ProblemsFound

    with pytest.raises(ProblemsFound) as raised:
        load_content(approved_instance(tmp_path, ["en", "sw"]))
    assert [str(p) for p in raised.value.problems] == [
        "safebot.toml: require_approved is on, but no lesson is approved in 'sw'. Record a "
        "youth group's approval under 'review: sw:' of a lesson (docs/authoring.md), or take "
        "'sw' out of 'languages'."
    ]


def test_every_lesson_country_and_language_fits_in_one_deep_link(content: Content) -> None:
    from bot.core.links import Link, link_payload, read_link

    for lesson in content.lessons:
        for language in content.catalogs.locales:
            payload = link_payload(lesson, "KE", language)
            assert len(payload) <= 64
            assert read_link(payload) == Link(lesson, "KE", language)
    assert read_link("lang_sw-lesson_grooming") == Link("grooming", None, "sw")  # any order
    assert read_link("colour_red-lesson_grooming") == Link("grooming")  # unknown parts left out
    assert read_link("lesson_grooming?country=KE") == Link()  # outside Telegram's rule


def test_a_deep_link_for_a_new_child_asks_what_the_lesson_needs_then_opens_it(
    turns: Turns[Reply],
) -> None:
    child = Child(turns, language="zz")  # no language the bot knows
    child.send("/start lesson_grooming-country_KE")
    assert "Which language do you want to use?" in child.reads()
    child.tap("English")
    assert "automatic guide, not a person" in child.reads()  # the welcome's words first
    assert "How old are you?" in child.reads()
    child.tap("10 to 12")
    assert "Two quick questions before the story" in child.reads()  # grooming's first step
    assert turns.store.child(child.key).position.dialog == "grooming"  # type: ignore[union-attr]
