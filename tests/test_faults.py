"""The faults that really happen, on the real `safebot run` against the fake Bot API: an
update the library cannot read, a full disk, a damaged or empty database, a read-only
folder, a crash in the middle of a burst, webhook garbage. Nothing lost, nothing leaked."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import socket
import stat
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from bot.fakebotapi import FakeBotAPI, FakeUser
from tests.safebot_process import (
    SafebotProcess,
    folder_bytes,
    rejected,
    safebot,
    tallies,
    until,
)

TROUBLE = "Something went wrong on my side. Please try again in a moment."


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    fake = FakeBotAPI()
    await fake.start()
    yield fake
    await fake.stop()


@contextlib.contextmanager
def small_disk(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` at `where`: a disk that fills up (needs root; skipped otherwise)."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> Path:
    """Write until the disk is full; the file to delete to free it again."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (65536, 4096, 512, 1):  # big blocks, then the last few bytes
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    return filler


async def lessons_open(child: FakeUser) -> None:
    """Start, see the stories, choose a country and an age group: the list of lessons."""
    await child.send("/start")
    await child.wait_for("automatic guide", timeout=20)
    await child.click("Show me the stories")
    await child.wait_for("Which country are you in?", timeout=20)
    await child.click("✓ Kenya" if "✓ Kenya" in buttons(child) else "Prefer not to say")
    await until(lambda: any(w in texts(child)[-1] for w in ("How old are you?", "Pick a story")),
                what="the age question or the lessons")  # fmt: skip
    if "How old are you?" in texts(child)[-1]:
        await child.click("13 to 17")
    await child.wait_for("Pick a story", timeout=20)


def buttons(child: FakeUser) -> list[str]:
    last = child.last_bot_message
    return [b.text for row in last.buttons for b in row] if last else []


def texts(child: FakeUser) -> list[str]:
    return [m.text for m in child.bot_messages]


# -- 1. an update the library cannot read ----------------------------------------------


def old_poll(user: FakeUser, question: str) -> dict[str, object]:
    """A private message with a poll in the shape before Bot API 9.6 (no persistent_id,
    allows_revoting, members_only), as an older self-hosted Bot API server sends it."""
    return {
        "message": {
            "message_id": 9001, "date": 1_760_000_000, "chat": user.chat.as_api(),
            "from": user.user,
            "poll": {
                "id": "5000000000000000001", "question": question,
                "options": [{"text": f"{question} option", "voter_count": 0}],
                "total_voter_count": 0, "is_closed": False, "is_anonymous": True,
                "type": "regular", "allows_multiple_answers": False,
            },
        }
    }  # fmt: skip


