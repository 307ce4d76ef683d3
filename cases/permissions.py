"""Who may see and do what with young people, concerns and cases. The only module here that
talks to django-guardian's tables.

Every reader of a case is covered by one documented rule or by one recorded basis:

- **Handling sectors** (`HANDLING_SECTORS`, docs/legal.md): the municipality's own sectors that
  already handle children under their own legislation: school, social services, PPR, health,
  leisure (club) and the SSP secretariat. Police and "other" are not handling sectors.
- **The documented rules** (`RULES`), which need no recorded basis:
  R1 an SSP consultant of the case's municipality whose sector is a handling sector;
  R2 a member of the case's responsible body or ad-hoc group whose sector is a handling sector;
  R3 the case's coordinator (only a handling-sector user of the municipality may be chosen).
- **Recorded bases** (`cases.models.Basis`): a §115 or consent basis given to a body covers
  every current member of it, whatever their sector; one given to a person covers that person.
  A basis on another legal ground covers handling-sector readers only. A basis is active until
  it ends or its expiry passes.

Police and "other" sector users therefore read a case only through an active §115 or consent
basis: membership of a body is not a basis by itself.

R2, R3 and the bases are materialised as object permissions in guardian's direct foreign-key
tables by `cases.grants.sync_case_grants` from `CASE_ACCESS_RULES`. Each row carries the
expiry of what granted it (tested in SQL when a case is read, so an expired basis grants
nothing with no job run) and whether it reaches users outside the handling sectors
(`all_sectors`). R1 is read from the consultants' own triage permission. Model-wide
permissions and superuser status never grant access to a case; administrators see no case
content. The author of a concern sees that concern, not the case it joins. Something a user
may not see answers 404; visible but not theirs to do, 403.

A case or concern about several young people (a group, Herning's "specifik" level) is read
under these rules as a whole, but each young person in it is shown only to a reader whose
access covers that young person, everybody else seeing "en anden ung": rule S, stated and
decided in `cases.subject_permissions`.

Police (and every other reader outside the handling sectors) read and add their own notes; they
never steer a case: status, consent, details, coordinator and responsible body, sharing and the
ad-hoc group are for handling-sector users who work on or steer it (`can_work_on_case`,
`can_steer_case`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db.models import DateTimeField, Exists, Func, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Basis,
    BasisGround,
    Case,
    CaseGroupObjectPermission,
    CaseStatus,
    CaseUserObjectPermission,
    Concern,
    ConcernStatus,
    Note,
    YoungPerson,
)
from forum import permissions as forum_permissions
from forum.models import LEAD_ROLES, Body, Membership, Municipality
from forum.permissions import triaged_municipality_ids
from ssp.models import HANDLING_SECTORS, Sector, User

AnyUser = User | AnonymousUser

VIEW_CASE = "view_case"

# `HANDLING_SECTORS` (ssp.models) are the municipality's own sectors that already handle
# children under their own legislation; docs/legal.md says why each counts.


def in_handling_sector(user: AnyUser) -> bool:
    """Whether the user's sector is one of `HANDLING_SECTORS`."""
    return bool(user.is_authenticated and user.sector in HANDLING_SECTORS)


@dataclass(frozen=True)
class Rule:
    """A documented rule under which someone reads a case with no recorded basis."""

    code: str
    label: str | Promise


R1 = Rule("R1", _("SSP-konsulent i sagens kommune"))
R2 = Rule("R2", _("Medlem af sagens ansvarlige organ eller ad hoc-gruppe"))
R3 = Rule("R3", _("Sagens tovholder"))
RULES: tuple[Rule, ...] = (R1, R2, R3)


@dataclass(frozen=True)
class Grant:
    """A row the rules want in one of the case's grant tables."""

    holder: Literal["group", "user"]
    holder_id: int
    all_sectors: bool
    expires_at: datetime | None = None


@dataclass(frozen=True)
class CaseFacts:
    """What the rules read about one case: the case, its bodies' auth groups, its active bases."""

    case: Case
    groups: dict[int, int]  # body id -> auth group id
    bases: list[Basis]


def _basis_grant(basis: Basis, groups: dict[int, int]) -> Grant:
    if basis.body_id is not None:
        return Grant("group", groups[basis.body_id], basis.covers_all_sectors, basis.expires_at)
    return Grant("user", basis.user_id, basis.covers_all_sectors, basis.expires_at)


