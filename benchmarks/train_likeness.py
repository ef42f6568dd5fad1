"""Learn the likeness weights (content/keywords/likeness/<lang>.tsv) from the development
lines of the distress evaluation: every language's lines, each of the language's own counting
three times as much as one of another. The held-out lines are never read here.

    python benchmarks/train_likeness.py [--lang xx]      (make train-distress)

A logistic regression (scikit-learn, installed by `make train-distress`) weighs each feature
of bot.content.likeness: a word, a pair of words, a piece of a word. Features seen in only one
line are left out. The file keeps the weights of the features seen in at least two of the
language's own and English lines (children mix English into every language), leaving out
those too small to matter. The threshold is set so that at most one in a hundred of the
language's own ordinary lines would be heard, each scored by weights learned without it
(four-fold cross-validation).

Learning from the other languages too came from lines written after the weights were
learned: on rounds 45 to 55, against the lists and lines of round 44, the likeness heard 252
of the disclosures no rule heard (229 before) for 55 false alarms (54); on rounds 29 to 55,
against round 28, 555 (509) for 118 (109).

A second regression, on the distress lines alone, weighs how much a line is like those about
suicide and self-harm rather than the other kinds; its threshold keeps nine in ten of the
language's own suicide lines (scored in the same way), so that a child who may be thinking of
suicide is shown the crisis line even when no phrase heard them.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import yaml
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.content.likeness import Likeness, vector
from bot.content.likeness_files import digest, learned_from
from bot.content.phrases import normalise

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "distress" / "dev"
OUT = ROOT / "content" / "keywords" / "likeness"
STRENGTH = 10.0  # scikit-learn's C: how closely the weights may follow the lines
ALARMS = 0.01  # the share of the language's own ordinary lines a threshold lets through
SMALLEST = 0.005  # weights smaller than this are left out of the file
SUICIDE_KEPT = 0.9  # the share of the language's own suicide lines given the crisis answer
OWN = 3.0  # how much one of the language's own lines counts, against one of another language
Line = tuple[list[str], int]


@functools.cache
def load(path: Path) -> dict[str, list[dict[str, str]]]:
    """One file of development lines, read once for all the languages learned from it."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def read(data: dict[str, list[dict[str, str]]]) -> list[Line]:
    """Every line, marked 1 when it is distress."""
    return [(normalise(x["text"]).split(), 1) for x in data.get("distress", [])] + [
        (normalise(x["text"]).split(), 0) for x in data.get("ordinary", [])
    ]


def read_kinds(data: dict[str, list[dict[str, str]]]) -> list[Line]:
    """The distress lines, each marked 1 when it is about suicide or self-harm."""
    return [
        (normalise(x["text"]).split(), int(x["category"] == "suicide"))
        for x in data.get("distress", [])
    ]


def fit(
    lines: list[Line], counts: list[float] | None = None, shown: int | None = None
) -> tuple[dict[str, float], float]:
    """Weights and bias learned from the lines, each counting as much as `counts` says (one
    each by default), distress and ordinary lines weighing the same in all; the weights
    kept are those of features seen in two of the first `shown` lines (all by default)."""
    vectors = DictVectorizer()
    x = vectors.fit_transform([vector(tokens) for tokens, _ in lines])
    y = np.array([label for _, label in lines])
    seen = np.asarray((x != 0).sum(axis=0)).ravel()
    kept = np.flatnonzero(seen >= 2)  # a feature of one line only says nothing general
    count = np.ones(len(lines)) if counts is None else np.array(counts)
    for label in (0, 1):  # as many of one as of the other ("balanced")
        count[y == label] *= len(y) / (2 * count[y == label].sum())
    model = LogisticRegression(C=STRENGTH, max_iter=5000)
    model.fit(x[:, kept], y, sample_weight=count)
    names = vectors.get_feature_names_out()[kept]
    in_file = np.asarray((x[: shown or len(lines)] != 0).sum(axis=0)).ravel()[kept] >= 2
    weights = {
        str(name): round(float(w), 4)
        for name, w, keep in zip(names, model.coef_[0], in_file, strict=True)
        if keep and abs(w) >= SMALLEST
    }
    return weights, round(float(model.intercept_[0]), 4)


