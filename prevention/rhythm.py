"""The SSP organisation's yearly rhythm, declared once as data: what each kind of body is
expected to do in which month (the SSP-Følgegruppe's January approval, the SSP-Forum and the
ActionCard in April, the school teams' September planning, the weekly §115 group, the
Lokalråd's meetings).

The year wheel places these expected items next to the bodies' actual meetings and
activities, the readiness board asks of each whether it is ready, and the reminders chase
those that are not (`prevention.org_wheel`, `prevention.org_wheel_reminders`). A
municipality's own rhythm would later be a second table of the same shape.

How an item is checked is named by `check`: the prevention app answers the meeting-based and
plan-based checks itself; a check of something kept by an app above it (the ActionCard) is
registered by that app from its `AppConfig.ready` (`readiness_check_register`), since
`prevention` may not import it (import-linter). An item whose check nobody registered is left
off the wheel and the board rather than shown as "not ready".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.models import BodyKind

if TYPE_CHECKING:
    from forum.models import Municipality

ALL_MONTHS = tuple(range(1, 13))


class Check(models.TextChoices):
    """How the prevention app itself tells whether an item is ready."""

    # A planned meeting of the body in the item's month.
    MEETING = "meeting", _("Mødet er booket")
    # Every school team of the municipality has a year plan for the school year.
    SCHOOL_YEAR_PLANS = "school_year_plans", _("Skoleteams har planlagt")
    # Meetings booked in each of the next four weeks.
    WEEKLY_MEETINGS = "weekly_meetings", _("Ugentlige møder booket")


class State(models.TextChoices):
    READY = "ready", _("Klar")
    STARTED = "started", _("I gang")
    MISSING = "missing", _("Ikke klar")


@dataclass(frozen=True)
class RhythmItem:
    """One expected item of the year. `key` is stable (stored in reminders as `yw_<key>`, so
    at most 17 characters); `months` are the months it falls in; `chase_months` are the
    months after it in which a still-unready item is reminded of again (the school teams'
    plans after September: no autumn reminder existed)."""

    key: str
    body_kind: str
    label: Any  # a lazy translation
    months: tuple[int, ...]
    check: str
    # One line for all bodies of the kind ("12 af 14 skoleteams"), not one per body.
    aggregate: bool = False
    weekly: bool = False
    remind: bool = True
    chase_months: tuple[int, ...] = ()

    @property
    def reminder_kind(self) -> str:
        return f"yw_{self.key}"


RHYTHM: tuple[RhythmItem, ...] = (
    RhythmItem(
        key="foelgen_january",
        body_kind=BodyKind.FOELGEGRUPPE,
        label=_("Januarmøde: Undervisnings- og Aktivitetsplanen godkendes"),
        months=(1,),
        check=Check.MEETING,
    ),
    RhythmItem(
        key="lokalraad_spring",
        body_kind=BodyKind.LOKALRAAD,
        label=_("Lokalrådets forårsmøde"),
        months=(3,),
        check=Check.MEETING,
    ),
    RhythmItem(
        key="forum_april",
        body_kind=BodyKind.SSP_FORUM,
        label=_("Årets SSP-Forum"),
        months=(4,),
        check=Check.MEETING,
    ),
    RhythmItem(
        key="actioncard",
        body_kind=BodyKind.SSP_FORUM,
        label=_("SSP-ActionCard udgives"),
        months=(4,),
        check="actioncard",
    ),
    RhythmItem(
        key="school_september",
        body_kind=BodyKind.SCHOOL_TEAM,
        label=_("Septembermøde: skoleteamets plan for skoleåret"),
        months=(9,),
        check=Check.SCHOOL_YEAR_PLANS,
        aggregate=True,
        chase_months=(10, 11, 12, 1, 2, 3),
    ),
    RhythmItem(
        key="lokalraad_autumn",
        body_kind=BodyKind.LOKALRAAD,
        label=_("Lokalrådets efterårsmøde"),
        months=(10,),
        check=Check.MEETING,
    ),
    RhythmItem(
        key="group115_weekly",
        body_kind=BodyKind.GROUP_115,
        label=_("Ugentligt §115-møde"),
        months=ALL_MONTHS,
        check=Check.WEEKLY_MEETINGS,
        weekly=True,
        # A week without a booked meeting is seen on the board; an email a week would be noise.
        remind=False,
    ),
)


def rhythm() -> tuple[RhythmItem, ...]:
    """The items whose check someone answers."""
    return tuple(item for item in RHYTHM if item.check in Check.values or item.check in _CHECKS)


def item_by_key(key: str) -> RhythmItem | None:
    return next((item for item in rhythm() if item.key == key), None)


# Dates of an item ------------------------------------------------------------------------------


def month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def _months_back(day: date, month: int) -> int:
    """How many months `month` lies before the month of `day` (0 when it is that month)."""
    return (day.month - month) % 12


def occurrence(item: RhythmItem, today: date) -> date:
    """The first day of the item's month the board asks about on `today`: the current month
    when the item falls in it, the past one while it is chased (a September whose teams still
    lack plans, in the months after it), else the next one."""
    for month in item.months:
        back = _months_back(today, month)
        chased = back > 0 and today.month in item.chase_months and back <= len(item.chase_months)
        if back == 0 or chased:
            year = today.year if month <= today.month else today.year - 1
            return month_start(year, month)
    upcoming = sorted(
        month_start(today.year if month > today.month else today.year + 1, month)
        for month in item.months
    )
    return upcoming[0]


# Checks registered by apps above this one -------------------------------------------------------


@dataclass(frozen=True)
class Readiness:
    state: str
    text: str
    url: str


# `check(municipalities, year)`: for each municipality id, its readiness for the item that
# falls in `year`, from a bounded number of queries.
ReadinessCheck = Callable[[list["Municipality"], int], dict[int, Readiness]]

_CHECKS: dict[str, ReadinessCheck] = {}


def readiness_check_register(name: str, check: ReadinessCheck) -> None:
    """Answer the items whose `check` is `name` (called from the answering app's `ready`)."""
    _CHECKS[name] = check


def registered_check(name: str) -> ReadinessCheck:
    return _CHECKS[name]
