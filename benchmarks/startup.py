"""Start-up time with every dialog and locale loaded and checked, and `safebot check` time.

python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time


def timed(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    load = [sys.executable, "-c",
            "from bot.content.load import load_content; from bot.settings import Settings; "
            "c = load_content(Settings()); assert c.lessons"]  # fmt: skip
    check = [sys.executable, "-m", "bot.tools.cli", "check"]
    print(json.dumps({
        "startup_seconds": timed(load, args.runs),
        "check_seconds": timed(check, args.runs),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
