"""ssp/escaping.py gives what Django's escaping gives, without its look for lazy arguments."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import html as django_html
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from ssp import escaping

lazy_safe = lazy(lambda: mark_safe("<b>fed</b>"), SafeString)

VALUES = [
    "Bo & <Ida> \"Ø\" 'x'",
    "",
    "{braces} stay",
    mark_safe("<a href='/'>kept</a>"),
    SafeString("&amp; already"),
    gettext_lazy("Sag"),
    lazy_safe(),
    42,
    None,
    datetime.date(2026, 12, 6),
]


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (escaping.conditional_escape, django_html.conditional_escape),
        (escaping.escape, django_html.escape),
    ],
    ids=["conditional_escape", "escape"],
)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_each_equals_djangos(ours: Callable, theirs: Callable, value: object) -> None:
    with override("da"):
        escaped = ours(value)
        assert str(escaped) == str(theirs(value))
    assert isinstance(escaped, SafeString)


def test_safe_markup_is_kept_and_the_rest_escaped() -> None:
    assert escaping.conditional_escape(mark_safe("<i>x</i>")) == "<i>x</i>"
    assert escaping.conditional_escape("<i>x</i>") == "&lt;i&gt;x&lt;/i&gt;"
    assert escaping.escape(mark_safe("<i>x</i>")) == "&lt;i&gt;x&lt;/i&gt;"


def test_a_lazy_text_is_translated_in_the_active_language() -> None:
    text = gettext_lazy("Sag")
    with override("en"):
        english = escaping.conditional_escape(text)
    with override("da"):
        danish = escaping.conditional_escape(text)
    assert (danish, english) == ("Sag", "Case")
