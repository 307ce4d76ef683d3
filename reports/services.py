"""Writes of the reports app that are not part of the samarbejdsplan (`cooperation.py`)."""

from __future__ import annotations

from datetime import date

from forum.models import Municipality
from reports.models import StatusCommentary
from ssp.models import User


def status_commentary_save(
    *, municipality: Municipality, start: date, end: date, text: str, user: User
) -> StatusCommentary:
    """Keep the consultant's commentary for the yearly status of the period."""
    commentary, _created = StatusCommentary.objects.update_or_create(
        municipality=municipality,
        period_start=start,
        period_end=end,
        defaults={"text": text.strip(), "updated_by": user},
    )
    return commentary


def status_commentary_text(*, municipality: Municipality, start: date, end: date) -> str:
    """The commentary kept for the period, or "" when none was written."""
    commentary = StatusCommentary.objects.filter(
        municipality=municipality, period_start=start, period_end=end
    ).first()
    return commentary.text if commentary is not None else ""
