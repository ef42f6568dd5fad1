"""Distress phrases: typed words that mean a child may need help now.

Text is normalised (case, accents, invisible characters, look-alike digits, repeated
letters) and matched against whole-word phrases for the child's language. The text is
only read here: it is never logged, stored or returned.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.content.yamlfile import Located, LocatedList, read_yaml
from bot.errors import Problem, did_you_mean, shown_path

GROUPS = ("threat", "pressure", "secret", "fear", "self_harm", "abuse")
SECTIONS = ("phrases", "misspellings")
KNOWN_KEYS = ("language", "sources", *SECTIONS)

# Single words too common to mean distress on their own: they turn up in lesson answers
# and everyday chat ("I would ask for help", "photo of my cat", "बेटी बचाओ").
_COMMON_WORDS = (
    "help", "helps", "helping", "please", "pls", "plz", "photo", "photos", "pic", "pics",
    "picture", "pictures", "video", "secret", "scared", "afraid", "sad", "money", "meet",
    "send", "friend", "touch", "hurt", "die", "dead", "kill", "hate", "danger", "sos",
    "ayuda", "ayudar", "foto", "fotos", "secreto", "miedo", "triste", "dinero", "peligro",
    "aide", "aider", "secours", "peur", "argent",
    "ajuda", "ajudar", "medo", "segredo", "dinheiro", "perigo",
    "مساعدة", "ساعد", "صور", "صورة", "سر", "خوف", "خايف", "فلوس", "خطر",
    "tulong", "takot", "pera", "litrato", "sikreto",
    "msaada", "saidia", "picha", "siri", "hofu", "pesa", "hatari",
    "मदद", "बचाओ", "फोटो", "डर", "पैसे", "राज", "खतरा", "madad", "bachao", "dar", "paise",
)  # fmt: skip

# Characters that change nothing a child means, deleted before anything else: invisible
# joiners and marks (often inserted to dodge filters), and apostrophes, so that "don't",
# "don’t" and "dont" are one word. (A phrase written with an apostrophe also matches the
# word split in two, "don t", "j ai": see Phrase.)
_APOSTROPHES = "'\u2018\u2019\u201b\u02bc`\u00b4\u2032"
_DELETED = re.compile(
    "[\u200b-\u200f\u2060\ufeff\u00ad\u061c\u180e\u202a-\u202e\u2066-\u2069"
    f"\ufe00-\ufe0f\U000e0100-\U000e01ef{_APOSTROPHES}]+"
)
_SPLIT_AT_APOSTROPHES = str.maketrans(dict.fromkeys(_APOSTROPHES, " "))
# Accents on Latin letters, once NFKD has split them off ("é" -> "e" + U+0301). Marks in
# other scripts carry meaning (Devanagari vowel signs) and are kept.
_LATIN_ACCENTS = re.compile(
    "(?<=[a-z\u00df-\u024f\u1e00-\u1eff])"
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
# Arabic: vowel marks (tashkeel) and the stretching tatweel go; the spellings children
# mix freely are folded (hamza forms of alef, teh marbuta, alef maqsura).
_ARABIC = {
    **dict.fromkeys([*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), 0x0640]),
    **dict.fromkeys(map(ord, "أإآٱ"), "ا"),
    ord("ة"): "ه",
    ord("ى"): "ي",
}
# Devanagari: the nukta dot and the candrabindu are often left out or swapped when typing
# ("ज़" / "ज", "हूँ" / "हूं").
_DEVANAGARI = {0x093C: None, 0x0901: "\u0902"}
# Digits and signs that stand for letters inside a word ("n00dz", "h3lp", "k1ll").
_LOOK_ALIKE = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "$": "s"})
# A number with its unit or ordinal is a number, not leetspeak: "3rd", "10pm", "12yo".
_NUMBER_WITH_UNIT = re.compile(
    r"\d+(?:st|nd|rd|th|am|pm|yo|y|yr|yrs|k|kg|km|kms|cm|mm|m|h|hr|hrs|min|mins|s|x|gb|mb"
    r"|p|e|er|eme|o|a)"
)
# A letter typed twice or more becomes one, in the text and in the phrases alike:
# "heeelp", "helpp" and "help" are all "help". Folding only runs of three would turn
# "killl" into "kil" but leave "kill" as it is, and miss it.
_REPEATS = re.compile(r"([^\W\d_])\1+")
_ASCII_REPEATS = re.compile(r"([a-z])\1+")  # the same for plain ASCII, several times faster
_DIGITS_OR_SIGNS = re.compile(r"[\d@$]")


class _Characters(dict[int, str | None]):
    """What each character becomes in a token, worked out once per character."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        kept: str | None
        if code in _ARABIC:
            kept = _ARABIC[code]
        elif code in _DEVANAGARI:
            kept = _DEVANAGARI[code]
        elif char in "@$" or unicodedata.category(char)[0] in "LMN":
            kept = char  # letters, their marks (vowel signs are marks) and digits
        else:
            kept = " "  # punctuation, symbols, emoji, spaces: word breaks
        self[code] = kept
        return kept


