"""Property test of case visibility: in a random small world, the list selector, the
per-object check the views use, and a plain reference of the access rules always agree.

The rules (DESIGN §1-3, cases/permissions.py): an active user sees a case when they
- are an SSP consultant of its municipality,
- are a member of its responsible body or of its ad-hoc group, or
- hold an active §115 share of it, directly or through a body they are a member of
  (a share is active until it is revoked or has expired).
Administrators and superusers see no case by virtue of that role, and the author of a
concern that joins a case does not see the case.

Each example builds its world through the services and rolls it back afterwards, so examples
never see each other's data. The reference reads the raw facts (affiliations, memberships,
shares), never guardian's grant tables, so a grant left behind or missing is caught.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import permissions, services
from cases.models import Case, Share
from forum import services as forum_services
from forum.models import Affiliation, Body, Membership, Municipality, Person
from ssp.models import Sector, User
from tests.factories import CaseFactory, ConcernFactory

pytestmark = pytest.mark.django_db

MUNICIPALITY_CODES = ("161", "165")  # Glostrup, Albertslund (same police district)
CRITERIA = dict.fromkeys(services.SHARE_CRITERIA, True)

# How a share ends up: still active, active with an expiry ahead, expired (the expiry job has
# run past it), or revoked by hand.
SHARE_STATES = ("active", "expires_later", "expired", "revoked")


@dataclass(frozen=True)
class UserSpec:
    municipalities: frozenset[int]
    consultant_in: frozenset[int]
    administrator_in: frozenset[int]
    superuser: bool
    active: bool


@dataclass(frozen=True)
class CaseSpec:
    municipality: int
    body: int
    new_body: int | None


@dataclass(frozen=True)
class MembershipSpec:
    user: int
    municipality: int
    body: int
    removed: bool


@dataclass(frozen=True)
class AdhocSpec:
    case: int
    coordinator: int
    members: tuple[int, ...]
    removed: tuple[int, ...]


@dataclass(frozen=True)
class ShareSpec:
    case: int
    to_user: bool
    target: int
    state: str


@dataclass(frozen=True)
class World:
    users: tuple[UserSpec, ...]
    cases: tuple[CaseSpec, ...]
    memberships: tuple[MembershipSpec, ...]
    adhoc: tuple[AdhocSpec, ...]
    shares: tuple[ShareSpec, ...]
    concerns: tuple[tuple[int, int], ...]


# Most users work in Glostrup only; roles are the exception, as in a real municipality.
municipality_sets = st.sampled_from(
    (frozenset({0}), frozenset({0}), frozenset({0}), frozenset({1}), frozenset({0, 1}), frozenset())
)
role_sets = st.sampled_from(
    (frozenset(), frozenset(), frozenset(), frozenset(), frozenset({0}), frozenset({1}))
)
small = st.integers(0, 20)

user_specs = st.builds(
    UserSpec,
    municipalities=municipality_sets,
    consultant_in=role_sets,
    administrator_in=role_sets,
    superuser=st.sampled_from((False, False, False, True)),
    active=st.sampled_from((True, True, True, True, False)),
)
case_specs = st.builds(
    CaseSpec,
    municipality=st.sampled_from((0, 0, 0, 1)),
    body=small,
    new_body=st.none() | small,
)
membership_specs = st.builds(
    MembershipSpec, user=small, municipality=small, body=small, removed=st.booleans()
)
adhoc_specs = st.builds(
    AdhocSpec,
    case=small,
    coordinator=small,
    members=st.lists(small, max_size=3).map(tuple),
    removed=st.lists(small, max_size=2).map(tuple),
)
share_specs = st.builds(
    ShareSpec, case=small, to_user=st.booleans(), target=small, state=st.sampled_from(SHARE_STATES)
)
worlds = st.builds(
    World,
    users=st.lists(user_specs, min_size=2, max_size=6).map(tuple),
    cases=st.lists(case_specs, min_size=1, max_size=5).map(tuple),
    memberships=st.lists(membership_specs, max_size=10).map(tuple),
    adhoc=st.lists(adhoc_specs, max_size=3).map(tuple),
    shares=st.lists(share_specs, max_size=6).map(tuple),
    concerns=st.lists(st.tuples(small, small), max_size=4).map(tuple),
)


def _pick(items: list, index: int):  # type: ignore[no-untyped-def]
    return items[index % len(items)] if items else None


class _Builder:
    """Turns a World of small integers into rows, always through the services."""

    def __init__(self) -> None:
        self.municipalities = [Municipality.objects.get(code=code) for code in MUNICIPALITY_CODES]
        self.by = User.objects.get(email="konsulent@demo.ssp")
        self.bodies = {
            m.pk: list(Body.objects.filter(municipality=m).exclude(kind="ad_hoc").order_by("pk"))
            for m in self.municipalities
        }
        self.handling = {
            m.pk: [b for b in self.bodies[m.pk] if b.kind in ("school_team", "group_115")]
            for m in self.municipalities
        }
        self.users: list[User] = []
        self.people: dict[tuple[int, int], Person] = {}  # (user index, municipality pk)
        self.cases: list[Case] = []
        self.now = timezone.now()

    def build(self, world: World) -> list[tuple[User, Case]]:
        for index, spec in enumerate(world.users):
            self._user(index, spec)
        for index, spec in enumerate(world.cases):
            self._case(index, spec)
        for spec in world.memberships:
            self._membership(spec)
        for spec in world.adhoc:
            self._adhoc(spec)
        for spec in world.shares:
            self._share(spec)
        concerns = [c for c in (self._concern(*pair) for pair in world.concerns) if c]
        for case, spec in zip(self.cases, world.cases, strict=True):
            if spec.new_body is not None:
                services.case_update_details(
                    case=case,
                    by=self.by,
                    level=case.level,
                    prevention_kind=case.prevention_kind,
                    responsible_body=_pick(self.handling[case.municipality_id], spec.new_body),
                    coordinator=None,
                    follow_up_on=None,
                )
        # The expiry job runs an hour after the short shares ran out.
        services.shares_expire(now=self.now + timedelta(hours=2))
        for user, spec in zip(self.users, world.users, strict=True):
            if not spec.active:
                user.is_active = False
                user.save(update_fields=["is_active"])
        return concerns

    def _user(self, index: int, spec: UserSpec) -> None:
        user = User.objects.create_user(
            f"prop{index}@test.ssp",
            password="x",
            full_name=f"Prop Person {index}",
            sector=Sector.POLICE if index % 2 else Sector.SCHOOL,
            is_superuser=spec.superuser,
        )
        self.users.append(user)
        for m_index in spec.municipalities | spec.consultant_in | spec.administrator_in:
            municipality = self.municipalities[m_index]
            self.people[(index, municipality.pk)] = forum_services.person_create(
                municipality=municipality,
                full_name=f"Prop Person {index}",
                sector=user.sector,
                email=user.email,
                with_login=True,
            )
            forum_services.affiliation_set(
                user=user,
                municipality=municipality,
                # Only a handling sector may be SSP consultant (forum.grants).
                is_ssp_consultant=m_index in spec.consultant_in and user.sector != Sector.POLICE,
                is_administrator=m_index in spec.administrator_in,
                by=None,
            )

    def _case(self, index: int, spec: CaseSpec) -> None:
        municipality = self.municipalities[spec.municipality]
        self.cases.append(
            CaseFactory(
                municipality=municipality,
                young_person__full_name=f"Prop Ung {index}",
                responsible_body=_pick(self.handling[municipality.pk], spec.body),
                opened_by=self.by,
            )
        )

    def _people_in(self, municipality_id: int) -> list[Person]:
        return [p for (_, m), p in sorted(self.people.items()) if m == municipality_id]

    def _membership(self, spec: MembershipSpec) -> None:
        mine = sorted(m for (u, m) in self.people if u == spec.user % len(self.users))
        municipality_id = _pick(mine, spec.municipality)
        if municipality_id is None:
            return
        person = self.people[(spec.user % len(self.users), municipality_id)]
        body = _pick(self.bodies[municipality_id], spec.body)
        membership = Membership.objects.filter(body=body, person=person).first()
        if membership is None:
            membership = forum_services.membership_add(body=body, person=person, by=None)
        if spec.removed:
            forum_services.membership_remove(membership=membership, by=None)

    def _adhoc(self, spec: AdhocSpec) -> None:
        case = _pick(self.cases, spec.case)
        people = self._people_in(case.municipality_id)
        if not people:
            return
        if case.adhoc_group_id is None:
            services.adhoc_group_form(
                case=case, by=self.by, coordinator=_pick(people, spec.coordinator)
            )
        for index in spec.members:
            person = _pick(people, index)
            if not Membership.objects.filter(body_id=case.adhoc_group_id, person=person).exists():
                services.adhoc_member_add(case=case, by=self.by, person=person)
        for index in spec.removed:
            membership = Membership.objects.filter(
                body_id=case.adhoc_group_id, person=_pick(people, index)
            ).first()
            if membership is not None:
                services.adhoc_member_remove(case=case, by=self.by, membership=membership)

    def _share(self, spec: ShareSpec) -> None:
        case = _pick(self.cases, spec.case)
        if spec.to_user:
            person = _pick(self._people_in(case.municipality_id), spec.target)
            if person is None:
                return
            recipient = {"user": person.user}
        else:
            recipient = {"body": _pick(self.bodies[case.municipality_id], spec.target)}
        expires_at = None
        if spec.state == "expired":
            expires_at = self.now + timedelta(hours=1)
        elif spec.state == "expires_later":
            expires_at = self.now + timedelta(days=30)
        share = services.case_share(
            case=case,
            by=self.by,
            purpose="Egenskabstest",
            criteria=CRITERIA,
            expires_at=expires_at,
            **recipient,
        )
        if spec.state == "revoked":
            services.share_revoke(share=share, by=self.by)

    def _concern(self, user_index: int, case_index: int):  # type: ignore[no-untyped-def]
        user = self.users[user_index % len(self.users)]
        case = _pick(self.cases, case_index)
        if (user_index % len(self.users), case.municipality_id) not in self.people:
            return None
        concern = ConcernFactory(
            author=user,
            municipality=case.municipality,
            young_person=case.young_person,
            description="Set sammen med ældre drenge.",
        )
        services.concern_link_to_case(concern=concern, case=case, by=self.by)
        return concern


def _expected_visible_ids() -> dict[int, set[int]]:
    """The rules, in plain Python over the raw facts: who sees which case."""
    consultant_of: dict[int, set[int]] = {}
    for user_id, municipality_id in Affiliation.objects.filter(is_ssp_consultant=True).values_list(
        "user_id", "municipality_id"
    ):
        consultant_of.setdefault(user_id, set()).add(municipality_id)
    bodies_of: dict[int, set[int]] = {}
    for user_id, body_id in Membership.objects.filter(person__user__isnull=False).values_list(
        "person__user_id", "body_id"
    ):
        bodies_of.setdefault(user_id, set()).add(body_id)
    now = timezone.now()
    active_shares = [
        share
        for share in Share.objects.all()
        if share.revoked_at is None and (share.expires_at is None or share.expires_at > now)
    ]
    cases = list(Case.objects.all())
    expected: dict[int, set[int]] = {}
    for user in User.objects.all():
        visible: set[int] = set()
        if user.is_active:
            bodies = bodies_of.get(user.pk, set())
            for case in cases:
                if (
                    case.municipality_id in consultant_of.get(user.pk, set())
                    or case.responsible_body_id in bodies
                    or (case.adhoc_group_id is not None and case.adhoc_group_id in bodies)
                    or any(
                        share.case_id == case.pk
                        and (share.user_id == user.pk or share.body_id in bodies)
                        for share in active_shares
                    )
                ):
                    visible.add(case.pk)
        expected[user.pk] = visible
    return expected


LITERAL_ID_LIST = re.compile(r"\bIN \(\s*\d")


def _check_world() -> None:
    expected = _expected_visible_ids()
    all_case_ids = list(Case.objects.values_list("pk", flat=True))
    for user in User.objects.all():
        queryset = permissions.cases_visible_to(user)
        with CaptureQueriesContext(connection) as queries:
            listed = set(queryset.values_list("pk", flat=True))
        assert listed == expected[user.pk], (
            f"cases_visible_to({user.email}) listed {sorted(listed)}, the rules give "
            f"{sorted(expected[user.pk])}: extra {sorted(listed - expected[user.pk])}, "
            f"missing {sorted(expected[user.pk] - listed)}"
        )
        if user.is_active:
            assert len(queries) == 1, (
                f"cases_visible_to({user.email}) took {len(queries)} queries, not one"
            )
            assert not LITERAL_ID_LIST.search(queries[0]["sql"]), (
                f"cases_visible_to({user.email}) carries a Python-side id list: {queries[0]['sql']}"
            )
        opened = set()
        for case_id in all_case_ids:
            try:
                permissions.case_for_user_or_404(user, case_id)
            except Http404:
                continue
            opened.add(case_id)
        assert opened == expected[user.pk], (
            f"case_for_user_or_404 opens {sorted(opened)} for {user.email}, the rules give "
            f"{sorted(expected[user.pk])}"
        )


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds)
def test_list_detail_and_rules_agree_on_who_sees_which_case(db, world: World) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        concerns = _Builder().build(world)
        _check_world()
        for concern in concerns:
            concern.author.refresh_from_db()
            if not concern.author.is_active:
                continue
            assert permissions.concerns_visible_to(concern.author).filter(pk=concern.pk).exists(), (
                f"{concern.author.email} cannot see the concern they wrote"
            )
        transaction.set_rollback(True)
