"""The Telegram bot, driven through python-telegram-bot against the fake Bot API on loopback."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.channels.telegram.chat import TelegramChat
from bot.channels.telegram.updates import POOL, TelegramLoop, build_application
from bot.content.load import Content
from bot.core.store import Store
from bot.fakebotapi import FakeBotAPI, FakeUser
from bot.instance import make_turns
from bot.settings import Settings
from bot.tools import logs

USER_ID = 4455667788


class Running:
    """The fake API and the real bot polling it, in this event loop."""

    def __init__(self, api: FakeBotAPI, loop: TelegramLoop, store: Store) -> None:
        self.api, self.loop, self.store = api, loop, store
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self.loop.run())

    async def stop(self) -> None:
        self.loop.stop()
        if self.task:
            await asyncio.wait_for(self.task, 15)


def telegram_loop(api: FakeBotAPI, content: Content, store: Store) -> TelegramLoop:
    turns = make_turns(Settings(), content, store)
    application = build_application("123:TEST", api.base_url)
    loop = TelegramLoop(TelegramChat(turns, application.bot), application, content.catalogs)
    loop.poll_timeout = 1
    loop.chat.call.retry_pause = 0.05
    return loop


def start_bot(api: FakeBotAPI, content: Content, data: Path) -> Running:
    store = Store(data)
    running = Running(api, telegram_loop(api, content, store), store)
    running.start()
    return running


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    fake = FakeBotAPI()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def bot(api: FakeBotAPI, content: Content, tmp_path: Path) -> AsyncIterator[Running]:
    running = start_bot(api, content, tmp_path / "data")
    yield running
    await running.stop()
    running.store.close()


def texts(user: FakeUser) -> list[str]:
    return [m.text for m in user.bot_messages]


def choices(user: FakeUser) -> list[str]:
    """The tappable buttons of the bot's latest message that has some."""
    for message in reversed(user.bot_messages):
        found = [b.text for row in message.buttons for b in row if b.callback_data]
        if found:
            return found
    return []


async def test_start_then_a_lesson_to_its_end(api: FakeBotAPI, bot: Running) -> None:
    ana = api.user(USER_ID, language_code="en-KE")
    await ana.send("/start")
    await ana.wait_for("I am an automatic guide, not a person")
    await ana.click("Show me the stories")
    await ana.wait_for("Which country are you in?")
    await ana.click("✓ Kenya")
    await ana.wait_for("How old are you?")
    await ana.click("10 to 12")
    await ana.wait_for("Pick a story")
    await ana.click("Someone who is too nice")
    for _ in range(30):
        await ana.settle()
        labels = choices(ana)
        if "Was this lesson helpful?" in texts(ana)[-1]:
            break
        choice = next(label for label in labels if label not in ("Get help", "Quick exit"))
        await ana.click(choice)
    await ana.wait_for("Secrets, gifts and pressure are warning signs")
    assert "Childline Kenya" in "\n".join(texts(ana))
    # every press was answered, and old buttons were taken off
    assert len(api.ok_calls("answerCallbackQuery")) >= 10
    pressed = [m for m in ana.bot_messages[:-1] if any(
        b.callback_data for row in m.buttons for b in row
        if b.text not in ("Get help", "Quick exit"))]  # fmt: skip
    assert len(pressed) <= 2


async def test_a_spanish_speaking_child_reads_spanish_from_the_first_message(
    api: FakeBotAPI, bot: Running
) -> None:
    lucia = api.user(USER_ID, language_code="es")
    await lucia.send("/start")
    first = (await lucia.wait_for("Soy una guía automática, no una persona")).text
    assert "automatic guide" not in first
    assert lucia.buttons[-2:] == ["Pedir ayuda", "Salida rápida"]
    await lucia.click("Ver las historias")
    await lucia.wait_for("¿En qué país estás?")
    await lucia.send("/language fr")  # switching mid-way: the same question, now in French
    await lucia.wait_for("Dans quel pays es-tu")
    await lucia.send("/country MX")
    await lucia.wait_for("Quel âge as-tu")
    await lucia.click("De 10 à 12 ans")
    await lucia.wait_for("Choisis une histoire")