# The one rule set: where a case's grants come from. R1 needs none (the consultants' triage
# permission is read directly); R2 and R3 reach handling-sector users only.
CASE_ACCESS_RULES: dict[str, Callable[[CaseFacts], Iterable[Grant]]] = {
    "R2 responsible body": lambda facts: [
        Grant("group", facts.groups[facts.case.responsible_body_id], all_sectors=False)
    ],
    "R2 ad-hoc group": lambda facts: (
        [Grant("group", facts.groups[facts.case.adhoc_group_id], all_sectors=False)]
        if facts.case.adhoc_group_id
        else []
    ),
    "R3 coordinator": lambda facts: (
        [Grant("user", facts.case.coordinator_id, all_sectors=False)]
        if facts.case.coordinator_id
        else []
    ),
    "bases": lambda facts: [_basis_grant(basis, facts.groups) for basis in facts.bases],
}

# Who in a school team hears about a new concern about one of the school's pupils: its leads.
CONCERN_RECIPIENT_ROLES = LEAD_ROLES


class _ReadTime(Func):
    """The time of the statement reading a grant: expiry is judged when a case is read."""

    template = "STATEMENT_TIMESTAMP()"
    output_field = DateTimeField()


def _live() -> Q:
    return Q(expires_at__isnull=True) | Q(expires_at__gt=_ReadTime())


def case_facts(case: Case, *, bases: Iterable[Basis] | None = None) -> CaseFacts:
    """`bases`: the case's bases if already read (any of them: the active ones are kept),
    instead of reading its active ones again."""
    if bases is None:
        bases = case.bases.active().select_related("body", "user", "given_by", "consent")
    now = timezone.now()
    bases = [basis for basis in bases if basis.is_active(now)]
    body_ids = {case.responsible_body_id, case.adhoc_group_id} | {b.body_id for b in bases}
    groups = dict(Body.objects.filter(pk__in=body_ids - {None}).values_list("pk", "group_id"))
    return CaseFacts(case=case, groups=groups, bases=bases)


def _grant_case_ids(
    user: User, *, handling: bool, group_ids: list[int] | None = None
) -> tuple[QuerySet, QuerySet]:
    """The case ids of the live grants to the user's groups and to the user (with
    `group_ids`, the permission as a scalar subquery too: joined, PostgreSQL guesses that
    one grant in three hundred is a view grant)."""
    if group_ids is None:
        permission = Q(permission__codename=VIEW_CASE)
        groups: Iterable[int] | QuerySet = Group.objects.filter(user=user).order_by().values("pk")
    else:
        view_case = Permission.objects.filter(
            codename=VIEW_CASE, content_type__app_label="cases"
        ).values("pk")[:1]
        permission, groups = Q(permission_id=Subquery(view_case)), group_ids
    group_grants = CaseGroupObjectPermission.objects.filter(_live(), permission, group__in=groups)
    user_grants = CaseUserObjectPermission.objects.filter(_live(), permission, user=user)
    if not handling:
        group_grants = group_grants.filter(all_sectors=True)
        user_grants = user_grants.filter(all_sectors=True)
    return (
        group_grants.order_by().values("content_object_id"),
        user_grants.order_by().values("content_object_id"),
    )


def visible_case_parts(user: AnyUser) -> list[QuerySet[Case]]:
    """`cases_visible_to` as parts whose union is the same set of cases, each of which an
    index can walk in the list's order (newest activity first), so a page of 25 costs the
    same whether the user sees 1,000 cases or 100,000: one part per triaged municipality
    (the index `(municipality, -updated_at, -id)`), the grants to the user's groups and the
    grants to the user. `tests/cases/test_list_pagination.py` checks the union equals
    `cases_visible_to` for every persona."""
    return visible_case_parts_counted(user)[0]


