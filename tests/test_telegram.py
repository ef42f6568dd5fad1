"""The Telegram bot, driven through python-telegram-bot against a fake Bot API on loopback."""

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

from bot.app import Content, make_chatbot
from bot.cli import quiet_libraries
from bot.config import Settings
from bot.store import Store
from bot.telegram import TelegramChannel, build_application
from tests.botapi import FakeBotAPI, FakeUser, Fault

USER_ID = 4455667788


class Running:
    """The fake API and the real bot polling it, in this event loop."""

    def __init__(self, api: FakeBotAPI, channel: TelegramChannel, store: Store) -> None:
        self.api, self.channel, self.store = api, channel, store
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self.channel.run())

    async def stop(self) -> None:
        self.channel.stop()
        if self.task:
            await asyncio.wait_for(self.task, 15)


def start_bot(api: FakeBotAPI, content: Content, data: Path) -> Running:
    store = Store(data)
    chatbot = make_chatbot(Settings(), content, store)
    channel = TelegramChannel(chatbot, store, build_application("123:TEST", api.base_url))
    channel.poll_timeout = 1
    channel.retry_pause = 0.05
    running = Running(api, channel, store)
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


async def test_start_then_a_lesson_to_its_end(api: FakeBotAPI, bot: Running) -> None:
    ana = FakeUser(api, USER_ID, language_code="en-KE")
    ana.send("/start")
    await ana.wait_for("I am an automatic guide, not a person")
    ana.click("Show me the stories")
    await ana.wait_for("Which country are you in?")
    ana.click("✓ Kenya")
    await ana.wait_for("Pick a story")
    ana.click("Someone who is too nice")
    for _ in range(30):
        await ana.settled()
        labels = ana.choices()
        if "Was this lesson helpful?" in ana.texts()[-1]:
            break
        choice = next(label for label in labels if label not in ("Get help", "Quick exit"))
        ana.click(choice)
    await ana.wait_for("Secrets, gifts and pressure are warning signs")
    assert "Childline Kenya" in "\n".join(ana.texts())
    # every press was answered, and old buttons were taken off
    assert len(api.requests("answerCallbackQuery")) >= 10
    pressed = [m for m in ana.bot_messages()[:-1] if m.markup and any(
        "callback_data" in b for row in m.markup["inline_keyboard"] for b in row
        if b["text"] not in ("Get help", "Quick exit"))]  # fmt: skip
    assert len(pressed) <= 2


async def test_a_spanish_speaking_child_reads_spanish_from_the_first_message(
    api: FakeBotAPI, bot: Running
) -> None:
    lucia = FakeUser(api, USER_ID, language_code="es")
    lucia.send("/start")
    first = await lucia.wait_for("Soy una guía automática, no una persona")
    assert "automatic guide" not in first
    assert lucia.buttons()[-2:] == ["Pedir ayuda", "Salida rápida"]
    lucia.click("Ver las historias")
    await lucia.wait_for("¿En qué país estás?")
    lucia.send("/language fr")  # switching mid-way: the same question, now in French
    await lucia.wait_for("Dans quel pays es-tu")
    lucia.send("/country MX")
    await lucia.wait_for("Choisis une histoire")


async def test_commands_are_registered_in_every_language(api: FakeBotAPI, bot: Running) -> None:
    ana = FakeUser(api, USER_ID)
    ana.send("/start")
    await ana.wait_for("automatic guide")
    names = [c["command"] for c in api.commands[""]]
    assert names == ["start", "lessons", "help", "language", "country", "privacy", "forget", "exit"]
    # Telegram's two-letter codes: pt for Brazilian Portuguese, tl for Filipino
    assert sorted(api.commands) == ["", "ar", "es", "fr", "hi", "pt", "sw", "tl"]
    for commands in api.commands.values():
        assert [c["command"] for c in commands] == names
    described = {c["command"]: c["description"] for c in api.commands["es"]}
    english = {c["command"]: c["description"] for c in api.commands[""]}
    assert all(described[name] != english[name] for name in names), described


