"""The rules that keep a report from pointing at one child, applied before anything is
shown, drawn or written.

- A count of 1 to 4 is shown as "<5"; any other count is rounded to the nearest 5, so
  that no sum, difference or total of shown figures gives back a hidden one.
- A share of right answers is shown only when the right and the wrong answers are each
  none or at least 5 (so "80% of 5" can't reveal one wrong answer), rounded to 5 points.
- Cells of a breakdown under 5 are merged into "other"; when "other" would itself be
  under 5, the next smallest cell joins it (complementary suppression), so a total never
  reveals a hidden cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SMALL = 5
OTHER = "other"


@dataclass(frozen=True)
class Shown:
    """A count as a report may show it: the rounded value, or None for "<5"."""

    value: int | None

    @property
    def text(self) -> str:
        return "<5" if self.value is None else f"{self.value:,}"

    @property
    def drawn(self) -> int:
        """What a bar may be drawn to: a hidden count is drawn as nothing."""
        return self.value or 0


def count(n: int) -> Shown:
    if 0 < n < SMALL:
        return Shown(None)
    return Shown(int(SMALL * round(n / SMALL)))


def share(right: int, answered: int) -> int | None:
    """The share of right answers in whole percent, rounded to 5, or None when too few."""
    wrong = answered - right
    if answered == 0 or 0 < right < SMALL or 0 < wrong < SMALL:
        return None
    return int(SMALL * round(100 * right / answered / SMALL))


def breakdown(cells: Mapping[str, int]) -> list[tuple[str, Shown]]:
    """A breakdown with its small cells merged into "other" (always the last row)."""
    kept = {name: n for name, n in cells.items() if n >= SMALL and name != OTHER}
    other = sum(cells.values()) - sum(kept.values())
    while 0 < other < SMALL and kept:
        smallest = min(kept, key=lambda name: (kept[name], name))
        other += kept.pop(smallest)
    rows = [(name, count(n)) for name, n in sorted(kept.items(), key=lambda x: (-x[1], x[0]))]
    return [*rows, (OTHER, count(other))]