async def test_a_poisoned_update_is_skipped_and_never_logged_and_its_batch_is_answered(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    children = [
        api.user(7_310_000_000 + n, f"Canaryname{n}", username=f"canary_user_{n}")
        for n in range(20)
    ]
    for n, child in enumerate(children):  # 20 children and one poisoned update: one batch
        await child.send("/start" if n % 2 else f"canary words number {n}")
    poisoner = api.user(7_399_999_999, "Poisonname", username="poison_user")
    api.queue(old_poll(poisoner, "canary poll question"))
    bot = await SafebotProcess(
        api, tmp_path / "data", tmp_path / "bot.log", env={"SAFEBOT_LOG_LEVEL": "DEBUG"}
    ).start()
    try:
        for child in children:
            await until(lambda c=child: c.bot_messages, what=f"{child} answered")
        await api.settle(quiet=1.0, timeout=20)
        assert bot.alive, bot.log()
        assert api.pending == []  # the poisoned one was confirmed too: it will not come back
    finally:
        assert await bot.stop() == 0
    log, stored = bot.log(), folder_bytes(tmp_path / "data")
    assert "an update could not be read and was skipped (1 so far)" in log
    assert " DEBUG " in log  # the libraries did speak, at DEBUG
    canaries = ["canary words", "canary poll question", "Poisonname", "poison_user",
                "7399999999"]  # fmt: skip
    for child in children:
        canaries += [str(child.id), child.user["first_name"], child.user["username"]]
    for canary in canaries:
        assert canary not in log, canary
        assert canary.encode() not in stored, canary
    assert rejected(api) == []


# -- 2. the secret, on a full disk or cut short ----------------------------------------


def test_a_full_disk_on_first_start_leaves_no_secret_and_says_so(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "256k") as disk:
        filler = fill(disk)
        data = disk / "data"
        run = safebot("run", "--web-only", data=data)
        assert run.returncode == 1
        assert run.stderr.count("\n") == 1, run.stderr  # one line
        assert "could not be written: No space left on device" in run.stderr, run.stderr
        assert not (data / "instance.secret").exists()  # no empty secret to accept later
        filler.unlink()
        again = safebot("play", "example", data=data)  # with space again: a whole secret
        assert len((data / "instance.secret").read_text()) == 64, again.stderr


@pytest.mark.parametrize("written", ["", "abc123", "z" * 64])
def test_an_empty_short_or_damaged_secret_is_refused_in_one_line(
    tmp_path: Path, written: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "instance.secret").write_text(written)
    done = safebot("run", "--web-only", data=data)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "instance secret" in done.stderr, done.stderr
    assert (data / "instance.secret").read_text() == written  # nothing was changed
    assert not (data / "safebot.db").exists()


# -- 3. the database cannot be written while running -----------------------------------


async def test_a_full_disk_while_running_loses_no_update_and_recovers_by_itself(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    with small_disk(tmp_path / "disk", "4m") as disk:
        bot = await SafebotProcess(api, disk / "data", tmp_path / "bot.log").start()
        try:
            children = [api.user(7_420_000_000 + n, language_code="en-GB") for n in range(6)]
            await asyncio.gather(*(lessons_open(child) for child in children))
            await api.settle(quiet=0.5, timeout=20)
            filler = fill(disk)
            for child in children[:4]:  # a tap and a command: both need the database
                await child.click("Someone who is too nice")
            await children[4].send("/lessons")
            await children[5].send("/help")  # help needs nothing kept: it still works
            await until(lambda: all(q.answered for q in api.queries.values()), what="answers")
            await children[4].wait_for(TROUBLE, timeout=20)
            await children[5].wait_for("These people", timeout=20)
            taps = list(api.queries.values())[-4:]  # each tap told, on the button itself
            assert [q.answer.get("text") if q.answer else None for q in taps] == [TROUBLE] * 4
            assert api.pending, "updates were confirmed before they were kept"
            await asyncio.sleep(2)  # it keeps trying, with a growing pause
            assert bot.log().count("Updates wait unconfirmed") == 1  # one line for the operator
            filler.unlink()
            for child in children[:4]:
                await child.wait_for("quick questions", timeout=40)  # the lesson opens, later
            await children[4].wait_for("Pick a story", timeout=40)
            await api.settle(quiet=0.5, timeout=40)
            assert "database or disk is full" in bot.log()
            assert "the database works again after" in bot.log()
            assert "5 updates that waited were answered" in bot.log()
            for child in children[:4]:  # each tap handled once
                assert sum("quick questions" in t for t in texts(child)) == 1, texts(child)
            assert sum(TROUBLE in t for t in texts(children[4])) == 1  # told once
            assert rejected(api) == []
        finally:
            assert await bot.stop() == 0


# -- 4. a crash in the middle of a burst: each press counted once ----------------------


async def play_lesson(child: FakeUser, title: str) -> None:
    """Open a lesson and press each step's first choice to the end (the same path for
    every child, so that each tally cell is one per child)."""
    await child.click(title)
    for _ in range(60):
        reply = await child.wait_reply(timeout=60)
        if "Was this lesson helpful?" in reply.text:
            return
        labels = [b.text for row in reply.buttons for b in row if b.callback_data]
        choices = [label for label in labels if label not in ("Get help", "Quick exit")]
        if choices:
            await child.click(choices[0], message=reply.message_id)
    raise AssertionError(f"{child} did not reach the end of {title}")


async def test_killed_mid_burst_it_counts_each_press_exactly_once(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    data, log = tmp_path / "data", tmp_path / "bot.log"
    bot = await SafebotProcess(api, data, log).start()
    children = [api.user(7_430_000_000 + n, language_code="en-KE") for n in range(8)]
    await asyncio.gather(*(lessons_open(child) for child in children))
    playing = asyncio.gather(*(play_lesson(c, "Someone who is too nice") for c in children))
    presses = len(api.queries)
    await until(lambda: len(api.queries) >= presses + 30, what="a burst of presses")
    await bot.kill()  # SIGKILL: no clean shutdown, presses in flight
    assert api.pending, "nothing was in flight"
    bot = await SafebotProcess(api, data, log).start()
    try:
        await asyncio.wait_for(playing, 120)
        await api.settle(quiet=0.5, timeout=30)
    finally:
        assert await bot.stop() == 0
    rows = tallies(data)
    assert rows, "no tallies"
    wrong = {(r["name"], r["question"], r["phase"], r["outcome"]): r["value"]
             for r in rows if r["value"] != len(children)}  # fmt: skip
    assert wrong == {}, wrong  # every child made each press once, and each counts once
    names = {r["name"] for r in rows}
    assert {"lesson_started", "lesson_completed", "check_answer"} <= names


# -- 5. /forget leaves nothing, even if it crashes half-way -----------------------------


async def test_forget_leaves_nothing_keyed_to_the_child_even_after_a_crash(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    data, log = tmp_path / "data", tmp_path / "bot.log"
    bot = await SafebotProcess(api, data, log).start()
    ana = api.user(7_440_000_001, language_code="en-KE")
    await lessons_open(ana)
    await ana.click("Someone who is too nice")
    await ana.wait_for("quick questions", timeout=20)
    await ana.send("/forget")
    await ana.wait_for("Do you want me to erase everything", timeout=20)
    await api.settle(quiet=0.3)
    hang = api.faults.add("hang", method="sendMessage", times=1)
    await ana.click("Yes, erase it")
    await until(lambda: hang.hits >= 1, what="the reply in flight")
    await bot.kill()  # erased and kept, the reply not sent yet
    bot = await SafebotProcess(api, data, log).start()
    try:
        await ana.wait_for("I erased everything", timeout=30)
        await api.settle(quiet=0.5, timeout=30)
    finally:
        assert await bot.stop() == 0
    key = child_key(data, ana.id)
    for table, count in database_rows(data, key).items():
        assert count == 0, f"{table} still holds a row of the erased child"
    assert sum("I erased everything" in t for t in texts(ana)) == 1


def child_key(data: Path, user_id: int) -> str:
    """The child's key as the store makes it (the instance secret and the Telegram id)."""
    from bot.core.store import Store

    store = Store(data, create=False)
    try:
        return store.child_key("telegram", user_id)
    finally:
        store.close()


def database_rows(data: Path, key: str) -> dict[str, int]:
    """In each table, the rows holding `key` anywhere."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(data / "safebot.db")) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        found = {}
        for table in tables:
            columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
            where = " OR ".join(f"CAST({c} AS TEXT) LIKE ?" for c in columns)
            found[table] = db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE {where}",
                [f"%{key}%"] * len(columns),
            ).fetchone()[0]
    return found


# -- 6. webhook garbage ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_every_malformed_webhook_request_gets_a_4xx_and_a_real_one_is_answered(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    port = free_port()
    bot = await SafebotProcess(
        api, tmp_path / "data", tmp_path / "bot.log",
        args=["run", "--webhook-url", "https://bot.example.org/hook", "--port", str(port)],
        env={"SAFEBOT_WEBHOOK_SECRET": "s3cret"},
    ).start()  # fmt: skip
    url, secret = f"http://127.0.0.1:{port}/hook", {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
    ana = api.user(7_450_000_001)
    ana.chat.started = True
    update = {"update_id": 77, "message": {"message_id": 1, "date": 0, "text": "/start",
              "chat": {"id": ana.id, "type": "private"}, "from": ana.user}}  # fmt: skip
    garbage: list[tuple[bytes, dict[str, str]]] = [
        (json.dumps(update).encode(), {}),  # no secret
        (json.dumps(update).encode(), {"X-Telegram-Bot-Api-Secret-Token": "gue\u00dfed"}),
        (b"[]", secret), (b'"x"', secret), (b"null", secret), (b"42", secret),
        (b"{not json", secret), (b"\xff\xfe", secret), (b"{}", secret),
        (json.dumps({**update, "update_id": "abc"}).encode(), secret),
        (json.dumps({**update, "update_id": 2**63}).encode(), secret),
        (json.dumps({**update, "update_id": -1}).encode(), secret),
        (json.dumps({**update, "update_id": True}).encode(), secret),
        (json.dumps({"update_id": 78, "message": "hello"}).encode(), secret),
    ]  # fmt: skip
    try:
        async with aiohttp.ClientSession() as http:
            await until(lambda: api.ok_calls("setWebhook"), what="the webhook set")
            statuses = []
            for body, headers in garbage:
                async with http.post(url, data=body, headers={
                    "Content-Type": "application/json", **headers}) as answer:  # fmt: skip
                    statuses.append(answer.status)
            assert all(400 <= s < 500 for s in statuses), statuses
            assert api.calls("sendMessage") == []  # none of it was handled
            async with http.post(url, json=update, headers=secret) as answer:
                assert answer.status == 200
            await ana.wait_for("automatic guide", timeout=20)
        assert bot.alive
    finally:
        assert await bot.stop() == 0
    assert "Traceback" not in bot.log()


# -- 7. what an operator meets: one line, the data untouched ---------------------------


def digest(folder: Path) -> str:
    return hashlib.sha256(folder_bytes(folder)).hexdigest()


def started_once(data: Path) -> None:
    """An instance that has run: a secret and a database with a child in it."""
    done = safebot("play", "example", data=data)
    assert done.returncode == 0, done.stderr
    assert (data / "safebot.db").stat().st_size > 0


def test_a_damaged_database_is_refused_in_one_line_and_left_as_it_was(tmp_path: Path) -> None:
    data = tmp_path / "data"
    started_once(data)
    database = data / "safebot.db"
    raw = bytearray(database.read_bytes())
    children_page = 3 * 4096  # the children table's first page (page 4 of 4096 bytes)
    raw[children_page : children_page + 12] = b"\xff" * 12  # its header, damaged
    database.write_bytes(bytes(raw))
    before = digest(data)
    done = safebot("run", "--web-only", data=data)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "damaged" in done.stderr, done.stderr
    assert "restore it from a backup" in done.stderr.lower()
    assert digest(data) == before
    doctor = safebot("doctor", data=data)
    assert doctor.returncode == 1 and "integrity" in doctor.stdout, doctor.stdout


def test_an_empty_database_is_refused_not_silently_made_new(tmp_path: Path) -> None:
    data = tmp_path / "data"
    started_once(data)
    (data / "safebot.db").write_bytes(b"")
    for wal in data.glob("safebot.db-*"):
        wal.unlink()
    done = safebot("run", "--web-only", data=data)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "is empty" in done.stderr, done.stderr
    assert (data / "safebot.db").stat().st_size == 0


def test_a_read_only_data_folder_is_said_in_one_line(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "4m") as disk:
        data = disk / "data"
        started_once(data)
        before = digest(data)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        done = safebot("run", "--web-only", data=data)
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1 and "read-only" in done.stderr, done.stderr
        assert digest(data) == before


def test_stats_and_backup_in_the_wrong_folder_refuse_rather_than_create(tmp_path: Path) -> None:
    for command in (["stats"], ["backup", str(tmp_path / "backup.db")]):
        done = safebot(*command, data=tmp_path / "nothing-here")
        assert done.returncode == 1, done.stdout
        assert "is this the instance's folder?" in done.stderr, done.stderr
        assert not (tmp_path / "nothing-here").exists()


def test_doctor_reports_the_secret_permissions_space_and_integrity(tmp_path: Path) -> None:
    data = tmp_path / "data"
    started_once(data)
    done = safebot("doctor", data=data)
    assert done.returncode == 0, done.stdout + done.stderr
    for word in ("secret", "integrity", "free", "(700)", "(600)"):
        assert word in done.stdout, (word, done.stdout)


# -- 8. the smaller points -------------------------------------------------------------


async def test_odd_presses_countries_groups_and_file_modes(api: FakeBotAPI, tmp_path: Path) -> None:
    data = tmp_path / "data"
    bot = await SafebotProcess(api, data, tmp_path / "bot.log", umask=0).start()
    ana = api.user(7_460_000_001)
    try:
        await ana.send("/start")
        await ana.wait_for("automatic guide", timeout=20)
        for data_of_press in ("c².0", "c１.0", "c0.٣", "l:" + "9" * 400):
            click = await ana.click_data(data_of_press)
            await until(lambda c=click: c.answered, what=f"{data_of_press!r} answered")
        for n, code in enumerate(("EU", "UN", "XA", "XB", "zz", "ZZ", "QQ"), start=1):
            await ana.send(f"/country {code}")
            await until(lambda n=n: sum("I don't know that country" in t for t in texts(ana))
                        == n, what=f"/country {code} refused")  # fmt: skip
        group = api.group(-100_777)
        for _ in range(3):
            await group.send(api.user(7_460_000_002), "/start")
        await api.settle(quiet=0.5, timeout=20)
        assert len(group.bot_messages) == 1  # once a day
        assert bot.alive
    finally:
        assert await bot.stop() == 0
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [data, *data.iterdir()]}
    assert modes.pop("data") == 0o700, modes
    assert set(modes.values()) == {0o600}, modes
    assert rejected(api) == []
