"""Reads for the prevention pages. Every list starts from a body the user reads
(`permissions.body_for_user_or_404`) or from `permissions.activities_visible_to`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from forum.models import Body, BodyKind, Membership, Municipality
from meetings.dates import school_year_bounds
from meetings.models import Meeting, MeetingStatus, SchoolYearPlan
from prevention.models import (
    REACH_FIELDS,
    Activity,
    ActivityKind,
    AnnualPlan,
    PreventionLevel,
    Project,
)
from prevention.permissions import bodies_writable_by
from ssp.models import User

# How far back a plan may have been approved before it begins.
APPROVAL_LEAD_TIME = timedelta(days=366)


def activities_of(body: Body, first: date, last: date) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(body=body, planned_on__gte=first, planned_on__lte=last)
        .select_related("school", "responsible", "project")
        .order_by("planned_on", "time_of_day", "pk")
    )


def projects_of(body: Body) -> QuerySet[Project]:
    return Project.objects.filter(body=body).annotate(activity_count=Count("activities"))


def plans_of(body: Body) -> QuerySet[AnnualPlan]:
    return AnnualPlan.objects.filter(body=body).select_related("approval_meeting")


def recent_by(user: User, *, limit: int = 10) -> QuerySet[Activity]:
    """What the user logged lately: their own entries, in the bodies they still write for."""
    return (
        Activity.objects.filter(created_by=user, body__in=bodies_writable_by(user).values("pk"))
        .select_related("body")
        .order_by("-created_at", "-pk")[:limit]
    )


def writable_bodies(user: User) -> QuerySet[Body]:
    return bodies_writable_by(user).select_related("municipality").order_by("name")


@dataclass(frozen=True)
class Tally:
    """Counts of a set of activities: how many, how many done, and the reach by group."""

    activities: int
    done: int
    pupils: int
    parents: int
    professionals: int
    young_people: int
    by_kind: list[tuple[str, int]]
    by_level: list[tuple[str, int]]


def tally(activities: QuerySet[Activity]) -> Tally:
    """The counts of a set of activities, from three queries however many there are."""
    rows = activities.order_by()
    totals = rows.aggregate(
        activities=Count("pk"),
        done=Count("pk", filter=Q(done_at__isnull=False)),
        **{name: Coalesce(Sum(name), 0) for name in REACH_FIELDS},
    )
    kinds = rows.values_list("kind").annotate(n=Count("pk"))
    levels = rows.values_list("level").annotate(n=Count("pk"))
    return Tally(
        **totals,
        by_kind=sorted((str(ActivityKind(kind).label), n) for kind, n in kinds),
        by_level=sorted((str(PreventionLevel(level).label), n) for level, n in levels),
    )


def recent_places(user: User, *, limit: int = 8) -> list[str]:
    """The places of the user's last street rounds, offered as they type."""
    places = (
        Activity.objects.filter(created_by=user, kind=ActivityKind.STREET_ROUND)
        .order_by("-created_at")
        .values_list("place", flat=True)[:50]
    )
    return list(dict.fromkeys(places))[:limit]


@dataclass(frozen=True)
class PlanContents:
    projects: list[Project]
    activities: QuerySet[Activity]
    tally: Tally


def plan_contents(plan: AnnualPlan) -> PlanContents:
    """What the plan is built from: the body's projects running in the period, and the
    activities in the period of the body and of the bodies it covers."""
    bodies = [plan.body_id, *plan.covers.values_list("pk", flat=True)]
    projects = list(
        Project.objects.filter(
            body=plan.body_id, starts_on__lte=plan.ends_on, ends_on__gte=plan.starts_on
        ).order_by("starts_on", "pk")
    )
    activities = Activity.objects.filter(
        body__in=bodies, planned_on__gte=plan.starts_on, planned_on__lte=plan.ends_on
    )
    return PlanContents(
        projects=projects,
        activities=activities.select_related("body", "school", "project").order_by(
            "planned_on", "pk"
        ),
        tally=tally(activities),
    )


