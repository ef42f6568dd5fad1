"""The randomized update fuzzer against the real `safebot run`, at length.

    python benchmarks/fuzz.py [--updates 12000] [--people 400] [--seed 1] [--kill-every 0]

People tap real and forged buttons, type in many scripts, send commands right and wrong,
media, edits, block and unblock, write in a group, and send updates the library cannot
read; each waits for the bot's answer to what needs one. With `--kill-every N`, the bot
is killed with SIGKILL after every N updates and started again. Printed: updates,
crashes (the bot died by itself), unanswered updates, Bot API calls Telegram would refuse
(by description), and canaries (ids, names, usernames, words) found in the log or the
data folder. All but updates should be 0; after a SIGKILL, a press answered just before
it may be answered again ("query is too old").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.fakebotapi import FakeBotAPI
from bot.fakebotapi.fuzz import Fuzzer
from tests.safebot_process import SafebotProcess, folder_bytes, rejected


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=12_000)
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kill-every", type=int, default=0)
    args = parser.parse_args()
    api = FakeBotAPI()
    await api.start()
    with tempfile.TemporaryDirectory() as folder:
        data, log = Path(folder) / "data", Path(folder) / "bot.log"
        bot = await SafebotProcess(api, data, log).start()
        crashes = kills = 0

        async def between(done: int) -> None:
            nonlocal bot, crashes, kills
            if not bot.alive:
                crashes += 1
                bot = await SafebotProcess(api, data, log).start()
            elif args.kill_every and done % args.kill_every == 0 and done < args.updates:
                kills += 1
                await bot.kill()
                bot = await SafebotProcess(api, data, log).start()

        fuzzer = Fuzzer(api, seed=args.seed, people=args.people)
        started = time.monotonic()
        figures = await fuzzer.run(args.updates, between=between)
        await api.settle(quiet=1.0, timeout=120)
        seconds = time.monotonic() - started
        alive = bot.alive
        code = await bot.stop()
        text, stored = log.read_text(errors="replace"), folder_bytes(data)
        leaked = [c for c in fuzzer.canaries() if c in text or c.encode() in stored]
        result = {
            "updates": figures.updates,
            "people": args.people,
            "seed": args.seed,
            "sigkills": kills,
            "crashes": crashes + (0 if alive else 1),
            "exit code at the end": code,
            "unanswered": figures.unanswered,
            "unanswered by kind": dict(figures.unanswered_kinds),
            "refused calls": dict(Counter(rejected(api))),
            "identifying bytes (canaries found)": len(leaked),
            "tracebacks in the log": text.count("Traceback"),
            "updates by kind": dict(figures.kinds),
            "seconds": round(seconds, 1),
        }
        print(json.dumps(result, indent=1, ensure_ascii=False))
    await api.stop()


if __name__ == "__main__":
    asyncio.run(main())
