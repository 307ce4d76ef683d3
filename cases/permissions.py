"""Who may see and do what with young people, concerns and cases. The only module here that
talks to django-guardian's tables.

A case is visible to
- the SSP consultants of its municipality (for triage),
- the members of its responsible body and of its ad-hoc group,
- the recipients of an active §115 share: the members of a body, or one person.
The last three are object permissions in guardian's direct foreign-key tables, granted to the
auth groups that mirror bodies and to users by `sync_case_grants` from `CASE_ACCESS_RULES`.
Model-wide permissions and superuser status never grant access to a case; administrators
see no case content. The author of a concern sees that concern, not the case it joins.
Something a user may not see answers 404; visible but not theirs to do, 403.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from cases.models import (
    Case,
    CaseGroupObjectPermission,
    CaseStatus,
    CaseUserObjectPermission,
    Concern,
    ConcernStatus,
    Note,
    Share,
    YoungPerson,
)
from forum.models import LEAD_ROLES, Membership, Municipality
from forum.permissions import (
    is_administrator_anywhere,
    municipalities_administered_by,
    municipalities_triaged_by,
    triaged_municipality_ids,
)
from ssp.models import Sector, User

AnyUser = User | AnonymousUser

VIEW_CASE = "view_case"

# The one rule set: where a case's readers come from. Each rule yields the groups and the
# users that hold `cases.view_case` on the case; `sync_case_grants` makes the tables match.
CASE_ACCESS_RULES: dict[str, Callable[[Case], tuple[set[int], set[int]]]] = {
    "responsible body": lambda case: ({case.responsible_body.group_id}, set()),
    "ad-hoc group": lambda case: (
        {case.adhoc_group.group_id} if case.adhoc_group_id else set(),
        set(),
    ),
    "active shares": lambda case: (
        {s.body.group_id for s in _active_shares(case) if s.body_id},
        {s.user_id for s in _active_shares(case) if s.user_id},
    ),
}

# Who in a school team hears about a new concern about one of the school's pupils: its leads.
CONCERN_RECIPIENT_ROLES = LEAD_ROLES


def _active_shares(case: Case) -> list[Share]:
    now = timezone.now()
    return [
        share
        for share in case.shares.select_related("body")
        if share.revoked_at is None and (share.expires_at is None or share.expires_at > now)
    ]


def _view_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="cases", codename=VIEW_CASE)


def sync_case_grants(case: Case) -> None:
    """Make the case's object permissions equal to what the rules derive, in few queries."""
    groups: set[int] = set()
    users: set[int] = set()
    for rule in CASE_ACCESS_RULES.values():
        rule_groups, rule_users = rule(case)
        groups |= rule_groups
        users |= rule_users
    permission = _view_permission()
    _sync_table(CaseGroupObjectPermission, "group_id", case, permission, groups)
    _sync_table(CaseUserObjectPermission, "user_id", case, permission, users)


def _sync_table(
    model: type[CaseGroupObjectPermission] | type[CaseUserObjectPermission],
    holder: str,
    case: Case,
    permission: Permission,
    wanted: Iterable[int],
) -> None:
    wanted = set(wanted)
    rows = model.objects.filter(content_object=case, permission=permission)
    current = set(rows.values_list(holder, flat=True))
    rows.filter(**{f"{holder}__in": current - wanted}).delete()
    model.objects.bulk_create(
        [
            model(content_object=case, permission=permission, **{holder: holder_id})
            for holder_id in wanted - current
        ]
    )


def _visible_case_ids(user: User) -> QuerySet:
    """The ids of the cases the user may see, as one UNION subquery.

    A union of three index scans (the triaged municipalities' cases, the grants to the user's
    groups, the grants to the user) lets PostgreSQL build the small set first and join it to
    the cases, instead of walking all cases and testing each one against an OR.
    """
    triaged = (
        Case.objects.filter(municipality__in=triaged_municipality_ids(user)).order_by().values("pk")
    )
    group_grants = (
        CaseGroupObjectPermission.objects.filter(
            permission__codename=VIEW_CASE,
            group__in=Group.objects.filter(user=user).order_by().values("pk"),
        )
        .order_by()
        .values("content_object_id")
    )
    user_grants = (
        CaseUserObjectPermission.objects.filter(permission__codename=VIEW_CASE, user=user)
        .order_by()
        .values("content_object_id")
    )
    return triaged.union(group_grants, user_grants)


@functools.lru_cache(maxsize=4096)
def _visible_case_ids_sql(user_pk: int) -> tuple[str, tuple]:
    """`_visible_case_ids` as SQL and parameters, compiled once per user and process.

    The text depends on nothing but the user's id (every part of the rule is a lazy subquery,
    evaluated by PostgreSQL on each use), so compiling it again on every use only costs time:
    the front page uses it in five lists, about a quarter of the page's time.
    """
    sql, params = _visible_case_ids(User(pk=user_pk)).query.sql_with_params()
    return sql, tuple(params)


