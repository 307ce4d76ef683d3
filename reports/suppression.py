"""Small numbers are never shown, so no young person can be recognised in a figure.

Primary suppression: a count from 1 to 4 is shown as "<5". A zero is shown: it tells nothing
about anyone. Secondary suppression: when a breakdown shows its total (or its parts can be
added up to a total shown elsewhere) and exactly one part is suppressed, that part could be
worked out by subtraction, so the next smallest part is suppressed too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
SUPPRESSED = "<5"


@dataclass(frozen=True)
class Cell:
    """One figure as it may be shown: a count (`value`, None when suppressed), or a figure
    that is no count of anyone, such as a median or a yes/no (`text`)."""

    value: int | None
    text: str = ""

    @property
    def display(self) -> str:
        if self.text:
            return self.text
        return SUPPRESSED if self.value is None else str(self.value)

    @property
    def suppressed(self) -> bool:
        return self.value is None and not self.text


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def cell(count: int) -> Cell:
    """A figure standing on its own (no total to subtract it from)."""
    return Cell(None if is_small(count) else count)


def breakdown(counts: Sequence[int]) -> list[Cell]:
    """The parts of a total, with primary and secondary suppression."""
    hidden = {index for index, count in enumerate(counts) if is_small(count)}
    if len(hidden) == 1:
        candidates = [
            (count, index)
            for index, count in enumerate(counts)
            if index not in hidden and count > 0
        ]
        if candidates:
            hidden.add(min(candidates)[1])
    return [Cell(None if index in hidden else count) for index, count in enumerate(counts)]
