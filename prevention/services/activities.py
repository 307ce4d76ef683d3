"""Activities: logged by a body's members, planned and then done, the street-level log and the
counselling log, and the school teams' year wheel (asked for by meetings through its hook)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from forum.models import Body, Person, Unit
from meetings.models import SchoolYearPlan
from prevention.models import (
    REACH_FIELDS,
    Activity,
    ActivityKind,
    AgeBand,
    AskedBy,
    CounsellingTopic,
    PreventionKind,
    PreventionLevel,
    Project,
)
from prevention.permissions import NO_PREVENTION_KINDS
from ssp.models import User


@dataclass
class ActivityData:
    """What a user types about an activity; the form hands it to the services as one value."""

    kind: str
    title: str
    planned_on: date
    prevention_kind: str = PreventionKind.PROACTIVE
    level: str = PreventionLevel.GENERAL
    description: str = ""
    time_of_day: time | None = None
    age_band: str = ""
    grade: str = ""
    school: Unit | None = None
    place: str = ""
    responsible: Person | None = None
    people: Sequence[Person] = field(default_factory=list)
    partner_bodies: Sequence[Body] = field(default_factory=list)
    project: Project | None = None
    pupils: int = 0
    parents: int = 0
    professionals: int = 0
    young_people: int = 0

    @classmethod
    def of(cls, data: dict[str, Any]) -> ActivityData:
        """From a form's cleaned data, ignoring what is not an activity's (e.g. `done`)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def _check_body(body: Body) -> None:
    if body.municipality_id is None or body.kind in NO_PREVENTION_KINDS:
        raise ValidationError(_("Dette organ fører ikke forebyggende aktiviteter."))


def _not_ahead(day: date, field_name: str = "planned_on") -> None:
    """Done only on or after its date: what has not happened cannot be reported as done."""
    if day > timezone.localdate():
        raise ValidationError(
            {
                field_name: [
                    _(
                        "En aktivitet kan først markeres som gennemført på eller efter sin dato "
                        "(%(date)s)."
                    )
                    % {"date": date_format(day, "DATE_FORMAT")}
                ]
            }
        )


def _check(body: Body, data: ActivityData) -> None:
    """Everything the activity names belongs to the body's municipality (or the body)."""
    _check_body(body)
    municipality = body.municipality_id
    errors: dict[str, list[str]] = {}
    if data.school is not None and data.school.municipality_id != municipality:
        errors["school"] = [_("Skolen skal høre til organets kommune.")]
    if data.responsible is not None and data.responsible.municipality_id != municipality:
        errors["responsible"] = [_("Den ansvarlige skal høre til organets kommune.")]
    if any(person.municipality_id != municipality for person in data.people):
        errors["people"] = [_("Deltagerne skal høre til organets kommune.")]
    if any(partner.municipality_id != municipality for partner in data.partner_bodies):
        errors["partner_bodies"] = [_("Samarbejdspartnerne skal høre til organets kommune.")]
    if data.project is not None and data.project.body_id != body.pk:
        errors["project"] = [_("Projektet skal være organets eget.")]
    if errors:
        raise ValidationError(errors)


def _apply(activity: Activity, data: ActivityData) -> None:
    for name in (f.name for f in fields(ActivityData)):
        if name not in ("people", "partner_bodies"):
            value = getattr(data, name)
            setattr(activity, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def activity_create(*, body: Body, by: User, data: ActivityData, done: bool = False) -> Activity:
    """Log a body's activity, planned or (on or after its date) already done."""
    _check(body, data)
    if done:
        _not_ahead(data.planned_on)
    activity = Activity(body=body, municipality_id=body.municipality_id, created_by=by)
    _apply(activity, data)
    if done:
        activity.done_at, activity.done_by = timezone.now(), by
    activity.save()
    activity.people.set(data.people)
    activity.partner_bodies.set(data.partner_bodies)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, by: User, data: ActivityData) -> Activity:
    """Change an activity. Its calendar entry follows (SEQUENCE rises); a done activity keeps
    a date that has come."""
    _check(activity.body, data)
    if activity.is_done:
        _not_ahead(data.planned_on)
    _apply(activity, data)
    activity.sequence = F("sequence") + 1
    activity.save()
    activity.refresh_from_db(fields=["sequence"])
    activity.people.set(data.people)
    activity.partner_bodies.set(data.partner_bodies)
    return activity


