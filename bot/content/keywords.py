"""Distress phrase files (content/keywords/<language>.yaml): rules a safeguarding lead can
read, checked as they are read, every mistake with its line and a hint.

A rule is words a child may type, as written, after case, accents, apostrophes,
repeated letters and look-alike digits are folded (bot.content.phrases):

    want to die                 the words in this order, next to each other
    took ... pills              up to four words may come between
    pay + @pic                  both parts anywhere, in any order
    blackmail*                  a word that starts this way (blackmailing, blackmailed)
    @pic                        any word of the group `pic` in `words:`
    = sos                       the whole message is these words, nothing else ("SOS 😭")
    fortnite - @carer           fortnite, unless a word of @carer is in the message too

Words of six letters or more also match with one typo ("myslef", "blackmaling"), except
the words of the group `not_typos`, which are words of their own: in French "couette" (a
duvet) is never "fouette" (whips).
A guard names words that, where they appear, mean a category's rules do not count
(a fight "in fortnite" is a game, not violence). What follows " - " says when a rule or
guard does not apply: "fortnite - @carer" guards a game, but not "my dad hit me because i
lost at fortnite".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from bot.content.phrases import SPLIT_AT_APOSTROPHES, normalise
from bot.content.yamlfile import Located, LocatedList, read_yaml
from bot.errors import Problem, did_you_mean, shown_path

Category = Literal[
    "suicide",
    "sextortion",
    "image_pressure",
    "grooming_secrecy",
    "grooming_gifts",
    "grooming_meeting",
    "sexual_abuse",
    "violence",
    "cry_for_help",
]
# also the order of concern when a message matches several: the first decides the answer
CATEGORIES: tuple[Category, ...] = (
    "suicide",
    "violence",
    "sexual_abuse",
    "sextortion",
    "grooming_meeting",
    "image_pressure",
    "grooming_secrecy",
    "grooming_gifts",
    "cry_for_help",
)
KNOWN_KEYS = ("language", "sources", "words", "categories", "guards")
GAP = "..."  # words between
WITHOUT = "-"  # "game - @carer": the rule holds unless what follows is in the message too
WHOLE = "= "  # the message is these words and nothing else
ANY_ORDER = "+"
MAX_GAP = 4  # words that may come between two words of a rule written with "..."
SHORTEST_PREFIX = 4
FUZZY_FROM = 6  # letters: a word this long also matches with one typo
NOT_TYPOS = "not_typos"  # the group of words that are never read as a typo of a rule word
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
    "помоги", "помогите", "страшно", "фото", "деньги", "секрет", "допоможи", "гроші",
    "کمک", "عکس", "ترس", "پول", "tolong", "takut", "uang", "rahasia",
)  # fmt: skip
TOO_COMMON = frozenset(normalise(w) for w in _COMMON_WORDS)


@cache
def _word(token: str) -> Word | None:
    """A word of a rule as written ('blackmail*'), or None where it is not one word. The
    same words recur in thousands of rules, so each is made once. Only words of the
    shipped and overlay files pass here, never what a child typed."""
    prefix = token.endswith("*")
    text = normalise(token.removesuffix("*"))
    if "*" in token.removesuffix("*") or " " in text or not text:
        return None
    return Word(text, prefix)


@dataclass(frozen=True)
class Word:
    """One word of a rule: the whole word, or its start (`prefix`)."""

    text: str
    prefix: bool = False

    @property
    def fuzzy(self) -> bool:
        return len(self.text) >= FUZZY_FROM


@dataclass(frozen=True)
class Slot:
    """One place in a rule: a word, or any word of a group."""

    words: tuple[Word, ...]


@dataclass(frozen=True)
class Part:
    """Words in order; `gaps[i]` says whether other words may come after slot i."""

    slots: tuple[Slot, ...]
    gaps: tuple[bool, ...]


@dataclass(frozen=True)
class Rule:
    """One line of a phrase file, and where it was written."""

    category: Category
    parts: tuple[Part, ...]
    text: str
    where: str  # file:line, for the person who asks why a message matched
    whole: bool = False  # the message must be these words alone
    unless: tuple[Part, ...] = ()  # written after " - ": any of them in the message, no match


@dataclass(frozen=True)
class PhraseList:
    """The rules and guards of one language."""

    language: str
    rules: tuple[Rule, ...]
    guards: tuple[Rule, ...] = ()
    words: Mapping[str, tuple[Word, ...]] = field(default_factory=dict)

    @property
    def not_typos(self) -> frozenset[str]:
        """Words a child types that mean themselves, never one typo from a rule word."""
        return frozenset(w.text for w in self.words.get(NOT_TYPOS, ()))


def read_keywords(paths: Iterable[Path]) -> tuple[dict[str, PhraseList], list[Problem]]:
    """The chosen phrase files (one per language) -> each language's rules, keyed by locale
    ('en', 'pt_BR' ...), and every problem. A file with an error is not used, and its error
    stops start-up as a broken dialog does."""
    found: dict[str, PhraseList] = {}
    problems: list[Problem] = []
    for path in paths:
        reader = _FileReader(path)
        phrases = reader.read()
        problems += reader.problems
        if phrases is not None and not any(p.severity == "error" for p in reader.problems):
            found[path.stem] = phrases
    return found, problems


class _FileReader:
    """Reads one phrase file, noting every problem instead of stopping at the first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = shown_path(path)
        self.problems: list[Problem] = []
        self.groups: dict[str, tuple[Word, ...]] = {}

    def problem(self, line: int, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.name, line, message, severity))  # type: ignore[arg-type]

    def read(self) -> PhraseList | None:
        data, self.problems = read_yaml(self.path, self.name)
        if data is None:
            return None
        for key in data if isinstance(data, Located) else ():
            if key not in KNOWN_KEYS:
                hint = did_you_mean(key, set(KNOWN_KEYS)) or f" Use {', '.join(KNOWN_KEYS)}."
                self.problem(data.line_of(key), f"'{key}' is not known.{hint}")
        if not isinstance(data, Located) or not isinstance(data.get("categories"), Located):
            where = data.line_of("categories") if isinstance(data, Located) else 1
            self.problem(
                where,
                "a phrase file needs 'categories:' with the rules of each category under it "
                f"({', '.join(CATEGORIES)}).",
            )
            return None
        self.language(data)
        self.sources(data)
        self.read_groups(data)
        rules = self.rules(data["categories"], "categories")
        guards = self.rules(data.get("guards"), "guards") if "guards" in data else []
        self.duplicates(rules)
        return PhraseList(self.path.stem, tuple(rules), tuple(guards), dict(self.groups))

    def language(self, data: Located) -> None:
        stem = self.path.stem
        if "language" not in data:
            self.problem(data.line, f"there is no 'language:'. Add 'language: {stem}'.")
        elif data["language"] != stem:
            self.problem(
                data.line_of("language"),
                f"language must be '{stem}', the same as the file name.",
            )

    def sources(self, data: Located) -> None:
        sources = data.get("sources")
        if not sources:
            self.problem(
                data.line,
                "there are no 'sources:'. List the pages (https) the phrases come from.",
                "warning",
            )
        elif not isinstance(sources, LocatedList):
            self.problem(data.line_of("sources"), "'sources' must be a list of links.")
        else:
            for source, at in zip(sources, sources.item_lines, strict=True):
                if not (isinstance(source, str) and source.startswith("https://")):
                    self.problem(at, f"'{source}' is not a secure link. Write it as https://...")

    def read_groups(self, data: Located) -> None:
        raw = data.get("words")
        if raw is None:
            return
        if not isinstance(raw, Located):
            self.problem(data.line_of("words"), "'words' holds named groups: 'pic: [pic*, ...]'.")
            return
        for name, items in raw.items():
            line = raw.line_of(name)
            if not isinstance(items, LocatedList) or not items:
                self.problem(line, f"the group '{name}' must be a list of words.")
                continue
            words = [self.word(str(item), at) for item, at in zip(items, items.item_lines,
                                                                   strict=True)]  # fmt: skip
            self.groups[name] = tuple(w for w in words if w is not None)

    def rules(self, raw: object, section: str) -> list[Rule]:
        found: list[Rule] = []
        if not isinstance(raw, Located):
            return found
        for category, items in raw.items():
            line = raw.line_of(category)
            if category not in CATEGORIES:
                hint = did_you_mean(category, set(CATEGORIES)) or (
                    f" Use one of: {', '.join(CATEGORIES)}."
                )
                self.problem(line, f"the category '{category}' is not known.{hint}")
                continue
            if not isinstance(items, LocatedList):
                self.problem(line, f"'{category}' under {section} must be a list of rules.")
                continue
            for item, at in zip(items, items.item_lines, strict=True):
                found += self.rule(item, at, category, section == "guards")
        return found

    def rule(self, item: object, line: int, category: Category, guard: bool) -> list[Rule]:
        """A rule; a rule written with an apostrophe also matches its words split there, as
        children type them too ("j'ai peur": "jai peur", "j ai peur")."""
        if not isinstance(item, str) or not item.strip():
            self.problem(line, "this rule is empty. Write the words a child might type.")
            return []
        split = item.translate(SPLIT_AT_APOSTROPHES)
        if split == item or normalise(split) == normalise(item):
            found = [self.one_rule(item, item, line, category, guard)]
        else:
            found = [self.one_rule(w, item, line, category, guard) for w in _spellings(item, split)]
        return [rule for rule in found if rule is not None]

    def one_rule(
        self, written: str, item: str, line: int, category: Category, guard: bool
    ) -> Rule | None:
        written = written.strip()
        if written.startswith(WHOLE.strip()):
            return self.whole_rule(written, item, line, category, guard)
        written, *without = written.split(f" {WITHOUT} ")
        unless = []
        for raw in without:
            part = self.part(raw, line, item)
            if part is None:
                return None
            unless.append(part)
        parts = []
        for raw in written.split(f" {ANY_ORDER} "):
            part = self.part(raw, line, item)
            if part is None:
                return None
            parts.append(part)
        single = [w for p in parts for slot in p.slots for w in slot.words]
        if len(single) == 1 and single[0].prefix and len(single[0].text) < SHORTEST_PREFIX:
            self.problem(
                line,
                f"'{item}' is too short to end with *: it would match many everyday words. "
                "Write more of the word.",
            )
            return None
        if not guard and len(single) == 1 and not single[0].prefix and single[0].text in TOO_COMMON:
            self.problem(
                line,
                f"'{item}' alone is too common: it would interrupt children who are not "
                "in distress. Use a longer phrase, like 'help me'.",
            )
            return None
        return Rule(
            category, tuple(parts), item.strip(), f"{self.name}:{line}", unless=tuple(unless)
        )

    def whole_rule(
        self, written: str, item: str, line: int, category: Category, guard: bool
    ) -> Rule | None:
        """'= sos': a word too common to count inside a sentence ("I would ask for help")
        means distress when it is all the child wrote ("help!!!", "SOS 😭")."""
        raw = written.removeprefix(WHOLE.strip()).strip()
        if (
            guard
            or GAP in raw.split()
            or f" {ANY_ORDER} " in f" {raw} "
            or f" {WITHOUT} " in f" {raw} "
            or not raw
        ):
            self.problem(
                line,
                f"'{item}': '=' is followed by the whole message, in plain words, without "
                "'...', '+' or ' - ', and only under categories.",
            )
            return None
        part = self.part(raw, line, item)
        if part is None:
            return None
        return Rule(category, (part,), item.strip(), f"{self.name}:{line}", whole=True)

    def part(self, raw: str, line: int, item: str) -> Part | None:
        tokens = raw.split()
        if not tokens or tokens[0] == GAP or tokens[-1] == GAP:
            self.problem(line, f"'{item}': '...' goes between words, never first or last.")
            return None
        slots: list[Slot] = []
        gaps: list[bool] = []
        for token in tokens:
            if token == GAP:
                if not slots or gaps[-1]:
                    self.problem(line, f"'{item}': write '...' once between two words.")
                    return None
                gaps[-1] = True
                continue
            slot = self.slot(token, line, item)
            if slot is None:
                return None
            slots.append(slot)
            gaps.append(False)
        return Part(tuple(slots), tuple(gaps))

    def slot(self, token: str, line: int, item: str) -> Slot | None:
        if token.startswith("@"):
            group = self.groups.get(token[1:])
            if group is None:
                hint = did_you_mean(token[1:], set(self.groups))
                self.problem(line, f"'{item}': there is no group '{token}' under words.{hint}")
                return None
            return Slot(group)
        word = self.word(token, line)
        return Slot((word,)) if word is not None else None

    def word(self, token: str, line: int) -> Word | None:
        word = _word(token)
        if word is None:
            self.problem(
                line,
                f"'{token}' is not a word a child types. Write plain words; only a * at the "
                "very end is allowed, to match the start of a word ('blackmail*').",
            )
        return word

    def duplicates(self, rules: list[Rule]) -> None:
        """The same rule twice, once normalised, is a mistake (the second never decides)."""
        first: dict[tuple[tuple[Part, ...], bool, tuple[Part, ...]], int] = {}
        told: set[int] = set()
        for rule in rules:
            line = int(rule.where.rsplit(":", 1)[1])
            earlier = first.setdefault((rule.parts, rule.whole, rule.unless), line)
            if earlier != line and line not in told:
                told.add(line)
                self.problem(
                    line,
                    f"'{rule.text}' is the same as the rule on line {earlier} once case, "
                    "accents and repeated letters are ignored. Remove one.",
                )


def _spellings(item: str, split: str) -> list[str]:
    """A rule with an apostrophe as children type it: joined ("cest") and split ("c est").
    Its words are tried both ways, and each way stands aside for every spelling of its
    unless-clauses, however the child typed them."""
    main, *unless = item.split(f" {WITHOUT} ")
    split_main, *split_unless = split.split(f" {WITHOUT} ")
    every = unless + [u for u, joined in zip(split_unless, unless, strict=False) if u != joined]
    mains = [main] if split_main == main else [main, split_main]
    return [f" {WITHOUT} ".join([m, *every]) for m in mains]
