"""/privacy promises that a child not seen for retention_days is erased: that holds
whichever channels run, the web chat alone included."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import time
from datetime import date
from pathlib import Path

from bot.core.store import Store
from tests.safebot_process import SAFEBOT


def children(data: Path) -> int:
    with sqlite3.connect(f"file:{data / 'safebot.db'}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM children").fetchone()[0])


def test_the_web_chat_alone_erases_children_not_seen_for_the_retention_period(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    long_ago = Store(data, today=lambda: date(2026, 1, 1))
    long_ago.commit(long_ago.child("a child last seen in January"), [])
    long_ago.close()
    today = Store(data)
    today.commit(today.child("a child seen today"), [])
    today.close()
    assert children(data) == 2
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    bot = subprocess.Popen(
        [SAFEBOT, "run", "--web-only"],
        env={"PATH": "/usr/bin:/bin", "SAFEBOT_DATA_DIR": str(data), "SAFEBOT_WEB_PORT": str(port)},
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90  # a busy machine loads the content slowly
        while children(data) != 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert children(data) == 1  # January's child is gone, today's stays
    finally:
        bot.terminate()
        _, log = bot.communicate(timeout=30)
    assert "erased 1 inactive children" in log
