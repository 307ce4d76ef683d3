"""The ActionCard's reminder: every March, the chairs and coordinators of each SSP forum and
the municipality's administrators are asked to review the ActionCard before the forum meets
in April. Registered with the core's reminder machinery (`ssp.notify.reminders`) from
ActioncardConfig.ready, like the meetings' and the cases' kinds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum.models import Body, BodyKind
from forum.selectors import lead_users
from meetings.reminders import BODY_TYPE
from ssp.models import Reminder, User
from ssp.notify.reminders import (
    Due,
    Line,
    absolute,
    daily_source_register,
    morning_of,
    reminder_kind_register,
)


class ActionCardReminderKind(models.TextChoices):
    # The stored value is the one the meetings app used when this reminder lived there:
    # rows already planned keep being sent.
    REVIEW = "actioncard_cycle", gettext_lazy("Gennemgå SSP-ActionCard")


def _review_reminders(today: date) -> Iterator[Due]:
    if today.month != 3:
        return
    forums = Body.objects.filter(kind=BodyKind.SSP_FORUM)
    due_at = morning_of(date(today.year, 3, 1))
    admins = defaultdict(list)
    for municipality_id, user_id in User.objects.filter(
        is_active=True, affiliations__is_administrator=True
    ).values_list("affiliations__municipality_id", "pk"):
        admins[municipality_id].append(user_id)
    leads = lead_users(forums)
    for forum in forums:
        for user_id in {*leads.get(forum.pk, []), *admins.get(forum.municipality_id, [])}:
            yield Due(ActionCardReminderKind.REVIEW, BODY_TYPE, forum.pk, user_id, due_at)


def _review_line(reminder: Reminder, body: Body) -> Line | None:
    text = _("Gennemgå kommunens SSP-ActionCard, før %(body)s mødes i april.") % {"body": body.name}
    return Line(text, absolute(reverse("meetings:body_meetings", args=[body.pk])))


def _bodies(pks: Iterable[int]) -> Iterable[Any]:
    return Body.objects.filter(pk__in=pks)


def register() -> None:
    """Called from ActioncardConfig.ready."""
    reminder_kind_register(
        ActionCardReminderKind.REVIEW,
        label=ActionCardReminderKind.REVIEW.label,
        object_type=BODY_TYPE,
        load=_bodies,
        line=_review_line,
    )
    daily_source_register(_review_reminders)
