"""safebot beside a bare python-telegram-bot bot, in the same run, against the fake Bot API.

    python benchmarks/endtoend.py [--children 50] [--taps 1500] [--rate 100]

Simulated children tap through lessons at `rate` taps a second in all (each child waits
for the reply to its last tap, as a person would). Reported for each bot: CPU time per
handled update (from /proc, the bot's own process only), reply latency p50 and p99
(update queued -> reply received by the fake API), and the ratio of the two CPU costs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.botapi import FakeBotAPI, FakeUser

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:  # a tiny read between loads
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


async def start(command: list[str], env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )


def first_choice(user: FakeUser) -> str | None:
    labels = [label for label in user.choices() if label not in ("Get help", "Quick exit")]
    return labels[0] if labels else None


async def drive(api: FakeBotAPI, children: list[FakeUser], taps: int, rate: float,
                bare: bool) -> list[float]:  # fmt: skip
    """Tap at `rate` per second; return each tap's reply latency in seconds."""
    latencies: list[float] = []
    waiting: dict[int, float] = {}
    done = 0
    next_child = 0
    interval = 1 / rate
    started = time.monotonic()
    seen = len(api.sent_at)
    while done < taps:
        for when, chat in api.sent_at[seen:]:
            if chat in waiting:
                latencies.append(when - waiting.pop(chat))
        seen = len(api.sent_at)
        due = started + done * interval
        if time.monotonic() < due:
            await asyncio.sleep(min(0.002, due - time.monotonic()))
            continue
        child = children[next_child % len(children)]
        next_child += 1
        if child.id in waiting:
            continue  # this child is still waiting for its reply; give the tap to another
        await asyncio.sleep(0)
        label = "Next" if bare else first_choice(child)
        if label is None or (not bare and "Was this lesson helpful?" in child.texts()[-1]):
            label = None
        waiting[child.id] = time.monotonic()
        if label is None:
            child.send("/lessons")
        else:
            child.click(label)
        done += 1
    deadline = time.monotonic() + 10
    while waiting and time.monotonic() < deadline:
        for when, chat in api.sent_at[seen:]:
            if chat in waiting:
                latencies.append(when - waiting.pop(chat))
        seen = len(api.sent_at)
        await asyncio.sleep(0.01)
    return latencies


async def measure(name: str, command: list[str], env: dict[str, str], children_count: int,
                  taps: int, rate: float) -> dict[str, float]:  # fmt: skip
    api = FakeBotAPI()
    await api.start()
    env = {**env, "SAFEBOT_TELEGRAM_API_URL": api.base_url}
    process = await start([*command, api.base_url] if name == "bare" else command, env)
    children = [FakeUser(api, 10_000 + n) for n in range(children_count)]
    bare = name == "bare"
    for child in children:  # warm up: every child reaches its first buttons
        child.send("/start" if bare else "/country KE")
    await asyncio.sleep(3)
    if not bare:
        for child in children:
            child.click("Someone who is too nice")
        await asyncio.sleep(2)
    handled_before = len(api.sent_at)
    cpu_before = cpu_seconds(process.pid)
    latencies = await drive(api, children, taps, rate, bare)
    cpu = cpu_seconds(process.pid) - cpu_before
    handled = len(api.sent_at) - handled_before
    process.terminate()
    await process.wait()
    await api.stop()
    latencies.sort()
    return {
        "updates": taps,
        "messages_sent": handled,
        "cpu_ms_per_update": round(cpu / taps * 1000, 3),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=50)
    parser.add_argument("--taps", type=int, default=1500)
    parser.add_argument("--rate", type=float, default=100.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "SAFEBOT_TELEGRAM_TOKEN": "123:BENCH", "SAFEBOT_DATA_DIR": data}
        here = Path(__file__).resolve().parent  # noqa: ASYNC240 (once, before any load)
        bare = await measure("bare", [sys.executable, str(here / "bare_bot.py")], env,
                             args.children, args.taps, args.rate)  # fmt: skip
        ours = await measure("safebot", [sys.executable, "-m", "bot.cli", "run"], env,
                             args.children, args.taps, args.rate)  # fmt: skip
    ratio = ours["cpu_ms_per_update"] / bare["cpu_ms_per_update"]
    print(json.dumps({"bare_ptb": bare, "safebot": ours, "cpu_ratio": round(ratio, 2)}, indent=1))


if __name__ == "__main__":
    asyncio.run(main())
