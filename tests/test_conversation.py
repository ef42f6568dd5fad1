"""The conversation a child has, whatever the channel: read like a chat."""

from __future__ import annotations

from pathlib import Path

from bot.app import Content, load_content, make_chatbot
from bot.config import Settings
from bot.conversation import Answer, Chatbot, Incoming
from bot.store import Store
from tests.transcript import answer_lines, button_data, plain


class Child:
    """A child talking to the chatbot: `send('/start')`, `tap('Next')`, `type('hi')`."""

    def __init__(self, chatbot: Chatbot, user_id: int = 1001, language: str = "en") -> None:
        self.chatbot = chatbot
        self.key = chatbot.store.child_key("test", user_id)
        self.language = language
        self.last = Answer()

    def send(self, command: str) -> Answer:
        name, _, arg = command.lstrip("/").partition(" ")
        return self._do(Incoming("command", name=name, arg=arg, language=self.language))

    def tap(self, label: str) -> Answer:
        return self._do(
            Incoming("press", arg=button_data(self.last, label), language=self.language)
        )

    def tap_data(self, data: str) -> Answer:
        return self._do(Incoming("press", arg=data, language=self.language))

    def type(self, text: str) -> Answer:
        return self._do(Incoming("text", arg=text, language=self.language))

    def _do(self, incoming: Incoming) -> Answer:
        answer = self.chatbot.handle(self.key, incoming)
        if answer.replies:
            self.last = answer
        return answer

    def reads(self) -> str:
        return "\n".join(answer_lines(self.last))


def first_text(answer: Answer) -> str:
    return plain(answer.replies[0].text)


def test_a_new_child_is_greeted_asked_their_country_then_shown_the_lessons(
    chatbot: Chatbot,
) -> None:
    ana = Child(chatbot, language="en-KE")
    welcome = ana.send("/start")
    assert "automatic guide, not a person" in ana.reads()
    assert "not an emergency service" in plain(welcome.replies[0].text)
    ana.tap("Show me the stories")
    assert "Which country are you in?" in ana.reads()
    assert "[✓ Kenya]" in ana.reads()  # suggested from the language tag en-KE
    ana.tap("✓ Kenya")
    assert "Someone who is too nice" in ana.reads()


def test_a_child_whose_language_is_unknown_is_asked_first(chatbot: Chatbot) -> None:
    child = Child(chatbot, language="zz")
    child.send("/start")
    assert "Which language do you want to use?" in child.reads()
    for name in ("[English]", "[Español]", "[Français]", "[العربية]", "[Kiswahili]", "[हिन्दी]"):
        assert name in child.reads()


def test_with_one_language_a_child_is_not_asked(content: Content, tmp_path: Path) -> None:
    settings = Settings(show_drafts=True, languages=["en"])
    chatbot = make_chatbot(settings, load_content(settings), Store(tmp_path))
    child = Child(chatbot, language="pt-BR")
    child.send("/start")
    assert "I am an automatic guide" in child.reads()


def test_help_mid_lesson_shows_the_countrys_helpline_and_the_way_back(chatbot: Chatbot) -> None:
    joy = Child(chatbot)
    joy.send("/country KE")
    joy.tap("Someone who is too nice")
    joy.tap("A warning sign")
    help_answer = joy.send("/help")
    text = plain(help_answer.replies[0].text)
    assert "Childline Kenya" in text and "116" in text
    joy.tap("Back to the lesson")
    assert "Someone online makes you feel uneasy" in joy.reads()


def test_a_double_tap_never_skips_a_step(chatbot: Chatbot) -> None:
    joy = Child(chatbot)
    joy.send("/country KE")
    joy.tap("Someone who is too nice")
    data = button_data(joy.last, "A warning sign")
    first = joy.tap_data(data)
    second = joy.tap_data(data)
    assert "Someone online makes you feel uneasy" in plain(first.replies[-1].text)
    assert second.replies == [] and second.toast == "That button is from an earlier message."
    position = chatbot.store.child(joy.key).position
    assert position is not None and position.step == "tell_before"


def test_forged_button_data_is_answered_safely(chatbot: Chatbot) -> None:
    joy = Child(chatbot)
    joy.send("/lessons")
    for data in ("c999.0", "<script>", "L:xx", "C:ZZZ", "o1.nope", "x" * 64, ""):
        answer = joy.tap_data(data)
        assert answer.toast is not None or answer.replies, data


def test_a_distress_sentence_gets_help_first_with_compassion(chatbot: Chatbot) -> None:
    joy = Child(chatbot)
    joy.send("/country GB")
    answer = joy.type("someone is blackmailing me pls help")
    text = plain(answer.replies[0].text)
    assert text.startswith("Thank you for telling me. It is not your fault.")
    assert text.index("In danger right now? Call 999") < text.index("Childline")
    assert "0800 1111" in text  # Childline
    assert answer.replies[0].kind == "help"