_CHARACTERS = _Characters()
_ASCII_CHARACTERS = {code: _CHARACTERS[code] for code in range(128)}


def normalise(text: str) -> str:
    """Case, accents, invisible characters, look-alike digits and repeated letters folded;
    words separated by single spaces."""
    text = unicodedata.normalize("NFKC", _DELETED.sub("", text)).casefold()
    if text.isascii():
        text = text.translate(_ASCII_CHARACTERS)
    else:
        text = _LATIN_ACCENTS.sub("", unicodedata.normalize("NFKD", text))
        text = unicodedata.normalize("NFC", text).translate(_CHARACTERS)
    if _DIGITS_OR_SIGNS.search(text):
        text = " ".join(filter(None, map(_look_alike, text.split())))
    # a run of one letter never spans two words, so the whole text is folded at once
    repeats = _ASCII_REPEATS if text.isascii() else _REPEATS
    return " ".join(repeats.sub(r"\1", text).split())


def _look_alike(word: str) -> str:
    if not any(ch.isalpha() for ch in word):
        return word.replace("@", "").replace("$", "")  # a number stays as it was typed
    if _NUMBER_WITH_UNIT.fullmatch(word):
        return word
    return word.translate(_LOOK_ALIKE)


TOO_COMMON = frozenset(map(normalise, _COMMON_WORDS))


@dataclass(frozen=True)
class Phrase:
    """One phrase as it is matched: its normalised words, and whether the last word is
    only the start of a word ("blackmail*"). A phrase written with an apostrophe also
    matches its words split there, as children type them too: "j'ai peur" matches
    "jai peur", "j’ai peur" and "j ai peur"."""

    words: tuple[str, ...]
    prefix: bool
    group: str
    split: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str, group: str) -> Phrase:
        text = text.strip()
        bare = text.removesuffix("*")
        words = tuple(normalise(bare).split())
        split = tuple(normalise(bare.translate(_SPLIT_AT_APOSTROPHES)).split())
        return cls(words, text.endswith("*"), group, split if split != words else ())

    def found_in(self, words: tuple[str, ...]) -> bool:
        """Whether this phrase matches somewhere in these words (used to spot phrases
        that another phrase already covers)."""
        size = len(self.words)
        for start in range(len(words) - size + 1):
            window = words[start : start + size]
            if window[:-1] == self.words[:-1] and _word_matches(self, window[-1]):
                return True
        return False


def _word_matches(phrase: Phrase, word: str) -> bool:
    last = phrase.words[-1]
    return word.startswith(last) if phrase.prefix else word == last


@dataclass
class _Node:
    """One word of the phrase tree: the phrases that end here and the words that follow."""

    group: str | None = None
    next: dict[str, _Node] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)  # word start -> group
    starts: tuple[str, ...] = ()  # the same word starts, for one quick str.startswith