async def test_a_persian_child_reads_commands_and_numbers_left_to_right(
    api: FakeBotAPI, bot: Running
) -> None:
    lri, pdi = "\u2066", "\u2069"  # each left-to-right run between these, shown unchanged
    sara = api.user(USER_ID, language_code="fa")
    await sara.send("/start")
    welcome = (await sara.wait_for("/privacy")).text
    assert f"{lri}/privacy{pdi}" in welcome  # never "privacy/" at the start of the line
    await sara.send("/privacy")
    privacy = (await sara.wait_for("/forget")).text
    assert f"{lri}/forget{pdi}" in privacy and f"{lri}/exit{pdi}" in privacy
    await sara.send("/country GB")
    await sara.settle()
    await sara.send("/help")
    shown = await sara.wait_for("Childline")
    assert f"{lri}0800 1111{pdi}" in shown.text and f"{lri}999{pdi}" in shown.text
    # bold still bold: the isolates are inside the words, never inside the markup
    units = shown.text.encode("utf-16-le")  # Telegram counts in UTF-16 code units
    bold = [units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
            for e in shown.entities if e["type"] == "bold"]  # fmt: skip
    assert f"{lri}Childline{pdi} ({lri}NSPCC{pdi})" in bold and f"{lri}999{pdi}" in bold
    copy = next(b for row in shown.buttons for b in row if b.copy_text)
    assert (copy.text, copy.copy_text) == (f"کپی شماره {lri}0800 1111{pdi}", "0800 1111")
    links = [b.url for row in shown.buttons for b in row if b.url]
    assert "https://www.childline.org.uk" in links  # addresses of buttons untouched


async def test_commands_and_descriptions_are_registered_in_every_language(
    api: FakeBotAPI, bot: Running
) -> None:
    ana = api.user(USER_ID)
    await ana.send("/start")
    await ana.wait_for("automatic guide")
    names = [c["command"] for c in api.commands[""]]
    assert names == [
        "start", "lessons", "help", "language", "country", "age", "privacy", "forget", "exit"
    ]  # fmt: skip
    # Telegram's two-letter codes: pt for Brazilian Portuguese, tl for Filipino
    codes = ["", "ar", "es", "fa", "fr", "hi", "id", "pt", "ru", "sw", "tl", "uk"]
    assert sorted(api.commands) == codes
    for commands in api.commands.values():
        assert [c["command"] for c in commands] == names
    english = {c["command"]: c["description"] for c in api.commands[""]}
    for code in codes[1:]:
        described = {c["command"]: c["description"] for c in api.commands[code]}
        assert all(described[name] != english[name] for name in names), (code, described)
    # what a child reads before pressing Start, in their language
    assert "grooming and sextortion" in api.descriptions[("description", "")]
    for kind in ("description", "short_description"):
        texts = {api.descriptions[(kind, code)] for code in codes}
        assert len(texts) == len(codes), kind  # each language its own words


async def test_help_mid_lesson_and_back(api: FakeBotAPI, bot: Running) -> None:
    ana = api.user(USER_ID)
    await ana.send("/country KE")
    await ana.wait_for("How old are you?")
    await ana.click("10 to 12")
    await ana.wait_for("Pick a story")
    await ana.click("Someone who is too nice")
    await ana.wait_for("Two quick questions")
    await ana.send("/help")
    text = (await ana.wait_for("Childline Kenya")).text
    assert "116" in text
    await ana.click("Back to the lesson")
    await ana.settle()
    assert "Two quick questions" in texts(ana)[-1]


async def test_a_photo_is_deleted_never_downloaded(api: FakeBotAPI, bot: Running) -> None:
    ana = api.user(USER_ID)
    await ana.send("/country GB")
    await ana.wait_for("How old are you?")
    await ana.click("10 to 12")
    await ana.wait_for("Pick a story")
    photo = await ana.send_photo()
    await ana.wait_for("I removed what you sent")
    assert all(m.message_id != photo.message_id for m in ana.chat.messages)
    assert api.calls("getFile") == [] and api.calls("file") == []


async def test_stickers_and_locations_get_a_friendly_reply(api: FakeBotAPI, bot: Running) -> None:
    ana = api.user(USER_ID)
    await ana.send_sticker()
    await ana.wait_for("I can only understand button taps")
    await ana.send_location()
    await ana.settle()
    assert sum("button taps" in t for t in texts(ana)) == 2


async def test_typed_words_get_a_warm_reply_with_the_childs_helpline(
    api: FakeBotAPI, bot: Running
) -> None:
    ana = api.user(USER_ID)
    await ana.send("/country KE")
    await ana.wait_for("How old are you?")
    await ana.send("hey bot whats up")
    reply = await ana.wait_for("I'm an automatic guide, so I can't chat")
    assert "you can talk to Childline Kenya: call 116" in reply.text
    assert ana.buttons[-2:] == ["Get help", "Quick exit"]  # with the step's way back above


