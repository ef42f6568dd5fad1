"""Reading the likeness weights, content/keywords/likeness/<lang>.tsv, with every mistake
named by file and line. A file with an error is not used, and its error stops start-up, as
a broken phrase file does.

    # comments
    language: fr
    lines: <sha256 of the development lines the weights were learned from>
    bias: -1.52
    threshold: 0.31
    suicide_bias: -0.4
    suicide_threshold: -1.2
    w:pastillas<TAB>0.84<TAB>1.3   (a feature, its weight, and its weight towards suicide)
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from pathlib import Path

from bot.content.likeness import Likeness
from bot.errors import Problem, shown_path

HEADER = ("language", "lines", "bias", "threshold", "suicide_bias", "suicide_threshold")
NUMBERS = ("bias", "threshold", "suicide_bias", "suicide_threshold")
EXPECTED = "a feature, a tab, its weight, a tab and its weight towards suicide, or one of " + (
    ", ".join(HEADER)
)
HINT = "Write the file again with `make train-distress` rather than by hand."


def learned_from(development: Path) -> list[Path]:
    """The development files every language's weights are learned from: all of them, the
    language's own weighing most (benchmarks/train_likeness.py)."""
    return sorted(development.glob("*.yaml"))


def digest(paths: list[Path]) -> str:
    """What a weights file records of the lines it was learned from."""
    found = hashlib.sha256()
    for path in paths:
        found.update(path.read_bytes())
    return found.hexdigest()


def read_likeness(paths: Iterable[Path]) -> tuple[dict[str, Likeness], list[Problem]]:
    """The chosen weight files (one per language) -> each language's likeness, and every
    problem."""
    found: dict[str, Likeness] = {}
    problems: list[Problem] = []
    for path in paths:
        likeness, own = _read(path)
        problems += own
        if likeness is not None and not own:
            found[path.stem] = likeness
    return found, problems


def _read(path: Path) -> tuple[Likeness | None, list[Problem]]:
    name = shown_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(name, 0, f"the file cannot be read: {error}. {HINT}")]
    header: dict[str, str] = {}
    weights: dict[str, float] = {}
    suicide: dict[str, float] = {}
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if "\t" in line:  # 360,000 lines a start-up: one split and two floats each, inline
            parts = line.split("\t")
            try:
                weight, towards = float(parts[1]), float(parts[2])
            except (ValueError, IndexError):
                weight = towards = math.nan
            feature = parts[0] if len(parts) == 3 else ""
            if not (feature and math.isfinite(weight) and math.isfinite(towards)):
                problems.append(Problem(name, number, f"expected {EXPECTED}. {HINT}"))
                continue
            if weight:
                weights[feature] = weight
            if towards:
                suicide[feature] = towards
            continue
        key, colon, value_text = line.partition(":")
        if not colon or key.strip() not in HEADER:
            problems.append(Problem(name, number, f"expected {EXPECTED}. {HINT}"))
            continue
        header[key.strip()] = value_text.strip()
    missing = [key for key in HEADER if key not in header]
    if missing:
        problems.append(Problem(name, 1, f"the file needs {', '.join(missing)}. {HINT}"))
    numbers = {key: _number(header.get(key, "")) for key in NUMBERS}
    if header and not missing and None in numbers.values():
        wrong = ", ".join(key for key, value in numbers.items() if value is None)
        problems.append(Problem(name, 1, f"{wrong} must be numbers. {HINT}"))
    if header.get("language") not in (None, path.stem):
        problems.append(
            Problem(name, 1, f"the file is named {path.stem} but says language: "
                    f"{header['language']}. Name it after its language.")
        )  # fmt: skip
    if problems:
        return None, problems
    bias, threshold, suicide_bias, suicide_threshold = (numbers[key] or 0.0 for key in NUMBERS)
    return Likeness(
        path.stem, name, weights, bias, threshold, header["lines"],
        suicide, suicide_bias, suicide_threshold,
    ), []  # fmt: skip


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
