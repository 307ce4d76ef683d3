"""Reads for the meeting pages. Every query of meetings starts from
`permissions.meetings_visible_to`, and agenda items about cases are marked redacted for a
reader who may not see the case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from cases.permissions import cases_visible_to
from forum.models import Body, BodyKind, Municipality
from meetings import hooks
from meetings.dates import school_year_bounds
from meetings.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    SchoolYearPlan,
    case_erased_text,
)
from meetings.permissions import meetings_visible_to
from ssp.models import User

# How far back and ahead a personal calendar feed reaches.
FEED_PAST = timedelta(days=90)
FEED_FUTURE = timedelta(days=400)


UPCOMING_ORDER = ("starts_at", "id")


def upcoming_meetings(user: User, *, limit: int | None = None) -> QuerySet[Meeting]:
    """The user's own meetings from today on: those they are invited to."""
    mine = Participant.objects.filter(meeting=OuterRef("pk"), person__user=user)
    meetings = (
        meetings_visible_to(user)
        .filter(Exists(mine), ends_at__gte=timezone.now())
        .select_related("body")
        .order_by(*UPCOMING_ORDER)
    )
    return meetings[:limit] if limit else meetings


def meeting_rows(ids: list[int]) -> QuerySet[Meeting]:
    """The rows of one page of meetings (their ids, cut by `ssp.pagination.keyset_page`)."""
    return Meeting.objects.filter(pk__in=ids).select_related("body").order_by(*UPCOMING_ORDER)


def past_meetings(user: User, *, limit: int = 10) -> QuerySet[Meeting]:
    mine = Participant.objects.filter(meeting=OuterRef("pk"), person__user=user)
    return (
        meetings_visible_to(user)
        .filter(Exists(mine), ends_at__lt=timezone.now())
        .select_related("body")
        .order_by("-starts_at", "-pk")[:limit]
    )


def body_meetings(user: User, body: Body) -> QuerySet[Meeting]:
    return (
        meetings_visible_to(user)
        .filter(body=body, ends_at__gte=timezone.now() - timedelta(days=60))
        .order_by("starts_at", "pk")
    )


def participants(meeting: Meeting) -> QuerySet[Participant]:
    return meeting.participants.select_related("person", "person__unit").order_by(
        "is_guest", "person__full_name"
    )


def participant_of(meeting: Meeting, user: User) -> Participant | None:
    return meeting.participants.filter(person__user=user).first()


def agenda(meeting: Meeting, user: User) -> list[AgendaItem]:
    """The agenda, each item with `redacted` set when it is about a case the user may not
    see. A redacted item carries no title, description or case: the template cannot leak. An
    item whose case was erased shows the placeholder as its title and its decisions' text."""
    visible = cases_visible_to(user).filter(pk=OuterRef("case_id"))
    items = list(
        meeting.agenda_items.annotate(case_visible=Exists(visible))
        .select_related("case", "case__young_person")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("task", "task__responsible"),
            ),
            "attachments",
        )
        .order_by("position", "pk")
    )
    for item in items:
        item.redacted = item.case_id is not None and not item.case_visible
        item.visible_decisions = [] if item.redacted else list(item.decisions.all())
        item.visible_attachments = [] if item.redacted else list(item.attachments.all())
        if item.redacted:
            item.title = item.description = item.purpose = item.minutes = ""
            item.case = None
        if item.case_erased:
            _show_erased(item)
    return items


def _show_erased(item: AgendaItem) -> None:
    """An item whose case was erased: its emptied texts read as the neutral placeholder."""
    placeholder = case_erased_text()
    item.title = placeholder
    for decision in item.visible_decisions:
        decision.text = placeholder
        task = getattr(decision, "task", None)
        if task is not None:
            task.title = placeholder


def feed_meetings(user: User) -> QuerySet[Meeting]:
    now = timezone.now()
    mine = Participant.objects.filter(meeting=OuterRef("pk"), person__user=user)
    return (
        meetings_visible_to(user)
        .filter(Exists(mine), starts_at__gte=now - FEED_PAST, starts_at__lte=now + FEED_FUTURE)
        .select_related("body", "organiser")
        .order_by("starts_at", "pk")
    )


def year_plan(body: Body, school_year: int) -> SchoolYearPlan | None:
    return (
        SchoolYearPlan.objects.filter(body=body, school_year=school_year)
        .select_related("series", "planning_meeting")
        .first()
    )


def plan_meetings(user: User, plan: SchoolYearPlan) -> QuerySet[Meeting]:
    return meetings_visible_to(user).filter(series=plan.series_id).order_by("starts_at")


@dataclass(frozen=True)
class TeamPlanning:
    body: Body
    planning_meeting: Meeting | None
    plan: SchoolYearPlan | None
    meetings: int
    activities: int
    activities_done: int


def school_year_overview(municipality: Municipality, school_year: int) -> list[TeamPlanning]:
    """Every school team of the municipality with its planning state for the school year,
    from three queries whatever the number of teams."""
    first, last = school_year_bounds(school_year)
    teams = list(
        Body.objects.filter(municipality=municipality, kind=BodyKind.SCHOOL_TEAM).order_by("name")
    )
    planning = {}
    for meeting in Meeting.objects.filter(
        body__in=teams,
        kind=MeetingKind.PLANNING,
        status=MeetingStatus.PLANNED,
        starts_at__date__gte=first,
        starts_at__date__lte=last,
    ).order_by("-starts_at"):
        planning[meeting.body_id] = meeting
    plans = {
        plan.body_id: plan
        for plan in SchoolYearPlan.objects.filter(body__in=teams, school_year=school_year).annotate(
            meeting_count=Count(
                "series__meetings",
                filter=Q(series__meetings__status=MeetingStatus.PLANNED),
                distinct=True,
            ),
        )
    }
    counts = hooks.year_wheel().counts(plan.pk for plan in plans.values())
    activities = {body_id: counts.get(plan.pk, (0, 0)) for body_id, plan in plans.items()}
    return [
        TeamPlanning(
            body=team,
            planning_meeting=planning.get(team.pk),
            plan=plans.get(team.pk),
            meetings=plans[team.pk].meeting_count if team.pk in plans else 0,
            activities=activities.get(team.pk, (0, 0))[0],
            activities_done=activities.get(team.pk, (0, 0))[1],
        )
        for team in teams
    ]
