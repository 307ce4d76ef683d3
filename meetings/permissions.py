"""Who may see and organise meetings.

A meeting is visible to the members of its body, its participants, the SSP consultants of
the body's municipality and the administrators of the body (a meeting of an ad-hoc group only
to those who read its case, `forum.access.body_visibility`). It is organised (created, moved,
cancelled, its agenda and attendance kept) by its organiser, the chair or coordinator of its
body, the municipality's SSP consultants and the body's administrators. A meeting a user may
not see answers 404; one they see but may not organise, 403.

Agenda items about a case are shown in full only to those who may see the case
(`cases.permissions.cases_visible_to`); everyone else sees "Sag – begrænset adgang", and what
hangs under such an item (its decisions, its attachments) answers 404 to them. A follow-up
task is ticked off by the person responsible for it or by whoever manages its meeting.
"""

from __future__ import annotations

import functools

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from cases.permissions import cases_visible_to
from forum.access import body_visibility
from forum.models import LEAD_ROLES, Body, BodyKind, Membership, Municipality
from forum.permissions import (
    administrator_anywhere_if_known,
    bodies_administered_by,
    body_ids_administered_by,
    is_administrator_anywhere,
    municipalities_administered_by,
    triaged_municipality_ids,
    triaged_municipality_pks,
)
from meetings.models import AgendaItem, Meeting, Participant, Task
from ssp.models import User

AnyUser = User | AnonymousUser

# Who organises a body's meetings among its members: its leads.
ORGANISER_ROLES = LEAD_ROLES


def meetings_visible_to(user: AnyUser) -> QuerySet[Meeting]:
    if not user.is_authenticated or not user.is_active:
        return Meeting.objects.none()
    member = Membership.objects.filter(body=OuterRef("body"), person__user=user)
    participant = Participant.objects.filter(meeting=OuterRef("pk"), person__user=user)
    visible = (
        Exists(member)
        | Exists(participant)
        | Q(body__municipality__in=triaged_municipality_ids(user))
    )
    # Composed only for an administrator (asked once per request): for everyone else it is
    # empty, and composing it (guardian's query and the ad-hoc groups' case visibility) cost
    # more than the page's own SQL.
    if is_administrator_anywhere(user):
        # An administrator administers an ad-hoc group but reads its case only like anyone
        # else: its meetings (and the case they name) only if they read the case.
        visible |= Q(
            body__in=bodies_administered_by(user).filter(body_visibility(user)).values("pk")
        )
    return Meeting.objects.filter(visible)


def bodies_organised_by(user: AnyUser, *, but: str = "") -> QuerySet[Body]:
    """Bodies whose meetings the user may plan: those they chair or coordinate, and every body
    of the municipalities they triage or administer (`but`: leaving out bodies of that kind,
    inside each part).

    One UNION of three index scans, so PostgreSQL builds the small set of ids first instead of
    testing every body (ad-hoc groups included, one per case at scale) against an OR.
    """
    if not user.is_authenticated or not user.is_active:
        return Body.objects.none()
    if not is_administrator_anywhere(user):
        # Led and triaged bodies only: a text that depends on nothing but the user's id.
        return Body.objects.filter(pk__in=RawSQL(*_led_or_triaged_body_ids_sql(user.pk, but)))  # noqa: S611
    administered = [ids.filter(body_visibility(user)) for ids in body_ids_administered_by(user)]
    if but:
        administered = [ids.exclude(kind=but) for ids in administered]
    return Body.objects.filter(pk__in=_led_or_triaged_body_ids(user, but).union(*administered))


def _led_or_triaged_body_ids(user: User, but: str) -> QuerySet:
    """The ids of the bodies the user leads or whose municipality they triage (`but`: leaving
    out bodies of that kind), as a UNION of two index scans."""
    led = Membership.objects.filter(person__user=user, role__in=ORGANISER_ROLES)
    triaged = Body.objects.filter(municipality__in=triaged_municipality_ids(user))
    if but:
        led = led.exclude(body__kind=but)
        triaged = triaged.exclude(kind=but)
    return led.order_by().values("body_id").union(triaged.order_by().values("pk"))


