"""Review mode's HTTP side without a browser: what /api/review and /api/jump accept and
refuse, where the notes go (the review file, never the database), and the review file."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer

from bot.channels.web.server import WebChannel, make_channel
from bot.content.load import Content
from bot.core.store import Store
from bot.errors import SafebotError
from bot.instance import make_turns
from bot.review.notes import ReviewFile, review_folder
from bot.settings import Settings

CHILD = {"locale": "en", "country": "KE", "band": "13-17"}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(show_drafts=True, overlay=tmp_path / "instance")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "data")
    yield store
    store.close()


def channel(settings: Settings, content: Content, store: Store, **mode: bool) -> WebChannel:
    return make_channel(settings, content, make_turns(settings, content, store), **mode)


@pytest.fixture
async def review(
    settings: Settings, content: Content, store: Store
) -> AsyncIterator[tuple[TestClient[Any, Any], WebChannel]]:
    web_chat = channel(settings, content, store, review=True)
    async with TestClient(TestServer(web_chat.app())) as client:
        yield client, web_chat


def in_lesson(web_chat: WebChannel, client_id: str, step: str = "meet_mo") -> None:
    """The chat of `client_id` playing the example lesson, on `step`."""
    key = web_chat.turns.key("web", client_id)
    web_chat.turns.play(key, "example", settings=CHILD)
    assert web_chat.turns.jump(key, step) is not None


async def test_children_s_chat_has_no_review_or_jump(
    settings: Settings, content: Content, store: Store
) -> None:
    for mode, missing in (({}, ("/api/review", "/api/jump")), ({"author": True}, ("/api/review",))):
        async with TestClient(TestServer(channel(settings, content, store, **mode).app())) as c:
            for path in missing:
                response = await c.post(path, json={})
                assert response.status in (404, 405), (mode, path)


BAD_MARKS = [
    ({"client": "nope"}, "client must be 32 hexadecimal characters"),
    ({"session": "  "}, "name the review session"),
    ({"session": "x" * 81}, "name the review session (at most 80 letters)"),
    ({"session": "Panel\nAmina"}, "one line"),
    ({"mark": "good"}, "mark must be one of: clear, confusing, not right"),
    ({"note": "x" * 501}, "at most 500 characters"),
    ({"note": 7}, "at most 500 characters"),
    ({"note": "a\x00b"}, "plain text"),
]


async def test_a_bad_mark_is_refused_with_the_reason(
    review: tuple[TestClient[Any, Any], WebChannel], settings: Settings
) -> None:
    client, web_chat = review
    client_id = secrets.token_hex(16)
    in_lesson(web_chat, client_id)
    for change, reason in BAD_MARKS:
        body = {"client": client_id, "session": "Panel", "mark": "clear", "note": "", **change}
        response = await client.post("/api/review", json=body)
        assert response.status == 400, change
        assert reason in await response.text(), change
    assert not ReviewFile(review_folder(settings), "example").notes()  # nothing was written


async def test_a_mark_needs_a_lesson_being_played(
    review: tuple[TestClient[Any, Any], WebChannel],
) -> None:
    client, _web_chat = review
    body = {"client": secrets.token_hex(16), "session": "Panel", "mark": "clear"}
    response = await client.post("/api/review", json=body)
    assert response.status == 409
    assert "start a lesson first" in await response.text()


async def test_notes_go_to_the_review_file_never_the_database(
    review: tuple[TestClient[Any, Any], WebChannel], settings: Settings, store: Store
) -> None:
    client, web_chat = review
    client_id = secrets.token_hex(16)
    in_lesson(web_chat, client_id)
    for session, mark, note in (
        ("Youth panel Nairobi, 3 Dec", "confusing", "first thoughts"),
        ("Youth panel Nairobi, 3 Dec", "not right", "Mo should be 14"),  # replaces it
        ("Youth  panel   Accra", "clear", ""),
    ):
        body = {"client": client_id, "session": session, "mark": mark, "note": note}
        response = await client.post("/api/review", json=body)
        assert response.status == 200, await response.text()
    notes = ReviewFile(review_folder(settings), "example").notes()
    assert [(n.session, n.mark, n.note) for n in notes] == [
        ("Youth panel Nairobi, 3 Dec", "not right", "Mo should be 14"),
        ("Youth panel Accra", "clear", ""),
    ]
    assert {(n.step, n.language, n.band) for n in notes} == {("meet_mo", "en", "13-17")}
    assert notes[0].words == (
        "Mo is 15 and lives in Nairobi. Mo shares digital drawings on a social app and hopes "
        "to grow a following.\n[Next]"
    )  # the words the 13-17 band reads, in English
    seen = await client.get(
        "/api/review", params={"client": client_id, "session": "Youth panel Accra"}
    )
    assert (await seen.json())["mark"] == "clear"
    store.checkpoint()
    database = b"".join(p.read_bytes() for p in store.path.parent.glob(store.path.name + "*"))
    assert database and b"Mo should be 14" not in database and b"Nairobi, 3 Dec" not in database
    text = ReviewFile(review_folder(settings), "example").path.read_text()
    assert client_id not in text and web_chat.turns.key("web", client_id) not in text
    assert not list(review_folder(settings).glob(".*tmp"))  # no temporary file left behind


async def test_a_jump_goes_only_to_a_step_of_the_lesson_being_played(
    review: tuple[TestClient[Any, Any], WebChannel],
) -> None:
    client, web_chat = review
    client_id = secrets.token_hex(16)
    response = await client.post("/api/jump", json={"client": client_id, "step": "help"})
    assert response.status == 409  # no lesson yet
    in_lesson(web_chat, client_id, "check_before")
    for step, status in (("no_such_step", 409), ("Help!", 400), ("what_mo_does", 200)):
        response = await client.post("/api/jump", json={"client": client_id, "step": step})
        assert response.status == status, step
    answer = await response.json()
    assert "Mo feels uneasy" in answer["replies"][-1]["html"]
    position = web_chat.turns.child(web_chat.turns.key("web", client_id)).position
    assert position is not None and position.step == "what_mo_does"


def test_a_broken_review_file_is_named_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "example.yaml").write_text("notes: [step: meet_mo\n")
    with pytest.raises(SafebotError, match=r"example\.yaml: this review file is not valid YAML"):
        ReviewFile(tmp_path, "example").notes()
    (tmp_path / "example.yaml").write_text(yaml.safe_dump({"notes": [{"step": "meet_mo"}]}))
    with pytest.raises(SafebotError, match="note 1 needs each of step, session"):
        ReviewFile(tmp_path, "example").notes()


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (["review", "example"], "say where to write the booklet"),
        (["review", "notes"], "say which lesson, e.g. 'safebot review notes grooming'"),
        (["review", "notes", "../data/x"], "is not a lesson id"),
        (["review", "notes", "exampel"], "there is no lesson 'exampel' and no notes on it"),
    ],
)
def test_review_notes_says_what_it_needs(
    words: list[str], said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.tools.cli import main

    config = tmp_path / "safebot.toml"
    config.write_text("")
    assert main(["--config", str(config), *words]) == 2
    assert said in capsys.readouterr().err