@transaction.atomic
def activity_mark_done(
    *, activity: Activity, by: User, reach: dict[str, int] | None = None
) -> Activity:
    """Mark an activity done, with its reach if known; not before its date. Done twice is
    done once."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    _not_ahead(locked.planned_on, "__all__")
    if locked.is_done:
        return locked
    update = ["done_at", "done_by", "sequence", "updated_at"]
    for name, value in (reach or {}).items():
        if name in REACH_FIELDS and value is not None:
            setattr(locked, name, value)
            update.append(name)
    locked.done_at, locked.done_by = timezone.now(), by
    locked.sequence += 1
    locked.save(update_fields=update)
    return locked


@transaction.atomic
def street_round_log(
    *,
    body: Body,
    by: User,
    planned_on: date,
    time_of_day: time | None,
    place: str,
    young_people: int,
    mood: str = "",
    issues: Sequence[str] = (),
    description: str = "",
) -> Activity:
    """Note a street-level round (gadeplan) just walked: where, when, how many young people
    were met, the mood and what was seen. No names, ever: a worried worker makes a concern."""
    _check_body(body)
    _not_ahead(planned_on)
    place = place.strip()
    return Activity.objects.create(
        body=body,
        municipality_id=body.municipality_id,
        kind=ActivityKind.STREET_ROUND,
        prevention_kind=PreventionKind.PROACTIVE,
        level=PreventionLevel.SPECIFIC,
        title=_("Gadeplan: %(place)s") % {"place": place},
        planned_on=planned_on,
        time_of_day=time_of_day,
        place=place,
        age_band=AgeBand.YOUNG,
        young_people=young_people,
        mood=mood,
        issues=sorted(set(issues)),
        description=description.strip(),
        created_by=by,
        done_at=timezone.now(),
        done_by=by,
    )


REACH_OF_ASKER = {
    AskedBy.PROFESSIONAL: "professionals",
    AskedBy.PARENT: "parents",
    AskedBy.YOUNG_PERSON: "young_people",
}


@transaction.atomic
def counselling_log(
    *,
    body: Body,
    by: User,
    planned_on: date,
    asked_by: str,
    topic: str,
    outcome: str,
    description: str = "",
) -> Activity:
    """Note a counselling session: who asked (a professional, a parent, a young person), about
    what, and what came of it; never about whom. The one who asked counts as its reach."""
    _check_body(body)
    _not_ahead(planned_on)
    activity = Activity(
        body=body,
        municipality_id=body.municipality_id,
        kind=ActivityKind.COUNSELLING,
        prevention_kind=PreventionKind.REACTIVE,
        level=PreventionLevel.INDIVIDUAL,
        title=_("Rådgivning: %(topic)s") % {"topic": CounsellingTopic(topic).label},
        planned_on=planned_on,
        asked_by=asked_by,
        topic=topic,
        outcome=outcome,
        description=description.strip(),
        created_by=by,
        done_at=timezone.now(),
        done_by=by,
    )
    setattr(activity, REACH_OF_ASKER[AskedBy(asked_by)], 1)
    activity.save()
    return activity


def year_wheel_add(*, plan: SchoolYearPlan, activities: Sequence[Any], by: User) -> None:
    """The activities of a school team's new year plan (`meetings.services.NewActivity`),
    agreed at its planning meeting: general, proactive work at the team's school. The caller
    (`year_plan_create`) has checked them and holds the transaction."""
    body = plan.body
    Activity.objects.bulk_create(
        [
            Activity(
                plan=plan,
                body=body,
                municipality_id=body.municipality_id,
                school_id=body.unit_id,
                kind=a.kind,
                title=a.title.strip(),
                grade=a.grade.strip(),
                planned_on=a.planned_on,
                responsible=a.responsible,
                created_by=by,
            )
            for a in activities
        ]
    )
