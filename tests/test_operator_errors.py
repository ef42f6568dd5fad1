"""What an operator reads when the bot can't start: one line saying what is wrong and what
to do, never a traceback, and nothing left behind."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.fakebotapi import FakeBotAPI
from tests.safebot_process import safebot


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    fake = FakeBotAPI(token="123:RIGHT")
    await fake.start()
    yield fake
    await fake.stop()


def said(stderr: str) -> list[str]:
    """What the operator is told, beside the log's own timestamped lines."""
    assert "Traceback" not in stderr, stderr
    return [line for line in stderr.splitlines() if not line[:4].isdigit()]


async def test_a_wrong_token_says_to_copy_it_again(api: FakeBotAPI, tmp_path: Path) -> None:
    # in a thread, so that the fake Bot API in this process can answer
    wrong = {"SAFEBOT_TELEGRAM_TOKEN": "123:WRONG", "SAFEBOT_TELEGRAM_API_URL": api.base_url}
    done = await asyncio.to_thread(safebot, "run", data=tmp_path / "data", env=wrong)
    assert done.returncode == 1
    assert said(done.stderr) == [
        "safebot: Telegram did not accept the bot token. Copy it again from @BotFather "
        "(/mybots, API Token) into SAFEBOT_TELEGRAM_TOKEN."
    ]
    assert "is running on Telegram" not in done.stderr


def test_an_unreachable_bot_api_says_what_to_check(tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nothing listens there once closed
    url = f"http://127.0.0.1:{port}/bot"
    unreachable = {"SAFEBOT_TELEGRAM_TOKEN": "123:RIGHT", "SAFEBOT_TELEGRAM_API_URL": url}
    done = safebot("run", data=tmp_path / "data", env=unreachable)
    assert done.returncode == 1
    [line] = said(done.stderr)
    assert line.startswith(
        f"safebot: could not reach the Telegram Bot API at http://127.0.0.1:{port}/bot"
    )
    assert line.endswith(
        "Check this machine's network and firewall, and telegram_api_url if you set one."
    )


def test_a_busy_port_says_which_and_how_to_choose_another(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = safebot("demo", "--port", str(port), data=tmp_path / "data")
    assert done.returncode == 1
    assert said(done.stderr) == [
        f"safebot: port {port} on 127.0.0.1 is already in use by another program. Stop that "
        "program, or choose another port (--port, or [web] port in safebot.toml)."
    ]


def test_an_svg_flow_without_graphviz_says_how_to_get_it_and_writes_no_file(
    tmp_path: Path,
) -> None:
    try:
        import graphviz  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("Graphviz is installed here")
    out = tmp_path / "flow.svg"
    done = safebot("graph", "grooming", "--format", "svg", "--output", str(out), data=tmp_path)
    assert done.returncode == 1 and not out.exists()
    assert said(done.stderr) == [
        "safebot: SVG needs Graphviz: pip install 'safebot[graph]', and the 'graphviz' system "
        "package (apt install graphviz). Mermaid output (the default) needs nothing."
    ]