async def test_help_mid_lesson_and_back(api: FakeBotAPI, bot: Running) -> None:
    ana = FakeUser(api, USER_ID)
    ana.send("/country KE")
    await ana.wait_for("Pick a story")
    ana.click("Someone who is too nice")
    await ana.wait_for("Two quick questions")
    ana.send("/help")
    text = await ana.wait_for("Childline Kenya")
    assert "116" in text
    ana.click("Back to the lesson")
    await ana.settled()
    assert "Two quick questions" in ana.texts()[-1]


async def test_a_photo_is_deleted_never_downloaded(api: FakeBotAPI, bot: Running) -> None:
    ana = FakeUser(api, USER_ID)
    ana.send("/country GB")
    await ana.wait_for("Pick a story")
    photo = ana.api.next_message
    ana.send_photo()
    await ana.wait_for("I removed what you sent")
    assert all(m.message_id != photo for m in ana.chat.messages)
    assert api.requests("getFile") == [] and [m for m, _p, _s in api.log if m == "getFile"] == []


async def test_stickers_and_locations_get_a_friendly_reply(api: FakeBotAPI, bot: Running) -> None:
    ana = FakeUser(api, USER_ID)
    ana.send_sticker()
    await ana.wait_for("I can only understand button taps")
    ana.send_location()
    await ana.settled()
    assert sum("button taps" in t for t in ana.texts()) == 2


async def test_a_distress_sentence_gets_help_first(api: FakeBotAPI, bot: Running) -> None:
    ana = FakeUser(api, USER_ID)
    ana.send("/country GB")
    await ana.wait_for("Pick a story")
    ana.send("he says he will send my pics to everyone")
    text = await ana.wait_for("Thank you for telling me")
    assert "0800 1111" in text


async def test_quick_exit_clears_the_chat(api: FakeBotAPI, bot: Running) -> None:
    ana = FakeUser(api, USER_ID)
    ana.send("/country KE")
    await ana.wait_for("Pick a story")
    ana.click("Someone who is too nice")
    await ana.wait_for("Two quick questions")
    ana.send("/exit")
    await ana.wait_for("Chat cleared.")
    await ana.settled()
    assert [m.text for m in ana.chat.messages] == [
        "Chat cleared. Messages older than two days stay: to remove them, delete this chat "
        "from your chat list."
    ]


async def test_forget_erases_the_child(api: FakeBotAPI, bot: Running) -> None:
    ana = FakeUser(api, USER_ID)
    ana.send("/country KE")
    await ana.wait_for("Pick a story")
    ana.send("/forget")
    await ana.wait_for("erase everything")
    ana.click("Yes, erase it")
    await ana.wait_for("I erased everything")
    assert bot.store.children_count() == 0


async def test_a_double_tap_never_skips_a_step(api: FakeBotAPI, bot: Running) -> None:
    ana = FakeUser(api, USER_ID)
    ana.send("/country KE")
    await ana.wait_for("Pick a story")
    ana.click("Someone who is too nice")
    await ana.wait_for("Two quick questions")
    ana.click("A warning sign")
    ana.click("A warning sign")  # the same message, tapped twice
    await ana.settled()
    assert sum("Someone online makes you feel uneasy" in t for t in ana.texts()) == 1
    position = bot.store.child(bot.store.child_key("telegram", USER_ID)).position
    assert position is not None and position.step == "tell_before"


async def test_groups_get_one_line_and_nothing_else(api: FakeBotAPI, bot: Running) -> None:
    group = api.chat(-100123, "group")
    api.queue({"message": {"message_id": 1, "date": 0, "text": "/start",
               "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
               "chat": {"id": group.id, "type": "group", "title": "class"},
               "from": {"id": 7, "is_bot": False, "first_name": "K"}}})  # fmt: skip
    api.queue({"message": {"message_id": 2, "date": 0, "text": "hello",
               "chat": {"id": group.id, "type": "group", "title": "class"},
               "from": {"id": 7, "is_bot": False, "first_name": "K"}}})  # fmt: skip
    await asyncio.sleep(1.5)
    assert [m.text for m in group.messages if m.from_bot] == [
        "Hi! I only talk in private chats. Tap my name and start a chat with me."
    ]


