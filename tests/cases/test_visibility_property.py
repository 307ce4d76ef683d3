"""Property test of issue 14: over random sequences of the operations that widen or narrow who
reads a case, the readers of every case are exactly the people covered by a documented rule or
an active recorded basis, and no police user ever reads a case without an active §115 or
consent basis covering them.

The reference reads the raw facts only (users' sectors and affiliations, memberships, cases'
bodies and coordinators, the bases and their expiry), never guardian's grant tables or the
auth groups, so a grant left behind, missing or outliving its expiry is caught. The rules
(cases/permissions.py, docs/legal.md):
- R1 an SSP consultant of the case's municipality in a handling sector;
- R2 a member of the case's responsible body or ad-hoc group in a handling sector;
- R3 the case's coordinator (a handling-sector user);
- a basis not ended and not expired covers its user, or every member of its body; one on
  another legal ground covers handling-sector users only.

Each example builds a small world of its own through the services (opening and triage with and
without a body basis, shares with and without expiry, revocation, time passing beyond an expiry,
the ad-hoc group and its members, police with a basis, consent obtained and withdrawn with
consent bases, agenda items, people joining and leaving bodies, coordinator changes) and rolls
it back afterwards.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import permissions, selectors, services
from cases.models import Basis, BasisGround, BasisOrigin, Case, ConsentStatus
from forum import services as forum_services
from forum.models import Affiliation, Body, Membership, Municipality, Person
from meetings import services as meeting_services
from meetings.models import Meeting
from ssp.models import Sector, User
from tests.cases.clock import time_passes
from tests.factories import ConcernFactory

pytestmark = pytest.mark.django_db

CRITERIA = dict.fromkeys(services.SHARE_CRITERIA, True)
HANDLING_BODIES = ("SSP-team Vestervang", "SSP-team Nordvang", "Mandagsgruppen (§115)")
OTHER_BODIES = ("SSP-Forum Glostrup",)
SECTORS = (
    Sector.SCHOOL,
    Sector.SOCIAL,
    Sector.SSP_SECRETARIAT,
    Sector.POLICE,
    Sector.POLICE,
    Sector.OTHER,
)
EXPIRIES = (None, timedelta(hours=1), timedelta(days=30))
NON_READING = (Sector.POLICE, Sector.OTHER)

small = st.integers(0, 7)
basis_kind = st.sampled_from(("none", "section_115", "consent"))

OPERATIONS = st.one_of(
    st.tuples(st.just("open"), small, st.booleans(), st.sampled_from(EXPIRIES), st.booleans()),
    st.tuples(st.just("share"), small, st.booleans(), small, st.sampled_from(EXPIRIES)),
    st.tuples(st.just("consent_share"), small, st.booleans(), small),
    st.tuples(st.just("legal_share"), small, st.booleans(), small),
    st.tuples(st.just("revoke"), small, small),
    st.tuples(st.just("time"), st.sampled_from((timedelta(hours=2), timedelta(days=40)))),
    st.tuples(st.just("adhoc"), small, small, basis_kind),
    st.tuples(st.just("member_add"), small, small, basis_kind),
    st.tuples(st.just("member_remove"), small, small),
    st.tuples(st.just("consent"), small, st.booleans()),
    st.tuples(st.just("agenda"), small, small),
    st.tuples(st.just("join"), small, small),
    st.tuples(st.just("leave"), small, small),
    st.tuples(st.just("coordinator"), small, small),
    st.tuples(st.just("body"), small, small, st.booleans()),
)


@dataclass(frozen=True)
class UserSpec:
    sector: str
    consultant: bool


user_specs = st.builds(
    UserSpec, sector=st.sampled_from(SECTORS), consultant=st.sampled_from((False, False, True))
)


def _pick(items: list, index: int):  # type: ignore[no-untyped-def]
    return items[index % len(items)] if items else None


@dataclass
class _World:
    """A small world in Glostrup, built and changed only through the services."""

    users: list[User]
    people: list[Person]
    handling: list[Body]
    bodies: list[Body]
    by: User
    cases: list[Case] = field(default_factory=list)
    meetings: dict[int, Meeting] = field(default_factory=dict)

    @classmethod
    def build(cls, specs: list[UserSpec]) -> _World:
        glostrup = Municipality.objects.get(code="161")
        handling = [Body.objects.get(municipality=glostrup, name=n) for n in HANDLING_BODIES]
        others = [Body.objects.get(municipality=glostrup, name=n) for n in OTHER_BODIES]
        users, people = [], []
        for index, spec in enumerate(specs):
            person = forum_services.person_create(
                municipality=glostrup,
                full_name=f"Egenskab Person {index}",
                sector=spec.sector,
                email=f"egenskab{index}@test.ssp",
                with_login=True,
            )
            # Only a handling sector may be SSP consultant (forum.grants refuses the rest).
            forum_services.affiliation_set(
                user=person.user,
                municipality=glostrup,
                is_ssp_consultant=spec.consultant and spec.sector in permissions.HANDLING_SECTORS,
                by=None,
            )
            users.append(person.user)
            people.append(person)
        return cls(
            users=users,
            people=people,
            handling=handling,
            bodies=handling + others,
            by=User.objects.get(email="konsulent@demo.ssp"),
        )

    def apply(self, operation: tuple) -> None:
        name, *args = operation
        case_ops = {"open", "agenda", "time", "join", "leave"}
        if name not in case_ops and not self.cases:
            return
        # Refused by a service: nothing was saved, the world stays as it was.
        with contextlib.suppress(ValidationError):
            getattr(self, f"_{name}")(*args)

    def _case(self, index: int) -> Case:
        case = _pick(self.cases, index)
        case.refresh_from_db()
        return case

    def _section_115(self, expires: timedelta | None = None) -> services.BasisRequest:
        return services.BasisRequest(
            purpose="Egenskabstest.",
            criteria=CRITERIA,
            expires_at=timezone.now() + expires if expires else None,
        )

    def _open(self, body: int, with_basis: bool, expires: timedelta | None, triage: bool) -> None:
        responsible = _pick(self.handling, body)
        basis = self._section_115(expires) if with_basis else None
        name = f"Egenskab Ung {len(self.cases)}"
        if triage:
            concern = ConcernFactory(
                author=self.by,
                municipality=responsible.municipality,
                young_person__full_name=name,
            )
            case = services.concern_open_case(
                concern=concern,
                by=self.by,
                responsible_body=responsible,
                level="individual",
                prevention_kind="reactive",
                body_basis=basis,
            )
        else:
            young_person = services.young_person_find_or_create(
                municipality=responsible.municipality, full_name=name, created_by=self.by
            )
            case = services.case_open(
                municipality=responsible.municipality,
                young_person=young_person,
                responsible_body=responsible,
                opened_by=self.by,
                level="individual",
                prevention_kind="reactive",
                body_basis=basis,
            )
        self.cases.append(case)

    def _recipient(self, to_user: bool, target: int) -> dict:
        if to_user:
            return {"user": _pick(self.users, target)}
        return {"body": _pick(self.bodies, target)}

    def _share(self, case: int, to_user: bool, target: int, expires: timedelta | None) -> None:
        services.case_share(
            case=self._case(case),
            by=self.by,
            purpose="Egenskabstest.",
            criteria=CRITERIA,
            expires_at=timezone.now() + expires if expires else None,
            **self._recipient(to_user, target),
        )

    def _consent_share(self, case: int, to_user: bool, target: int) -> None:
        subject = self._case(case)
        services.case_share(
            case=subject,
            by=self.by,
            purpose="Samtykke.",
            ground=BasisGround.CONSENT,
            consent=services.current_consent(subject),
            **self._recipient(to_user, target),
        )

    def _legal_share(self, case: int, to_user: bool, target: int) -> None:
        services.basis_give(
            by=self.by,
            origin=BasisOrigin.SHARE,
            purpose="Anden hjemmel.",
            case=self._case(case),
            ground=BasisGround.LEGAL_GROUND,
            legal_ground="Barnets lov",
            **self._recipient(to_user, target),
        )

    def _revoke(self, case: int, which: int) -> None:
        open_bases = list(self._case(case).bases.filter(ended_at__isnull=True).order_by("pk"))
        if open_bases:
            services.share_revoke(share=_pick(open_bases, which), by=self.by)

    def _time(self, delta: timedelta) -> None:
        time_passes(delta)

    def _member_basis(self, case: Case, kind: str) -> services.BasisRequest | None:
        if kind == "section_115":
            return self._section_115()
        if kind == "consent":
            return services.BasisRequest(
                purpose="Samtykke.",
                ground=BasisGround.CONSENT,
                consent=services.current_consent(case),
            )
        return None

    def _adhoc(self, case: int, coordinator: int, kind: str) -> None:
        subject = self._case(case)
        if subject.adhoc_group_id is not None:
            services.adhoc_group_close(case=subject, by=self.by)
            return
        # The coordinator is a handling-sector user (R3): anyone else is refused.
        services.adhoc_group_form(
            case=subject, by=self.by, coordinator=_pick(self.people, coordinator)
        )

    def _member_add(self, case: int, person: int, kind: str) -> None:
        subject = self._case(case)
        if subject.adhoc_group_id is None:
            return
        services.adhoc_member_add(
            case=subject,
            by=self.by,
            person=_pick(self.people, person),
            basis=self._member_basis(subject, kind),
        )

    def _member_remove(self, case: int, person: int) -> None:
        subject = self._case(case)
        membership = Membership.objects.filter(
            body_id=subject.adhoc_group_id, person=_pick(self.people, person)
        ).first()
        if membership is not None:
            services.adhoc_member_remove(case=subject, by=self.by, membership=membership)

    def _consent(self, case: int, obtained: bool) -> None:
        services.consent_record(
            case=self._case(case),
            by=self.by,
            status=ConsentStatus.OBTAINED if obtained else ConsentStatus.REFUSED,
        )

    def _agenda(self, case: int, body: int) -> None:
        if not self.cases:
            return
        body_obj = _pick(self.handling, body)
        meeting = self.meetings.get(body_obj.pk)
        if meeting is None:
            starts = timezone.now() + timedelta(days=7)
            meeting = meeting_services.meeting_create(
                body=body_obj,
                organiser=self.by,
                title="Egenskabsmøde",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                notify=False,
            )
            self.meetings[body_obj.pk] = meeting
        meeting_services.agenda_item_add(
            meeting=meeting,
            by=self.by,
            title="Sag",
            case=self._case(case),
            purpose="Drøftes.",
            criteria=CRITERIA,
        )

    def _join(self, person: int, body: int) -> None:
        forum_services.membership_add(
            body=_pick(self.bodies, body), person=_pick(self.people, person), by=None
        )

    def _leave(self, person: int, body: int) -> None:
        membership = Membership.objects.filter(
            body=_pick(self.bodies, body), person=_pick(self.people, person)
        ).first()
        if membership is not None:
            forum_services.membership_remove(membership=membership, by=None)

    def _coordinator(self, case: int, user: int) -> None:
        subject = self._case(case)
        coordinator = None if user == 0 else _pick(self.users, user)
        services.case_update_details(
            case=subject,
            by=self.by,
            level=subject.level,
            prevention_kind=subject.prevention_kind,
            responsible_body=subject.responsible_body,
            coordinator=coordinator,
            follow_up_on=None,
        )

    def _body(self, case: int, body: int, with_basis: bool) -> None:
        subject = self._case(case)
        services.case_update_details(
            case=subject,
            by=self.by,
            level=subject.level,
            prevention_kind=subject.prevention_kind,
            responsible_body=_pick(self.handling, body),
            coordinator=subject.coordinator,
            follow_up_on=None,
            body_basis=self._section_115() if with_basis else None,
        )


# --- The reference: the rules over the raw facts -----------------------------------------------


def _expected(world: _World) -> dict[tuple[int, int], tuple[bool, bool]]:
    """(user, case) -> (reads, reads through a §115 or consent basis), from the raw facts."""
    now = timezone.now()
    users = {u.pk: u for u in User.objects.filter(pk__in=[u.pk for u in world.users])}
    consultants = set(
        Affiliation.objects.filter(is_ssp_consultant=True, user__in=users).values_list(
            "user_id", "municipality_id"
        )
    )
    memberships = set(
        Membership.objects.filter(person__user__in=users).values_list("person__user_id", "body_id")
    )
    cases = Case.objects.filter(pk__in=[c.pk for c in world.cases])
    bases = [
        b
        for b in Basis.objects.filter(case__in=cases, ended_at__isnull=True)
        if b.expires_at is None or b.expires_at > now
    ]
    expected = {}
    for case in cases:
        for user in users.values():
            handling = user.sector in permissions.HANDLING_SECTORS
            member_of = {body for (u, body) in memberships if u == user.pk}
            rule = handling and (
                (user.pk, case.municipality_id) in consultants
                or case.responsible_body_id in member_of
                or (case.adhoc_group_id is not None and case.adhoc_group_id in member_of)
                or case.coordinator_id == user.pk
            )
            covering = [
                b
                for b in bases
                if b.case_id == case.pk
                and (b.user_id == user.pk or (b.body_id is not None and b.body_id in member_of))
                and (b.ground != BasisGround.LEGAL_GROUND or handling)
            ]
            strong = any(
                b.ground in (BasisGround.SECTION_115, BasisGround.CONSENT) for b in covering
            )
            expected[(user.pk, case.pk)] = (
                user.is_active and (rule or bool(covering)),
                user.is_active and strong,
            )
    return expected


def _check(world: _World) -> None:
    for case in world.cases:
        case.refresh_from_db()
    expected = _expected(world)
    case_ids = [c.pk for c in world.cases]
    readers = {c.pk: {r.user.pk for r in selectors.case_readers(c)} for c in world.cases}
    for user in world.users:
        with CaptureQueriesContext(connection) as queries:
            listed = set(
                permissions.cases_visible_to(user)
                .filter(pk__in=case_ids)
                .values_list("pk", flat=True)
            )
        assert len(queries) == 1, f"cases_visible_to({user.email}) took {len(queries)} queries"
        for case_id in case_ids:
            reads, strong = expected[(user.pk, case_id)]
            assert (case_id in listed) == reads, (
                f"cases_visible_to({user.email}, {user.sector}) says {case_id in listed} for "
                f"case {case_id}; the rules and bases say {reads}"
            )
            try:
                permissions.case_for_user_or_404(user, case_id)
                opened = True
            except Http404:
                opened = False
            assert opened == reads, f"the case page of {case_id} disagrees for {user.email}"
            assert (user.pk in readers[case_id]) == reads, (
                f"case_readers({case_id}) disagrees for {user.email}"
            )
            if user.sector in NON_READING and reads:
                assert strong, (
                    f"{user.email} ({user.sector}) reads case {case_id} without an active §115 "
                    "or consent basis covering them"
                )


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(user_specs, min_size=3, max_size=4),
    operations=st.lists(OPERATIONS, min_size=1, max_size=12),
)
def test_readers_are_exactly_the_documented_rules_and_the_active_bases(  # type: ignore[no-untyped-def]
    db, specs: list[UserSpec], operations: list[tuple]
) -> None:
    with transaction.atomic():
        world = _World.build(specs)
        world.apply(("open", 0, False, None, False))
        for operation in operations:
            world.apply(operation)
        _check(world)
        transaction.set_rollback(True)