def test_distress_in_the_childs_own_language_is_heard(chatbot: Chatbot) -> None:
    """Only English lessons ship, but a Spanish-speaking child typing Spanish gets help."""
    joy = Child(chatbot, language="es-MX")
    joy.send("/country MX")
    answer = joy.type("me está chantajeando con mis fotos")
    assert answer.replies[0].kind == "help"


def test_other_typed_text_gets_a_gentle_pointer_to_the_buttons(chatbot: Chatbot) -> None:
    joy = Child(chatbot)
    answer = joy.type("hello bot")
    assert "use the buttons" in first_text(answer)


def test_a_photo_is_removed_and_answered_calmly(chatbot: Chatbot) -> None:
    joy = Child(chatbot)
    joy.send("/country GB")
    answer = joy._do(Incoming("media", name="photo"))
    assert answer.delete_incoming
    text = first_text(answer)
    assert "it is not your fault, and you are not in trouble. Don't send more." in text
    assert "Report Remove" in text and "Take It Down" in text


def test_quick_exit_leaves_one_neutral_line_and_explains_once(chatbot: Chatbot) -> None:
    joy = Child(chatbot)
    first = joy.send("/exit")
    assert first.quick_exit and len(first.replies) == 1
    assert "delete this chat from your chat list" in first_text(first)
    again = joy.send("/exit")
    assert [first_text(again)] == ["Chat cleared."]


def test_forget_asks_then_erases_everything(chatbot: Chatbot) -> None:
    joy = Child(chatbot)
    joy.send("/country KE")
    joy.send("/forget")
    assert "erase everything" in joy.reads()
    joy.tap("Yes, erase it")
    child = chatbot.store.child(joy.key)
    assert (child.country, child.position, child.locale) == (None, None, None)


def test_a_restart_mid_lesson_loses_nothing(content: Content, tmp_path: Path) -> None:
    store = Store(tmp_path)
    joy = Child(make_chatbot(Settings(), content, store))
    joy.send("/country KE")
    joy.tap("Someone who is too nice")
    joy.tap("A warning sign")
    next_button = button_data(joy.last, "Stop, and tell an adult I trust")
    store.close()  # the process stops
    again = Child(make_chatbot(Settings(), content, Store(tmp_path)))
    answer = again.tap_data(next_button)
    assert "Joy is 13 and lives in Manila" in plain(answer.replies[-1].text)


def test_language_switch_mid_lesson_keeps_the_place(chatbot: Chatbot) -> None:
    joy = Child(chatbot)
    joy.send("/country EG")
    joy.tap("Someone who is too nice")
    assert "Two quick questions" in joy.reads()
    answer = joy.send("/language ar")
    position = chatbot.store.child(joy.key).position
    assert position is not None and position.step == "signs_before"
    assert chatbot.store.child(joy.key).locale == "ar"
    # the same step again, now in Arabic, with Arabic buttons
    assert "سؤالان سريعان" in plain(answer.replies[-1].text)
    assert "Two quick questions" not in joy.reads()
    assert "[اطلب المساعدة]" in joy.reads()
    joy.send("/language es")
    assert "Dos preguntas rápidas" in joy.reads()


def test_an_unknown_language_gets_a_short_answer_and_the_buttons(chatbot: Chatbot) -> None:
    joy = Child(chatbot)
    joy.send("/language klingon")
    assert "I don't speak that language yet." in joy.reads()
    assert "Which language do you want to use?" in joy.reads()


def test_country_by_name_and_prefer_not_to_say(chatbot: Chatbot) -> None:
    joy = Child(chatbot)
    joy.send("/country france")
    assert chatbot.store.child(joy.key).country == "FR"
    joy.send("/country")
    joy.tap("Prefer not to say")
    assert chatbot.store.child(joy.key).country == ""
    answer = joy.send("/help")
    assert "Child Helpline International" in first_text(answer)


def test_lesson_counters_move_and_identify_nobody(chatbot: Chatbot) -> None:
    joy = Child(chatbot, user_id=55501234)
    joy.send("/country KE")
    joy.tap("Someone who is too nice")
    joy.tap("A warning sign")
    rows = chatbot.store.tallies()
    names = {(r["name"], r["outcome"]) for r in rows}
    assert ("lesson_started", "") in names and ("check_answer", "correct") in names
    assert all("55501234" not in str(v) for r in rows for v in r.values())


def test_country_then_help_shows_that_countrys_child_helpline(chatbot: Chatbot) -> None:
    """/country XX then /help, for every shipped country, as a child types it."""
    from bot.helplines import load_directory

    shipped = load_directory(Path(__file__).parent.parent / "content" / "helplines")
    for n, country in enumerate(shipped.countries()):
        child = Child(chatbot, user_id=70_000 + n)
        child.send(f"/country {country}")
        text = first_text(child.send("/help"))
        helpline = shipped.child_helpline(country)
        if helpline is not None:
            assert helpline.name in text, country
            if helpline.phone:
                assert helpline.phone[0] in text, country
        assert "In danger right now? Call " in text and "your local" not in text, country
