"""The fake Bot API, driven by python-telegram-bot's real `Bot` and `Application` over HTTP.

Each refusal is checked twice: the exception PTB raises (what the bot's code sees) and the
exact description the fake answered (what Telegram says; PTB reshapes it for messages).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    CopyTextButton,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from bot.fakebotapi import FakeBotAPI, FakeUser

TOKEN = "123456:TEST-token"
ANA = 4455667788
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns when RetryAfter.retry_after is read as an int; the bot opts in the same way
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as api:
        yield api


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url) as client:
        yield client


@pytest.fixture
async def ana(fake: FakeBotAPI) -> FakeUser:
    """A child who has started the bot (so it may write to her)."""
    user = fake.user(ANA, "Ana", language_code="es")
    await user.send("/start")
    return user


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(list(rows))


def press(label: str, data: str | None = None) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data or label.lower())


async def refusal(fake: FakeBotAPI, call: Awaitable[Any]) -> tuple[type[TelegramError], str]:
    """The exception PTB raised and Telegram's description, as the fake answered it."""
    with pytest.raises(TelegramError) as caught:
        await call
    return type(caught.value), fake.requests[-1].description


# -- the basics ------------------------------------------------------------------------------


async def test_get_me_answers_with_the_token_bot_id(fake: FakeBotAPI, bot: Bot) -> None:
    assert (bot.id, bot.username) == (123456, "safebot_test_bot")
    assert [r.method for r in fake.requests] == ["getMe"]


async def test_send_and_edit_a_message_with_buttons(
    fake: FakeBotAPI, bot: Bot, ana: FakeUser
) -> None:
    sent = await bot.send_message(
        ANA, "Hi <b>Ana</b> &amp; welcome", parse_mode="HTML",
        reply_markup=keyboard([press("Next"), press("Help")]),
    )  # fmt: skip
    assert sent.text == "Hi Ana & welcome"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 3, 3)]
    assert sent.reply_markup == keyboard([press("Next"), press("Help")])
    assert (await ana.wait_reply()).labels == ["Next", "Help"]

    edited = await bot.edit_message_text("Step 2", chat_id=ANA, message_id=sent.message_id)
    assert isinstance(edited, type(sent))
    assert edited.edit_date is not None
    assert edited.reply_markup is None  # an edit without reply_markup takes the buttons off
    assert (await ana.wait_reply()).text == "Step 2"
    assert ana.transcript() == "child: /start\nbot: Step 2"


async def test_an_identical_edit_is_refused_but_a_new_keyboard_is_not(
    fake: FakeBotAPI, bot: Bot, ana: FakeUser
) -> None:
    markup = keyboard([press("Yes"), press("No")])
    sent = await bot.send_message(ANA, "Ready?", reply_markup=markup)
    same = bot.edit_message_text("Ready?", chat_id=ANA, message_id=sent.message_id,
                                 reply_markup=markup)  # fmt: skip
    assert await refusal(fake, same) == (BadRequest, NOT_MODIFIED)
    same_markup = bot.edit_message_reply_markup(ANA, sent.message_id, reply_markup=markup)
    assert await refusal(fake, same_markup) == (BadRequest, NOT_MODIFIED)

    await bot.edit_message_reply_markup(ANA, sent.message_id, reply_markup=None)
    assert ana.last_bot_message is not None
    assert (ana.last_bot_message.text, ana.last_bot_message.buttons) == ("Ready?", [])


async def test_editing_or_deleting_what_is_not_there(
    fake: FakeBotAPI, bot: Bot, ana: FakeUser
) -> None:
    edit = bot.edit_message_text("x", chat_id=ANA, message_id=999)
    assert await refusal(fake, edit) == (BadRequest, "Bad Request: message to edit not found")
    delete = bot.delete_message(ANA, 999)
    assert await refusal(fake, delete) == (BadRequest, "Bad Request: message to delete not found")
    childs = ana.messages[0]
    edit_theirs = bot.edit_message_text("x", chat_id=ANA, message_id=childs.message_id)
    assert await refusal(fake, edit_theirs) == (BadRequest, "Bad Request: message can't be edited")
    unknown_chat = bot.send_message(777, "hello")
    assert await refusal(fake, unknown_chat) == (BadRequest, "Bad Request: chat not found")


# -- text rules ------------------------------------------------------------------------------