async def test_every_tap_gets_its_reply_despite_429s_and_500s(
    api: FakeBotAPI, bot: Running
) -> None:
    api.faults += [Fault("sendMessage", "429", rate=0.2, retry_after=1),
                   Fault("sendMessage", "500", rate=0.05)]  # fmt: skip
    ana = FakeUser(api, USER_ID)
    ana.send("/country KE")
    await ana.wait_for("Pick a story", within=30)
    ana.click("Someone who is too nice")
    await ana.wait_for("Two quick questions", within=30)
    ana.click("A warning sign")
    await ana.wait_for("Someone online makes you feel uneasy", within=30)
    ana.click("Stop, and tell an adult I trust")
    await ana.wait_for("Joy is 13 and lives in Manila", within=30)
    refused = [
        status for method, _p, status in api.log if method == "sendMessage" and status != 200
    ]
    assert refused, "the faults were injected"


async def test_a_child_who_blocked_the_bot_does_not_disturb_others(
    api: FakeBotAPI, bot: Running
) -> None:
    gone, ana = FakeUser(api, 1), FakeUser(api, 2)
    api.faults.append(Fault("sendMessage", "403", chat_id=1))
    gone.send("/start")
    ana.send("/start")
    await ana.wait_for("automatic guide")
    await ana.settled()
    assert gone.bot_messages() == []


async def test_a_child_told_to_wait_does_not_hold_up_others(api: FakeBotAPI, bot: Running) -> None:
    """Telegram may make one chat wait (429, retry_after); other children are answered."""
    slow, ana = FakeUser(api, 1), FakeUser(api, 2)
    api.faults.append(Fault("sendMessage", "429", times=1, retry_after=4, chat_id=1))
    slow.send("/start")
    await asyncio.sleep(0.3)  # the slow chat's update is in hand, its reply told to wait
    started = asyncio.get_running_loop().time()
    ana.send("/start")
    await ana.wait_for("automatic guide", within=10)
    assert asyncio.get_running_loop().time() - started < 2
    await slow.wait_for("automatic guide", within=10)  # and the slow one is answered too
    await ana.settled()
    # Ana's update was confirmed only after the slow one, and came again meanwhile:
    # it was still handled once
    assert sum("automatic guide" in t for t in ana.texts()) == 1
    assert sum("automatic guide" in t for t in slow.texts()) == 1


async def safebot_run(api: FakeBotAPI, data: Path) -> asyncio.subprocess.Process:
    """The real `safebot run`, in its own process, against the fake API."""
    env = {**os.environ, "SAFEBOT_TELEGRAM_TOKEN": "123:TEST",
           "SAFEBOT_TELEGRAM_API_URL": api.base_url, "SAFEBOT_DATA_DIR": str(data)}  # fmt: skip
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", env=env,
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
    api.faults.append(Fault("sendMessage", "hang", times=1))
    first = await safebot_run(api, tmp_path / "data")
    ana = FakeUser(api, USER_ID)
    ana.send("/start")
    await until(lambda: api.received.get("sendMessage", 0) >= 1)  # the reply is in flight
    first.send_signal(signal.SIGKILL)
    await first.wait()
    assert ana.bot_messages() == []
    second = await safebot_run(api, tmp_path / "data")
    try:
        await ana.wait_for("automatic guide", within=20)
    finally:
        second.send_signal(signal.SIGTERM)
        stopped = await asyncio.wait_for(second.wait(), 20)
    assert stopped == 0  # SIGTERM stops it cleanly
    assert sum("automatic guide" in t for t in ana.texts()) == 1


async def test_without_a_token_run_explains_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFEBOT_")}
    env["SAFEBOT_DATA_DIR"] = str(tmp_path)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _out, err = await process.communicate()
    assert process.returncode == 2
    assert err.decode().count("\n") == 1 and "SAFEBOT_TELEGRAM_TOKEN" in err.decode()


