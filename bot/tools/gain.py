"""How sure a learning gain is: the 95% interval of the change in the share of right
answers from before a story to after it.

The answers before and after are treated as two independent samples (the tallies keep no
child, so they cannot be paired), with Newcombe's hybrid score interval (method 10 in
Newcombe 1998, Statistics in Medicine 17:873-890), which keeps its coverage with few
answers and with shares near 0% or 100%, where the plain normal interval does not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


def wilson(right: int, answered: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for one share."""
    if answered == 0:
        return 0.0, 1.0
    p = right / answered
    centre = (p + z * z / (2 * answered)) / (1 + z * z / answered)
    half = z * math.sqrt(p * (1 - p) / answered + z * z / (4 * answered * answered))
    half /= 1 + z * z / answered
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Gain:
    """After minus before, in shares (0.4 is 40 points), with its 95% interval."""

    change: float
    low: float
    high: float

    @property
    def tells(self) -> bool:
        """Whether the answers are enough to tell a gain (or a loss) from chance."""
        return self.low > 0 or self.high < 0


def gain(before: tuple[int, int], after: tuple[int, int]) -> Gain | None:
    """The gain from (right, answered) before to (right, answered) after."""
    (r1, n1), (r2, n2) = before, after
    if n1 == 0 or n2 == 0:
        return None
    p1, p2 = r1 / n1, r2 / n2
    l1, u1 = wilson(r1, n1)
    l2, u2 = wilson(r2, n2)
    change = p2 - p1
    low = change - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = change + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return Gain(change, low, high)