@dataclass(frozen=True)
class DistressPhrases:
    """The phrases of one language, built once into a tree of words."""

    language: str
    phrases: tuple[Phrase, ...]
    _root: _Node = field(repr=False, compare=False)

    @classmethod
    def build(cls, language: str, groups: dict[str, list[str]]) -> DistressPhrases:
        phrases = tuple(
            phrase
            for group, texts in groups.items()
            for phrase in (Phrase.parse(text, group) for text in texts)
            if phrase.words
        )
        root = _Node()
        for phrase in phrases:
            for words in filter(None, (phrase.words, phrase.split)):
                node = root
                for word in words[:-1]:
                    node = node.next.setdefault(word, _Node())
                if phrase.prefix:
                    node.prefixes.setdefault(words[-1], phrase.group)
                    node.starts = tuple(node.prefixes)
                else:
                    node = node.next.setdefault(words[-1], _Node())
                    node.group = node.group or phrase.group
        return cls(language, phrases, root)

    def match(self, text: str) -> str | None:
        """The group of the first phrase found in the text, or None."""
        words = normalise(text).split()
        root = self._root
        for start in range(len(words)):
            node = root
            for word in itertools.islice(words, start, None):
                if node.starts and word.startswith(node.starts):
                    return next(g for s, g in node.prefixes.items() if word.startswith(s))
                found = node.next.get(word)
                if found is None:
                    break
                if found.group is not None:
                    return found.group
                node = found
        return None


def _groups(data: Located) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for section in SECTIONS:
        sections = data.get(section)
        if not isinstance(sections, dict):
            continue
        for group, phrases in sections.items():
            if isinstance(phrases, list):
                groups.setdefault(group, []).extend(p for p in phrases if isinstance(p, str))
    return groups


def read_keywords(paths: Iterable[Path]) -> tuple[dict[str, DistressPhrases], list[Problem]]:
    """The chosen phrase files (one per language) -> each language's phrases, keyed by locale
    ('en', 'pt_BR' ...), and every problem. A file with an error is not used, and its error
    stops start-up like a broken dialog does. Which lists a child is matched with, English
    included, is `phrases_for`."""
    found: dict[str, DistressPhrases] = {}
    problems: list[Problem] = []
    for path in paths:
        file_problems = _check_file(path)
        problems += file_problems
        if any(p.severity == "error" for p in file_problems):
            continue
        data, _ = read_yaml(path)
        if isinstance(data, Located):
            found[path.stem] = DistressPhrases.build(path.stem, _groups(data))
    return found, problems


# -- checking the files ---------------------------------------------------------------

_NEEDS_PHRASES = (
    f"a keywords file needs 'phrases:' with groups of phrases under it ({', '.join(GROUPS)})."
)
_PATTERN_SIGNS = re.compile(r"[\\()\[\]{}|^]|\.\*|\*(?!\s*$)")
_SHORTEST_PREFIX = 4


def _check_file(path: Path) -> list[Problem]:
    name = shown_path(path)
    data, problems = read_yaml(path, name)
    if data is None:
        return problems
    if not isinstance(data, Located):
        return [*problems, Problem(name, 1, _NEEDS_PHRASES)]
    for key in data:
        if key not in KNOWN_KEYS:
            hint = did_you_mean(key, set(KNOWN_KEYS)) or f" Use {', '.join(KNOWN_KEYS)}."
            problems.append(Problem(name, data.line_of(key), f"'{key}' is not known.{hint}"))
    if not isinstance(data.get("phrases"), Located):
        return [*problems, Problem(name, data.line_of("phrases"), _NEEDS_PHRASES)]
    if "language" not in data:
        problems.append(
            Problem(name, data.line, f"there is no 'language:'. Add 'language: {path.stem}'.")
        )
    elif data["language"] != path.stem:
        problems.append(
            Problem(
                name,
                data.line_of("language"),
                f"language must be '{path.stem}', the same as the file name.",
            )
        )
    problems += _check_sources(name, data)
    phrases: list[tuple[Phrase, str, int]] = []
    for section in SECTIONS:
        groups = data.get(section)
        if groups is None:
            continue
        if not isinstance(groups, Located):
            problems.append(
                Problem(name, data.line_of(section), f"'{section}' must hold groups of phrases.")
            )
            continue
        for group, items in groups.items():
            line = groups.line_of(group)
            if group not in GROUPS:
                hint = did_you_mean(group, set(GROUPS)) or f" Use one of: {', '.join(GROUPS)}."
                problems.append(Problem(name, line, f"the group '{group}' is not known.{hint}"))
            if not isinstance(items, LocatedList):
                problems.append(Problem(name, line, f"'{group}' must be a list of phrases."))
                continue
            for item, at in zip(items, items.item_lines, strict=True):
                problem = _phrase_problem(name, at, item)
                if problem:
                    problems.append(problem)
                else:
                    phrases.append((Phrase.parse(item, group), item, at))
    return problems + _overlaps(name, phrases)