def visible_case_parts_counted(user: AnyUser) -> tuple[list[QuerySet[Case]], int]:
    """`visible_case_parts` and how many of them, first, are whole triaged municipalities
    (the search probes those first, `cases.search`)."""
    if not user.is_authenticated or not user.is_active:
        return [], 0
    handling = in_handling_sector(user)
    # The user's groups as values, not a subquery: PostgreSQL then reads from its statistics
    # how many grants they hold (a subquery it guesses at two) and walks the cases newest
    # first instead of sorting thousands of granted cases for a page of 25.
    group_ids = list(Group.objects.filter(user=user).values_list("pk", flat=True))
    group_grants, user_grants = _grant_case_ids(user, handling=handling, group_ids=group_ids)
    # Read with the menu's answer to `triages_anywhere`, which then costs the page no query.
    parts = [Case.objects.filter(municipality_id=pk) for pk in triaged_municipality_pks(user)]
    return [
        *parts,
        Case.objects.filter(pk__in=group_grants),
        Case.objects.filter(pk__in=user_grants),
    ], len(parts)


def _visible_case_ids(user: User, *, handling: bool) -> QuerySet:
    """The ids of the cases the user may see, as one UNION subquery.

    A union of index scans (the triaged municipalities' cases, the live grants to the user's
    groups, the live grants to the user) lets PostgreSQL build the small set first and join it
    to the cases, instead of walking all cases and testing each one against an OR. A user
    outside the handling sectors gets no R1 part and only the grants that reach every sector.
    """
    grants = _grant_case_ids(user, handling=handling)
    if not handling:
        return grants[0].union(grants[1])
    triaged = (
        Case.objects.filter(municipality__in=triaged_municipality_ids(user)).order_by().values("pk")
    )
    return triaged.union(*grants)


@functools.lru_cache(maxsize=4096)
def _visible_case_ids_sql(user_pk: int, handling: bool) -> tuple[str, tuple]:
    """`_visible_case_ids` as SQL and parameters, compiled once per user, sector kind and
    process.

    The text depends on nothing but the user's id and whether their sector is a handling one
    (every part of the rule is a lazy subquery, and the time is the statement's own, evaluated
    by PostgreSQL on each use), so compiling it again on every use only costs time: the front
    page uses it in five lists, about a quarter of the page's time.
    """
    sql, params = _visible_case_ids(User(pk=user_pk), handling=handling).query.sql_with_params()
    return sql, tuple(params)


def cases_visible_to(user: AnyUser) -> QuerySet[Case]:
    """Every case the user may see, as one SQL query: the base of every list, count and search."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    sql = _visible_case_ids_sql(user.pk, in_handling_sector(user))
    # Django compiled the text itself and its values stay bound parameters.
    return Case.objects.filter(pk__in=RawSQL(*sql))  # noqa: S611


def municipalities_triaged_by(user: AnyUser) -> QuerySet[Municipality]:
    """The municipalities whose concerns and cases the user triages (R1): those where they are
    an SSP consultant, if their sector is a handling one."""
    if not in_handling_sector(user):
        return Municipality.objects.none()
    return forum_permissions.municipalities_triaged_by(user)


def concerns_visible_to(user: AnyUser) -> QuerySet[Concern]:
    """Own concerns, the municipality's for its consultants, those of visible cases, routed
    concerns for the routed body, and new concerns about a pupil for the chair and coordinator
    of that school's team."""
    if not user.is_authenticated or not user.is_active:
        return Concern.objects.none()
    return Concern.objects.filter(concern_visibility(user))


def concern_visibility(user: User) -> Q:
    """The rule of `concerns_visible_to` as a condition, for a query that has already narrowed
    the concerns down (statistics of one municipality and period): tested row by row on those,
    it is far cheaper than an `IN` over every visible concern.

    Outside the handling sectors a user sees their own concerns, those of cases they read, and
    a routed concern only through an active basis given for its routing.
    """
    handling = in_handling_sector(user)
    routing_bases = Basis.objects.filter(
        _live(), concern=OuterRef("pk"), ended_at__isnull=True, body__group__user=user
    )
    # A routing rule to a named person gives the basis to them (`cases.services.escalation`).
    personal_bases = Basis.objects.filter(
        _live(), concern=OuterRef("pk"), ended_at__isnull=True, user=user
    )
    if not handling:
        routing_bases = routing_bases.exclude(ground=BasisGround.LEGAL_GROUND)
        personal_bases = personal_bases.exclude(ground=BasisGround.LEGAL_GROUND)
    condition = (
        Q(author=user)
        | Q(case__in=cases_visible_to(user).values("pk"))
        | Q(Exists(routing_bases))
        | Q(Exists(personal_bases))
    )
    if not handling:
        return condition
    recipient_of = Membership.objects.filter(
        body=OuterRef("school_team"), person__user=user, role__in=CONCERN_RECIPIENT_ROLES
    )
    member_of_routed = Membership.objects.filter(body=OuterRef("routed_to"), person__user=user)
    return (
        condition
        | Q(municipality__in=municipalities_triaged_by(user).values("pk"))
        # Only while new: once triaged into a case, its readers are the case's readers.
        | Q(Exists(recipient_of), status=ConcernStatus.NEW)
        | Q(Exists(member_of_routed))
    )


