"""Reading rendered tables in tests."""

from __future__ import annotations

import re

CELL_LABEL = re.compile(r' data-title="[^"]*"')


def without_cell_labels(html: str) -> str:
    """The page without the column labels a stacked table gives each cell on a phone
    (`data-title`), so a test may look for a row's cells as `<td>…</td><td>…</td>`."""
    return CELL_LABEL.sub("", html)