def cases_visible_to(user: AnyUser) -> QuerySet[Case]:
    """Every case the user may see, as one SQL query: the base of every list, count and search."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    # Django compiled the text itself and its values stay bound parameters.
    return Case.objects.filter(pk__in=RawSQL(*_visible_case_ids_sql(user.pk)))  # noqa: S611


def concerns_visible_to(user: AnyUser) -> QuerySet[Concern]:
    """Own concerns, the municipality's for its consultants, those of visible cases, and
    new concerns about a pupil for the chair and coordinator of that school's team."""
    if not user.is_authenticated or not user.is_active:
        return Concern.objects.none()
    return Concern.objects.filter(concern_visibility(user))


def concern_visibility(user: User) -> Q:
    """The rule of `concerns_visible_to` as a condition, for a query that has already narrowed
    the concerns down (statistics of one municipality and period): tested row by row on those,
    it is far cheaper than an `IN` over every visible concern."""
    triaged = municipalities_triaged_by(user).values("pk")
    recipient_of = Membership.objects.filter(
        body=OuterRef("school_team"), person__user=user, role__in=CONCERN_RECIPIENT_ROLES
    )
    member_of_routed = Membership.objects.filter(body=OuterRef("routed_to"), person__user=user)
    return (
        Q(author=user)
        | Q(municipality__in=triaged)
        | Q(case__in=cases_visible_to(user).values("pk"))
        # Only while new: once triaged into a case, its readers are the case's readers.
        | Q(Exists(recipient_of), status=ConcernStatus.NEW)
        | Q(Exists(member_of_routed))
    )


def young_people_visible_to(user: AnyUser) -> QuerySet[YoungPerson]:
    """Young people the user has a visible case or concern about, or may triage."""
    if not user.is_authenticated or not user.is_active:
        return YoungPerson.objects.none()
    triaged = municipalities_triaged_by(user).values("pk")
    return YoungPerson.objects.filter(
        Q(municipality__in=triaged)
        | Q(pk__in=cases_visible_to(user).values("young_person_id"))
        | Q(pk__in=concerns_visible_to(user).values("young_person_id"))
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
                "young_person", "category", "author", "case", "routed_to", "school_team"
            )
            .get(pk=pk)
        )
    except Concern.DoesNotExist:
        raise Http404 from None


def can_triage(user: AnyUser, municipality_id: int) -> bool:
    return municipalities_triaged_by(user).filter(pk=municipality_id).exists()


def can_log_concern(user: AnyUser) -> bool:
    """Any active professional affiliated with a municipality."""
    return bool(user.is_authenticated and user.is_active and user.municipalities.exists())


def is_case_member(user: AnyUser, case: Case) -> bool:
    """Member of the responsible body or ad-hoc group: works on the case, not only reads it."""
    bodies = [case.responsible_body_id, case.adhoc_group_id]
    return Membership.objects.filter(
        body_id__in=[b for b in bodies if b], person__user=user
    ).exists()


def can_work_on_case(user: AnyUser, case: Case) -> bool:
    """Add notes, actions and consent records; change status and details."""
    return _works_on_case(user, case, triages=can_triage(user, case.municipality_id))


def can_manage_case(user: AnyUser, case: Case) -> bool:
    """Share under §115, form the ad-hoc group, change the responsible body: the consultant
    or the case's coordinator."""
    return _manages_case(user, case, triages=can_triage(user, case.municipality_id))


def case_abilities(user: AnyUser, case: Case) -> tuple[bool, bool, bool]:
    """`can_work_on_case`, `can_manage_case` and whether the user may correct other people's
    notes (`can_correct_note`), together for the case page, which shows the forms of all
    three: the triage test they share is asked of the database once."""
    triages = can_triage(user, case.municipality_id)
    return (
        _works_on_case(user, case, triages=triages),
        _manages_case(user, case, triages=triages),
        _corrects_others_notes(user, triages=triages),
    )


def _corrects_others_notes(user: AnyUser, *, triages: bool) -> bool:
    return triages and user.sector != Sector.POLICE


def _works_on_case(user: AnyUser, case: Case, *, triages: bool) -> bool:
    return triages or is_case_member(user, case)


def _manages_case(user: AnyUser, case: Case, *, triages: bool) -> bool:
    return triages or (user.is_authenticated and case.coordinator_id == user.pk)


def can_reopen(user: AnyUser, case: Case) -> bool:
    return case.status == CaseStatus.CLOSED and can_manage_case(user, case)


def can_change_status(user: AnyUser, case: Case) -> bool:
    """Move a case along its statuses: whoever works on it, but a closed case is reopened only
    by those who manage it (`can_reopen`)."""
    return can_work_on_case(user, case) and (
        case.status != CaseStatus.CLOSED or can_reopen(user, case)
    )


