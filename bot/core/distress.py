"""Hearing a child who types: which kind of distress a message discloses, if any, and why.

Each language's rules (bot.content.keywords) are indexed once: every word a rule uses,
its start when it ends in *, and, for longer words, every spelling one typo away. A
message is folded (bot.content.phrases), each of its words looked up once, and only the
rules whose words all occur are tried in full. What decided is returned with the finding:
the rule, its file and line, so that a safeguarding lead can see why.

The text is only read here: it is never logged, stored or returned. Single words, cut
from any message, are remembered in memory with the rule words they count as, to be
looked up faster; they never leave the process and are gone when it stops.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from bot.content.keywords import (
    CATEGORIES,
    MAX_GAP,
    Category,
    PhraseList,
    Rule,
    Word,
)
from bot.content.likeness import FARTHER, Likeness
from bot.content.model import HelpTopic
from bot.content.phrases import normalise

LIKE = "like the distress lines children wrote"  # the rule of a finding no phrase made
NEARLY = "nearly as like the distress lines, and very like those about suicide and self-harm"
LIKENESS = (LIKE, NEARLY)  # the rules of what the likeness heard

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

# the kinds a rule may hear in a message far from the distress lines and be set aside, and
# how much farther below it must score; never suicide, violence or sexual abuse, whose
# disclosures on later lines were lost so (benchmarks/README.md)
SET_ASIDE_BELOW: dict[Category, float] = {
    "cry_for_help": 0.0,
    "sextortion": FARTHER,
    "image_pressure": FARTHER,
    "grooming_secrecy": FARTHER,
    "grooming_gifts": FARTHER,
    "grooming_meeting": FARTHER,
}


@dataclass(frozen=True)
class Finding:
    """What a message disclosed, and the rule that heard it."""

    category: Category
    language: str
    rule: str
    where: str  # file:line


@dataclass(frozen=True)
class Heard:
    """What a message disclosed, if anything; and what a rule heard in a message far more
    like the ordinary lines than the distress ones, set aside."""

    finding: Finding | None
    set_aside: Finding | None = None


class _Compiled:
    """A rule ready to try: each slot as the set of its words' numbers."""

    __slots__ = ("gaps", "order", "rule", "slots", "unless", "whole")

    def __init__(self, rule: Rule, order: int, number: Mapping[Word, int]) -> None:
        self.rule, self.order = rule, order
        self.slots = tuple(
            tuple(frozenset(number[w] for w in slot.words) for slot in part.slots)
            for part in rule.parts
        )
        self.gaps = tuple(part.gaps for part in rule.parts)
        self.whole = rule.whole
        self.unless = tuple(
            (tuple(frozenset(number[w] for w in slot.words) for slot in part.slots), part.gaps)
            for part in rule.unless
        )

    def anchor(self) -> frozenset[int]:
        """The slot with the fewest words: a message must hold one of them."""
        return min((slot for part in self.slots for slot in part), key=len)

    def possible(self, present: set[int]) -> bool:
        return all(not slot.isdisjoint(present) for part in self.slots for slot in part)

    def matches(self, seen: list[frozenset[int]]) -> bool:
        """Each part somewhere in the message, in any order, and none of the parts written
        after " - "; a whole rule is the message."""
        if self.whole:
            slots = self.slots[0]
            found = len(seen) == len(slots) and all(
                not slot.isdisjoint(word) for slot, word in zip(slots, seen, strict=True)
            )
        else:
            found = all(
                _anywhere(slots, gaps, seen)
                for slots, gaps in zip(self.slots, self.gaps, strict=True)
            )
        return found and not any(_anywhere(slots, gaps, seen) for slots, gaps in self.unless)


WORDS = 20_000  # message words remembered per language, with the rule words each counts as


