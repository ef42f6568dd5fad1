"""Distress phrases: typed words that mean a child may need help now.

Text is normalised (case, accents, repeated letters, look-alike digits, invisible
characters) and matched against whole-word phrases for the child's language. The text
is only read here: it is never logged, stored or returned.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bot.problems import Problem, did_you_mean
from bot.yamlsource import Located, LocatedList, read_yaml

GROUPS = ("threat", "pressure", "secret", "fear", "self_harm", "abuse")
# single words too common to mean distress on their own ("help" is also a lesson word)
TOO_COMMON = {"help", "photo", "photos", "picture", "pictures", "scared", "sad", "ayuda",
              "aide", "ajuda", "msaada", "tulong", "madad", "مساعدة", "बचाओ"}  # fmt: skip
INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD, 0x061C, 0x180E,
     *range(0x202A, 0x202F), *range(0x2066, 0x206A), *range(0xFE00, 0xFE10)]
)  # fmt: skip
ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # tashkeel and tatweel
LOOK_ALIKE = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "$": "s", "5": "s"})
REPEATS = re.compile(r"(\w)\1+")


def _latin(ch: str) -> bool:
    return "LATIN" in unicodedata.name(ch, "")


def _fold_accents(text: str) -> str:
    """Drop accents from Latin letters only: Devanagari and Arabic marks carry meaning."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch) and out and _latin(out[-1]):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _token(word: str) -> str:
    # digits inside a word are letters in disguise ("n00dz"); a number alone stays a number
    if any(ch.isalpha() for ch in word):
        word = word.translate(LOOK_ALIKE)
    return REPEATS.sub(r"\1", word)


def normalise(text: str) -> str:
    """Case, accents, invisible characters, look-alike digits and repeated letters folded."""
    text = unicodedata.normalize("NFKC", text).translate(INVISIBLE).casefold()
    text = ARABIC_MARKS.sub("", _fold_accents(text))
    text = text.replace("@", "a").replace("$", "s")
    # letters, their marks (Devanagari vowel signs are marks) and digits make words
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" or ch == "*" else " " for ch in text)
    return " ".join(_token(w) for w in kept.split())


@dataclass(frozen=True)
class DistressPhrases:
    """The phrases of one language, compiled once into one pattern per group."""

    language: str
    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def build(cls, language: str, groups: dict[str, list[str]]) -> DistressPhrases:
        compiled = []
        for group, phrases in groups.items():
            parts = sorted({_pattern(p) for p in phrases if normalise(p)}, key=len, reverse=True)
            if parts:
                pattern = r"(?<![^\s])(?:" + "|".join(parts) + r")(?![^\s])"
                compiled.append((group, re.compile(pattern)))
        return cls(language, tuple(compiled))

    def match(self, text: str) -> str | None:
        """The group of the first phrase found in the text, or None."""
        normal = normalise(text)
        for group, pattern in self.patterns:
            if pattern.search(normal):
                return group
        return None


def _pattern(phrase: str) -> str:
    prefix = phrase.strip().endswith("*")
    words = normalise(phrase.strip().rstrip("*")).split()
    body = r"\s+".join(re.escape(w) for w in words)
    return body + (r"\S*" if prefix else "")


def _groups(data: Located) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for section in ("phrases", "misspellings"):
        for group, phrases in (data.get(section) or {}).items():
            if isinstance(phrases, list):
                groups.setdefault(group, []).extend(str(p) for p in phrases if p)
    return groups


def load_keywords(folder: Path, *overlays: Path) -> dict[str, DistressPhrases]:
    """Every language's phrases, keyed by locale ('en', 'pt_BR' ...); an overlay's file
    replaces the shipped one of the same language."""
    found = {}
    by_name = {p.name: p for f in (folder, *overlays) for p in sorted(f.glob("*.yaml"))}
    for path in by_name.values():
        data, _problems = read_yaml(path)
        if isinstance(data, Located):
            found[path.stem] = DistressPhrases.build(path.stem, _groups(data))
    return found


def check_keywords(folder: Path) -> list[Problem]:
    """Mistakes in the phrase files, each with its line and a hint."""
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        name = str(path)
        data, found = read_yaml(path, name)
        problems += found
        if data is None:
            continue
        if not isinstance(data, Located) or not isinstance(data.get("phrases"), Located):
            problems.append(Problem(name, 1, "a keywords file needs 'phrases:' with groups "
                                    f"of phrases under it ({', '.join(GROUPS)})."))  # fmt: skip
            continue
        if data.get("language") != path.stem:
            problems.append(Problem(name, data.line_of("language"), f"language must be "
                                    f"'{path.stem}', the same as the file name."))  # fmt: skip
        seen: dict[str, int] = {}
        for section in ("phrases", "misspellings"):
            groups = data.get(section) or Located()
            if not isinstance(groups, Located):
                continue
            for group, phrases in groups.items():
                line = groups.line_of(group)
                if group not in GROUPS:
                    hint = did_you_mean(group, set(GROUPS)) or f" Use one of: {', '.join(GROUPS)}."
                    problems.append(Problem(name, line, f"the group '{group}' is not known.{hint}"))
                if not isinstance(phrases, LocatedList):
                    problems.append(Problem(name, line, f"'{group}' must be a list of phrases."))
                    continue
                for phrase, at in zip(phrases, phrases.item_lines, strict=True):
                    problems += _phrase_problems(name, at, phrase, seen)
    return problems


def _phrase_problems(name: str, line: int, phrase: object, seen: dict[str, int]) -> list[Problem]:
    if not isinstance(phrase, str) or not normalise(phrase.rstrip("*")):
        return [Problem(name, line, "this phrase is empty. Write the words a child might type.")]
    normal = normalise(phrase.rstrip("*"))
    if normal in seen:
        return [Problem(name, line, f"'{phrase}' is the same as the phrase on line "
                        f"{seen[normal]} once case, accents and repeated letters are "
                        "ignored. Remove one.")]  # fmt: skip
    seen[normal] = line
    if normal in TOO_COMMON:
        return [Problem(name, line, f"'{phrase}' alone is too common: it would interrupt "
                        "children who are not in distress. Use a longer phrase, like "
                        "'help me'.")]  # fmt: skip
    return []