async def test_text_length_counts_after_html_parsing(
    fake: FakeBotAPI, bot: Bot, ana: FakeUser
) -> None:
    await bot.send_message(ANA, "a" * 4096)
    await bot.send_message(ANA, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    await bot.send_message(ANA, "&lt;" * 4096, parse_mode="HTML")
    too_long = bot.send_message(ANA, "&lt;" * 4097, parse_mode="HTML")
    assert await refusal(fake, too_long) == (BadRequest, "Bad Request: message is too long")
    blank = bot.send_message(ANA, "<b>  </b>\n", parse_mode="HTML")
    assert await refusal(fake, blank) == (BadRequest, "Bad Request: message text is empty")
    assert [len(m.text) for m in ana.bot_messages] == [4096, 4096, 4096]


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b>bold", "Can't find end tag corresponding to start tag b"),
        ("line<br>break", 'Unsupported start tag "br" at byte offset 4'),
        ("ñ <p>x</p>", 'Unsupported start tag "p" at byte offset 3'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href="https://x.org">x', "Can't find end tag corresponding to start tag a"),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
async def test_invalid_html_is_refused_with_telegrams_words(
    fake: FakeBotAPI, bot: Bot, ana: FakeUser, html: str, error: str
) -> None:
    call = bot.send_message(ANA, html, parse_mode="HTML")
    assert await refusal(fake, call) == (BadRequest, f"Bad Request: can't parse entities: {error}")
    assert ana.bot_messages == []


async def test_every_telegram_tag_parses_to_its_entity(bot: Bot, ana: FakeUser) -> None:
    html = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s>"
        "<strike>t</strike><del>d</del><tg-spoiler>p</tg-spoiler>"
        '<span class="tg-spoiler">q</span><a href="https://example.org/help">l</a>'
        "<code>c</code><pre>p</pre><blockquote>q</blockquote>"
        '<pre><code class="language-python">x = 1</code></pre>'
    )
    sent = await bot.send_message(ANA, html, parse_mode="HTML")
    assert sent.text == "bsieunstdpqlcpqx = 1"
    assert [(e.type, e.offset, e.url, e.language) for e in sent.entities] == [
        ("bold", 0, None, None), ("bold", 1, None, None), ("italic", 2, None, None),
        ("italic", 3, None, None), ("underline", 4, None, None), ("underline", 5, None, None),
        ("strikethrough", 6, None, None), ("strikethrough", 7, None, None),
        ("strikethrough", 8, None, None), ("spoiler", 9, None, None), ("spoiler", 10, None, None),
        ("text_link", 11, "https://example.org/help", None), ("code", 12, None, None),
        ("pre", 13, None, None), ("blockquote", 14, None, None), ("pre", 15, None, "python"),
    ]  # fmt: skip


async def test_unknown_named_entities_are_shown_as_they_are(
    fake: FakeBotAPI, bot: Bot, ana: FakeUser
) -> None:
    sent = await bot.send_message(ANA, "Tom &amp; Ana&nbsp;&#128578; &copy;", parse_mode="HTML")
    assert sent.text == "Tom & Ana&nbsp;🙂 &copy;"
    assert fake.warnings == [
        "sendMessage: &nbsp; is shown as it is",
        "sendMessage: &copy; is shown as it is",
    ]


async def test_entity_offsets_count_utf16_units(bot: Bot, ana: FakeUser) -> None:
    sent = await bot.send_message(ANA, "🙂 <b>bold</b>", parse_mode="HTML")
    assert [(e.offset, e.length) for e in sent.entities] == [(3, 4)]


# -- button rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("button", "error"),
    [
        (InlineKeyboardButton("x", callback_data="d" * 65), "BUTTON_DATA_INVALID"),
        (InlineKeyboardButton("x", callback_data="ж" * 33), "BUTTON_DATA_INVALID"),  # 66 bytes
        (
            InlineKeyboardButton("Call", url="tel:+441234"),
            "inline keyboard button URL 'tel:+441234' is invalid: "
            "Wrong port number specified in the URL",
        ),
        (
            InlineKeyboardButton("Files", url="ftp://example.org/a"),
            "inline keyboard button URL 'ftp://example.org/a' is invalid: Unsupported URL protocol",
        ),
        (
            InlineKeyboardButton("Local", url="http://localhost:8080/"),
            "inline keyboard button URL 'http://localhost:8080/' is invalid: Wrong HTTP URL",
        ),
        (
            InlineKeyboardButton("Copy", copy_text=CopyTextButton("1" * 257)),
            "BUTTON_COPY_TEXT_INVALID",
        ),
        (
            InlineKeyboardButton("Plain"),
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        ),
    ],
)
async def test_invalid_buttons_are_refused(
    fake: FakeBotAPI, bot: Bot, ana: FakeUser, button: InlineKeyboardButton, error: str
) -> None:
    call = bot.send_message(ANA, "Pick", reply_markup=keyboard([button]))
    assert await refusal(fake, call) == (BadRequest, f"Bad Request: {error}")
    assert ana.bot_messages == []


