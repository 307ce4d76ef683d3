"""Reads of the organisation. Each returns a queryset (or a structure built from one query)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from forum import permissions
from forum.models import (
    LEAD_ROLES,
    Affiliation,
    Body,
    BodyKind,
    BodyType,
    HeldLogin,
    InvitationStatus,
    Membership,
    MembershipChange,
    MembershipRole,
    Municipality,
    MunicipalityInvitation,
    Person,
    Unit,
)
from ssp.models import User

# Chairs and coordinators first in member lists, guests last.
_ROLE_ORDER = Case(
    When(role=MembershipRole.CHAIR, then=Value(0)),
    When(role=MembershipRole.COORDINATOR, then=Value(1)),
    When(role=MembershipRole.MEMBER, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)

# The order bodies of the same level are shown in, following the organisation's shape.
KIND_ORDER = [
    BodyKind.KREDSRAAD,
    BodyKind.LOKALRAAD,
    BodyKind.STEERING_GROUP,
    BodyKind.SSP_UDVALG,
    BodyKind.FOELGEGRUPPE,
    BodyKind.SSP_FORUM,
    BodyKind.GROUP_115,
    BodyKind.INFOHUS,
    BodyKind.NETWORK,
    BodyKind.WORKING_GROUP,
    BodyKind.SCHOOL_TEAM,
    BodyKind.AD_HOC,
]


@dataclass
class BodyNode:
    body: Body
    children: list[BodyNode] = field(default_factory=list)


def affiliations_of(user: User) -> QuerySet[Affiliation]:
    return (
        Affiliation.objects.filter(user=user)
        .select_related("municipality")
        .order_by("municipality__name")
    )


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(person__user=user)
        .select_related("body", "body__municipality", "body__police_district", "body__body_type")
        .order_by("body__name")
    )


def bodies_of_municipality(municipality: Municipality) -> QuerySet[Body]:
    """The municipality's bodies, the Kredsråd of its police district, and the bodies of
    other municipalities that span it (a network group of the district)."""
    return Body.objects.filter(
        Q(municipality=municipality)
        | Q(municipality__isnull=True, police_district_id=municipality.police_district_id)
        | Q(pk__in=permissions.spanning_body_ids(municipality))
    ).select_related("unit", "body_type")


def body_types_of(municipality: Municipality) -> QuerySet[BodyType]:
    """The municipality's body types, each with how many bodies it has."""
    return municipality.body_types.annotate(body_count=Count("bodies")).order_by("name")


def body_tree(municipality: Municipality) -> list[BodyNode]:
    """The municipality's standing bodies as a tree, from one query."""
    bodies = list(bodies_of_municipality(municipality).exclude(kind=BodyKind.AD_HOC))
    rank = {kind: index for index, kind in enumerate(KIND_ORDER)}
    bodies.sort(key=lambda b: (rank[BodyKind(b.kind)], b.name.lower()))
    nodes = {body.pk: BodyNode(body) for body in bodies}
    roots: list[BodyNode] = []
    for body in bodies:
        parent = nodes.get(body.parent_id) if body.parent_id else None
        (parent.children if parent else roots).append(nodes[body.pk])
    return roots


def body_members(body: Body) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(body=body)
        .select_related("person", "person__unit")
        .annotate(role_rank=_ROLE_ORDER)
        .order_by("role_rank", "person__full_name")
    )


def body_children(body: Body, user: User) -> QuerySet[Body]:
    """The bodies under `body` that the user may see (an ad-hoc group only to its case's
    readers)."""
    return (
        permissions.bodies_visible_to(user)
        .filter(parent=body)
        .select_related("body_type")
        .order_by("name")
    )


def lead_users(bodies: Iterable[Body]) -> dict[int, list[int]]:
    """The active users who chair or coordinate each body, by body id."""
    leads: dict[int, list[int]] = defaultdict(list)
    for body_id, user_id in Membership.objects.filter(
        body__in=list(bodies), role__in=LEAD_ROLES, person__user__is_active=True
    ).values_list("body_id", "person__user_id"):
        leads[body_id].append(user_id)
    return leads


