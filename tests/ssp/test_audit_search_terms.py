"""The access log keeps a search term as typed, except a CPR number, which it keeps as its
birth-date part and `-XXXX` (`ssp.audit.mask_search_term`, documented in docs/security.md)."""

from __future__ import annotations

import pytest

from ssp.audit import SEARCH_TERM_MAX_LENGTH, mask_search_term


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Mikkel", "Mikkel"),
        ("  Mikkel Eksempelsen ", "Mikkel Eksempelsen"),
        ("0102104123", "010210-XXXX"),
        ("010210-4123", "010210-XXXX"),
        ("010210 - 4123", "010210-XXXX"),
        ("Mikkel 010210-4123 i klubben", "Mikkel 010210-XXXX i klubben"),
        ("010210-4123 og 020311-1234", "010210-XXXX og 020311-XXXX"),
        # Begun: the birth date, a dash and the first digits of the rest.
        ("010210-41", "010210-XXXX"),
        # A birth date, a case number or a longer number is no CPR number.
        ("010210", "010210"),
        ("4", "4"),
        ("01.02.2010", "01.02.2010"),
        ("123456789012", "123456789012"),
    ],
)
def test_a_search_term_is_kept_as_typed_except_a_cpr_number(typed: str, kept: str) -> None:
    assert mask_search_term(typed) == kept


def test_a_long_search_term_is_cut_to_the_column_after_masking() -> None:
    term = "x" * (SEARCH_TERM_MAX_LENGTH - 5) + " 0102104123"

    kept = mask_search_term(term)

    assert len(kept) == SEARCH_TERM_MAX_LENGTH
    assert "4123" not in kept