class _Index:
    """One language's rules, ready to be tried against a message. Every rule word gets a
    number; each rule is filed under the words of its rarest slot, so a message tries only
    the rules one of whose words it holds."""

    def __init__(self, phrases: PhraseList) -> None:
        self.phrases = phrases
        rules = (*phrases.rules, *phrases.guards)
        words = sorted(
            {w for rule in rules for w in _words(rule)}, key=lambda w: (w.text, w.prefix)
        )
        self.word_list = words
        number = {word: n for n, word in enumerate(words)}
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.starts: dict[str, set[int]] = defaultdict(set)
        self.typos: dict[str, set[int]] = defaultdict(set)  # a spelling with one letter less
        self.start_typos: dict[str, set[int]] = defaultdict(set)  # the same, of word starts
        self.lengths: set[int] = set()
        self.typo_lengths: set[int] = set()
        self.not_typos = phrases.not_typos
        for word, n in number.items():
            if word.prefix:
                self.starts[word.text].add(n)
                self.lengths.add(len(word.text))
            else:
                self.exact[word.text].add(n)
            if word.fuzzy:
                typos = self.start_typos if word.prefix else self.typos
                for variant in (word.text, *_deletions(word.text)):
                    typos[variant].add(n)
                if word.prefix:
                    self.typo_lengths.add(len(word.text))
        # the shortest message word that can be one typo from a whole rule word
        self.shortest_typo = min((len(v) for v in self.typos), default=1) - 1
        order = {category: n for n, category in enumerate(CATEGORIES)}
        self.rules = [
            _Compiled(rule, order[rule.category] * 100_000 + n, number)
            for n, rule in enumerate(phrases.rules)
        ]
        self.guards = [_Compiled(g, order[g.category], number) for g in phrases.guards]
        self.rules_by_word = self._file(self.rules)
        self.guards_by_word = self._file(self.guards)
        # children write the same few hundred words again and again ("i", "he", "pics"):
        # each is looked up once, typos and all, while it stays among the last WORDS seen
        self.words_of = functools.lru_cache(maxsize=WORDS)(self._words_of)

    @staticmethod
    def _file(rules: list[_Compiled]) -> dict[int, list[_Compiled]]:
        filed: dict[int, list[_Compiled]] = defaultdict(list)
        for compiled in rules:
            for n in compiled.anchor():
                filed[n].append(compiled)
        return filed

    def _words_of(self, token: str) -> frozenset[int]:
        """The rule words this word of the message counts as."""
        found = set(self.exact.get(token, ()))
        for length in self.lengths:
            if len(token) >= length:
                found |= self.starts.get(token[:length], set())
        if token in self.not_typos:  # "couette" is a duvet, not a misspelt "fouette"
            return frozenset(found)
        candidates: set[int] = set()
        if len(token) >= self.shortest_typo:  # one letter from a long word is long itself
            for variant in (token, *_deletions(token)):
                candidates |= self.typos.get(variant, set())
        for length in self.typo_lengths:  # a word start typed with one typo
            if length > len(token) + 1:
                continue
            for cut in {token[: length - 1], token[:length], token[: length + 1]}:
                for variant in (cut, *_deletions(cut)):
                    candidates |= self.start_typos.get(variant, set())
        for n in candidates - found:
            if _one_typo(self.word_list[n], token):
                found.add(n)
        return frozenset(found)

    def hear(self, tokens: list[str], also: Sequence[_Index] = ()) -> Rule | None:
        """The first rule, in order of concern, that the message matches. A category is
        not heard where this list's guards, or those of the lists in `also`, say why not."""
        seen, present = self.read(tokens)
        tried = {id(c): c for n in present for c in self.rules_by_word.get(n, ())}
        candidates = sorted(
            (c for c in tried.values() if c.possible(present)), key=lambda c: c.order
        )
        guarded: dict[Category, bool] = {}
        for compiled in candidates:
            category = compiled.rule.category
            if category not in guarded:  # "in fortnite": this category's rules do not count
                guarded[category] = self.guarded(category, seen, present) or any(
                    other.guards_against(category, tokens) for other in also
                )
            if not guarded[category] and compiled.matches(seen):
                return compiled.rule
        return None

    def read(self, tokens: list[str]) -> tuple[list[frozenset[int]], set[int]]:
        """The rule words each word of the message counts as, and all of them together."""
        seen = [self.words_of(token) for token in tokens]
        return seen, set().union(*seen) if seen else set()

    def guards_against(self, category: Category, tokens: list[str]) -> bool:
        """Whether one of this list's guards for the category matches the message."""
        return self.guarded(category, *self.read(tokens))

    def guarded(self, category: Category, seen: list[frozenset[int]], present: set[int]) -> bool:
        """Whether one of this list's guards for the category matches the message."""
        return any(
            g.rule.category == category and g.possible(present) and g.matches(seen)
            for n in present
            for g in self.guards_by_word.get(n, ())
        )


