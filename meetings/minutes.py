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

from meetings import selectors
from meetings.models import AgendaItem, Meeting
from ssp.models import User
from ssp.pdf import render_pdf

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li"}
# Text with any allowed tag is taken as HTML; anything else as plain text.
MARKUP = re.compile(rf"</?({'|'.join(sorted(ALLOWED_TAGS))})\b", re.IGNORECASE)
BLOCK_MARKUP = re.compile(r"<(p|ul|ol)\b", re.IGNORECASE)


def clean(text: str) -> str:
    """Safe HTML for minutes typed as plain text or with the allowed tags."""
    text = text.strip()
    if not text:
        return ""
    if not MARKUP.search(text):
        # Plain text (perhaps with a stray "<"): paragraphs from blank lines, all escaped.
        text = linebreaks(escape(text))
    elif not BLOCK_MARKUP.search(text):
        # Bold or italic within lines of text: the lines still make paragraphs.
        text = linebreaks(text)
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes={}, link_rel=None).strip()


def minutes_pdf(meeting: Meeting, user: User, *, agenda: list[AgendaItem] | None = None) -> bytes:
    """The minutes as the user may read them: case items they may not see stay redacted.
    `agenda` is `selectors.agenda(meeting, user)` if the caller already has it."""
    html = render_to_string(
        "meetings/minutes_pdf.html",
        {
            "meeting": meeting,
            "agenda": selectors.agenda(meeting, user) if agenda is None else agenda,
            "participants": selectors.participants(meeting),
            "printed_at": timezone.now(),
            "LANGUAGE_CODE": translation.get_language(),
        },
    )
    return render_pdf(html)
