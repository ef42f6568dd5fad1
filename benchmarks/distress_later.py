"""How the hearing of an earlier commit does on the development lines written after it: an
honest figure for lines no list was tuned on, without touching the held-out part.

    python benchmarks/distress_later.py COMMIT [--learn]

The phrase lists, likeness weights and development lines of COMMIT are read from git; the
lines added to tests/data/distress/dev since then are heard with today's code and COMMIT's
lists. With `--learn`, the likeness is learned again from COMMIT's lines with today's
benchmarks/train_likeness.py (a few minutes), so that a change to the learning is judged
on lines it never saw. Prints recall and false alarms per language, with what the likeness
and the setting aside of what was far from the distress lines did.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.distress_eval import HEADER, row, score
from bot.content.keywords import read_keywords
from bot.content.likeness_files import read_likeness
from bot.core.distress import Hearing

ROOT = Path(__file__).resolve().parent.parent
DEV = "tests/data/distress/dev"
KEYWORDS = "content/keywords"
KINDS = ("distress", "ordinary")
TOTALS = ("distress", "missed", "false_alarms", "ordinary")


def unpack(commit: str, into: Path) -> None:
    """The lists and development lines of COMMIT, written under `into`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, KEYWORDS, DEV],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def later_lines(then: Path, language: str) -> dict[str, Any]:
    """Today's development lines of a language that COMMIT did not have."""
    now, before = read(ROOT / DEV / f"{language}.yaml"), read(then / f"{language}.yaml")
    known = {line["text"] for kind in KINDS for line in before.get(kind, [])}
    return {kind: [x for x in now.get(kind, []) if x["text"] not in known] for kind in KINDS}


def read(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def learn(then: Path, into: Path) -> None:
    """The likeness learned again from COMMIT's lines, with today's learning."""
    from benchmarks import train_likeness  # scikit-learn: `make train-distress` installs it

    train_likeness.DEV, train_likeness.OUT = then / DEV, into
    for path in sorted((then / DEV).glob("*.yaml")):
        print(f"learning {path.stem} ...", file=sys.stderr, flush=True)
        train_likeness.train(path.stem)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("commit")
    parser.add_argument("--learn", action="store_true", help="learn the likeness again")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        then = Path(folder)
        unpack(args.commit, then)
        weights = then / KEYWORDS / "likeness"
        if args.learn:
            learn(then, weights)
        phrases, problems = read_keywords(sorted((then / KEYWORDS).glob("*.yaml")))
        likeness, found = read_likeness(sorted(weights.glob("*.tsv")))
        for problem in problems + found:
            print(problem, file=sys.stderr)
        hearing = Hearing(phrases, likeness)
        print(HEADER)
        totals = Counter[str]()
        for language in sorted(p.stem for p in (then / DEV).glob("*.yaml")):
            result = score(hearing, later_lines(then / DEV, language), language, False)
            if result["distress"]:
                print(row(language, "later", result))
                totals.update({key: result[key] for key in TOTALS})
        heard, distress = totals["distress"] - totals["missed"], totals["distress"]
        print(
            f"all: {heard} of {distress} heard ({heard / max(1, distress):.1%}), "
            f"{totals['false_alarms']} false alarms of {totals['ordinary']}"
        )


if __name__ == "__main__":
    main()
