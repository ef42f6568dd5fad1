"""safebot beside a bare python-telegram-bot bot, in the same run, against the fake Bot API.

    python benchmarks/endtoend.py [--children 60] [--taps 1500] [--closed | --rate 100]
                                  [--rounds 3]

Simulated children tap through lessons. Closed loop (`--closed`, the default): each child
taps again as soon as its last tap is answered, so the bot runs as fast as it can.
Open loop (`--rate`): taps arrive at a fixed rate in all, each child still waiting for
its reply. Reported for each bot: CPU time per tap (from /proc, the bot's own process
only), reply latency p50 and p99 (tap queued -> the bot's reply, a new message or an
edit, at the fake API), taps answered per second, and the ratios of safebot's figures to
the bare bot's. The two bots take turns for `rounds` rounds; the median round is reported.
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
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.fakebotapi import FakeBotAPI, FakeUser

TICKS = os.sysconf("SC_CLK_TCK")
STUCK = 10.0  # seconds without any reply: the bot under test is stuck or gone
SAFETY = ("Get help", "Quick exit")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:  # a tiny read between loads
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


async def start(command: list[str], env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("wb") as errors:  # the child keeps its own copy of the file
        return await asyncio.create_subprocess_exec(
            *command, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=errors
        )


@dataclass
class Tapping:
    """One child's tap in flight: when it was made, and how many events the chat had."""

    since: float
    events: int


@dataclass
class Driver:
    """Taps for every child, and the latency of each reply."""

    api: FakeBotAPI
    children: list[FakeUser]
    bare: bool
    waiting: dict[int, Tapping] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)

    def answered(self) -> list[FakeUser]:
        """Children whose tap got its reply since the last look."""
        found = []
        for child in self.children:
            tapping = self.waiting.get(child.id)
            if tapping is None:
                continue
            events = child.chat.events[tapping.events :]
            reply = next((e for e in events if e.kind != "deleted"), None)
            if reply is not None:
                self.latencies.append(reply.at - tapping.since)
                del self.waiting[child.id]
                found.append(child)
        return found

    async def tap(self, child: FakeUser) -> None:
        """The next tap of a lesson: its first choice, or the lessons again at the end."""
        self.waiting[child.id] = Tapping(time.monotonic(), len(child.chat.events))
        if self.bare:
            await child.click("Next")
            return
        last = child.bot_messages[-1] if child.bot_messages else None
        labels = [b.text for row in last.buttons for b in row if b.callback_data] if last else []
        choices = [label for label in labels if label not in SAFETY]
        if last is None or not choices or "Was this lesson helpful?" in last.text:
            await child.send("/lessons")
        else:
            await child.click(choices[0], message=last)

    async def closed(self, taps: int) -> float:
        """Each child taps again as soon as it is answered; returns the seconds taken."""
        started = time.monotonic()
        made = 0
        for child in self.children:
            await self.tap(child)
            made += 1
        last_reply = time.monotonic()
        while self.waiting:
            answered = self.answered()
            if answered:
                last_reply = time.monotonic()
            elif time.monotonic() - last_reply > STUCK:
                raise RuntimeError(f"no reply for {STUCK} s; {len(self.waiting)} children wait")
            for child in answered:
                if made < taps:
                    await self.tap(child)
                    made += 1
            if not answered:
                await self.api.wait_change(0.005)
        return time.monotonic() - started

    async def open_loop(self, taps: int, rate: float) -> float:
        """Taps at `rate` a second, to children not waiting; returns the seconds taken."""
        started = time.monotonic()
        made, turn = 0, 0
        last_reply = time.monotonic()
        while made < taps or self.waiting:
            if self.answered():
                last_reply = time.monotonic()
            elif self.waiting and time.monotonic() - last_reply > STUCK:
                raise RuntimeError(f"no reply for {STUCK} s; {len(self.waiting)} children wait")
            due = started + made / rate
            if made < taps and time.monotonic() >= due:
                child = self.children[turn % len(self.children)]
                turn += 1
                if child.id not in self.waiting:
                    await self.tap(child)
                    made += 1
                    continue
            await self.api.wait_change(0.002)
        return time.monotonic() - started


