"""How cost grows with stored children: RSS and per-update time at 1,000 / 10,000 / 100,000.

    python benchmarks/scale.py [--sizes 1000,10000,100000] [--updates 2000]

Fills a real SQLite file with N children (positions, settings), then times updates of
random children through the whole conversation (restore, engine, render, save).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from pathlib import Path

from bot.content.load import load_content
from bot.core.conversation import Incoming
from bot.core.engine import StepShown
from bot.core.presses import encode
from bot.core.store import Store
from bot.instance import make_turns
from bot.settings import Settings


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fill(store: Store, count: int, lesson: str, steps: list[str]) -> None:
    """Children at random steps of a lesson, written in one transaction."""
    rows = [
        (store.child_key("telegram", n), "en", "KE", lesson, random.choice(steps), 5, "2026-11-24")
        for n in range(count)
    ]
    with store.db.atomic():
        store.db.conn.executemany(
            "INSERT OR REPLACE INTO children (key, locale, country, dialog, step, turn, seen_on)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def measure(size: int, updates: int, lesson: str) -> dict[str, float]:
    settings = Settings()
    content = load_content(settings)
    steps = [s for s, step in content.dialogs[lesson].steps.items() if step.choices]
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder))
        turns = make_turns(settings, content, store)
        fill(store, size, lesson, steps)
        random.seed(1)
        started = time.perf_counter()
        for _ in range(updates):
            key = store.child_key("telegram", random.randrange(size))
            child = store.child(key)
            assert child.position is not None
            shown = turns.conversation.engine.show(child.position, child.turn).outputs[-1]
            assert isinstance(shown, StepShown)
            if shown.buttons:
                data = encode(shown.buttons[0].press)
                turns.delivered(turns.handle(key, Incoming("press", arg=data)))
            else:  # this child finished the lesson: start it again
                settings_of = {"locale": "en", "country": "KE"}
                turns.play(key, lesson, settings=settings_of, restart=True)
        elapsed = time.perf_counter() - started
        store.close()
    return {
        "children": size,
        "ms_per_update": round(elapsed / updates * 1000, 3),
        "max_rss_mb": round(rss_mb(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--lesson", default="grooming")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        print(json.dumps(measure(size, args.updates, args.lesson)))


if __name__ == "__main__":
    main()