def _check_sources(name: str, data: Located) -> list[Problem]:
    sources = data.get("sources")
    if not sources:
        return [
            Problem(
                name,
                data.line,
                "there are no 'sources:'. List the pages (https) the phrases come from.",
                "warning",
            )
        ]
    if not isinstance(sources, LocatedList):
        return [Problem(name, data.line_of("sources"), "'sources' must be a list of links.")]
    return [
        Problem(name, at, f"'{source}' is not a secure link. Write it as https://...")
        for source, at in zip(sources, sources.item_lines, strict=True)
        if not (isinstance(source, str) and source.startswith("https://"))
    ]


def _phrase_problem(name: str, line: int, item: object) -> Problem | None:
    if not isinstance(item, str) or not normalise(item.strip().removesuffix("*")):
        return Problem(name, line, "this phrase is empty. Write the words a child might type.")
    if _PATTERN_SIGNS.search(item):
        return Problem(
            name,
            line,
            f"'{item}' looks like a pattern. Write plain words; only a * at the very end "
            "is allowed, to match the start of a word ('blackmail*').",
        )
    phrase = Phrase.parse(item, "")
    if not phrase.prefix and len(phrase.words) == 1 and phrase.words[0] in TOO_COMMON:
        return Problem(
            name,
            line,
            f"'{item}' alone is too common: it would interrupt children who are not in "
            "distress. Use a longer phrase, like 'help me'.",
        )
    if phrase.prefix and len(phrase.words) == 1 and len(phrase.words[0]) < _SHORTEST_PREFIX:
        return Problem(
            name,
            line,
            f"'{item}' is too short to end with *: it would match many everyday words. "
            "Write more of the word.",
        )
    return None


def _overlaps(name: str, phrases: Iterable[tuple[Phrase, str, int]]) -> list[Problem]:
    """Phrases that are the same once normalised, or that a shorter phrase already covers."""
    problems: list[Problem] = []
    listed = list(phrases)
    first: dict[tuple[tuple[str, ...], bool], int] = {}
    for phrase, text, line in listed:
        key = (phrase.words, phrase.prefix)
        if phrase.split and (phrase.split, phrase.prefix) in first:
            key = (phrase.split, phrase.prefix)
        if key in first:
            problems.append(
                Problem(
                    name,
                    line,
                    f"'{text}' is the same as the phrase on line {first[key]} once case, "
                    "accents and repeated letters are ignored. Remove one.",
                )
            )
            continue
        first[key] = line
        if phrase.split:
            first[(phrase.split, phrase.prefix)] = line
        for other, other_text, other_line in listed:
            if other is phrase or (other.words, other.prefix) == key:
                continue
            # a prefix phrase's last word is only a beginning: it is covered by a phrase
            # that stops before it, or by a shorter beginning of the same word
            covered = (
                other.found_in(phrase.words[:-1])
                or (other.words[:-1] == phrase.words[-len(other.words) : -1]
                    and other.prefix and phrase.words[-1].startswith(other.words[-1]))
                if phrase.prefix
                else other.found_in(phrase.words)
            )  # fmt: skip
            if covered:
                problems.append(
                    Problem(
                        name,
                        line,
                        f"'{text}' is already matched by '{other_text}' on line {other_line}. "
                        "Remove it, or make the shorter phrase longer.",
                        "warning",
                    )
                )
                break
    return problems


def phrases_for(
    keywords: Mapping[str, DistressPhrases], *languages: str | None
) -> tuple[DistressPhrases, ...]:
    """The phrase lists to try for a child, in order: each of their languages ('es-MX',
    'pt_BR', 'fil'; the same language of another country when that is all there is), then
    English, which is also the only list for a language without a file."""
    by_tag = {code.replace("_", "-").lower(): code for code in keywords}
    found: dict[str, None] = {}
    for language in languages:
        if not language:
            continue
        tag = language.replace("_", "-").lower()
        base = tag.split("-")[0]
        code = by_tag.get(tag) or by_tag.get(base)
        code = code or next((c for t, c in by_tag.items() if t.split("-")[0] == base), None)
        if code:
            found[code] = None
    found.setdefault("en", None)
    return tuple(keywords[code] for code in found if code in keywords)