async def test_buttons_at_their_limits_are_taken(bot: Bot, ana: FakeUser) -> None:
    rows = [
        [InlineKeyboardButton("data", callback_data="d" * 64),
         InlineKeyboardButton("cyrillic", callback_data="ж" * 32),
         InlineKeyboardButton("web", url="https://example.org/x?y=1"),
         InlineKeyboardButton("app", url="tg://resolve?domain=safebot"),
         InlineKeyboardButton("copy", copy_text=CopyTextButton("1" * 256))],
    ] + [[press(f"{r}-{c}") for c in range(8)] for r in range(11)] + [[press("last")]]  # fmt: skip
    await bot.send_message(ANA, "Many", reply_markup=InlineKeyboardMarkup(rows))
    assert ana.last_bot_message is not None
    assert len(ana.last_bot_message.labels) == 5 + 88 + 1
    assert str(ana.last_bot_message.buttons[0][2]) == "[web -> https://example.org/x?y=1]"


async def test_too_many_buttons(fake: FakeBotAPI, bot: Bot, ana: FakeUser) -> None:
    wide = keyboard([press(str(n)) for n in range(9)])
    assert await refusal(fake, bot.send_message(ANA, "x", reply_markup=wide)) == (
        BadRequest, "Bad Request: REPLY_MARKUP_TOO_LONG",
    )  # fmt: skip
    many = InlineKeyboardMarkup([[press(f"{r}{c}") for c in range(5)] for r in range(21)])
    assert await refusal(fake, bot.send_message(ANA, "x", reply_markup=many)) == (
        BadRequest, "Bad Request: REPLY_MARKUP_TOO_LONG",
    )  # fmt: skip


# -- deleting --------------------------------------------------------------------------------


async def test_deleting_is_allowed_for_48_hours_only(
    fake: FakeBotAPI, bot: Bot, ana: FakeUser
) -> None:
    old = await bot.send_message(ANA, "from two days ago")
    photo = await ana.send_photo()
    assert await bot.delete_message(ANA, photo.message_id) is True  # the child's own message
    fake.clock.advance(hours=47, seconds=3599)
    recent = await bot.send_message(ANA, "just now")
    fake.clock.advance(1)

    too_old = bot.delete_message(ANA, old.message_id)
    assert await refusal(fake, too_old) == (BadRequest, "Bad Request: message can't be deleted")
    batch = bot.delete_messages(ANA, [recent.message_id, old.message_id])
    assert await refusal(fake, batch) == (BadRequest, "Bad Request: message can't be deleted")
    assert [m.text for m in ana.bot_messages] == ["from two days ago", "just now"]

    assert await bot.delete_messages(ANA, [recent.message_id, 4242]) is True  # unknown: skipped
    assert ana.transcript() == "child: /start\nbot: from two days ago"


# -- button presses --------------------------------------------------------------------------


async def test_a_press_is_answered_once(fake: FakeBotAPI, bot: Bot, ana: FakeUser) -> None:
    await bot.send_message(ANA, "Next?", reply_markup=keyboard([press("Next", "step:2")]))
    click = await ana.click("Next")
    updates = await bot.get_updates()
    query = updates[-1].callback_query
    assert query is not None
    assert isinstance(query.message, Message)
    assert (query.id, query.data, query.message.text) == (click.id, "step:2", "Next?")
    assert await bot.answer_callback_query(query.id, text="Saved") is True
    assert click.answer == {"text": "Saved"}

    twice = bot.answer_callback_query(query.id)
    invalid = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    assert await refusal(fake, twice) == (BadRequest, invalid)
    assert await refusal(fake, bot.answer_callback_query("12345")) == (BadRequest, invalid)


async def test_forged_data_and_a_deleted_message(fake: FakeBotAPI, bot: Bot, ana: FakeUser) -> None:
    sent = await bot.send_message(ANA, "Hello", reply_markup=keyboard([press("Go")]))
    await bot.delete_message(ANA, sent.message_id)
    await ana.click_data("admin:wipe", message_id=sent.message_id)
    updates = await bot.get_updates()
    query = updates[-1].callback_query
    assert query is not None
    assert query.data == "admin:wipe"
    assert query.message is not None
    assert (query.message.message_id, query.message.is_accessible) == (sent.message_id, False)
    with pytest.raises(AssertionError, match="the bot has shown FakeUser"):
        await ana.click("Go")


