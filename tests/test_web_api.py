"""The web chat's HTTP API: a whole lesson, and every kind of bad request."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import Content, load_content
from bot.config import Settings
from bot.store import Store
from bot.web import make_channel, safe_html


@pytest.fixture
async def client(content: Content, tmp_path: Path) -> AsyncIterator[TestClient[Any, Any]]:
    store = Store(tmp_path)
    channel = make_channel(Settings(), content, store, watch_files=False)
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
    await child.tap("How to report, and help a friend")
    for _ in range(30):
        if "Was this lesson helpful?" in child.text():
            break
        choices = [c["label"] for r in child.last["replies"] for row in r["buttons"]
                   for c in row if "data" in c and c["data"] not in "hxbm"]  # fmt: skip
        await child.tap(choices[0])
    assert "Report it, don't share it" in child.text()
    assert "Childline Kenya" not in child.text()  # the hand-off came earlier, not at the end


async def test_help_and_arabic_right_to_left(arabic_overlay: Path, tmp_path: Path) -> None:
    settings = Settings(overlay=arabic_overlay)
    store = Store(tmp_path)
    channel = make_channel(settings, load_content(settings), store, watch_files=False)
    async with TestClient(TestServer(channel.app())) as test_client:
        child = Browser(test_client)
        answer = await child.event("command", "help")
        assert answer["replies"][0]["kind"] == "help"
        answer = await child.event("command", "language", "ar")
        assert (answer["lang"], answer["dir"]) == ("ar", "rtl")
    store.close()


async def test_quick_exit_and_forget(client: TestClient[Any, Any]) -> None:
    child = Browser(client)
    answer = await child.event("command", "exit")
    assert answer["quick_exit"] is True and len(answer["replies"]) == 1
    await child.event("command", "forget")
    answer = await child.tap("Yes, erase it")
    assert "I erased everything" in answer["replies"][0]["html"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b"[1, 2]", 400),
        (b'{"client": "short", "kind": "command"}', 400),
        (b'{"client": "0123456789abcdef0123456789abcdef", "kind": "shout"}', 400),
        (b'{"client": "0123456789abcdef0123456789abcdef", "kind": "text", "arg": 5}', 400),
        (b"x" * 5000, 413),
    ],
)
async def test_malformed_and_oversized_requests_are_refused(
    client: TestClient[Any, Any], body: bytes, status: int
) -> None:
    response = await client.post("/api/event", data=body)
    assert response.status == status
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_every_answer_carries_strict_headers(client: TestClient[Any, Any]) -> None:
    for path in ("/", "/static/chat.js", "/nope"):
        response = await client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["X-Frame-Options"] == "DENY"
    assert (await client.get("/nope")).status == 404
    assert (await client.delete("/api/event")).status == 405


async def test_a_client_that_taps_too_fast_is_slowed_down(client: TestClient[Any, Any]) -> None:
    child = Browser(client)
    statuses = []
    for _ in range(30):
        response = await client.post(
            "/api/event", json={"client": child.id, "kind": "press", "arg": "h"}
        )
        statuses.append(response.status)
    assert 429 in statuses and statuses[0] == 200


def test_content_markup_is_escaped_in_the_page() -> None:
    assert safe_html("Hi &lt;script&gt;x&lt;/script&gt; <b>bold</b>\nnext") == (
        "Hi &lt;script&gt;x&lt;/script&gt; <b>bold</b><br>next"
    )
    assert safe_html('<a href="javascript:x">y</a>') == '&lt;a href="javascript:x"&gt;y&lt;/a&gt;'


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
    channel = make_channel(settings, load_content(settings), store, watch_files=False)
    async with TestClient(TestServer(channel.app())) as test_client:
        child = Browser(test_client)
        await child.event("command", "country", "KE")
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
    channel = make_channel(settings, load_content(settings), store, watch_files=True)
    async with TestClient(TestServer(channel.app())) as test_client:
        child = Browser(test_client)
        await child.event("command", "country", "KE")
        await child.tap("Mo and the new follower")
        await child.tap("An adult I trust")
        author = await (await test_client.get(f"/api/author?client={child.id}")).json()
        assert "Class meet_mo s_active" in author["flow"]
        example = folder / "example.yaml"
        example.write_text(example.read_text().replace("next: new_follower", "next: new_folower"))
        channel.reload()
        author = await (await test_client.get(f"/api/author?client={child.id}")).json()
        assert any("'new_folower', which does not exist" in p for p in author["problems"])
        page = await test_client.get("/")
        assert 'data-author="yes"' in await page.text()
    store.close()


async def test_author_view_is_closed_outside_author_mode(client: TestClient[Any, Any]) -> None:
    assert (await client.get("/api/author")).status == 404
