"""Reading the likeness weights, content/keywords/likeness/<lang>.tsv, with every mistake
named by file and line. A file with an error is not used, and its error stops start-up, as
a broken phrase file does.

    # comments
    language: fr
    lines: <sha256 of the development lines the weights were learned from>
    bias: -1.52
    threshold: 0.31
    w:pastillas<TAB>0.84      (one feature and its weight a line)
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from pathlib import Path

from bot.content.likeness import Likeness
from bot.errors import Problem, shown_path

HEADER = ("language", "lines", "bias", "threshold")
EXPECTED = "a feature, a tab and its weight, or one of " + ", ".join(HEADER)
HINT = "Write the file again with `make train-distress` rather than by hand."


def learned_from(language: str, development: Path) -> list[Path]:
    """The development files a language's weights are learned from: its own and English."""
    return sorted({development / f"{language}.yaml", development / "en.yaml"})


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
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if "\t" in line:
            feature, _, weight = line.partition("\t")
            value = _number(weight)
            if not feature or value is None:
                problems.append(Problem(name, number, f"expected {EXPECTED}. {HINT}"))
            else:
                weights[feature] = value
            continue
        key, colon, value_text = line.partition(":")
        if not colon or key.strip() not in HEADER:
            problems.append(Problem(name, number, f"expected {EXPECTED}. {HINT}"))
            continue
        header[key.strip()] = value_text.strip()
    missing = [key for key in HEADER if key not in header]
    if missing:
        problems.append(Problem(name, 1, f"the file needs {', '.join(missing)}. {HINT}"))
    bias, threshold = _number(header.get("bias", "")), _number(header.get("threshold", ""))
    if header and not missing and (bias is None or threshold is None):
        problems.append(Problem(name, 1, f"bias and threshold must be numbers. {HINT}"))
    if header.get("language") not in (None, path.stem):
        problems.append(
            Problem(name, 1, f"the file is named {path.stem} but says language: "
                    f"{header['language']}. Name it after its language.")
        )  # fmt: skip
    if problems or bias is None or threshold is None:
        return None, problems
    return Likeness(path.stem, name, weights, bias, threshold, header["lines"]), []


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