# -- getUpdates ------------------------------------------------------------------------------


async def test_unconfirmed_updates_come_again(fake: FakeBotAPI, bot: Bot) -> None:
    tom = fake.user(10, "Tom")
    for text in ("one", "two", "three"):
        await tom.send(text)
    first = await bot.get_updates()
    again = await bot.get_updates()
    assert [u.update_id for u in first] == [u.update_id for u in again] == [1, 2, 3]

    confirmed = await bot.get_updates(offset=2, limit=1)
    assert [(u.update_id, u.message.text) for u in confirmed if u.message] == [(2, "two")]
    assert [u["update_id"] for u in fake.pending_updates] == [2, 3]
    last = await bot.get_updates(offset=-1)
    assert [u.update_id for u in last] == [3]
    assert await bot.get_updates(offset=4) == ()


async def test_a_long_poll_returns_as_soon_as_an_update_comes(fake: FakeBotAPI, bot: Bot) -> None:
    tom = fake.user(10, "Tom")
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=timedelta(seconds=5)))
    await asyncio.sleep(0.2)
    assert not poll.done()
    await tom.send("hello")
    updates = await poll
    assert time.monotonic() - started < 2
    assert [u.message.text for u in updates if u.message] == ["hello"]


async def test_a_duplicate_update_keeps_its_id(fake: FakeBotAPI, bot: Bot) -> None:
    tom = fake.user(10, "Tom")
    await tom.send("once")
    first = await bot.get_updates()
    assert await bot.get_updates(offset=first[-1].update_id + 1) == ()
    fake.requeue(first[-1].update_id)
    again = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [(u.update_id, u.message.text) for u in again if u.message] == [(1, "once")]
    assert await bot.get_updates(offset=2) == ()


async def test_a_second_poller_ends_the_first(fake: FakeBotAPI, bot: Bot) -> None:
    async with Bot(TOKEN, base_url=fake.base_url) as other:
        first = asyncio.create_task(bot.get_updates(timeout=timedelta(seconds=5)))
        await asyncio.sleep(0.2)
        assert await other.get_updates() == ()
        with pytest.raises(Conflict):
            await first
    assert fake.calls("getUpdates")[-1].description == (
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running"
    )


async def test_a_webhook_stops_polling_until_deleted(fake: FakeBotAPI, bot: Bot) -> None:
    http = bot.set_webhook("http://example.org/hook")
    assert await refusal(fake, http) == (
        BadRequest, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
    )  # fmt: skip
    await bot.set_webhook("https://example.org/hook", secret_token="s3cret")
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("https://example.org/hook", 0)
    assert fake.webhook["secret_token"] == "s3cret"
    assert await refusal(fake, bot.get_updates()) == (
        Conflict,
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first",
    )
    await bot.delete_webhook()
    assert await bot.get_updates() == ()


async def test_allowed_updates_leave_out_other_kinds(fake: FakeBotAPI, bot: Bot) -> None:
    tom = fake.user(10, "Tom")
    await bot.get_updates(allowed_updates=["callback_query"])
    await tom.send("not wanted")
    assert await bot.get_updates() == ()


# -- faults ----------------------------------------------------------------------------------


async def test_429_carries_retry_after_and_sends_nothing(
    fake: FakeBotAPI, bot: Bot, ana: FakeUser
) -> None:
    fake.faults.add("429", method="sendMessage", retry_after=3, times=2)
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(ANA, "hello")
        assert caught.value.retry_after == timedelta(seconds=3)
    await bot.send_message(ANA, "hello")
    assert [(r.status, r.description) for r in fake.calls("sendMessage")] == [
        (429, "Too Many Requests: retry after 3"),
        (429, "Too Many Requests: retry after 3"),
        (200, ""),
    ]
    assert [m.text for m in ana.bot_messages] == ["hello"]


