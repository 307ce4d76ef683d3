"""Editing a school team's laid year plan's activities: when each coming one takes place and
who is responsible for it. The plan's meetings are edited in `meetings.services.year_plan_edit`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Membership, Person
from meetings import notifications
from meetings.dates import school_year_bounds
from meetings.models import SchoolYearPlan
from meetings.services import school_year_span
from prevention.models import Activity
from ssp.models import User


@dataclass(frozen=True)
class ActivityPlanning:
    """An activity's new date and responsible person."""

    activity: Activity
    planned_on: date
    responsible: Person | None


def coming_activities(plan: SchoolYearPlan) -> list[Activity]:
    """The plan's activities an edit may still change: not done."""
    return list(
        Activity.objects.filter(plan=plan, done_at__isnull=True).select_related("responsible")
    )


@transaction.atomic
def year_plan_activities_update(
    *, plan: SchoolYearPlan, by: User, changes: Iterable[ActivityPlanning]
) -> int:
    """Move the year wheel's coming activities and change who is responsible for them; the
    team's members are told in one email that only links to the plan. A date that is not
    changed may lie in the past (the activity is late, not wrong); a new date may not, nor
    outside the school year. Errors are keyed `planned_on_<id>` and `responsible_<id>`.
    Returns how many activities changed."""
    plan = SchoolYearPlan.objects.select_for_update().select_related("body").get(pk=plan.pk)
    today = timezone.localdate()
    first, last = school_year_bounds(plan.school_year)
    if last < today:
        raise ValidationError(
            _("Skoleåret %(year)s er slut, så planen kan ikke længere ændres.")
            % {"year": plan.school_year_label}
        )
    open_ids = {a.pk for a in coming_activities(plan)}
    errors: dict[str, list[str]] = {}
    changed: list[Activity] = []
    for change in changes:
        activity = change.activity
        if activity.pk not in open_ids:
            raise ValidationError(_("Aktiviteten hører ikke til planen eller er gennemført."))
        key = str(activity.pk)
        if change.planned_on != activity.planned_on:
            if not first <= change.planned_on <= last:
                errors[f"planned_on_{key}"] = [
                    _("Datoen skal ligge i skoleåret %(year)s (%(span)s).")
                    % {
                        "year": plan.school_year_label,
                        "span": school_year_span(plan.school_year),
                    }
                ]
            elif change.planned_on < today:
                errors[f"planned_on_{key}"] = [_("En aktivitet kan ikke flyttes til fortiden.")]
        responsible = change.responsible
        if responsible is not None and responsible.municipality_id != plan.body.municipality_id:
            errors[f"responsible_{key}"] = [_("Den ansvarlige skal høre til skolens kommune.")]
        if (change.planned_on, getattr(responsible, "pk", None)) != (
            activity.planned_on,
            activity.responsible_id,
        ):
            activity.planned_on = change.planned_on
            activity.responsible = responsible
            changed.append(activity)
    if errors:
        raise ValidationError(errors)
    if changed:
        Activity.objects.bulk_update(changed, ["planned_on", "responsible"])
        plan.changed_at = timezone.now()
        plan.changed_by = by
        plan.save(update_fields=["changed_at", "changed_by"])
        members = [
            m.person for m in Membership.objects.filter(body=plan.body).select_related("person")
        ]
        notifications.year_wheel_changed(plan, members)
    return len(changed)
