"""The real `safebot` command in its own process, against the fake Bot API: what the fault
suite and the fuzzer drive, so they test what an NGO runs."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bot.fakebotapi import FakeBotAPI

# the command under test: this checkout's, or another build's (to compare two versions)
SAFEBOT = os.environ.get("SAFEBOT_UNDER_TEST") or str(Path(sys.executable).with_name("safebot"))


class SafebotProcess:
    """`safebot run` with its data folder and its log (stderr) in files."""

    def __init__(
        self,
        api: FakeBotAPI,
        data: Path,
        log: Path,
        *,
        args: Iterable[str] = ("run",),
        env: dict[str, str] | None = None,
        umask: int | None = None,
    ) -> None:
        self.api, self.data, self.log_path = api, data, log
        self.args = list(args)
        self.umask = umask
        self.env = {
            **os.environ,
            "SAFEBOT_TELEGRAM_TOKEN": "123:TEST",
            "SAFEBOT_TELEGRAM_API_URL": api.base_url,
            "SAFEBOT_DATA_DIR": str(data),
            **(env or {}),
        }
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> SafebotProcess:
        with self.log_path.open("ab") as log:  # the child keeps its own copy of the file
            self.process = await asyncio.create_subprocess_exec(
                SAFEBOT, *self.args, env=self.env, cwd=self.data.parent,
                stdout=asyncio.subprocess.DEVNULL, stderr=log,
                preexec_fn=(lambda: os.umask(self.umask)) if self.umask is not None else None,  # type: ignore[arg-type, return-value]
            )  # fmt: skip
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def stop(self) -> int:
        """SIGTERM, as systemd stops it; its exit code."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), 40)

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def safebot(
    *args: str, data: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """A one-off `safebot` command (stats, doctor, backup) on the same data folder."""
    return subprocess.run(
        [SAFEBOT, *args],
        env={**os.environ, "SAFEBOT_DATA_DIR": str(data), **(env or {})},
        cwd=data.parent, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def tallies(data: Path) -> list[dict[str, Any]]:
    """The tallies as stored, exact (the reports round them, so that no child shows)."""
    with contextlib.closing(sqlite3.connect(f"file:{data / 'safebot.db'}?mode=ro", uri=True)) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT * FROM tallies")]


def folder_bytes(data: Path) -> bytes:
    """Everything in the data folder (the database, its WAL, the secret)."""
    return b"".join(p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file())


async def until(condition: Callable[[], object], within: float = 30, what: str = "") -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, f"timed out: {what}"
        await asyncio.sleep(0.05)


def rejected(api: FakeBotAPI) -> list[str]:
    """Bot API calls Telegram would refuse (not the faults the test itself planted), and
    parameters a method does not have, which Telegram silently ignores."""
    refused = [
        f"{r.method}: {r.description}"
        for r in api.requests
        if r.fault is None and r.status in (400, 404) and r.method != "file"
    ]
    return refused + [f"{r.method}: has no parameter {p}" for r in api.requests for p in r.unknown]
