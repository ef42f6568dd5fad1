"""The web chat's HTTP API: a whole lesson, and every kind of bad request."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.channels.web.server import WebChannel, make_channel
from bot.content.load import Content, load_content
from bot.core.store import Store
from bot.fakebotapi import FakeBotAPI
from bot.instance import make_turns
from bot.render.formats import web_html
from bot.render.text import Reply, Run
from bot.settings import Settings


def web_chat(settings: Settings, store: Store, *, author: bool = False) -> WebChannel:
    content = load_content(settings)
    return make_channel(settings, content, make_turns(settings, content, store), author=author)


@pytest.fixture
async def client(content: Content, tmp_path: Path) -> AsyncIterator[TestClient[Any, Any]]:
    store = Store(tmp_path)
    channel = make_channel(
        Settings(), content, make_turns(Settings(), content, store), author=False
    )
    async with TestClient(TestServer(channel.app())) as test_client:
        yield test_client
    store.close()


class Browser:
    """One child in the web chat."""

    def __init__(self, client: TestClient[Any, Any], language: str = "en") -> None:
        self.client, self.id, self.language = client, secrets.token_hex(16), language
        self.last: dict[str, Any] = {}

    async def event(self, kind: str, name: str = "", arg: str = "") -> dict[str, Any]:
        response = await self.client.post("/api/event", json={
            "client": self.id, "kind": kind, "name": name, "arg": arg, "language": self.language,
        })  # fmt: skip
        assert response.status == 200, await response.text()
        answer: dict[str, Any] = await response.json()
        if answer["replies"]:
            self.last = answer
        return answer

    async def tap(self, label: str) -> dict[str, Any]:
        for reply in reversed(self.last["replies"]):
            for row in reply["buttons"]:
                for cell in row:
                    if cell["label"] == label and "data" in cell:
                        return await self.event("press", arg=cell["data"])
        raise AssertionError(f"no button {label!r}")

    def text(self) -> str:
        return "\n".join(r["html"] for r in self.last["replies"])


async def test_a_lesson_played_to_its_end(client: TestClient[Any, Any]) -> None:
    child = Browser(client)
    await child.event("command", "country", "KE")
    await child.tap("10 to 12")
    await child.tap("How to report, and help a friend")
    for _ in range(30):
        if "Was this lesson helpful?" in child.text():
            break
        choices = [c["label"] for r in child.last["replies"] for row in r["buttons"]
                   for c in row if "data" in c and c["data"] not in "hxbm"]  # fmt: skip
        await child.tap(choices[0])
    assert "Report it, don't share it" in child.text()
    assert "Childline Kenya" not in child.text()  # the hand-off came earlier, not at the end


async def test_help_and_arabic_right_to_left(tmp_path: Path) -> None:
    settings = Settings()
    store = Store(tmp_path)
    channel = web_chat(settings, store)
    async with TestClient(TestServer(channel.app())) as test_client:
        child = Browser(test_client)
        answer = await child.event("command", "help")
        assert answer["replies"][0]["kind"] == "help"
        answer = await child.event("command", "language", "ar")
        assert (answer["lang"], answer["dir"]) == ("ar", "rtl")
        answer = await child.event("command", "privacy")
        assert [r["dir"] for r in answer["replies"]] == ["rtl"]  # each bubble, kept in history
        assert "\u2066/forget\u2069" in answer["replies"][0]["html"]
    store.close()


async def test_quick_exit_leaves_one_neutral_line(client: TestClient[Any, Any]) -> None:
    child = Browser(client)
    await child.event("command", "start")
    answer = await child.event("command", "exit")
    assert answer["quick_exit"] is True
    assert [r["html"] for r in answer["replies"]] == ["Chat cleared."]
    answer = await child.event("command", "exit")  # the same line every time
    assert [r["html"] for r in answer["replies"]] == ["Chat cleared."]


async def test_forget_erases_the_child_and_tells_the_page(
    client: TestClient[Any, Any], tmp_path: Path
) -> None:
    child = Browser(client)
    await child.event("command", "country", "KE")
    answer = await child.event("command", "forget")
    assert answer["forgotten"] is False
    answer = await child.tap("Yes, erase it")
    assert "I erased everything" in answer["replies"][0]["html"]
    assert answer["forgotten"] is True  # the page drops its random id
    store = Store(tmp_path)
    assert store.children_count() == 0
    store.close()


async def test_typed_text_goes_through_the_distress_check(client: TestClient[Any, Any]) -> None:
    child = Browser(client)
    answer = await child.event("text", arg="hello there")
    reply = answer["replies"][0]
    assert "I'm an automatic guide, so I can't chat" in reply["html"]
    assert "tap Get help" in reply["html"]  # the safety bar's button, always on the page
    await child.event("command", "country", "KE")
    answer = await child.event("text", arg="hello there")
    assert "you can talk to <b>Childline Kenya</b>: call <b>116</b>" in answer["replies"][0]["html"]
    answer = await child.event("text", arg="he says he will share my pics if i don't pay")
    assert answer["replies"][0]["kind"] == "help"
    assert "This is not your fault" in answer["replies"][0]["html"]


async def test_the_page_offers_the_commands_and_the_safety_bar(
    client: TestClient[Any, Any],
) -> None:
    page = await (await client.get("/")).text()
    for command in ("lessons", "language", "country", "privacy", "forget"):
        assert f'data-command="{command}"' in page
    assert 'aria-live="polite"' in page and 'id="help"' in page and 'id="exit"' in page
    assert "<style" not in page and "<script>" not in page and " style=" not in page
    child = Browser(client)
    answer = await child.event("command", "start")
    buttons = [c for r in answer["replies"] for row in r["buttons"] for c in row]
    assert all(c.get("data") not in ("h", "x") for c in buttons)  # help and exit are sticky
    assert answer["labels"]["help"] == "Get help" and (answer["lang"], answer["dir"]) == (
        "en",
        "ltr",
    )


GOOD_ID = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b"not json", 400, "send a JSON object"),
        (b"[1, 2]", 400, "send a JSON object"),
        (b'{"client": "short", "kind": "command"}', 400, "client must be 32"),
        (b'{"client": "0123456789ABCDEF0123456789ABCDEF", "kind": "command"}', 400, "client"),
        (b'{"kind": "command"}', 400, "client must be 32"),
        (b'{"client": "%s", "kind": "shout"}' % GOOD_ID.encode(), 400, "kind must be"),
        (b'{"client": "%s", "kind": "text", "arg": 5}' % GOOD_ID.encode(), 400, "arg must be"),
        (b'{"client": "%s", "kind": "text", "arg": "%s"}' % (GOOD_ID.encode(), b"a" * 1001),
         400, "arg must be"),
        (b"\xff\xfe", 400, "send a JSON object"),
        (b"x" * 5000, 413, ""),
    ],
)  # fmt: skip
async def test_malformed_and_oversized_requests_are_refused(
    client: TestClient[Any, Any], body: bytes, status: int, reason: str
) -> None:
    response = await client.post(
        "/api/event", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == status
    assert reason in await response.text()
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_only_json_is_taken(client: TestClient[Any, Any]) -> None:
    body = json.dumps({"client": GOOD_ID, "kind": "command", "name": "start"})
    response = await client.post("/api/event", data=body, headers={"Content-Type": "text/plain"})
    assert response.status == 415  # a form on another site cannot post JSON without asking


async def test_every_answer_carries_strict_headers(client: TestClient[Any, Any]) -> None:
    responses = [await client.get(path) for path in ("/", "/static/chat.js", "/nope")]
    responses.append(await client.delete("/api/event"))
    responses.append(await client.post("/api/event", data=b"{}", headers=JSON))
    assert [r.status for r in responses] == [200, 200, 404, 405, 400]
    for response in responses:
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self';" in csp
        assert "style-src 'self';" in csp and "unsafe" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["Server"] == "safebot"


JSON = {"Content-Type": "application/json"}


async def test_a_client_that_taps_too_fast_is_slowed_down(client: TestClient[Any, Any]) -> None:
    child = Browser(client)
    statuses = []
    for _ in range(30):
        response = await client.post(
            "/api/event", json={"client": child.id, "kind": "press", "arg": "h"}
        )
        statuses.append(response.status)
    assert statuses[:20] == [200] * 20 and 429 in statuses  # a burst of 20, then 10 a second
    other = Browser(client)  # another child is not slowed down by the first
    assert (await other.event("command", "help"))["replies"]
    await asyncio.sleep(0.3)  # the bucket fills again
    assert (await child.event("command", "help"))["replies"]


async def test_one_address_cannot_flood_as_many_children(client: TestClient[Any, Any]) -> None:
    statuses = []
    for _ in range(80):
        child = Browser(client)
        response = await client.post(
            "/api/event", json={"client": child.id, "kind": "press", "arg": "h"}
        )
        statuses.append(response.status)
    assert statuses[:60] == [200] * 60 and 429 in statuses


@pytest.mark.parametrize(
    ("runs", "page_html"),
    [
        ((Run("Hi <script>x</script> "), Run("bold", "b"), Run("\nnext")),
         "Hi &lt;script&gt;x&lt;/script&gt; <b>bold</b><br>next"),
        ((Run("it", "i"), Run(" "), Run("s", "b")), "<i>it</i> <b>s</b>"),
        ((Run("y", link="javascript:x"),), "y"),
        ((Run("site", link='https://x.org/?a=1&b=2" onclick="e()'),),
         '<a href="https://x.org/?a=1&amp;b=2&quot; onclick=&quot;e()" '
         'rel="noopener noreferrer" target="_blank">site</a>'),
        ((Run("<img src=x onerror=alert(1)>"),), "&lt;img src=x onerror=alert(1)&gt;"),
        ((Run("1 < 2 & 3"),), "1 &lt; 2 &amp; 3"),
    ],
)  # fmt: skip
def test_reply_html_is_made_safe_for_the_page(runs: tuple[Run, ...], page_html: str) -> None:
    assert web_html(Reply((runs,))) == page_html


async def test_author_text_with_script_arrives_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "dialogs"
    folder.mkdir()
    root = Path(__file__).parent.parent / "dialogs"
    for name in ("welcome.yaml", "menu.yaml"):
        (folder / name).write_text((root / name).read_text())
    source = (
        (root / "example.yaml")
        .read_text()
        .replace("Mo is 13 and lives in Nairobi.", "Mo is 13 <script>alert(1)</script> in Nairobi.")
        .replace("next_lesson: grooming\n", "")
    )
    (folder / "example.yaml").write_text(source)
    settings = Settings(dialogs_dir=folder, show_drafts=True)
    store = Store(tmp_path / "data")
    channel = web_chat(settings, store)
    async with TestClient(TestServer(channel.app())) as test_client:
        child = Browser(test_client)
        await child.event("command", "country", "KE")
        await child.tap("10 to 12")
        await child.tap("Mo and the new follower")
        await child.tap("An adult I trust")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in child.text()
        assert "<script>" not in child.text()
    store.close()


async def test_author_mode_shows_problems_and_the_flow_and_reloads(tmp_path: Path) -> None:
    folder = tmp_path / "dialogs"
    folder.mkdir()
    root = Path(__file__).parent.parent / "dialogs"
    for name in ("welcome.yaml", "menu.yaml", "example.yaml"):
        (folder / name).write_text((root / name).read_text().replace("next_lesson: grooming\n", ""))
    settings = Settings(dialogs_dir=folder, show_drafts=True)
    store = Store(tmp_path / "data")
    channel = web_chat(settings, store, author=True)
    stopping = asyncio.Event()
    assert channel.author is not None
    watcher = asyncio.create_task(channel.author.watch(stopping))
    async with TestClient(TestServer(channel.app())) as test_client:

        async def author_view(until: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
            for _ in range(100):  # the folder is looked at once a second
                view: dict[str, Any] = await (
                    await test_client.get(f"/api/author?client={child.id}")
                ).json()
                if until(view):
                    return view
                await asyncio.sleep(0.1)
            raise AssertionError(view)

        child = Browser(test_client)
        await child.event("command", "country", "KE")
        await child.tap("10 to 12")
        await child.tap("Mo and the new follower")
        await child.tap("An adult I trust")
        author = await author_view(lambda v: True)
        assert "Class meet_mo s_active" in author["flow"]
        assert (author["title"], author["step"]) == ("Mo and the new follower", "meet_mo")

        # a mistake: shown in the panel, and the chat keeps the last good version
        example = folder / "example.yaml"
        good = example.read_text()
        example.write_text(good.replace("next: new_follower", "next: new_folower"))
        author = await author_view(lambda v: not v["loaded"])
        found = [p for p in author["problems"] if "'new_folower'" in p["message"]]
        assert found and found[0]["lesson"] and found[0]["severity"] == "error"
        assert found[0]["where"].startswith(str(example) + ":")
        assert "A new follower" in (await child.tap("Next"))["replies"][0]["html"]

        # fixed, and a new sentence: the chat plays it at once
        example.write_text(good.replace("A new follower says", "Someone new says"))
        author = await author_view(lambda v: v["loaded"])
        assert not [p for p in author["problems"] if p["lesson"]]
        await child.event("command", "lessons")
        await child.tap("Mo and the new follower")
        await child.tap("An adult I trust")
        assert "Someone new says" in (await child.tap("Next"))["replies"][0]["html"]

        page = await test_client.get("/")
        assert 'data-author="yes"' in await page.text()
        csp = page.headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp  # Mermaid is served from here, scripts stay strict
    stopping.set()
    await watcher
    store.close()


async def test_author_view_is_closed_outside_author_mode(client: TestClient[Any, Any]) -> None:
    assert (await client.get("/api/author")).status == 404


async def test_safebot_run_web_serves_both_channels_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    """`safebot run --web`: Telegram and the web chat at once, one chatbot, one store."""
    api = FakeBotAPI()
    await api.start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = tmp_path / "safebot.toml"
    config.write_text(f"[web]\nport = {port}\n")
    env = {
        **os.environ,
        "SAFEBOT_TELEGRAM_TOKEN": "123:TEST",
        "SAFEBOT_TELEGRAM_API_URL": api.base_url,
        "SAFEBOT_DATA_DIR": str(tmp_path / "data"),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.tools.cli", "--config", str(config), "run", "--web", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        ana = api.user(4455667788)
        await ana.send("/start")
        await ana.wait_for("automatic guide", timeout=20)
        event = {"client": secrets.token_hex(16), "kind": "command", "name": "start",
                 "language": "en-US"}  # fmt: skip
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                try:
                    async with session.post(
                        f"http://127.0.0.1:{port}/api/event", json=event
                    ) as response:
                        answer = await response.json()
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
        assert "automatic guide" in answer["replies"][0]["html"]
    finally:
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 20)
        _out, err = await process.communicate()
        await api.stop()
    assert code == 0, err.decode()
    assert "safebot stopped" in err.decode()