async def test_a_distress_sentence_gets_help_first(api: FakeBotAPI, bot: Running) -> None:
    ana = api.user(USER_ID)
    await ana.send("/country GB")
    await ana.wait_for("How old are you?")
    await ana.click("10 to 12")
    await ana.wait_for("Pick a story")
    await ana.send("he says he will send my pics to everyone")
    text = (await ana.wait_for("Thank you for telling me")).text
    assert "0800 1111" in text


async def test_quick_exit_clears_the_chat(api: FakeBotAPI, bot: Running) -> None:
    ana = api.user(USER_ID)
    await ana.send("/country KE")
    await ana.wait_for("How old are you?")
    await ana.click("10 to 12")
    await ana.wait_for("Pick a story")
    await ana.click("Someone who is too nice")
    await ana.wait_for("Two quick questions")
    await ana.send("/exit")
    await ana.wait_for("Chat cleared.")
    await ana.settle()
    assert [m.text for m in ana.chat.messages] == [
        "Chat cleared. Messages older than two days stay: to remove them, delete this chat "
        "from your chat list."
    ]


async def test_forget_erases_the_child(api: FakeBotAPI, bot: Running) -> None:
    ana = api.user(USER_ID)
    await ana.send("/country KE")
    await ana.wait_for("How old are you?")
    await ana.click("10 to 12")
    await ana.wait_for("Pick a story")
    await ana.send("/forget")
    await ana.wait_for("erase everything")
    await ana.click("Yes, erase it")
    await ana.wait_for("I erased everything")
    assert bot.store.children_count() == 0


async def test_a_double_tap_never_skips_a_step(api: FakeBotAPI, bot: Running) -> None:
    ana = api.user(USER_ID)
    await ana.send("/country KE")
    await ana.wait_for("How old are you?")
    await ana.click("10 to 12")
    await ana.wait_for("Pick a story")
    await ana.click("Someone who is too nice")
    await ana.wait_for("Two quick questions")
    await ana.click("A warning sign")
    await ana.click("A warning sign")  # the same message, tapped twice
    await ana.settle()
    assert sum("Someone online makes you feel uneasy" in t for t in texts(ana)) == 1
    position = bot.store.child(bot.store.child_key("telegram", USER_ID)).position
    assert position is not None and position.step == "tell_before"


async def test_groups_get_one_line_and_nothing_else(api: FakeBotAPI, bot: Running) -> None:
    group, kofi = api.group(-100123, "class"), api.user(7, "K")
    await group.send(kofi, "/start")
    await group.send(kofi, "hello")
    await api.settle()
    assert [m.text for m in group.bot_messages] == [
        "Hi! I only talk in private chats. Tap my name and start a chat with me."
    ]


async def test_every_tap_gets_its_reply_despite_429s_and_500s(
    api: FakeBotAPI, bot: Running
) -> None:
    api.faults.add("429", method="editMessageText", times=1, retry_after=1)  # at least one
    for method in ("sendMessage", "editMessageText"):  # a tap moves the lesson by an edit
        api.faults.add("429", method=method, rate=0.2, retry_after=1)
        api.faults.add("500", method=method, rate=0.05)
    ana = api.user(USER_ID)
    await ana.send("/country KE")
    await ana.wait_for("How old are you?", timeout=30)
    await ana.click("10 to 12")
    await ana.wait_for("Pick a story", timeout=30)
    await ana.click("Someone who is too nice")
    await ana.wait_for("Two quick questions", timeout=30)
    await ana.click("A warning sign")
    await ana.wait_for("Someone online makes you feel uneasy", timeout=30)
    await ana.click("Stop, and tell an adult I trust")
    await ana.wait_for("Joy is 13 and lives in Manila", timeout=30)
    sent = api.calls("sendMessage") + api.calls("editMessageText")
    refused = [r.status for r in sent if r.status != 200]
    assert refused, "the faults were injected"


async def test_a_child_who_blocked_the_bot_does_not_disturb_others(
    api: FakeBotAPI, bot: Running
) -> None:
    gone, ana = api.user(1), api.user(2)
    api.faults.add("403", method="sendMessage", chat_id=1)
    await gone.send("/start")
    await ana.send("/start")
    await ana.wait_for("automatic guide")
    await ana.settle()
    assert gone.bot_messages == []


