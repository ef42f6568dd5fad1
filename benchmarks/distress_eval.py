"""How well the bot hears distress: recall and false alarms per language and category, on
the development lines (tests/data/distress/dev, which the phrase lists are tuned on) and on
the held-out lines (tests/data/distress/heldout, written first and never tuned on), and what
hearing costs per message.

    python benchmarks/distress_eval.py [--part dev|heldout|both] [--misses] [--lang xx]
                                       [--phrases-only]

Each line is heard as the bot hears it: the line's language, then English; then, for what no
rule heard, the likeness to the development lines (bot.content.likeness). The likeness is
learned from the development lines, so on them it hears nearly all: tune the phrase lists
with `--phrases-only`. The column "like" counts the lines only the likeness heard (and its
false alarms); "aside", the distress lines and ordinary ones whose finding (a plain cry for
help, grooming, image pressure or sextortion) was set aside as far more like the ordinary
lines (bot.core.distress); under the recall by
category come the suicide lines given the suicide answer.
`--misses` lists the lines heard wrongly (use it on the development part only: looking at
held-out misses is tuning on them).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.content.keywords import CATEGORIES, PhraseList, read_keywords
from bot.content.likeness import Likeness
from bot.content.likeness_files import read_likeness
from bot.core.distress import LIKENESS, Hearing

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "distress"
KEYWORDS = ROOT / "content" / "keywords"


def lines(part: str, language: str) -> dict[str, Any]:
    path = DATA / part / f"{language}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def evaluate(hearing: Hearing, part: str, language: str, misses: bool) -> dict[str, Any]:
    return score(hearing, lines(part, language), language, misses)


def score(hearing: Hearing, data: dict[str, Any], language: str, misses: bool) -> dict[str, Any]:
    """Recall, false alarms and what decided, over one language's lines."""
    heard = Counter[str]()
    total = Counter[str]()
    right_kind = like = crisis = aside = spared = 0
    missed, alarms = [], []
    for line in data.get("distress", []):
        total[line["category"]] += 1
        heard_as = hearing.listen(line["text"], language)
        finding = heard_as.finding
        aside += heard_as.set_aside is not None
        if finding is not None:
            heard[line["category"]] += 1
            right_kind += finding.category == line["category"]
            like += finding.rule in LIKENESS
            crisis += line["category"] == "suicide" and finding.category == "suicide"
        else:
            missed.append(line)
    alarm_kinds = Counter[str]()
    for line in data.get("ordinary", []):
        heard_as = hearing.listen(line["text"], language)
        finding = heard_as.finding
        spared += heard_as.set_aside is not None
        if finding is not None:
            alarm_kinds[line["kind"]] += 1
            alarms.append((line, finding))
    distress, ordinary = sum(total.values()), len(data.get("ordinary", []))
    result: dict[str, Any] = {
        "distress": distress,
        "missed": distress - sum(heard.values()),
        "recall": sum(heard.values()) / distress if distress else 1.0,
        "ordinary": ordinary,
        "false_alarms": len(alarms),
        "false_alarm_rate": len(alarms) / ordinary if ordinary else 0.0,
        "right_category": right_kind / max(1, sum(heard.values())),
        "by_likeness": like,
        "alarms_by_likeness": sum(f.rule in LIKENESS for _, f in alarms),
        # findings set aside as far more like the ordinary lines
        "set_aside": (aside, spared),
        "by_category": {c: (heard[c], total[c]) for c in CATEGORIES if total[c]},
        "crisis": crisis,  # suicide lines given the suicide answer, with the crisis line
        "alarms_by_kind": dict(alarm_kinds),
    }
    if misses:
        result["missed_lines"] = [(m["category"], m["text"]) for m in missed]
        result["alarm_lines"] = [
            (a["kind"], a["text"], f"{f.category}: '{f.rule}' ({f.where})") for a, f in alarms
        ]
    return result


HEADER = (
    f"{'language':<8} {'part':<8} {'recall':>7} {'missed':>9} {'alarms':>9} {'rate':>6} kind"
    "  like aside"
)