async def warm_up(api: FakeBotAPI, children: list[FakeUser], bare: bool) -> None:
    """Every child reaches its first buttons: /start for the bare bot, a lesson for safebot."""
    for child in children:
        await child.send("/start" if bare else "/country KE")
    await api.settle(quiet=0.5, timeout=60)
    if not bare:
        for child in children:
            await child.click("10 to 12") if "10 to 12" in child.buttons else None
        await api.settle(quiet=0.5, timeout=60)
        for child in children:
            await child.click("Someone who is too nice")
        await api.settle(quiet=0.5, timeout=60)


async def measure(
    name: str, command: list[str], env: dict[str, str], args: argparse.Namespace
) -> dict[str, float]:
    api = FakeBotAPI(token="123:BENCH")
    await api.start()
    bare = name == "bare_ptb"
    env = {**env, "SAFEBOT_TELEGRAM_API_URL": api.base_url}
    log = Path(env["SAFEBOT_DATA_DIR"]) / "bot.log"
    process = await start([*command, api.base_url] if bare else command, env, log)
    children = [api.user(10_000 + n, f"Child{n}") for n in range(args.children)]
    driver = Driver(api, children, bare)
    try:
        await warm_up(api, children, bare)
        cpu_before = cpu_seconds(process.pid)
        if args.rate:
            took = await driver.open_loop(args.taps, args.rate)
        else:
            took = await driver.closed(args.taps)
        cpu = cpu_seconds(process.pid) - cpu_before
    except (RuntimeError, AssertionError):
        print(f"{name} got stuck; the end of its log:", file=sys.stderr)
        print(log.read_text()[-3000:], file=sys.stderr)
        raise
    finally:  # never leave a bot polling a port that the next run may be given
        process.terminate()
        await process.wait()
        await api.stop()
    latencies = sorted(driver.latencies)
    return {
        "taps": len(latencies),
        "cpu_ms_per_tap": round(cpu / len(latencies) * 1000, 3),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "taps_per_s": round(len(latencies) / took, 1),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=60)
    parser.add_argument("--taps", type=int, default=1500)
    parser.add_argument("--closed", action="store_true", help="closed loop (the default)")
    parser.add_argument("--rate", type=float, default=0.0, help="open loop: taps a second")
    parser.add_argument("--rounds", type=int, default=3, help="bare, safebot, bare, ...")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent  # noqa: ASYNC240 (once, before any load)
    commands = {
        "bare_ptb": [sys.executable, str(here / "bare_bot.py")],
        "safebot": [sys.executable, "-m", "bot.tools.cli", "run"],
    }
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    for _ in range(args.rounds):  # taking turns: a noisy minute hurts both bots alike
        for name, command in commands.items():
            with tempfile.TemporaryDirectory() as data:
                env = {**os.environ, "SAFEBOT_TELEGRAM_TOKEN": "123:BENCH", "TOKEN": "123:BENCH",
                       "SAFEBOT_DATA_DIR": data}  # fmt: skip
                rounds[name].append(await measure(name, command, env, args))
    result: dict[str, object] = {
        "mode": f"open loop, {args.rate:g} taps/s" if args.rate else "closed loop",
        "children": args.children,
    }
    for name, runs in rounds.items():  # the median round of each figure
        result[name] = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    for figure in ("cpu_ms_per_tap", "p50_ms", "p99_ms"):
        ratios = [o[figure] / b[figure]
                  for b, o in zip(rounds["bare_ptb"], rounds["safebot"], strict=True)]  # fmt: skip
        result[f"{figure}_ratio"] = round(statistics.median(ratios), 2)
        result[f"{figure}_ratio_rounds"] = [round(r, 2) for r in ratios]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    asyncio.run(main())