def young_people_visible_to(user: AnyUser) -> QuerySet[YoungPerson]:
    """Young people the user has a visible case or concern about, or may triage.

    A concern the user wrote about a young person they typed in (not picked from this very
    lookup) does not count: the consultant may settle that it is a child already registered,
    and the reporter must not learn that, nor who it is (cases.identity).
    """
    if not user.is_authenticated or not user.is_active:
        return YoungPerson.objects.none()
    triaged = municipalities_triaged_by(user).values("pk")
    concerns = concerns_visible_to(user).exclude(Q(author=user) & ~Q(reported_name=""))
    return YoungPerson.objects.filter(
        Q(municipality__in=triaged)
        | Q(pk__in=cases_visible_to(user).values("young_person_id"))
        | Q(pk__in=concerns.values("young_person_id"))
    )


def notes_visible_to(user: User, case: Case) -> QuerySet[Note]:
    """Notes on a case the user can see; a restricted note only within the author's sector."""
    return case.notes.filter(
        Q(restricted_to_sector="") | Q(restricted_to_sector=user.sector) | Q(author=user)
    )


def case_for_user_or_404(user: AnyUser, pk: int) -> Case:
    try:
        return (
            cases_visible_to(user)
            .select_related(
                "young_person",
                "young_person__school",
                "responsible_body",
                "coordinator",
                "adhoc_group",
                "municipality",
            )
            .get(pk=pk)
        )
    except Case.DoesNotExist:
        raise Http404 from None


def concern_for_user_or_404(user: AnyUser, pk: int) -> Concern:
    try:
        return (
            concerns_visible_to(user)
            .select_related(
                "young_person__school",
                "category",
                "author",
                "case",
                "routed_to",
                "school_team",
                "municipality",
            )
            .get(pk=pk)
        )
    except Concern.DoesNotExist:
        raise Http404 from None


# --- Abilities --------------------------------------------------------------------------------


def can_triage(user: AnyUser, municipality_id: int) -> bool:
    return municipalities_triaged_by(user).filter(pk=municipality_id).exists()


def can_log_concern(user: AnyUser) -> bool:
    """Any active professional affiliated with a municipality."""
    return bool(user.is_authenticated and user.is_active and user.municipalities.exists())


def is_case_member(user: AnyUser, case: Case) -> bool:
    """Member of the responsible body or ad-hoc group."""
    bodies = [case.responsible_body_id, case.adhoc_group_id]
    return Membership.objects.filter(
        body_id__in=[b for b in bodies if b], person__user=user
    ).exists()


def can_read_case(user: AnyUser, case: Case) -> bool:
    return cases_visible_to(user).filter(pk=case.pk).exists()


def can_add_note(user: AnyUser, case: Case) -> bool:
    """Every reader of the case adds their own notes, police included."""
    return can_read_case(user, case)


def can_work_on_case(user: AnyUser, case: Case) -> bool:
    """Add and complete actions, record consent, move the status along: handling-sector users
    who triage the case, sit in its responsible body or ad-hoc group, or coordinate it."""
    return _works_on_case(user, case, triages=can_triage(user, case.municipality_id))


def can_record_consent(user: AnyUser, case: Case) -> bool:
    return can_work_on_case(user, case)


def can_steer_case(user: AnyUser, case: Case) -> bool:
    """Change the details, coordinator and responsible body, share and revoke, form and change
    the ad-hoc group: the consultant (R1) or the case's coordinator (R3)."""
    return _steers_case(user, case, triages=can_triage(user, case.municipality_id))


def _corrects_others_notes(user: AnyUser, *, triages: bool) -> bool:
    return triages and user.sector != Sector.POLICE