@functools.lru_cache(maxsize=4096)
def _led_or_triaged_body_ids_sql(user_pk: int, but: str) -> tuple[str, tuple]:
    """`_led_or_triaged_body_ids` as SQL and parameters, compiled once per user, kind left
    out and process (as `cases.permissions._visible_case_ids_sql`): its text depends on
    nothing but the user's id (both parts are subqueries PostgreSQL evaluates on each use), and
    composing it cost "my meetings" about a millisecond on every visit."""
    sql, params = _led_or_triaged_body_ids(User(pk=user_pk), but).query.sql_with_params()
    return sql, tuple(params)


def ad_hoc_groups_organised_by_parts(user: AnyUser) -> list[QuerySet[Body]]:
    """The ad-hoc groups of `bodies_organised_by` as parts whose union is the same groups, for
    `ssp.pagination.keyset_page` in name order: those the user leads, one part per municipality
    they triage (walked on `forum_body_kind_name_idx` and cut at the page: there is one group
    per case, 5,000 in a København-sized municipality) and an administrator's."""
    if not user.is_authenticated or not user.is_active:
        return []
    led = Membership.objects.filter(person__user=user, role__in=ORGANISER_ROLES).values("body_id")
    parts = [Body.objects.filter(kind=BodyKind.AD_HOC, pk__in=led)]
    parts += [
        Body.objects.filter(municipality_id=pk, kind=BodyKind.AD_HOC)
        for pk in triaged_municipality_pks(user)
    ]
    if is_administrator_anywhere(user):
        parts += [
            Body.objects.filter(pk__in=ids.filter(body_visibility(user)), kind=BodyKind.AD_HOC)
            for ids in body_ids_administered_by(user)
        ]
    return parts


def can_organise(user: AnyUser, body: Body) -> bool:
    return bodies_organised_by(user).filter(pk=body.pk).exists()


def can_manage_meeting(user: AnyUser, meeting: Meeting) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return meeting.organiser_id == user.pk or can_organise(user, meeting.body)


def can_see_year_plans(user: AnyUser, body: Body) -> bool:
    """A school team's year plan: its members and those who organise its meetings."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(body=body, person__user=user).exists() or can_organise(
        user, body
    )


def agenda_item_for_user_or_404(user: AnyUser, meeting: Meeting, pk: int) -> AgendaItem:
    """An item of the meeting's agenda that the user may read. An item about a case the user
    may not see is redacted on their agenda, and what hangs under it (its decisions, its
    attachments) answers 404 to them, as if it did not exist."""
    try:
        return meeting.agenda_items.filter(
            Q(case__isnull=True) | Q(case__in=cases_visible_to(user).values("pk"))
        ).get(pk=pk)
    except AgendaItem.DoesNotExist:
        raise Http404 from None


def task_for_user_or_404(user: AnyUser, pk: int) -> Task:
    """A follow-up task the user is responsible for, or one decided at a meeting they see."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    try:
        return (
            Task.objects.filter(
                Q(responsible__user=user)
                | Q(decision__item__meeting__in=meetings_visible_to(user).values("pk"))
            )
            .select_related("decision__item__meeting__body", "responsible")
            .get(pk=pk)
        )
    except Task.DoesNotExist:
        raise Http404 from None


def can_close_task(user: AnyUser, task: Task) -> bool:
    """Tick off a follow-up task: the person responsible for it, or whoever manages the
    meeting that decided it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if task.responsible is not None and task.responsible.user_id == user.pk:
        return True
    return can_manage_meeting(user, task.decision.item.meeting)


def municipalities_overseen_by(user: AnyUser) -> QuerySet[Municipality]:
    """Municipalities whose school teams' planning the user follows: as SSP consultant or
    administrator."""
    if not user.is_authenticated or not user.is_active:
        return Municipality.objects.none()
    overseen = Q(pk__in=triaged_municipality_ids(user))
    # Guardian's query is left out when this request already knows the user administers
    # nothing ("my meetings" has asked); other pages do not ask only for this.
    if administrator_anywhere_if_known(user) is not False:
        overseen |= Q(pk__in=municipalities_administered_by(user).values("pk"))
    return Municipality.objects.filter(overseen)


def meeting_for_user_or_404(user: AnyUser, pk: int) -> Meeting:
    try:
        return (
            meetings_visible_to(user)
            .select_related(
                "body", "body__municipality", "organiser", "series", "minutes_approved_by"
            )
            .get(pk=pk)
        )
    except Meeting.DoesNotExist:
        raise Http404 from None