async def test_nothing_identifying_is_kept_or_logged(
    api: FakeBotAPI, bot: Running, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    quiet_libraries()  # as `safebot run` sets them
    caplog.set_level(logging.DEBUG)
    ana = FakeUser(api, USER_ID, first_name="Zanele", username="zanele_k")
    ana.send("/country ZA")
    await ana.wait_for("Pick a story")
    ana.send("my secret diary words")
    await ana.settled()
    stored = b"".join(p.read_bytes() for p in (tmp_path / "data").iterdir())
    for secret in (str(USER_ID), "Zanele", "zanele_k", "secret diary"):
        assert secret.encode() not in stored
        assert secret not in caplog.text
    assert USER_ID.to_bytes(8, "little") not in stored and USER_ID.to_bytes(8, "big") not in stored


async def test_a_repeated_update_is_handled_once(api: FakeBotAPI, bot: Running) -> None:
    ana = FakeUser(api, USER_ID)
    ana.send("/start")
    await ana.wait_for("automatic guide")
    await ana.settled()
    api.updates.append({"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "/start",
                        "chat": {"id": USER_ID, "type": "private"}, "from": ana.user}})  # fmt: skip
    api.next_update = 2
    api.updates.sort(key=lambda u: u["update_id"])
    await asyncio.sleep(1.5)
    assert sum("automatic guide" in t for t in ana.texts()) == 1


async def test_odd_updates_and_forged_buttons_never_stop_the_bot(
    api: FakeBotAPI, bot: Running
) -> None:
    ana = FakeUser(api, USER_ID)
    api.queue({"edited_message": {"message_id": 99, "date": 0, "edit_date": 1, "text": "x",
               "chat": {"id": USER_ID, "type": "private"}, "from": ana.user}})  # fmt: skip
    api.queue({"message": {"message_id": 98, "date": 0,
               "chat": {"id": USER_ID, "type": "private"}, "from": ana.user}})  # fmt: skip
    ana.send("/start")
    await ana.wait_for("automatic guide")
    ana.click_data("c999999.7")
    ana.click_data("<b>not ours</b>")
    ana.send("/nonsense")
    await ana.wait_for("I don't know that command")
    await ana.settled()
    assert len(api.answered) == 2  # every press was answered, forged ones too


async def test_webhook_needs_the_secret_and_changes_nothing_without_it(
    api: FakeBotAPI, content: Content, tmp_path: Path
) -> None:
    import aiohttp

    store = Store(tmp_path / "data")
    chatbot = make_chatbot(Settings(), content, store)
    channel = TelegramChannel(chatbot, store, build_application("123:TEST", api.base_url))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/telegram"
    task = asyncio.create_task(channel.serve_webhook(url, "127.0.0.1", port, "s3cret-token"))
    update = {"update_id": 5, "message": {"message_id": 1, "date": 0, "text": "/start",
              "chat": {"id": USER_ID, "type": "private"},
              "from": {"id": USER_ID, "is_bot": False, "first_name": "Ana",
                       "language_code": "en"}}}  # fmt: skip
    try:
        async with aiohttp.ClientSession() as http:
            await until(lambda: bool(api.requests("setWebhook")))
            health = await http.get(f"http://127.0.0.1:{port}/health")
            assert health.status == 200
            refused = await http.post(url, json=update)
            wrong = await http.post(url, json=update, headers={
                "X-Telegram-Bot-Api-Secret-Token": "guess"})  # fmt: skip
            assert (refused.status, wrong.status) == (403, 403)
            assert store.children_count() == 0 and api.requests("sendMessage") == []
            accepted = await http.post(url, json=update, headers={
                "X-Telegram-Bot-Api-Secret-Token": "s3cret-token"})  # fmt: skip
            assert accepted.status == 200
            assert "automatic guide" in api.requests("sendMessage")[0]["text"]
        assert api.requests("setWebhook")[0]["secret_token"] == "s3cret-token"
    finally:
        channel.stop()
        await asyncio.wait_for(task, 40)
        store.close()
