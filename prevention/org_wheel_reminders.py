"""Reminders of the year wheel: a municipality's SSP consultants are told when an item of
the rhythm (`prevention.rhythm`) falls within `YEAR_WHEEL_REMINDER_DAYS` and is not ready,
and again at the start of each month an item is chased (school teams still without a plan
after September).

Each reminder is one row of the core's reminder table (`ssp.notify.reminders`): its kind is
the item's (`yw_<key>`), its object the municipality, and its due time the deadline it is
about (the morning N days before the item's month, or the first morning of a chase month).
The table's unique key makes it one reminder per item, consultant and deadline however many
mornings the daily source runs (`ssp.tasks.schedule_reminders`, beat "schedule-reminders");
the dispatcher sends it through the mail outbox. The email says only which item is not ready
and links to the board: the items name bodies and counts, never a young person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum.models import Affiliation, Municipality
from prevention.org_wheel import BoardLine, readiness_board
from prevention.rhythm import RHYTHM, item_by_key, month_end
from ssp.models import Reminder
from ssp.notify.reminders import (
    Due,
    Line,
    absolute,
    daily_source_register,
    morning_of,
    reminder_kind_register,
)

MUNICIPALITY_TYPE = "forum.municipality"


def reminder_day(line: BoardLine, today: date) -> date | None:
    """The deadline a not-ready line is reminded of on `today`, or None outside its window:
    from N days before the item's month until the month ends, and in a chase month from its
    first day."""
    if today > month_end(line.due.year, line.due.month):
        chase_month = date(today.year, today.month, 1)
        return chase_month if line.item.chase_months else None
    first = line.due - timedelta(days=settings.YEAR_WHEEL_REMINDER_DAYS)
    return first if first <= today else None


def consultants_by_municipality() -> dict[int, list[int]]:
    consultants: dict[int, list[int]] = defaultdict(list)
    for municipality_id, user_id in Affiliation.objects.filter(
        is_ssp_consultant=True, user__is_active=True
    ).values_list("municipality_id", "user_id"):
        consultants[municipality_id].append(user_id)
    return consultants


def org_wheel_reminders(today: date) -> Iterator[Due]:
    """Every morning: for each municipality with consultants, its board's lines that are
    not ready and inside their reminder window (a bounded number of queries per
    municipality, `readiness_board`)."""
    consultants = consultants_by_municipality()
    for municipality in Municipality.objects.filter(pk__in=list(consultants)).order_by("pk"):
        wanted = set()
        for line in readiness_board(municipality, today):
            if line.ready or not line.item.remind:
                continue
            day = reminder_day(line, today)
            if day is not None:
                wanted.add((line.item.reminder_kind, day))
        for kind, day in sorted(wanted):
            for user_id in consultants[municipality.pk]:
                yield Due(kind, MUNICIPALITY_TYPE, municipality.pk, user_id, morning_of(day))


def _line(reminder: Reminder, municipality: Municipality) -> Line | None:
    """What is still not ready of the reminder's item when it is sent; nothing when it has
    been made ready meanwhile."""
    item = item_by_key(reminder.kind.removeprefix("yw_"))
    if item is None:
        return None
    lines = [
        line
        for line in readiness_board(municipality, timezone.localdate())
        if line.item.key == item.key and not line.ready
    ]
    if not lines:
        return None
    text = _("Årshjulet i %(municipality)s: %(lines)s") % {
        "municipality": municipality.name,
        "lines": " ".join(line.text for line in lines),
    }
    return Line(text, absolute(reverse("prevention:readiness", args=[municipality.pk])))


def _municipalities(pks: Iterable[int]) -> Iterable[Any]:
    return Municipality.objects.filter(pk__in=pks)


def register() -> None:
    """Called from PreventionConfig.ready."""
    for item in RHYTHM:
        if not item.remind:
            continue
        reminder_kind_register(
            item.reminder_kind,
            label=format_lazy("{}: {}", gettext_lazy("Årshjulet"), item.label),
            object_type=MUNICIPALITY_TYPE,
            load=_municipalities,
            line=_line,
        )
    daily_source_register(org_wheel_reminders)
