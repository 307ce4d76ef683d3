"""Template filters of the ActionCard: phone numbers that never break across lines."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

NBSP = "\u00a0"


@register.filter
def phone(number: str) -> SafeString | str:
    """A clickable phone number whose groups are held together by no-break spaces (and a
    `nowrap` class), so "+45 43 23 60 01" is never split over two lines, in print or on a
    phone."""
    number = " ".join((number or "").split())
    if not number:
        return "–"
    dial = "".join(char for char in number if char.isdigit() or char == "+")
    return format_html('<a class="tel" href="tel:{}">{}</a>', dial, number.replace(" ", NBSP))
