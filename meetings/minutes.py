"""Minutes as sanitised rich text, and the minutes PDF.

Minutes are typed as plain text (paragraphs and line breaks) or with a few tags: bold,
italic, lists. Whatever arrives is cleaned with nh3 before it is stored, so the pages can show
it as HTML and no script or attribute survives. The PDF is rendered by WeasyPrint from the
same redacted agenda the reader sees on the page, with every network fetch refused.
"""

from __future__ import annotations

import re

import nh3
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from meetings import selectors
from meetings.models import Meeting
from ssp.models import User

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li"}
# Text with any of these is taken as HTML; anything else as plain text.
BLOCK_MARKUP = re.compile(r"<(p|br|ul|ol)\b", re.IGNORECASE)


def clean(text: str) -> str:
    """Safe HTML for minutes typed as plain text or with the allowed tags."""
    text = text.strip()
    if not text:
        return ""
    if not BLOCK_MARKUP.search(text):
        # Plain text (perhaps with a stray "<"): paragraphs from blank lines, all escaped.
        text = linebreaks(escape(text))
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes={}, link_rel=None).strip()


class NetworkFetchRefused(Exception):
    pass


def _refuse_network(url: str, *args: object, **kwargs: object) -> dict:
    """WeasyPrint's URL fetcher: the minutes PDF needs nothing from outside, so nothing is
    fetched (no tracking pixel or internal URL in user text can reach the network)."""
    raise NetworkFetchRefused(url)


class _NoNetworkFetcher(URLFetcher):
    """`_refuse_network` in the shape WeasyPrint 70 expects: it reads `_fail_on_errors` from
    the fetcher when a fetch fails, so a plain function crashed the rendering with an
    AttributeError instead of skipping the resource with a warning."""

    def fetch(self, url: str, headers: object = None) -> dict:
        return _refuse_network(url)


def minutes_pdf(meeting: Meeting, user: User) -> bytes:
    """The minutes as the user may read them: case items they may not see stay redacted."""
    html = render_to_string(
        "meetings/minutes_pdf.html",
        {
            "meeting": meeting,
            "agenda": selectors.agenda(meeting, user),
            "participants": selectors.participants(meeting),
            "printed_at": timezone.now(),
            "LANGUAGE_CODE": translation.get_language(),
        },
    )
    return HTML(string=html, url_fetcher=_NoNetworkFetcher()).write_pdf()
