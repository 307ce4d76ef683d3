"""One concern per rendered form: finding the concern a form already made.

Every rendered concern form carries a token (`Concern.submission_token`): the same form sent
twice (a double click, a retry on a flaky connection) finds the first concern by it. Back +
Send is harder: the form page is personal (`no-store`), so Back asks the server for it again
and gets a new token, while the browser puts back what the user typed. So a form sent again
with the same text, in the same category, by the same author, within `RESEND_WINDOW`, about the
same young person, group or place (or with the subject not restored, as the lookup's result is
not), is the same concern sent again. A deliberate second concern about another child differs
in its subject and is kept.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import cpr
from cases.models import Concern
from ssp.models import User

RESEND_WINDOW = timedelta(minutes=30)


def concern_submitted_with(*, author: User, submission_token: uuid.UUID | None) -> Concern | None:
    """The author's concern made from the rendered form with this token, if any."""
    if submission_token is None:
        return None
    return Concern.objects.filter(submission_token=submission_token, author=author).first()


@dataclass(frozen=True)
class SentForm:
    """What a sent concern form says, read before the form is checked (it may be incomplete:
    the browser restores typed text, not what the lookup fetched)."""

    submission_token: uuid.UUID | None
    description: str
    category_id: str
    young_person_id: str = ""
    full_name: str = ""
    cpr_number: str = ""
    subject_description: str = ""

    def same_subject(self, concern: Concern) -> bool:
        given = (self.young_person_id, self.full_name.strip(), self.subject_description.strip())
        if not any(given):
            return True
        return (
            (bool(given[0]) and given[0] == str(concern.young_person_id or ""))
            or (bool(given[1]) and self._same_typed_child(concern))
            or (bool(given[2]) and given[2] == concern.subject_description)
        )

    def _same_typed_child(self, concern: Concern) -> bool:
        if self.full_name.strip() != concern.reported_name:
            return False
        if not self.cpr_number.strip():
            return True
        try:
            digits = cpr.normalise(self.cpr_number)
        except ValidationError:
            return False
        return cpr.lookup_hash(digits) == concern.reported_cpr_hash


def concern_already_sent(*, author: User, form: SentForm) -> Concern | None:
    """The concern this form already made: by its token, or sent again after Back."""
    by_token = concern_submitted_with(author=author, submission_token=form.submission_token)
    if by_token is not None:
        return by_token
    text = form.description.strip()
    if not text or not form.category_id.isdigit():
        return None
    recent = Concern.objects.filter(
        author=author,
        submitted_at__gte=timezone.now() - RESEND_WINDOW,
        category_id=int(form.category_id),
        description=text,
    ).order_by("-submitted_at")[:5]
    return next((concern for concern in recent if form.same_subject(concern)), None)