def fit_language(
    own: list[Line], english: list[Line], rest: list[Line]
) -> tuple[dict[str, float], float]:
    """The weights of one language: learned from every line, its own counting OWN times,
    kept for the features of its own and the English lines."""
    counts = [OWN] * len(own) + [1.0] * (len(english) + len(rest))
    return fit(own + english + rest, counts, shown=len(own) + len(english))


Learner = Callable[[list[Line], list[Line], list[Line]], tuple[dict[str, float], float]]


def held_out_scores(
    own: list[Line], others: tuple[list[Line], list[Line]], label: int, learn: Learner
) -> list[float]:
    """The scores of the language's own lines with this label, each by weights learned
    without it (four-fold cross-validation), lowest first."""
    scores: list[float] = []
    labels = np.array([line_label for _, line_label in own])
    folds = StratifiedKFold(n_splits=4, shuffle=True, random_state=0)
    for train, test in folds.split(np.zeros(len(own)), labels):
        weights, bias = learn([own[i] for i in train], *others)
        scorer = Likeness("", "", weights, bias, 0.0, "")
        scores += [scorer.score(own[i][0]) for i in test if own[i][1] == label]
    return sorted(scores)


def threshold(own: list[Line], english: list[Line], rest: list[Line]) -> float:
    """The score that lets through at most ALARMS of the language's own ordinary lines."""
    scores = held_out_scores(own, (english, rest), 0, fit_language)
    return round(scores[min(len(scores) - 1, int(len(scores) * (1 - ALARMS)))], 4)


def fit_kinds(
    own: list[Line], english: list[Line], rest: list[Line]
) -> tuple[dict[str, float], float]:
    """The weights towards suicide: learned from the distress lines of the language and
    English (not `rest`), each counting once."""
    return fit(own + english)


def suicide_threshold(own: list[Line], english: list[Line]) -> float:
    """The score that keeps SUICIDE_KEPT of the language's own suicide lines."""
    scores = held_out_scores(own, (english, []), 1, fit_kinds)
    return round(scores[int(len(scores) * (1 - SUICIDE_KEPT))], 4)


def train(language: str) -> Path:
    paths = learned_from(DEV)
    own_data = load(DEV / f"{language}.yaml")
    english_data = load(DEV / "en.yaml") if language != "en" else {}
    own, english = read(own_data), read(english_data)
    rest = [
        line for path in paths if path.stem not in (language, "en") for line in read(load(path))
    ]
    weights, bias = fit_language(own, english, rest)
    limit = threshold(own, english, rest)
    own_kinds, english_kinds = read_kinds(own_data), read_kinds(english_data)
    suicide, suicide_bias = fit_kinds(own_kinds, english_kinds, [])
    suicide_limit = suicide_threshold(own_kinds, english_kinds)
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"{language}.tsv"
    head = [
        f"# How much a message is like the distress lines children wrote in {language}.",
        f"# Learned by `make train-distress` from tests/data/distress/dev/{language}.yaml and",
        "# the other languages' lines there: do not edit by hand.",
        f"language: {language}",
        f"lines: {digest(paths)}",
        f"bias: {bias}",
        f"threshold: {limit}",
        f"suicide_bias: {suicide_bias}",
        f"suicide_threshold: {suicide_limit}",
    ]
    body = [
        f"{feature}\t{weights.get(feature, 0.0)}\t{suicide.get(feature, 0.0)}"
        for feature in sorted(weights.keys() | suicide.keys())
    ]
    out.write_text("\n".join(head + body) + "\n", encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", action="append", help="only these languages")
    args = parser.parse_args()
    languages = sorted(p.stem for p in DEV.glob("*.yaml"))
    for language in languages:
        if not args.lang or language in args.lang:
            print(f"{language}: {train(language).relative_to(ROOT)}", flush=True)


if __name__ == "__main__":
    main()
