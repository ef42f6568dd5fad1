"""How much a message is like the distress lines children wrote, rather than the ordinary ones.

The phrase lists hear what their rules say, and children say most things in ways no rule
foresaw. A message no rule hears is also scored against the evaluation's development lines
of its language (benchmarks/train_likeness.py learns one weight per piece of a word, from
those lines and, counting less, the other languages' ones): its words, pairs of words, and
the three to five letter pieces of each word, so that "pastillas" and "pastiyas" count
alike. A message that scores above its language's threshold is heard. A second set of
weights, learned from the distress lines alone, says whether it is most like the lines about
suicide and self-harm: then it is answered as those are, with the crisis line; otherwise as
a plain cry for help, the gentlest answer, which hands the child to people without saying
what happened to them. The suicide threshold leans towards the crisis answer: it keeps nine
in ten of the suicide lines, since a child who may be thinking of suicide must not miss the
crisis line. For the same reason, a message just below the threshold that is very like the
suicide lines is heard too, and answered as they are.

Nothing here is hidden: the weights are a text file, and `explain` names the words of a
message that weighed most. The text is only read: it is never logged, stored or returned
with a finding.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

PIECES = (3, 4, 5)  # the lengths of the pieces of a word, spaces at both ends included
# how far below its threshold a message scores when it is far more like the ordinary lines:
# on lines written after the lists were tuned (rounds 29 to 55 against the lists and weights
# of round 28, rounds 45 to 55 against those of round 44), a plain cry for help that a rule
# heard this far below, by the message's own words, was a false alarm 15 and 13 times and a
# disclosure never; no development line is (benchmarks/README.md)
FAR = 4.0
# what else a rule hears that may be set aside, and how much farther below: a rule of grooming,
# image pressure or sextortion heard this much farther below, by the message's own words, was
# a false alarm 32 times of 87 (rounds 45 to 55 against round 44) and 54 of 223 (rounds 29 to
# 55 against round 28), and a disclosure never; the nearest disclosure ("um adulto me deu robux
# e agr cobra") scored 0.29 above FAR, the nearest of sextortion 1.07 (benchmarks/README.md)
FARTHER = 0.5
# how far below its threshold a message may score and still be heard, when it is at least
# SURE above the threshold of the lines about suicide and self-harm: then a child who may be
# thinking of suicide, in words no rule foresaw ("gave my switch to my cousin, wont need it
# after friday"), gets the crisis line. On lines written after the lists were tuned, this
# heard 16 more disclosures for no false alarm (rounds 45 to 55 against round 44), 38 for 9
# of 7,062 ordinary lines (rounds 29 to 55 against round 28), and 5 of the 39 lines of
# round 57 that nothing else heard, for none (benchmarks/README.md)
NEAR = 1.0
SURE = 2.0


def features(tokens: list[str]) -> list[set[str]]:
    """The features of each word of a folded message: the word, the word with the next one,
    and the pieces of the word."""
    found: list[set[str]] = []
    for n, word in enumerate(tokens):
        own = {"w:" + word}
        if n + 1 < len(tokens):
            own.add("b:" + word + " " + tokens[n + 1])
        padded = f" {word} "
        for size in PIECES:
            own.update("c:" + padded[i : i + size] for i in range(len(padded) - size + 1))
        found.append(own)
    return found


def vector(tokens: list[str]) -> dict[str, float]:
    """Every feature of the message once, each weighing the same, all together of length 1."""
    every = set().union(*features(tokens))
    return dict.fromkeys(every, _each(every))


def _each(every: set[str]) -> float:
    """What one feature weighs in a message with these features: all together of length 1."""
    return 1 / math.sqrt(len(every)) if every else 0.0


def _score(tokens: list[str], weights: Mapping[str, float], bias: float) -> float:
    every = set().union(*features(tokens))
    return bias + _each(every) * sum(weights.get(f, 0.0) for f in every)


@dataclass(frozen=True)
class Likeness:
    """One language's weights, and the score above which a message is heard."""

    language: str
    where: str  # the file, as shown to people
    weights: Mapping[str, float]
    bias: float
    threshold: float
    lines: str  # sha256 of the development lines it was learned from
    # of the lines heard, how much one is like those about suicide rather than the others
    suicide_weights: Mapping[str, float] = field(default_factory=dict)
    suicide_bias: float = 0.0
    suicide_threshold: float = math.inf

    def score(self, tokens: list[str]) -> float:
        return _score(tokens, self.weights, self.bias)

    def heard(self, tokens: list[str]) -> bool:
        return bool(tokens) and self.score(tokens) > self.threshold

    def far_from_distress(self, tokens: list[str], farther: float = 0.0) -> bool:
        """Whether a message is far more like the ordinary lines than the distress ones: far
        below the threshold (`farther` still), and by its own words, not only for want of
        words the weights know (a message in words never seen scores the bias, below the
        threshold)."""
        if not tokens:
            return False
        score = self.score(tokens)
        return score < self.far_below - farther and score < self.bias - farther

    @property
    def far_below(self) -> float:
        """The score under which a message is far more like the ordinary lines."""
        return self.threshold - FAR

    def nearly_heard_about_suicide(self, tokens: list[str]) -> bool:
        """Whether a message just below the threshold is very like the lines about suicide
        and self-harm, so that it is heard and answered as those are."""
        return (
            bool(tokens)
            and self.score(tokens) > self.threshold - NEAR
            and self.suicide_score(tokens) >= self.suicide_threshold + SURE
        )

    def suicide_score(self, tokens: list[str]) -> float:
        return _score(tokens, self.suicide_weights, self.suicide_bias)

    def about_suicide(self, tokens: list[str]) -> bool:
        """Whether a message heard is most like the lines about suicide and self-harm."""
        return bool(tokens) and self.suicide_score(tokens) >= self.suicide_threshold

    def explain(self, tokens: list[str], most: int = 3) -> list[tuple[str, float]]:
        """The words that weighed most towards distress, each with its part of the score."""
        by_word = features(tokens)
        each = _each(set().union(*by_word))
        weighed: dict[str, float] = {}
        counted: set[str] = set()
        for word, own in zip(tokens, by_word, strict=True):
            fresh = own - counted  # a piece met in an earlier word counts once
            counted |= own
            part = each * sum(self.weights.get(f, 0.0) for f in fresh)
            weighed[word] = weighed.get(word, 0.0) + part
        ranked = sorted(weighed.items(), key=lambda item: -item[1])
        return [(word, round(part, 2)) for word, part in ranked[:most] if part > 0]