async def test_a_child_told_to_wait_does_not_hold_up_others(api: FakeBotAPI, bot: Running) -> None:
    """Telegram may make one chat wait (429, retry_after); other children are answered."""
    slow, ana = api.user(1), api.user(2)
    api.faults.add("429", method="sendMessage", times=1, retry_after=4, chat_id=1)
    await slow.send("/start")
    await asyncio.sleep(0.3)  # the slow chat's update is in hand, its reply told to wait
    started = asyncio.get_running_loop().time()
    await ana.send("/start")
    await ana.wait_for("automatic guide", timeout=10)
    assert asyncio.get_running_loop().time() - started < 2
    await slow.wait_for("automatic guide", timeout=10)  # and the slow one is answered too
    await ana.settle()
    # Ana's update was confirmed only after the slow one, and came again meanwhile:
    # it was still handled once
    assert sum("automatic guide" in t for t in texts(ana)) == 1
    assert sum("automatic guide" in t for t in texts(slow)) == 1


async def test_many_children_at_once_are_all_answered_over_a_few_connections(
    api: FakeBotAPI, bot: Running
) -> None:
    """Twenty children start at once while Telegram is slow: each is welcomed, and the bot
    never has more calls open than its shared connections."""
    api.faults.add("slow", method="sendMessage", delay=0.3, times=40)
    children = [api.user(100 + n) for n in range(20)]
    await asyncio.gather(*(child.send("/start") for child in children))
    for child in children:
        await child.wait_for("automatic guide", timeout=30)
    assert 1 < api.most_in_flight <= POOL


async def safebot_run(api: FakeBotAPI, data: Path) -> asyncio.subprocess.Process:
    """The real `safebot run`, in its own process, against the fake API."""
    env = {**os.environ, "SAFEBOT_TELEGRAM_TOKEN": "123:TEST",
           "SAFEBOT_TELEGRAM_API_URL": api.base_url, "SAFEBOT_DATA_DIR": str(data)}  # fmt: skip
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.tools.cli", "run", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def until(condition: Callable[[], bool], within: float = 20) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_killed_with_sigkill_while_a_reply_is_in_flight_it_answers_after_restart(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    hang = api.faults.add("hang", method="sendMessage", times=1)
    first = await safebot_run(api, tmp_path / "data")
    ana = api.user(USER_ID)
    await ana.send("/start")
    await until(lambda: hang.hits >= 1)  # the reply is in flight
    first.send_signal(signal.SIGKILL)
    await first.wait()
    assert ana.bot_messages == []
    second = await safebot_run(api, tmp_path / "data")
    try:
        await ana.wait_for("automatic guide", timeout=20)
    finally:
        second.send_signal(signal.SIGTERM)
        stopped = await asyncio.wait_for(second.wait(), 20)
    assert stopped == 0  # SIGTERM stops it cleanly
    assert sum("automatic guide" in t for t in texts(ana)) == 1


async def test_without_a_token_run_explains_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFEBOT_")}
    env["SAFEBOT_DATA_DIR"] = str(tmp_path)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.tools.cli", "run", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _out, err = await process.communicate()
    assert process.returncode == 2
    assert err.decode().count("\n") == 1 and "SAFEBOT_TELEGRAM_TOKEN" in err.decode()