class Hearing:
    """Every language's rules, tried in the order a child may write."""

    def __init__(
        self, keywords: Mapping[str, PhraseList], likeness: Mapping[str, Likeness] | None = None
    ) -> None:
        self.indexes = {language: _Index(phrases) for language, phrases in keywords.items()}
        self.likeness = dict(likeness or {})

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
        lists hear, the most concerning kind decides.

        A plain cry for help is the kind a rule most often hears in a message that is not
        one: its words are the vaguest ("scared", "help", "ayuda"), and "can the police
        help?" or "scared of the dentist" hold them. When a rule hears only that, in a
        message far more like the ordinary lines than the distress ones
        (bot.content.likeness), it is set aside, and the child gets the warm reply that
        names their helpline. So is grooming, image pressure or sextortion, farther below
        still ("my teacher keeps our class group secret from the parents"). Never suicide,
        violence or sexual abuse, nor a whole-message rule ("help" alone)."""
        return self.listen(text, *languages).finding

    def listen(self, text: str, *languages: str | None) -> Heard:
        """What `hear` decides, with the plain cry for help it set aside, if any."""
        tokens = normalise(text).split()
        tried = self.languages(*languages)
        own = [self.indexes[code] for code in tried if code != "en"]
        found: list[tuple[Finding, Rule]] = []
        for language in tried:
            # English heard on a French message is guarded by the French guards too:
            # "dissertation sur le personnage qui se suicide" is homework in any list
            rule = self.indexes[language].hear(tokens, own if language == "en" else ())
            if rule is not None:
                found.append((Finding(rule.category, language, rule.text, rule.where), rule))
        if not found:
            return Heard(self.like_distress(tokens, tried))
        finding, rule = min(found, key=lambda f: CATEGORIES.index(f[0].category))
        likeness = self.likeness_for(tried)
        farther = SET_ASIDE_BELOW.get(finding.category)
        if (
            farther is not None
            and not rule.whole  # "help" alone, "sos": the child said only that
            and likeness is not None
            and likeness.far_from_distress(tokens, farther)
        ):
            return Heard(None, set_aside=finding)
        return Heard(finding)

    def like_distress(self, tokens: list[str], tried: list[str]) -> Finding | None:
        """What no rule heard, but is much like the distress lines of the child's language
        (bot.content.likeness): answered as suicide and self-harm are when it is most like
        those lines, otherwise as a plain cry for help; just below the threshold, heard when
        very like the suicide lines, and answered as those are. Unless a guard of that
        category or of a cry for help says why not ("help me understand the question"), as
        for any rule."""
        likeness = self.likeness_for(tried)
        if likeness is None:
            return None
        category: Category = "suicide"
        if likeness.heard(tokens):
            rule = LIKE
            category = "suicide" if likeness.about_suicide(tokens) else "cry_for_help"
        elif likeness.nearly_heard_about_suicide(tokens):
            rule = NEARLY
        else:
            return None
        for guarded in {category, "cry_for_help"}:
            if any(self.indexes[code].guards_against(guarded, tokens) for code in tried):
                return None
        return Finding(category, likeness.language, rule, likeness.where)

    def likeness_for(self, tried: list[str]) -> Likeness | None:
        """The weights of the child's first language that has them (each also learned
        from the English lines)."""
        return next((self.likeness[code] for code in tried if code in self.likeness), None)


def _words(rule: Rule) -> Iterable[Word]:
    for part in (*rule.parts, *rule.unless):
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


def _anywhere(
    slots: tuple[frozenset[int], ...], gaps: tuple[bool, ...], seen: list[frozenset[int]]
) -> bool:
    """Whether the part's words come, in order, from some word of the message on."""
    return any(_part_at(slots, gaps, seen, 0, start) for start in range(len(seen)))


def _part_at(
    slots: tuple[frozenset[int], ...],
    gaps: tuple[bool, ...],
    seen: list[frozenset[int]],
    slot: int,
    at: int,
) -> bool:
    """Whether the part's slots from `slot` on match the message's words from `at` on."""
    if slot == len(slots):
        return True
    if at >= len(seen) or slots[slot].isdisjoint(seen[at]):
        return False
    if slot + 1 == len(slots):
        return True
    reach = MAX_GAP + 1 if gaps[slot] else 1
    return any(
        _part_at(slots, gaps, seen, slot + 1, at + step)
        for step in range(1, reach + 1)
        if at + step < len(seen)
    )
