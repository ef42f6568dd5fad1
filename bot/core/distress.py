"""Hearing a child who types: which kind of distress a message discloses, if any, and why.

Each language's rules (bot.content.keywords) are indexed once: every word a rule uses,
its start when it ends in *, and, for longer words, every spelling one typo away. A
message is folded (bot.content.phrases), each of its words looked up once, and only the
rules whose words all occur are tried in full. What decided is returned with the finding:
the rule, its file and line, so that a safeguarding lead can see why.

The text is only read here: it is never logged, stored or returned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from bot.content.keywords import (
    CATEGORIES,
    MAX_GAP,
    Category,
    Part,
    PhraseList,
    Rule,
    Word,
)
from bot.content.model import HelpTopic
from bot.content.phrases import normalise

# the help each kind of distress needs first
HELP_FOR: dict[Category, HelpTopic] = {
    "suicide": "crisis",
    "sextortion": "sextortion",
    "image_pressure": "images",
    "grooming_secrecy": "general",
    "grooming_gifts": "general",
    "grooming_meeting": "danger",
    "sexual_abuse": "danger",
    "violence": "danger",
    "cry_for_help": "general",
}


@dataclass(frozen=True)
class Finding:
    """What a message disclosed, and the rule that heard it."""

    category: Category
    language: str
    rule: str
    where: str  # file:line


class _Index:
    """One language's rules, ready to be tried against a message."""

    def __init__(self, phrases: PhraseList) -> None:
        self.phrases = phrases
        self.exact: dict[str, set[Word]] = defaultdict(set)
        self.starts: dict[str, set[Word]] = defaultdict(set)
        self.typos: dict[str, set[Word]] = defaultdict(set)  # a spelling with one letter less
        self.start_typos: dict[str, set[Word]] = defaultdict(set)  # the same, of word starts
        self.lengths: set[int] = set()
        self.typo_lengths: set[int] = set()
        rules = (*phrases.rules, *phrases.guards)
        for word in {w for rule in rules for w in _words(rule)}:
            if word.prefix:
                self.starts[word.text].add(word)
                self.lengths.add(len(word.text))
            else:
                self.exact[word.text].add(word)
            if word.fuzzy:
                typos = self.start_typos if word.prefix else self.typos
                for variant in (word.text, *_deletions(word.text)):
                    typos[variant].add(word)
                if word.prefix:
                    self.typo_lengths.add(len(word.text))
        self.by_category: dict[Category, list[Rule]] = defaultdict(list)
        for rule in phrases.rules:
            self.by_category[rule.category].append(rule)
        self.guards: dict[Category, list[Rule]] = defaultdict(list)
        for guard in phrases.guards:
            self.guards[guard.category].append(guard)

    def words_of(self, token: str) -> set[Word]:
        """The rule words this word of the message counts as."""
        found = set(self.exact.get(token, ()))
        for length in self.lengths:
            if len(token) >= length:
                found |= self.starts.get(token[:length], set())
        candidates: set[Word] = set()
        for variant in (token, *_deletions(token)):
            candidates |= self.typos.get(variant, set())
        for length in self.typo_lengths:  # a word start typed with one typo
            for cut in {token[: length - 1], token[:length], token[: length + 1]}:
                for variant in (cut, *_deletions(cut)):
                    candidates |= self.start_typos.get(variant, set())
        for word in candidates - found:
            if _one_typo(word, token):
                found.add(word)
        return found

    def hear(self, tokens: list[str]) -> Rule | None:
        """The first rule, in order of concern, that the message matches."""
        seen = [self.words_of(token) for token in tokens]
        present = set().union(*seen) if seen else set()
        for category in CATEGORIES:
            rules = [r for r in self.by_category.get(category, ()) if _possible(r, present)]
            if not rules:
                continue
            if any(_matches(g, seen) for g in self.guards.get(category, ())):
                continue  # "in fortnite": these rules do not count here
            for rule in rules:
                if _matches(rule, seen):
                    return rule
        return None


class Hearing:
    """Every language's rules, tried in the order a child may write."""

    def __init__(self, keywords: Mapping[str, PhraseList]) -> None:
        self.indexes = {language: _Index(phrases) for language, phrases in keywords.items()}

    def languages(self, *hints: str | None) -> list[str]:
        """The lists to try, in order: each of the child's languages ('es-MX', 'pt_BR',
        'fil'; the same language of another country when that is all there is), then
        English, which is also the only list for a language without a file."""
        by_tag = {code.replace("_", "-").lower(): code for code in self.indexes}
        found: dict[str, None] = {}
        for hint in hints:
            if not hint:
                continue
            tag = hint.replace("_", "-").lower()
            base = tag.split("-")[0]
            code = by_tag.get(tag) or by_tag.get(base)
            code = code or next((c for t, c in by_tag.items() if t.split("-")[0] == base), None)
            if code:
                found[code] = None
        found.setdefault("en", None)
        return [code for code in found if code in self.indexes]

    def hear(self, text: str, *languages: str | None) -> Finding | None:
        """The child's chosen language, the language of their app, then English: a child
        may write in their own language even when the lessons are in another. Of what the
        lists hear, the most concerning kind decides."""
        tokens = normalise(text).split()
        found = []
        for language in self.languages(*languages):
            rule = self.indexes[language].hear(tokens)
            if rule is not None:
                found.append(Finding(rule.category, language, rule.text, rule.where))
        if not found:
            return None
        return min(found, key=lambda f: CATEGORIES.index(f.category))


def _words(rule: Rule) -> Iterable[Word]:
    for part in rule.parts:
        for slot in part.slots:
            yield from slot.words


def _deletions(text: str) -> list[str]:
    return [text[:i] + text[i + 1 :] for i in range(len(text))]


def _one_typo(word: Word, token: str) -> bool:
    """A letter missing, added, changed or two swapped, in a word long enough to know it."""
    if word.prefix:
        return any(
            OSA.distance(token[:n], word.text, score_cutoff=1) <= 1
            for n in (len(word.text) - 1, len(word.text), len(word.text) + 1)
            if n <= len(token)
        )
    return len(token) >= len(word.text) - 1 and OSA.distance(token, word.text, score_cutoff=1) <= 1


def _possible(rule: Rule, present: set[Word]) -> bool:
    """Every slot of the rule has some word in the message: worth trying in full."""
    return all(
        any(word in present for word in slot.words) for part in rule.parts for slot in part.slots
    )


def _matches(rule: Rule, seen: list[set[Word]]) -> bool:
    """Each part somewhere in the message, in any order."""
    return all(
        any(_part_at(part, seen, 0, start) for start in range(len(seen))) for part in rule.parts
    )


def _part_at(part: Part, seen: list[set[Word]], slot: int, at: int) -> bool:
    """Whether the part's slots from `slot` on match the message's words from `at` on."""
    if slot == len(part.slots):
        return True
    if at >= len(seen) or not any(word in seen[at] for word in part.slots[slot].words):
        return False
    if slot + 1 == len(part.slots):
        return True
    reach = MAX_GAP + 1 if part.gaps[slot] else 1
    return any(
        _part_at(part, seen, slot + 1, at + step)
        for step in range(1, reach + 1)
        if at + step < len(seen)
    )
