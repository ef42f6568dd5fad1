"""Short seeded runs of the randomized update fuzzer against the real `safebot run`: no
crash, every update that needs an answer answered, no call Telegram would refuse, and no
canary in the log or the data folder; and the same with a SIGKILL half-way, where the only
calls refused are answers to presses that were answered just before the kill and are
handled again after it. (`benchmarks/fuzz.py` runs the long ones.)"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.fakebotapi import FakeBotAPI
from bot.fakebotapi.fuzz import Fuzzer
from tests.safebot_process import SafebotProcess, folder_bytes, rejected

PEOPLE = 40
UPDATES = 600  # a short seeded run; benchmarks/fuzz.py runs 12,000
REPEATED_ANSWER = (
    "answerCallbackQuery: Bad Request: query is too old and response timeout expired or "
    "query ID is invalid"
)
# An update in flight at the kill is handled again from the journal; the bot's memory of
# the messages it already tidied went with the process, so taking buttons off one of them
# again may be refused. Nothing a child sees changes.
TIDIED_AGAIN = (
    "editMessageReplyMarkup: Bad Request: message to edit not found",
    "editMessageReplyMarkup: Bad Request: message is not modified: specified new message "
    "content and reply markup are exactly the same as a current content and reply markup "
    "of the message",
)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    fake = FakeBotAPI()
    await fake.start()
    yield fake
    await fake.stop()


async def fuzz(api: FakeBotAPI, tmp_path: Path, *, seed: int, kill_at: int | None) -> Counter[str]:
    """UPDATES updates from 40 people; the calls Telegram refused, by description."""
    data, log = tmp_path / "data", tmp_path / "bot.log"
    bot = await SafebotProcess(api, data, log).start()
    crashes = 0

    async def between(done: int) -> None:
        nonlocal bot, crashes
        if not bot.alive:  # it died by itself: counted, and started again
            crashes += 1
            bot = await SafebotProcess(api, data, log).start()
        elif done == kill_at:  # SIGKILL, as a power cut would
            await bot.kill()
            bot = await SafebotProcess(api, data, log).start()

    fuzzer = Fuzzer(api, seed=seed, people=PEOPLE)
    figures = await fuzzer.run(UPDATES, between=between)
    await api.settle(quiet=1.0, timeout=60)
    assert bot.alive, log.read_text()[-3000:]
    assert await bot.stop() == 0
    assert (figures.updates, crashes, figures.unanswered) == (UPDATES, 0, 0), (
        figures.unanswered_kinds
    )
    text, stored = log.read_text(errors="replace"), folder_bytes(data)
    assert [c for c in fuzzer.canaries() if c in text or c.encode() in stored] == []
    assert "Traceback" not in text
    return Counter(rejected(api))


async def test_a_seeded_fuzz_run_leaves_nothing_unanswered_refused_or_leaked(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    assert await fuzz(api, tmp_path, seed=20261202, kill_at=None) == Counter()


async def test_a_seeded_fuzz_run_killed_half_way_loses_nothing(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    refused = await fuzz(api, tmp_path, seed=20261203, kill_at=UPDATES // 2)
    assert set(refused) <= {REPEATED_ANSWER, *TIDIED_AGAIN}, refused
    for kind in refused:  # at most one press in flight per person
        assert refused[kind] <= PEOPLE, refused
