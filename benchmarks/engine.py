"""Engine speed: restore -> advance -> save through a real SQLite file, on one core.

    python benchmarks/engine.py [--children 1000] [--seconds 5]

Each step restores a child's position from SQLite, presses the first choice (the engine
moves a transitions machine), and saves the new position, as the bot does per tap.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from bot.content.dialogs import load_dialogs
from bot.core.engine import Engine, StepShown
from bot.core.store import Store

ROOT = Path(__file__).resolve().parent.parent


def run(children: int, seconds: float, lesson: str) -> dict[str, float]:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    engine = Engine(load_dialogs(ROOT / "dialogs"))
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder))
        keys = [store.child_key("bench", n) for n in range(children)]
        steps = 0
        started = time.perf_counter()
        deadline = started + seconds
        while time.perf_counter() < deadline:
            for key in keys:
                child = store.child(key)  # restore
                position = child.position
                if position is None or engine.dialogs[lesson].steps[position.step].end:
                    outcome = engine.open(lesson, child.turn)
                else:
                    shown = engine.show(position, child.turn).outputs[-1]
                    assert isinstance(shown, StepShown)
                    outcome = engine.press(position, child.turn, shown.buttons[0].press)
                child.position, child.turn = outcome.position, outcome.turn
                store.commit(child, outcome.counts)  # save, with the tallies
                steps += 1
        elapsed = time.perf_counter() - started
        store.close()
    return {
        "steps": steps,
        "seconds": round(elapsed, 2),
        "steps_per_second": round(steps / elapsed),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--lesson", default="example")
    args = parser.parse_args()
    print(json.dumps(run(args.children, args.seconds, args.lesson)))


if __name__ == "__main__":
    main()