async def test_nothing_identifying_is_kept_or_logged(
    api: FakeBotAPI, bot: Running, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    logs.guard_records()  # as `safebot run` sets them
    caplog.set_level(logging.DEBUG)
    ana = api.user(USER_ID, first_name="Zanele", username="zanele_k")
    await ana.send("/country ZA")
    await ana.wait_for("How old are you?")
    await ana.click("10 to 12")
    await ana.wait_for("Pick a story")
    await ana.send("my secret diary words")
    await ana.settle()
    stored = b"".join(p.read_bytes() for p in (tmp_path / "data").iterdir())
    for secret in (str(USER_ID), "Zanele", "zanele_k", "secret diary"):
        assert secret.encode() not in stored
        assert secret not in caplog.text
    assert USER_ID.to_bytes(8, "little") not in stored and USER_ID.to_bytes(8, "big") not in stored


async def test_a_repeated_update_is_handled_once(api: FakeBotAPI, bot: Running) -> None:
    ana = api.user(USER_ID)
    await ana.send("/start")
    await ana.wait_for("automatic guide")
    await ana.settle()
    first = min(api.history)  # the /start above, delivered again as after a lost confirmation
    api.requeue(first)
    await api.settle(quiet=1.5)
    assert sum("automatic guide" in t for t in texts(ana)) == 1


async def test_odd_updates_and_forged_buttons_never_stop_the_bot(
    api: FakeBotAPI, bot: Running
) -> None:
    ana = api.user(USER_ID)
    chat = {"id": USER_ID, "type": "private", "first_name": "Ana"}
    api.queue({"edited_message": {"message_id": 99, "date": 0, "edit_date": 1, "text": "x",
               "chat": chat, "from": ana.user}})  # fmt: skip
    api.queue({"message": {"message_id": 98, "date": 0, "chat": chat, "from": ana.user}})
    await ana.send("/start")
    await ana.wait_for("automatic guide")
    await ana.click_data("c999999.7")
    await ana.click_data("<b>not ours</b>")
    await ana.send("/nonsense")
    await ana.wait_for("I don't know that command")
    await ana.settle()
    presses = [q for q in api.queries.values()]
    assert len(presses) == 2 and all(q.answered for q in presses)  # forged ones too


async def test_webhook_needs_the_secret_and_changes_nothing_without_it(
    api: FakeBotAPI, content: Content, tmp_path: Path
) -> None:
    import aiohttp

    store = Store(tmp_path / "data")
    channel = telegram_loop(api, content, store)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Telegram posts to the public https address; a proxy passes it to us on loopback
    public = "https://bot.example.org/telegram"
    url = f"http://127.0.0.1:{port}/telegram"
    task = asyncio.create_task(channel.serve_webhook(public, "127.0.0.1", port, "s3cret-token"))
    api.user(USER_ID).chat.started = True  # the child pressed Start in their app
    update = {"update_id": 5, "message": {"message_id": 1, "date": 0, "text": "/start",
              "chat": {"id": USER_ID, "type": "private"},
              "from": {"id": USER_ID, "is_bot": False, "first_name": "Ana",
                       "language_code": "en"}}}  # fmt: skip
    try:
        async with aiohttp.ClientSession() as http:
            await until(lambda: bool(api.ok_calls("setWebhook")))
            health = await http.get(f"http://127.0.0.1:{port}/health")
            assert health.status == 200
            refused = await http.post(url, json=update)
            wrong = await http.post(url, json=update, headers={
                "X-Telegram-Bot-Api-Secret-Token": "guess"})  # fmt: skip
            assert (refused.status, wrong.status) == (403, 403)
            assert store.children_count() == 0 and api.calls("sendMessage") == []
            accepted = await http.post(url, json=update, headers={
                "X-Telegram-Bot-Api-Secret-Token": "s3cret-token"})  # fmt: skip
            assert accepted.status == 200
            assert "automatic guide" in api.ok_calls("sendMessage")[0]["text"]
        assert api.ok_calls("setWebhook")[0]["secret_token"] == "s3cret-token"
    finally:
        channel.stop()
        await asyncio.wait_for(task, 40)
        store.close()


async def test_a_posters_deep_link_opens_its_lesson_in_its_language_and_country(
    api: FakeBotAPI, bot: Running
) -> None:
    """t.me/<bot>?start=lesson_sextortion-country_KE-lang_es: a child whose Telegram is in
    English reads the welcome's words, is asked only their age, then the lesson opens in
    Spanish, with Kenya's helplines."""
    amani = api.user(USER_ID, language_code="en")
    await amani.send("/start lesson_sextortion-country_KE-lang_es")
    await amani.wait_for("Soy una guía automática, no una persona")
    await amani.wait_for("¿Cuántos años tienes?")
    assert "¿En qué país estás?" not in "\n".join(texts(amani))
    await amani.click("De 13 a 17")
    await amani.wait_for("Tres preguntas rápidas antes de la historia")
    await amani.click("Pedir ayuda")
    await amani.wait_for("Childline Kenya")


async def test_an_unknown_or_malformed_deep_link_is_ignored(api: FakeBotAPI, bot: Running) -> None:
    for n, payload in enumerate(["lesson_nope-country_ZZ-lang_xx", "a" * 65, "lesson_grooming!"]):
        child = api.user(USER_ID + 1 + n, language_code="en")
        await child.send(f"/start {payload}")
        await child.wait_for("I am an automatic guide, not a person")
        assert child.buttons[0] == "Show me the stories"


async def test_a_slow_reply_shows_typing_and_a_quick_one_does_not(
    api: FakeBotAPI, bot: Running
) -> None:
    quick = api.user(USER_ID, language_code="en")
    await quick.send("/privacy")
    await quick.wait_for("/forget")
    assert api.chat(USER_ID).actions == []
    slow = api.user(USER_ID + 1, language_code="en")
    api.faults.add("429", method="sendMessage", chat_id=USER_ID + 1, times=1, retry_after=2)
    await slow.send("/privacy")
    await slow.wait_for("/forget", timeout=15)
    assert api.chat(USER_ID + 1).actions == ["typing"]
