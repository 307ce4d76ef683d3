"""Fixtures shared by the statistics tests: the hand-counted data set, with the clock stopped
at the moment its figures were worked out for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from tests.reports.tally import NOW, Tally, tally_create


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def tally(frozen: None) -> Tally:
    return tally_create()