def _works_on_case(user: AnyUser, case: Case, *, triages: bool) -> bool:
    if not in_handling_sector(user):
        return False
    return triages or case.coordinator_id == user.pk or is_case_member(user, case)


def _steers_case(user: AnyUser, case: Case, *, triages: bool) -> bool:
    if not in_handling_sector(user):
        return False
    return triages or case.coordinator_id == user.pk


def can_reopen(user: AnyUser, case: Case) -> bool:
    return case.status == CaseStatus.CLOSED and can_steer_case(user, case)


def can_change_status(user: AnyUser, case: Case) -> bool:
    """Move a case along its statuses: whoever works on it, but a closed case is reopened only
    by those who steer it (`can_reopen`)."""
    return can_work_on_case(user, case) and (
        case.status != CaseStatus.CLOSED or can_reopen(user, case)
    )


@dataclass(frozen=True)
class CaseAbilities:
    """What a reader of the case may do on its page, each question asked once."""

    add_note: bool
    work: bool
    steer: bool
    change_status: bool
    # Correct other people's notes (`can_correct_note`); everyone corrects their own.
    correct_others_notes: bool

    @property
    def record_consent(self) -> bool:
        return self.work


def case_abilities(user: AnyUser, case: Case) -> CaseAbilities:
    """The abilities of a user who reads the case (the page fetched it through
    `case_for_user_or_404`): the triage test the others share is asked of the database once."""
    triages = can_triage(user, case.municipality_id)
    work = _works_on_case(user, case, triages=triages)
    steer = _steers_case(user, case, triages=triages)
    return CaseAbilities(
        add_note=True,
        work=work,
        steer=steer,
        change_status=work and (case.status != CaseStatus.CLOSED or steer),
        correct_others_notes=_corrects_others_notes(user, triages=triages),
    )


def can_add_addendum(user: AnyUser, concern: Concern) -> bool:
    """Correct or add to a concern: its author, and the SSP consultants who triage it."""
    return concern.author_id == user.pk or can_triage(user, concern.municipality_id)


def can_correct_concern(user: AnyUser, concern: Concern) -> bool:
    """Correct a concern's category, date or young person (with a reason, logged old → new):
    its author, and the SSP consultants who triage it; the same people who add to it."""
    return can_add_addendum(user, concern)


def concern_abilities(user: AnyUser, concern: Concern) -> tuple[bool, bool]:
    """`can_triage` and `can_add_addendum` together, for the concern page, which shows the
    forms of both: the triage test they share is asked of the database once."""
    triages = can_triage(user, concern.municipality_id)
    return triages, concern.author_id == user.pk or triages


def can_see_triage_queue(user: AnyUser) -> bool:
    """The list of new concerns: the SSP consultants (of a handling sector) of any
    municipality."""
    return municipalities_triaged_by(user).exists()


_TRIAGES_ANYWHERE = "_ssp_triages_anywhere"


def triages_anywhere(user: AnyUser) -> bool:
    """`can_see_triage_queue`, kept on the user object, which lives for one request: the
    menu asks it on every page of the SSP secretariat's staff, the front page once more. A
    page that has read `triaged_municipality_pks` already has the answer."""
    if not hasattr(user, _TRIAGES_ANYWHERE):
        triaged_municipality_pks(user)
    return getattr(user, _TRIAGES_ANYWHERE)


def triaged_municipality_pks(user: AnyUser) -> list[int]:
    """The ids of `municipalities_triaged_by`, as values for the lists that walk an index per
    municipality (the case list's parts, the triage queue). Read afresh on every call (it
    decides what the user sees), and `triages_anywhere` is kept on the user with it: the
    menu's question on the same page is the same read, not a query of its own. No query for a
    user outside the handling sectors."""
    pks = forum_permissions.triaged_municipality_pks(user) if in_handling_sector(user) else []
    setattr(user, _TRIAGES_ANYWHERE, bool(pks))
    return pks


def can_correct_note(user: AnyUser, case: Case, note: Note) -> bool:
    """Correct a note (with a new note under it): its author, or an SSP consultant of the
    case's municipality; a police officer only their own notes. The note must be one the user
    reads."""
    if not notes_visible_to(user, case).filter(pk=note.pk).exists():
        return False
    if note.author_id == user.pk:
        return True
    return _corrects_others_notes(user, triages=can_triage(user, case.municipality_id))
