"""Every benchmark, one after the other: `python benchmarks/run.py` (or `make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

RUNS = [
    ["engine.py", "--seconds", "5", "--lesson", "grooming"],
    ["endtoend.py", "--children", "60", "--taps", "1500", "--closed", "--rounds", "3"],
    ["endtoend.py", "--children", "40", "--taps", "1000", "--rate", "100", "--rounds", "3"],
    ["scale.py", "--sizes", "1000,10000,100000", "--updates", "1000"],
    ["startup.py", "--runs", "5"],
]

if __name__ == "__main__":
    for script, *args in RUNS:
        print(f"== {script} {' '.join(args)}", flush=True)
        subprocess.run([sys.executable, str(HERE / script), *args], check=True)