async def test_500_and_403_faults(fake: FakeBotAPI, bot: Bot, ana: FakeUser) -> None:
    tom = fake.user(10, "Tom")
    await tom.send("/start")
    fake.faults.add("500", method="editMessageText", times=1)
    fake.faults.add("403", chat_id=ANA)
    sent = await bot.send_message(10, "for Tom")
    with pytest.raises(NetworkError) as caught:
        await bot.edit_message_text("changed", chat_id=10, message_id=sent.message_id)
    assert not isinstance(caught.value, BadRequest)
    assert await refusal(fake, bot.send_message(ANA, "for Ana")) == (
        Forbidden, "Forbidden: bot was blocked by the user",
    )  # fmt: skip
    assert [m.text for m in tom.bot_messages] == ["for Tom"]
    assert ana.bot_messages == []


async def test_a_hang_times_the_client_out_and_changes_nothing(
    fake: FakeBotAPI, ana: FakeUser
) -> None:
    fake.faults.add("hang", method="sendMessage", times=1)
    async with Bot(TOKEN, base_url=fake.base_url, request=HTTPXRequest(read_timeout=0.3)) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(ANA, "lost")
        await bot.send_message(ANA, "second try")
    assert [m.text for m in ana.bot_messages] == ["second try"]


async def test_a_slow_answer_still_arrives(fake: FakeBotAPI, bot: Bot, ana: FakeUser) -> None:
    fake.faults.add("slow", method="sendMessage", delay=0.3, times=1)
    started = time.monotonic()
    await bot.send_message(ANA, "late")
    assert time.monotonic() - started >= 0.3
    assert [m.text for m in ana.bot_messages] == ["late"]


async def test_faults_by_rate_repeat_with_the_same_seed() -> None:
    def plan(seed: int) -> list[bool]:
        faults = FakeBotAPI(seed=seed).faults
        faults.add("500", method="sendMessage", rate=0.3)
        return [faults.pick("sendMessage", {"chat_id": 1}) is not None for _ in range(50)]

    assert plan(7) == plan(7)
    assert plan(7) != plan(8)
    assert 5 <= sum(plan(7)) <= 25


# -- people ----------------------------------------------------------------------------------


async def test_a_blocked_bot_gets_403_and_a_member_update(
    fake: FakeBotAPI, bot: Bot, ana: FakeUser
) -> None:
    await ana.block()
    updates = await bot.get_updates()
    member = updates[-1].my_chat_member
    assert member is not None
    assert (member.old_chat_member.status, member.new_chat_member.status) == ("member", "kicked")
    assert await refusal(fake, bot.send_message(ANA, "still there?")) == (
        Forbidden, "Forbidden: bot was blocked by the user",
    )  # fmt: skip


async def test_the_bot_cannot_write_first(fake: FakeBotAPI, bot: Bot) -> None:
    fake.user(10, "Tom")
    assert await refusal(fake, bot.send_message(10, "hi")) == (
        Forbidden, "Forbidden: bot can't initiate conversation with a user",
    )  # fmt: skip


async def test_what_a_child_can_send(fake: FakeBotAPI, bot: Bot, ana: FakeUser) -> None:
    await ana.send("look /help at this")
    await ana.send_photo(caption="me")
    await ana.send_document("scan.pdf")
    await ana.send_video()
    await ana.send_sticker()
    await ana.send_voice()
    await ana.send_location()
    await ana.send_contact()
    updates = [u.message for u in await bot.get_updates() if u.message]
    assert updates[1].parse_entities() == {updates[1].entities[0]: "/help"}
    assert updates[2].caption == "me" and len(updates[2].photo) == 3
    assert updates[3].document is not None and updates[3].document.file_name == "scan.pdf"
    kinds = ("text", "photo", "document", "video", "sticker", "voice", "location", "contact")
    assert [next(k for k in kinds if getattr(m, k)) for m in updates] == ["text", *kinds]
    assert ana.transcript().splitlines()[1:4] == [
        "child: look /help at this", "child: [photo] me", "child: [document]",
    ]  # fmt: skip


async def test_group_messages_and_privacy_mode(fake: FakeBotAPI, bot: Bot) -> None:
    tom = fake.user(10, "Tom")
    group = fake.group(-500, "Class 7B")
    chatter = await group.send(tom, "anyone here?")
    await group.send(tom, "/start@safebot_test_bot")
    updates = await bot.get_updates()
    assert [(u.message.chat.type, u.message.text) for u in updates if u.message] == [
        ("group", "/start@safebot_test_bot"),
    ]
    await bot.send_message(-500, "Let's talk in private")
    not_mine = bot.delete_message(-500, chatter.message_id)
    assert await refusal(fake, not_mine) == (BadRequest, "Bad Request: message can't be deleted")
    assert group.transcript() == (
        "Tom: anyone here?\nTom: /start@safebot_test_bot\nbot: Let's talk in private"
    )