def bodies_of_person(person: Person, user: User) -> QuerySet[Membership]:
    """The person's seats in the bodies the user may see."""
    return (
        person.memberships.filter(body__in=permissions.bodies_visible_to(user).values("pk"))
        .select_related("body", "body__body_type")
        .order_by("body__name")
    )


def directory_people(
    *, user: User, query: str = "", sector: str = "", municipality: Municipality | None = None
) -> QuerySet[Person]:
    """People in the actor directory the user may see, matching name, title, unit or email."""
    people = permissions.people_visible_to(user).select_related("unit", "municipality")
    if municipality is not None:
        people = people.filter(municipality=municipality)
    return _people_matching(people, query=query, sector=sector).order_by(*DIRECTORY_ORDER)


DIRECTORY_ORDER = ("full_name", "id")


def directory_people_parts(
    *, user: User, query: str = "", sector: str = "", municipality: Municipality | None = None
) -> list[QuerySet[Person]]:
    """`directory_people` as parts whose union is the list (one per visible municipality),
    for `ssp.pagination.keyset_page`."""
    parts = permissions.visible_people_parts(
        user, only=municipality.pk if municipality is not None else None
    )
    return [_people_matching(part, query=query, sector=sector) for part in parts]


def directory_people_rows(ids: list[int]) -> QuerySet[Person]:
    """The rows of one page of the directory (their ids, cut by `keyset_page`)."""
    return (
        Person.objects.filter(pk__in=ids)
        .select_related("unit", "municipality")
        .order_by(*DIRECTORY_ORDER)
    )


def _people_matching(people: QuerySet[Person], *, query: str, sector: str) -> QuerySet[Person]:
    if sector:
        people = people.filter(sector=sector)
    for word in query.split():
        people = people.filter(
            Q(full_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(unit__name__icontains=word)
            | Q(email__icontains=word)
        )
    return people


def directory_units(
    *, user: User, query: str = "", sector: str = "", municipality: Municipality | None = None
) -> QuerySet[Unit]:
    units = permissions.units_visible_to(user).select_related("municipality", "parent")
    if municipality is not None:
        units = units.filter(municipality=municipality)
    if sector:
        units = units.filter(sector=sector)
    for word in query.split():
        units = units.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return units.order_by("name", "pk")


def unit_people(unit: Unit) -> QuerySet[Person]:
    return unit.people.order_by("full_name")


def membership_history(
    user: User, *, body: Body | None = None, person: Person | None = None
) -> QuerySet[MembershipChange]:
    """The seat changes of a body or a person, newest first, in the bodies the user may see
    (a person's page never tells of a body its reader may not see)."""
    changes = MembershipChange.objects.filter(
        body__in=permissions.bodies_visible_to(user).values("pk")
    )
    if body is not None:
        changes = changes.filter(body=body)
    if person is not None:
        changes = changes.filter(person=person)
    return changes.select_related("body", "person", "by")[:50]


def held_logins_waiting(municipality: Municipality) -> QuerySet[HeldLogin]:
    """The municipality's logins whose invitation the administrator has not sent yet."""
    return (
        HeldLogin.objects.filter(person__municipality=municipality, queued_at__isnull=True)
        .select_related("person", "person__unit", "created_by")
        .order_by("person__full_name", "pk")
    )


def logins_not_taken_up(municipality: Municipality) -> QuerySet[Person]:
    """The municipality's people invited who have not yet signed in: a new account whose owner
    has chosen no password and never signed in, an existing account's invitation not accepted,
    or a held login on its way. One list for all, as the person's page says the same of all."""
    unused_account = Q(
        user__isnull=False,
        user__last_login__isnull=True,
        user__password__startswith=UNUSABLE_PASSWORD_PREFIX,
    )
    invitation = Exists(
        MunicipalityInvitation.objects.filter(person=OuterRef("pk")).exclude(
            status=InvitationStatus.ACCEPTED
        )
    )
    return (
        Person.objects.filter(municipality=municipality)
        .filter(
            unused_account
            | Q(user__isnull=True, held_login__queued_at__isnull=False)
            | (Q(user__isnull=True) & invitation)
        )
        .select_related("unit")
        .order_by("full_name", "pk")
    )