def row(language: str, part: str, result: dict[str, Any]) -> str:
    """One line of the table, under HEADER."""
    return (
        f"{language:<8} {part:<8} {result['recall']:>7.1%} "
        f"{result['missed']:>4}/{result['distress']:<4} "
        f"{result['false_alarms']:>4}/{result['ordinary']:<4} "
        f"{result['false_alarm_rate']:>6.1%} {result['right_category']:>4.0%}"
        f" {result['by_likeness']:>3}+{result['alarms_by_likeness']:<2}"
        f" {result['set_aside'][0]:>3}+{result['set_aside'][1]}"
    )


def cost(
    phrases: dict[str, PhraseList], likeness: dict[str, Likeness], languages: list[str]
) -> dict[str, float]:
    """Microseconds to hear one message, over every line of both parts, as the bot does:
    three passes, each with a new Hearing, so that no pass profits from the words looked up
    in the one before (within a pass, words met before are remembered, as in the bot)."""
    texts = [
        (line["text"], language)
        for language in languages
        for part in ("dev", "heldout")
        for kind in ("distress", "ordinary")
        for line in lines(part, language).get(kind, [])
    ]
    timings = []
    for _ in range(3):
        hearing = Hearing(phrases, likeness)
        gc.collect()
        gc.freeze()  # as `safebot run` does with its long-lived content after loading it
        for text, language in texts:
            started = time.perf_counter()
            hearing.hear(text, language, language)
            timings.append((time.perf_counter() - started) * 1e6)
    timings.sort()
    return {
        "messages": len(timings),
        "p50_us": round(statistics.median(timings), 1),
        "p95_us": round(timings[int(len(timings) * 0.95)], 1),
        "max_us": round(timings[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--part", choices=["dev", "heldout", "both"], default="both")
    parser.add_argument("--misses", action="store_true", help="list what was heard wrongly")
    parser.add_argument("--lang", action="append", help="only these languages")
    parser.add_argument("--phrases-only", action="store_true", help="without the likeness")
    args = parser.parse_args()
    phrases, problems = read_keywords(sorted(KEYWORDS.glob("*.yaml")))
    likeness, found = read_likeness(sorted((KEYWORDS / "likeness").glob("*.tsv")))
    for problem in problems + found:
        print(problem, file=sys.stderr)
    if args.phrases_only:
        likeness = {}
    hearing = Hearing(phrases, likeness)
    languages = sorted({p.stem for p in DATA.glob("*/*.yaml")})
    languages = [code for code in languages if not args.lang or code in args.lang]
    parts = ["dev", "heldout"] if args.part == "both" else [args.part]
    table: dict[str, dict[str, Any]] = defaultdict(dict)
    print(HEADER)
    for language in languages:
        for part in parts:
            result = evaluate(hearing, part, language, args.misses)
            table[language][part] = result
            print(row(language, part, result))
            if args.misses:
                for category, text in result["missed_lines"]:
                    print(f"    missed  [{category}] {text}")
                for kind, text, why in result["alarm_lines"]:
                    print(f"    alarm   [{kind}] {text}  <- {why}")
    for part in parts:
        weak = {
            c: (sum(table[lang][part]["by_category"].get(c, (0, 0))[0] for lang in languages),
                sum(table[lang][part]["by_category"].get(c, (0, 0))[1] for lang in languages))
            for c in CATEGORIES
        }  # fmt: skip
        print(f"\n{part}, all languages, recall by category:")
        for category, (got, of) in weak.items():
            if of:
                print(f"  {category:<18} {got:>4}/{of:<4} {got / of:>6.1%}")
        crisis = sum(table[lang][part]["crisis"] for lang in languages)
        print(
            f"  suicide lines given the suicide answer, with the crisis line: {crisis}/"
            f"{weak['suicide'][1]} ({crisis / max(1, weak['suicide'][1]):.1%})"
        )
    print("\ncost per message:", cost(phrases, likeness, languages))


if __name__ == "__main__":
    main()
