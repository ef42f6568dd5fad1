"""safebot beside a bare python-telegram-bot bot, in the same run, against the fake Bot API.

    python benchmarks/endtoend.py [--children 50] [--taps 1500] [--rate 100] [--rounds 3]

Simulated children tap through lessons at `rate` taps a second in all (each child waits
for the reply to its last tap, as a person would). Reported for each bot: CPU time per
handled update (from /proc, the bot's own process only), reply latency p50 and p99
(update queued -> reply received by the fake API), and the ratio of the two CPU costs.
The two bots take turns for `rounds` rounds; the median round is reported.
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
STUCK = 10  # seconds without any reply: the bot under test is stuck or gone


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:  # a tiny read between loads
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


async def start(command: list[str], env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("wb") as errors:  # the child keeps its own copy of the file
        return await asyncio.create_subprocess_exec(
            *command, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=errors
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
    last_reply = time.monotonic()
    while done < taps:
        for when, chat in api.sent_at[seen:]:
            if chat in waiting:
                latencies.append(when - waiting.pop(chat))
                last_reply = time.monotonic()
        seen = len(api.sent_at)
        if waiting and time.monotonic() - last_reply > STUCK:
            raise RuntimeError(f"no reply for {STUCK} s; {len(waiting)} children wait")
        due = started + done * interval
        if time.monotonic() < due:
            await asyncio.sleep(min(0.002, due - time.monotonic()))
            continue
        child = children[next_child % len(children)]
        next_child += 1
        if child.id in waiting:
            # still waiting for its reply: the tap goes to another child. With every child
            # waiting, pause: spinning here would starve the fake API in this same loop
            await asyncio.sleep(0.001 if len(waiting) == len(children) else 0)
            continue
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
    log = Path(env["SAFEBOT_DATA_DIR"]) / "bot.log"
    process = await start([*command, api.base_url] if name == "bare" else command, env, log)
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
    try:
        latencies = await drive(api, children, taps, rate, bare)
        cpu = cpu_seconds(process.pid) - cpu_before
    except RuntimeError:
        print(f"{name} got stuck; the end of its log:", file=sys.stderr)
        print(log.read_text()[-3000:], file=sys.stderr)
        raise
    finally:  # never leave a bot polling a port that the next run may be given
        process.terminate()
        await process.wait()
        await api.stop()
    handled = len(api.sent_at) - handled_before
    latencies.sort()
    return {
        "updates": taps,
        "messages_sent": handled,
        "cpu_ms_per_update": round(cpu / taps * 1000, 3),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=50)
    parser.add_argument("--taps", type=int, default=1500)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--rounds", type=int, default=3, help="bare, safebot, bare, ...")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent  # noqa: ASYNC240 (once, before any load)
    commands = {
        "bare_ptb": [sys.executable, str(here / "bare_bot.py")],
        "safebot": [sys.executable, "-m", "bot.cli", "run"],
    }
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    for _ in range(args.rounds):  # taking turns: a noisy minute hurts both bots alike
        for name, command in commands.items():
            with tempfile.TemporaryDirectory() as data:
                env = {**os.environ, "SAFEBOT_TELEGRAM_TOKEN": "123:BENCH",
                       "SAFEBOT_DATA_DIR": data}  # fmt: skip
                kind = "bare" if name == "bare_ptb" else name
                rounds[name].append(
                    await measure(kind, command, env, args.children, args.taps, args.rate)
                )
    # the median round of each figure, and every round's figures to show the spread
    result: dict[str, object] = {
        name: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        for name, runs in rounds.items()
    }
    ratios = [o["cpu_ms_per_update"] / b["cpu_ms_per_update"]
              for b, o in zip(rounds["bare_ptb"], rounds["safebot"], strict=True)]  # fmt: skip
    result["cpu_ratio"] = round(statistics.median(ratios), 2)
    result["cpu_ratio_rounds"] = [round(r, 2) for r in ratios]
    result["safebot_p99_rounds"] = [r["p99_ms"] for r in rounds["safebot"]]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    asyncio.run(main())
