"""Reads for the meeting pages. Every query of meetings starts from
`permissions.meetings_visible_to`, and agenda items about cases are marked redacted for a
reader who may not see the case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from cases.permissions import cases_visible_to
from forum.models import Body, BodyKind, Municipality, Person
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
from ssp.pagination import keyset_page

# How far back and ahead a personal calendar feed reaches.
FEED_PAST = timedelta(days=90)
FEED_FUTURE = timedelta(days=400)


# A meeting lasts at most a day (`services.meetings._check_times`): one still going on
# started less than a day ago, so a page of upcoming meetings starts its index walk there.
LONGEST_MEETING = timedelta(hours=24)
# "Mine møder" in time order, by the participants' copy of the meeting's start; the
# meeting's id breaks ties (`ssp.pagination.keyset_page` returns it as the row's id).
UPCOMING_ORDER = ("starts_at", "meeting_id")


def upcoming_meetings(user: User, *, limit: int | None = None) -> QuerySet[Meeting]:
    """The user's own meetings from today on: those they are invited to."""
    mine = Participant.objects.filter(meeting=OuterRef("pk"), person__user=user)
    meetings = (
        meetings_visible_to(user)
        .filter(Exists(mine), ends_at__gte=timezone.now())
        .select_related("body")
        .order_by("starts_at", "pk")
    )
    return meetings[:limit] if limit else meetings


def people_of(user: User) -> list[int]:
    """The ids of the user's people (one per municipality they work in): each is invited to
    meetings on its own."""
    return list(Person.objects.filter(user=user).order_by().values_list("pk", flat=True))


def upcoming_parts(user: User, people: list[int] | None = None) -> list[QuerySet[Participant]]:
    """`upcoming_meetings` as the user's invitations, one part per person of theirs (one per
    municipality they work in), for `ssp.pagination.keyset_page`: each part walks
    `meetings_participant_time_idx` from a day ago in time order and stops at the page, so a
    consultant invited to 100,000 meetings pays what one invited to 1,000 does. The page's
    meetings are then read through the visibility rule (`meeting_rows`). `people`:
    `people_of(user)`, if the caller has read them."""
    now = timezone.now()
    return [
        Participant.objects.filter(
            person_id=pk, starts_at__gt=now - LONGEST_MEETING, meeting__ends_at__gte=now
        )
        for pk in (people_of(user) if people is None else people)
    ]


def soonest_meetings(user: User, *, limit: int) -> list[Meeting]:
    """The first `limit` of `upcoming_meetings` (the front page), read like a page of
    "Mine møder": off the invitations' time index, whatever their number."""
    page = keyset_page(upcoming_parts(user), order=UPCOMING_ORDER, per_page=limit)
    return list(meeting_rows(user, page.object_list))


def past_meeting_ids(user: User, *, limit: int = 10, people: list[int] | None = None) -> list[int]:
    """The ids of the user's last `limit` meetings, newest first, read like `upcoming_parts`
    (their rows through `invitation_rows`)."""
    now = timezone.now()
    parts = [
        Participant.objects.filter(person_id=pk, starts_at__lt=now, meeting__ends_at__lt=now)
        for pk in (people_of(user) if people is None else people)
    ]
    return keyset_page(parts, order=("-starts_at", "-meeting_id"), per_page=limit).object_list


# The columns a meeting table shows (templates/meetings/partials/meeting_table.html).
MEETING_TABLE_FIELDS = ("title", "starts_at", "ends_at", "status", "location", "body__name")


def invitation_rows(people: list[int], *pages: list[int]) -> list[list[Meeting]]:
    """The meetings of pages of the user's own invitations (ids cut by `keyset_page` from
    `upcoming_parts` or `past_meeting_ids`, each page in its own order), with their body, in
    one query: one list per page, in its order.

    Being invited is one of the ways `permissions.meetings_visible_to` lets a user see a
    meeting, so the rows are read as invitations of the user's `people` (`people_of`) instead
    of through the whole rule: the same meetings for a third of the cost (its four subqueries
    were planned and compiled on every request). `tests/meetings/test_my_meetings_pages.py`
    checks them against the rule for every persona.
    """
    invited = Participant.objects.filter(meeting=OuterRef("pk"), person_id__in=people)
    rows = (
        Meeting.objects.filter(Exists(invited), pk__in=[pk for page in pages for pk in page])
        .select_related("body")
        # What the tables show (`meetings.templatetags.meeting_tables`): a meeting has twenty
        # columns, five of them times, and its body twelve.
        .only(*MEETING_TABLE_FIELDS)
    )
    by_pk = {meeting.pk: meeting for meeting in rows}
    return [[by_pk[pk] for pk in page if pk in by_pk] for page in pages]


def meeting_rows(user: User, ids: list[int]) -> QuerySet[Meeting]:
    """The meetings of one page (their ids, cut by `ssp.pagination.keyset_page`) that the
    user may see, with their body, soonest first."""
    return (
        meetings_visible_to(user)
        .filter(pk__in=ids)
        .select_related("body")
        .order_by("starts_at", "pk")
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
