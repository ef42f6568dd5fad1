"""How the hearing of an earlier commit does on the development lines written after it: an
honest figure for lines no list was tuned on, without touching the held-out part.

    python benchmarks/distress_later.py COMMIT [--learn]

The phrase lists, likeness weights and development lines of COMMIT are read from git; the
lines added to tests/data/distress/dev since then are heard with today's code and COMMIT's
lists. With `--learn`, the likeness is learned again from COMMIT's lines with today's
benchmarks/train_likeness.py (a few minutes), so that a change to the learning is judged
on lines it never saw. Prints recall and false alarms per language, with what the likeness
and the setting aside of plain cries for help did.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.content.keywords import read_keywords
from bot.content.likeness_files import read_likeness
from bot.core.distress import LIKE, Hearing

ROOT = Path(__file__).resolve().parent.parent
DEV = "tests/data/distress/dev"
KEYWORDS = "content/keywords"


def unpack(commit: str, into: Path) -> None:
    """The lists and development lines of COMMIT, written under `into`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, KEYWORDS, DEV],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def later_lines(then: Path, language: str) -> list[tuple[str, bool]]:
    """Today's development lines of a language that COMMIT did not have: (text, distress)."""

    def read(path: Path) -> dict[str, Any]:
        return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}

    now, before = read(ROOT / DEV / f"{language}.yaml"), read(then / f"{language}.yaml")
    known = {line["text"] for kind in ("distress", "ordinary") for line in before.get(kind, [])}
    return [
        (line["text"], kind == "distress")
        for kind in ("distress", "ordinary")
        for line in now.get(kind, [])
        if line["text"] not in known
    ]


def learn(then: Path, into: Path) -> None:
    """The likeness learned again from COMMIT's lines, with today's learning."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_likeness

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
        print(f"{'language':<8} {'recall':>7} {'missed':>10} {'alarms':>10}   like  aside")
        totals = [0, 0, 0, 0]
        for language in sorted(p.stem for p in (then / DEV).glob("*.yaml")):
            heard = distress = alarms = ordinary = like = like_alarms = aside = spared = 0
            for text, is_distress in later_lines(then / DEV, language):
                told = hearing.listen(text, language)
                finding = told.finding
                by_likeness = finding is not None and finding.rule == LIKE
                if is_distress:
                    distress += 1
                    heard += finding is not None
                    like += by_likeness
                    aside += told.set_aside is not None
                else:
                    ordinary += 1
                    alarms += finding is not None
                    like_alarms += by_likeness
                    spared += told.set_aside is not None
            if not distress:
                continue
            totals = [totals[0] + heard, totals[1] + distress, totals[2] + alarms,
                      totals[3] + ordinary]  # fmt: skip
            print(
                f"{language:<8} {heard / distress:>7.1%} {distress - heard:>4}/{distress:<5} "
                f"{alarms:>4}/{ordinary:<5} {like:>4}+{like_alarms:<3} {aside:>2}+{spared}"
            )
        heard, distress, alarms, ordinary = totals
        print(
            f"all      {heard / max(1, distress):>7.1%} {distress - heard:>4}/{distress:<5} "
            f"{alarms:>4}/{ordinary:<5}"
        )


if __name__ == "__main__":
    main()