def can_add_addendum(user: AnyUser, concern: Concern) -> bool:
    """Correct or add to a concern: its author, and the SSP consultants who triage it."""
    return concern.author_id == user.pk or can_triage(user, concern.municipality_id)


def concern_abilities(user: AnyUser, concern: Concern) -> tuple[bool, bool]:
    """`can_triage` and `can_add_addendum` together, for the concern page, which shows the
    forms of both: the triage test they share is asked of the database once."""
    triages = can_triage(user, concern.municipality_id)
    return triages, concern.author_id == user.pk or triages


def can_see_triage_queue(user: AnyUser) -> bool:
    """The list of new concerns: the SSP consultants of any municipality."""
    return municipalities_triaged_by(user).exists()


def audited_municipalities(user: AnyUser) -> QuerySet[Municipality]:
    """The municipalities whose access log the user may search and export: those they
    administer (the data-protection officer's role: they read who saw what, never the case
    content itself) and those whose cases they triage as SSP consultant (who answer for the
    municipality's SSP cases and may see every one of them anyway)."""
    return Municipality.objects.filter(
        Q(pk__in=municipalities_administered_by(user).values("pk"))
        | Q(pk__in=municipalities_triaged_by(user).values("pk"))
    )


def can_search_audit(user: AnyUser) -> bool:
    """The menu's rule for the access log. An administrator's answer is kept per request (the
    ActionCard item asks the same); a consultant's is asked only of the SSP secretariat's
    staff, so that the menu costs no query on the pages of everyone else. A consultant of
    another sector reaches the log from the triage queue, which only consultants see."""
    if user.is_staff and is_administrator_anywhere(user):
        return True
    return getattr(user, "sector", "") == Sector.SSP_SECRETARIAT and triages_anywhere(user)


_TRIAGES_ANYWHERE = "_ssp_triages_anywhere"


def triages_anywhere(user: AnyUser) -> bool:
    """`can_see_triage_queue`, kept on the user object, which lives for one request: the
    menu asks it on every page of the SSP secretariat's staff, the front page once more."""
    if not hasattr(user, _TRIAGES_ANYWHERE):
        setattr(user, _TRIAGES_ANYWHERE, can_see_triage_queue(user))
    return getattr(user, _TRIAGES_ANYWHERE)


def audit_scope_or_404(user: AnyUser) -> list[int]:
    """The ids of `audited_municipalities`, for the log's search and export; 404 for anyone
    who neither administers nor triages a municipality, to whom the log does not exist."""
    municipality_ids = list(audited_municipalities(user).values_list("pk", flat=True))
    if not municipality_ids:
        raise Http404
    return municipality_ids


def audit_readers_of_content(user: AnyUser, municipality_ids: Iterable[int]) -> set[int]:
    """Of the municipalities whose log the user searches, those where the log may show who
    a young person is (name and CPR number): the ones the user triages. An administrator who
    is not also the consultant there sees the young person's id and case numbers only."""
    return set(
        municipalities_triaged_by(user)
        .filter(pk__in=list(municipality_ids))
        .values_list("pk", flat=True)
    )


# Retention, legal hold and the deletion log: the data-protection side of a municipality.
# Its administrators set the retention periods and read the deletion log (which holds no
# personal data); legal holds are placed and released by its administrators and by its SSP
# consultants, who know when a case must be kept for the courts. Nobody else sees these pages.


def retention_municipalities(user: AnyUser) -> QuerySet[Municipality]:
    """The municipalities whose retention periods and deletion log the user manages."""
    return municipalities_administered_by(user)


def legal_hold_municipalities(user: AnyUser) -> QuerySet[Municipality]:
    """The municipalities whose legal holds the user places and releases."""
    if not user.is_authenticated or not user.is_active:
        return Municipality.objects.none()
    return Municipality.objects.filter(
        Q(pk__in=municipalities_administered_by(user).values("pk"))
        | Q(pk__in=triaged_municipality_ids(user))
    ).order_by("name")


def can_administer_retention(user: AnyUser) -> bool:
    """The main menu's rule for the retention pages (asked of staff only)."""
    return is_administrator_anywhere(user)


def retention_municipality_or_404(user: AnyUser, pk: int) -> Municipality:
    municipality = retention_municipalities(user).filter(pk=pk).first()
    if municipality is None:
        raise Http404
    return municipality


def legal_hold_municipality_or_404(user: AnyUser, pk: int) -> Municipality:
    municipality = legal_hold_municipalities(user).filter(pk=pk).first()
    if municipality is None:
        raise Http404
    return municipality


def can_correct_note(user: AnyUser, case: Case, note: Note) -> bool:
    """Correct a note (with a new note under it): its author, or an SSP consultant of the
    case's municipality; a police officer only their own notes. The note must be one the user
    reads."""
    if not notes_visible_to(user, case).filter(pk=note.pk).exists():
        return False
    if note.author_id == user.pk:
        return True
    return _corrects_others_notes(user, triages=can_triage(user, case.municipality_id))