def approval_meetings(plan: AnnualPlan) -> QuerySet[Meeting]:
    """The body's meetings a plan may be approved at: not cancelled, from a year before the
    plan begins until it ends."""
    earliest = plan.starts_on - APPROVAL_LEAD_TIME
    return Meeting.objects.filter(
        body=plan.body_id,
        status=MeetingStatus.PLANNED,
        starts_at__date__gte=earliest,
        starts_at__date__lte=plan.ends_on,
    ).order_by("starts_at")


def foelgegruppe_meetings(municipality: Municipality, school_year: int) -> QuerySet[Meeting]:
    first, last = school_year_bounds(school_year)
    return Meeting.objects.filter(
        body__municipality=municipality,
        body__kind=BodyKind.FOELGEGRUPPE,
        status=MeetingStatus.PLANNED,
        starts_at__date__gte=first,
        starts_at__date__lte=last,
    ).order_by("starts_at")


def activity_plan_approval(municipality: Municipality, school_year: int) -> AnnualPlan | None:
    """The Følgegruppe's approved teaching and activity plan for the school year, if any."""
    first, _last = school_year_bounds(school_year)
    return (
        AnnualPlan.objects.filter(
            body__municipality=municipality,
            body__kind=BodyKind.FOELGEGRUPPE,
            starts_on=first,
            approved_at__isnull=False,
        )
        .select_related("approval_meeting", "approved_by")
        .first()
    )


@dataclass(frozen=True)
class SchoolActivities:
    body: Body
    plan: SchoolYearPlan | None
    activities: list[Activity]


def municipal_activity_plan(municipality: Municipality, school_year: int) -> list[SchoolActivities]:
    """The municipality's teaching and activity plan: each school team's year wheel, from
    three queries whatever the number of teams."""
    first, last = school_year_bounds(school_year)
    teams = list(
        Body.objects.filter(municipality=municipality, kind=BodyKind.SCHOOL_TEAM).order_by("name")
    )
    plans = {
        plan.body_id: plan
        for plan in SchoolYearPlan.objects.filter(body__in=teams, school_year=school_year)
    }
    activities: dict[int, list[Activity]] = {team.pk: [] for team in teams}
    for activity in (
        Activity.objects.filter(body__in=teams, planned_on__gte=first, planned_on__lte=last)
        .select_related("responsible")
        .order_by("planned_on", "pk")
    ):
        activities[activity.body_id].append(activity)
    return [
        SchoolActivities(body=team, plan=plans.get(team.pk), activities=activities[team.pk])
        for team in teams
    ]


def plan_activities(plan: SchoolYearPlan) -> list[Activity]:
    return list(
        Activity.objects.filter(plan=plan).select_related("responsible").order_by("planned_on")
    )


def plan_counts(plan_ids: list[int]) -> dict[int, tuple[int, int]]:
    rows = (
        Activity.objects.filter(plan__in=plan_ids)
        .order_by()
        .values("plan_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False)))
    )
    return {row["plan_id"]: (row["total"], row["done"]) for row in rows}


def feed_activities(user: User, start: datetime, end: datetime) -> QuerySet[Activity]:
    """A user's calendar: the year wheel of the bodies they sit in, and the activities they
    are responsible for or take part in. Street rounds and counselling are logs, not plans."""
    seats = Membership.objects.filter(person__user=user).order_by().values("body_id")
    return (
        Activity.objects.filter(
            Q(plan__isnull=False, body__in=seats)
            | Q(responsible__user=user)
            | Q(people__user=user),
            planned_on__gte=timezone.localdate(start),
            planned_on__lte=timezone.localdate(end),
        )
        .exclude(kind__in=(ActivityKind.STREET_ROUND, ActivityKind.COUNSELLING))
        .select_related("body")
        .distinct()
        .order_by("planned_on", "pk")
    )