# -- the request log, other methods and raw HTTP ---------------------------------------------


async def test_get_file_is_recorded_and_refused(fake: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(BadRequest):
        await bot.get_file("AgACphoto1")
    assert [(r.method, r.params, r.status) for r in fake.calls("getFile")] == [
        ("getFile", {"file_id": "AgACphoto1"}, 400),
    ]


async def test_commands_are_kept_per_language(fake: FakeBotAPI, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("help", "Get help")])
    await bot.set_my_commands([BotCommand("start", "Empezar")], language_code="es")
    assert [c["command"] for c in fake.commands[""]] == ["start", "help"]
    assert fake.commands["es"] == [{"command": "start", "description": "Empezar"}]
    assert [c.description for c in await bot.get_my_commands(language_code="es")] == ["Empezar"]
    bad_name = bot.set_my_commands([BotCommand("Start!", "x")])
    assert await refusal(fake, bad_name) == (BadRequest, "Bad Request: BOT_COMMAND_INVALID")


async def test_chat_actions_and_webhook_deletion_are_recorded(
    fake: FakeBotAPI, bot: Bot, ana: FakeUser
) -> None:
    await bot.send_chat_action(ANA, "typing")
    await bot.delete_webhook(drop_pending_updates=True)
    assert ana.chat.actions == ["typing"]
    assert fake.pending_updates == []
    assert fake.ok_calls("deleteWebhook") == [{"drop_pending_updates": True}]


async def test_raw_http_json_form_and_unknown_methods(fake: FakeBotAPI, ana: FakeUser) -> None:
    url = f"{fake.base_url}{TOKEN}"
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/sendMessage", json={
            "chat_id": ANA, "text": "[json]", "reply_markup": markup,
        }) as response:  # fmt: skip
            assert (response.status, (await response.json())["result"]["text"]) == (200, "[json]")
        form = {"chat_id": str(ANA), "text": "[form]", "reply_markup": '{"inline_keyboard": []}'}
        async with http.post(f"{url}/sendmessage", data=form) as response:
            assert response.status == 200
        async with http.get(f"{url}/getMe") as response:
            assert (await response.json())["result"]["username"] == "safebot_test_bot"
        async with http.post(f"{url}/fooBar") as response:
            assert (response.status, await response.json()) == (
                404, {"ok": False, "error_code": 404, "description": "Not Found"},
            )  # fmt: skip
        async with http.post(f"{fake.base_url}not-a-token/getMe") as response:
            assert response.status == 404
    assert [(m.text, m.labels) for m in ana.bot_messages] == [("[json]", ["Go"]), ("[form]", [])]


# -- a conversation through a real Application ------------------------------------------------


async def test_a_conversation_reads_like_one(fake: FakeBotAPI) -> None:
    errors: list[object] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Greet with one button."""
        assert update.message is not None
        await update.message.reply_text(
            "Hi! <b>Ready?</b>", parse_mode="HTML", reply_markup=keyboard([press("Next")])
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer the press and move on."""
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"You pressed {query.data}")

    async def record(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    app = ApplicationBuilder().token(TOKEN).base_url(fake.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    app.add_error_handler(record)
    ana = fake.user(ANA, "Ana", language_code="es")
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=timedelta(seconds=1))
        try:
            await ana.send("/start")
            reply = await ana.wait_reply()
            assert (reply.text, reply.labels) == ("Hi! Ready?", ["Next"])
            click = await ana.click("Next")
            edited = await ana.wait_reply()
            assert (edited.text, edited.buttons) == ("You pressed next", [])
            await ana.settle()
        finally:
            await app.updater.stop()
            await app.stop()
    assert click.answered
    assert errors == []
    assert ana.transcript() == "child: /start\nbot: You pressed next"
    assert fake.pending_updates == []


async def test_a_parameter_a_method_does_not_have_is_noted() -> None:
    """Telegram ignores it; the fake notes it, so a test can say the bot sent it."""
    from tests.safebot_process import rejected

    fake = FakeBotAPI()
    await fake.start()
    try:
        async with aiohttp.ClientSession() as http:
            await http.post(f"{fake.base_url}123:T/editMessageReplyMarkup",
                            json={"chat_id": 1, "message_id": 1, "parse_mode": "HTML"})  # fmt: skip
        assert "editMessageReplyMarkup: has no parameter parse_mode" in rejected(fake)
    finally:
        await fake.stop()
