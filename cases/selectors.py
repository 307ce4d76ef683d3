"""Reads of young people, concerns and cases. Everything personal starts from the visibility
querysets in `cases.permissions`, so a list, a count and a search can never show more than the
per-object check allows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from cases import cpr, permissions, search
from cases.models import (
    Action,
    Basis,
    Case,
    CaseEvent,
    CaseSubject,
    Concern,
    ConcernCategory,
    ConcernChange,
    ConcernStatus,
    Consent,
    LegalHold,
    YoungPerson,
)
from forum.models import Affiliation, Body, Membership, Municipality, case_handling_q
from ssp.models import User

_DATE_PATTERNS = (
    (re.compile(r"^(\d{2})(\d{2})(\d{2})$"), "%d%m%y"),
    (re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$"), None),
)


def parse_birth_date(text: str) -> date | None:
    """A birth date typed as DDMMÅÅ, DD-MM-ÅÅÅÅ or DD.MM.ÅÅÅÅ, or None."""
    text = text.strip()
    if match := _DATE_PATTERNS[0][0].match(text):
        try:
            return datetime.strptime(text, "%d%m%y").date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            return None
    if match := _DATE_PATTERNS[1][0].match(text):
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def looks_like_cpr(text: str) -> bool:
    return bool(re.fullmatch(r"\s*\d{6}\s*-?\s*\d{4}\s*", text or ""))


_CASE_NUMBER = re.compile(r"\s*(?:sag\s*)?(\d{1,9})\s*", re.IGNORECASE)
AUDIT_SUBJECTS_LIMIT = 20


def audit_subjects(
    *,
    municipality_ids: list[int],
    query: str = "",
    young_person_id: int | None = None,
    young_person_ids: list[int] | None = None,
) -> list[YoungPerson]:
    """The young people an access-log search is about, within the municipalities whose log
    the searcher reads: by CPR number (exact, through its keyed hash), by case number ("4" or
    "Sag 4"), else by name; and by id. Each comes with `scope_case_numbers`, the numbers of
    their cases in those municipalities."""
    people = YoungPerson.objects.filter(municipality_id__in=municipality_ids)
    query = query.strip()
    if query:
        if looks_like_cpr(query):
            condition = Q(cpr_hash=cpr.lookup_hash(cpr.normalise(query)))
        elif number := _CASE_NUMBER.fullmatch(query):
            condition = Q(
                pk__in=Case.objects.filter(
                    pk=int(number.group(1)), municipality_id__in=municipality_ids
                ).values("young_person_id")
            )
        else:
            condition = Q(full_name__icontains=query)
        people = people.filter(condition)
    if young_person_id is not None:
        people = people.filter(pk=young_person_id)
    if young_person_ids is not None:
        people = people.filter(pk__in=young_person_ids)
    found = list(people.order_by("full_name", "pk")[:AUDIT_SUBJECTS_LIMIT])
    numbers: dict[int, list[int]] = {person.pk: [] for person in found}
    for young_person_id_, case_id in (
        Case.objects.filter(young_person__in=found, municipality_id__in=municipality_ids)
        .order_by("pk")
        .values_list("young_person_id", "pk")
    ):
        numbers[young_person_id_].append(case_id)
    # And the cases about a group that name them.
    for young_person_id_, case_id in (
        CaseSubject.objects.filter(
            young_person__in=found, case__municipality_id__in=municipality_ids
        )
        .order_by("case_id")
        .values_list("young_person_id", "case_id")
    ):
        numbers[young_person_id_].append(case_id)
    for person in found:
        person.scope_case_numbers = numbers[person.pk]
    return found


@dataclass(frozen=True)
class CaseFilters:
    query: str = ""
    status: str = ""
    body: int | None = None
    mine: bool = False


def _narrowed(cases: QuerySet[Case], *, user: User, filters: CaseFilters) -> QuerySet[Case]:
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.body:
        cases = cases.filter(responsible_body_id=filters.body)
    if filters.mine:
        cases = cases.filter(
            Q(coordinator=user)
            | Q(Exists(Membership.objects.filter(body=OuterRef("adhoc_group"), person__user=user)))
        )
    return cases


def case_list(*, user: User, filters: CaseFilters) -> QuerySet[Case]:
    """The case list and search as one query: visible cases, filtered, newest activity first
    (the reference the pages' parts are checked against)."""
    cases = _narrowed(permissions.cases_visible_to(user), user=user, filters=filters)
    query = filters.query.strip()
    if query:
        cases = cases.filter(search.search_condition(query, born=parse_birth_date(query)))
    return cases.order_by("-updated_at", "-id")


def case_list_parts(*, user: User, filters: CaseFilters) -> search.SearchParts:
    """`case_list` as parts whose union is the list, for `ssp.pagination.keyset_page`: the
    parts of `permissions.visible_case_parts`, each filtered, so each page is cut by index
    walks in the list's order whatever the number of visible cases. A search narrows each
    part by `cases.search.search_parts`, which also counts it; without one, `count` is None
    (the paginator counts the parts)."""
    visible, whole = permissions.visible_case_parts_counted(user)
    parts = [_narrowed(part, user=user, filters=filters) for part in visible]
    query = filters.query.strip()
    if not query:
        return search.SearchParts(parts, None, False)
    return search.search_parts(parts, query, born=parse_birth_date(query), whole=whole)


# The columns of a case list row, and the access log's municipality and young person.
CASE_LIST_ROW_FIELDS = (
    *("municipality_id", "status", "subject_description", "updated_at"),
    *("young_person__full_name", "responsible_body__name", "coordinator__full_name"),
)


def case_list_rows(ids: list[int]) -> QuerySet[Case]:
    """The rows of one page of `case_list` (their ids, cut by `keyset_page`), with the young
    person, body and coordinator it shows, in the list's order.

    The relations are joined to the page's 25 ids, not to the visible cases before the page
    is cut: joined first, PostgreSQL joins every case a consultant sees (10,000) and every user
    before it sorts (51 ms instead of 17 at scale).
    """
    return (
        Case.objects.filter(pk__in=ids)
        .select_related("young_person", "responsible_body", "coordinator")
        # What the rows show (`cases.templatetags.case_tables`) and the access log names: a
        # case, its young person and its coordinator have forty columns, ten of them times.
        .only(*CASE_LIST_ROW_FIELDS)
        .order_by("-updated_at", "-id")
    )


def triage_queue(*, user: User, municipality_ids: list[int] | None = None) -> QuerySet[Concern]:
    """New concerns in the municipalities the user triages, most urgent and oldest first
    (`municipality_ids`: those municipalities as the caller has just read them with
    `permissions.triaged_municipality_pks`)."""
    if municipality_ids is None:
        municipality_ids = permissions.triaged_municipality_pks(user)
    return (
        Concern.objects.filter(
            # As values, not a subquery: for the usual one municipality PostgreSQL then walks
            # `cases_concern_triage_idx` in the queue's order and stops at the page.
            municipality__in=municipality_ids,
            status=ConcernStatus.NEW,
        )
        .select_related("young_person", "category", "author", "municipality")
        .order_by(*TRIAGE_ORDER)
    )


# The triage queue's order: most urgent first ("urgent" > "soon" > "normal"), then oldest
# first; the id breaks ties, so a page is addressed by its last row (`ssp.pagination`).
TRIAGE_ORDER = ("-urgency", "submitted_at", "id")
CLOSED_ORDER = ("-submitted_at", "-id")


def triage_queue_parts(municipality_ids: list[int]) -> list[QuerySet[Concern]]:
    """`triage_queue` as one part per municipality the user triages, for
    `ssp.pagination.keyset_page`: each part is cut to the page by its own walk of
    `cases_concern_triage_idx`, whatever the number of new concerns (`municipality_ids`:
    `permissions.triaged_municipality_pks`)."""
    return [
        Concern.objects.filter(municipality_id=pk, status=ConcernStatus.NEW)
        for pk in municipality_ids
    ]


def closed_concern_parts(municipality_ids: list[int]) -> list[QuerySet[Concern]]:
    """`closed_concerns` as one part per triaged municipality, each walking
    `(municipality, status, -submitted_at)`."""
    return [
        Concern.objects.filter(municipality_id=pk, status=ConcernStatus.CLOSED)
        for pk in municipality_ids
    ]


def closed_concerns(*, user: User, municipality_ids: list[int] | None = None) -> QuerySet[Concern]:
    """Concerns the consultant's municipalities closed without a case, newest first: once
    closed they leave the triage queue, and must not leave every list."""
    if municipality_ids is None:
        municipality_ids = permissions.triaged_municipality_pks(user)
    return (
        Concern.objects.filter(
            municipality__in=municipality_ids,
            status=ConcernStatus.CLOSED,
        )
        .select_related("young_person", "category", "triaged_by", "municipality")
        .order_by(*CLOSED_ORDER)
    )


def concerns_by_author(*, user: User) -> QuerySet[Concern]:
    return (
        Concern.objects.filter(author=user)
        .select_related("young_person", "category")
        .order_by("-submitted_at")
    )


def concerns_for_my_teams(*, user: User) -> QuerySet[Concern]:
    """New or routed concerns the user hears about as chair/coordinator or member of a body.

    Visibility decides, as everywhere; the second filter only narrows the rows PostgreSQL has
    to test to those a body of the user's can reach (or that belong to a case, whose readers
    decide). Without it, a consultant, for whom every concern of their own municipality is
    left out, had every pending concern of the country tested against the visibility rule.
    """
    memberships = Membership.objects.filter(person__user=user)
    return (
        permissions.concerns_visible_to(user)
        .exclude(author=user)
        .filter(Q(status=ConcernStatus.NEW) | Q(status=ConcernStatus.ROUTED))
        .exclude(municipality__in=permissions.municipalities_triaged_by(user).values("pk"))
        .filter(
            Q(
                status=ConcernStatus.NEW,
                school_team__in=memberships.filter(
                    role__in=permissions.CONCERN_RECIPIENT_ROLES
                ).values("body_id"),
            )
            | Q(routed_to__in=memberships.values("body_id"))
            | Q(case__isnull=False)
        )
        .select_related("young_person", "category")
        .order_by("-submitted_at")
    )


def categories_for(municipality: Municipality) -> QuerySet[ConcernCategory]:
    return municipality.concern_categories.filter(is_active=True)


LOOKUP_MIN_LENGTH = 2


def young_people_matching(*, user: User, municipality: Municipality, query: str) -> list:
    """Young people for the concern form's lookup: only those the user may already know of.

    A professional who is not a consultant finds the young people of their own concerns and
    cases; anyone else is created anew (and merged by CPR number, silently, in the service).
    """
    query = query.strip()
    if len(query) < LOOKUP_MIN_LENGTH:
        return []
    people = permissions.young_people_visible_to(user).filter(municipality=municipality)
    born = parse_birth_date(query)
    condition = Q(full_name__icontains=query)
    if born is not None:
        condition |= Q(birth_date=born)
    return list(people.filter(condition).select_related("school").order_by("full_name")[:10])


def handling_bodies_of(user: User) -> QuerySet[Body]:
    """The case-handling bodies of the user's municipalities: the case list's filter (by
    name; bodies of the same name by municipality)."""
    return Body.objects.filter(
        case_handling_q(), municipality__in=user.municipalities.values("pk")
    ).order_by("name", "municipality__name", "pk")


def handling_bodies(municipality_id: int) -> QuerySet[Body]:
    """The bodies that can be responsible for a case: school teams, the §115 group, and the
    bodies of a type the municipality lets handle cases (`forum.models.case_handling_q`)."""
    return Body.objects.filter(case_handling_q(), municipality_id=municipality_id).order_by(
        "kind", "name"
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    obj: object


def case_timeline(*, user: User, case: Case, corrects_others: bool = False) -> list[TimelineEntry]:
    """Concerns, notes, actions and events of a case, oldest first, in four queries.

    A note's corrections are listed under it (`note.shown_corrections`), not on their own;
    `note.can_correct` says whether the user may add one: the author, or, with
    `corrects_others`, an SSP consultant (`permissions.can_correct_note`).
    """
    entries = [
        TimelineEntry(c.submitted_at, "concern", c)
        for c in case.concerns.select_related("author", "category").prefetch_related(
            "addenda__author",
            Prefetch("changes", queryset=ConcernChange.objects.select_related("changed_by")),
        )
    ]
    notes = list(permissions.notes_visible_to(user, case).select_related("author"))
    by_id = {note.pk: note for note in notes}
    for note in notes:
        note.shown_corrections = []
        note.can_correct = corrects_others or note.author_id == user.pk
    for note in notes:
        if note.corrects_id in by_id:
            by_id[note.corrects_id].shown_corrections.append(note)
        else:
            entries.append(TimelineEntry(note.created_at, "note", note))
    entries += [
        TimelineEntry(e.at, "event", e)
        for e in CaseEvent.objects.filter(case=case).select_related("actor")
    ]
    entries.sort(key=lambda entry: entry.at)
    return entries


def case_actions(case: Case) -> QuerySet[Action]:
    return case.actions.select_related("responsible")


def case_consent(case: Case) -> Consent | None:
    return case.consents.select_related("recorded_by").order_by("-recorded_at").first()


def bases_for_case(case: Case) -> QuerySet[Basis]:
    """Every basis given for the case, active and ended, newest first, with its recipient, who
    gave it and the consent it rests on (who ended it is `.select_related("ended_by")` more)."""
    return (
        Basis.objects.filter(case=case)
        .select_related("body", "user", "given_by", "consent")
        .order_by("-given_at", "-id")
    )


def case_group_members(case: Case) -> QuerySet[Membership]:
    if case.adhoc_group_id is None:
        return Membership.objects.none()
    return (
        Membership.objects.filter(body_id=case.adhoc_group_id)
        .select_related("person", "person__unit")
        .order_by("-role", "person__full_name")
    )


def cases_of_young_person(*, user: User, young_person: YoungPerson) -> QuerySet[Case]:
    return permissions.cases_visible_to(user).filter(young_person=young_person)


def active_legal_holds(municipality: Municipality) -> QuerySet[LegalHold]:
    """The municipality's holds in force, newest first, with what the hold page shows."""
    return (
        LegalHold.objects.filter(municipality=municipality, released_at__isnull=True)
        .select_related("case", "placed_by")
        .order_by("-placed_at", "-id")
    )


def released_legal_holds(municipality: Municipality) -> QuerySet[LegalHold]:
    return (
        LegalHold.objects.filter(municipality=municipality, released_at__isnull=False)
        .select_related("case", "placed_by", "released_by")
        .order_by("-released_at", "-id")
    )


# --- Who reads a case, and why ----------------------------------------------------------------
# Computed from the raw facts with the rules of `cases.permissions`: for the case page's "who can
# see this case and why" and the basis a reader is told about.


@dataclass(frozen=True)
class ReaderAccess:
    """How one user reads one case: the documented rules and the active bases covering them."""

    user: User
    rules: tuple[permissions.Rule, ...]
    bases: tuple[Basis, ...]

    @property
    def reads(self) -> bool:
        return bool(self.rules or self.bases)


def _covers(basis: Basis, user: User, group_ids: set[int], groups: dict[int, int]) -> bool:
    if not basis.covers_all_sectors and user.sector not in permissions.HANDLING_SECTORS:
        return False
    if basis.user_id is not None:
        return basis.user_id == user.pk
    return groups[basis.body_id] in group_ids


def _rule_groups(case: Case, facts: permissions.CaseFacts) -> set[int]:
    """The groups whose members read the case by rule R2: its body's and its ad-hoc group's."""
    groups = {facts.groups[case.responsible_body_id]}
    if case.adhoc_group_id:
        groups.add(facts.groups[case.adhoc_group_id])
    return groups


def _access(
    case: Case,
    facts: permissions.CaseFacts,
    user: User,
    *,
    group_ids: set[int],
    consultant: bool,
) -> ReaderAccess:
    """How `user` (active, in the groups `group_ids`, an SSP consultant of the case's
    municipality or not) reads the case: the rules and the active bases covering them."""
    handling = user.sector in permissions.HANDLING_SECTORS
    rules = []
    if handling and consultant:
        rules.append(permissions.R1)
    if handling and group_ids & _rule_groups(case, facts):
        rules.append(permissions.R2)
    if handling and case.coordinator_id == user.pk:
        rules.append(permissions.R3)
    bases = tuple(b for b in facts.bases if _covers(b, user, group_ids, facts.groups))
    return ReaderAccess(user=user, rules=tuple(rules), bases=bases)


def _readers(case: Case, users: QuerySet[User]) -> list[ReaderAccess]:
    """The rules and bases covering each of `users` (active users only), from the raw facts:
    affiliations, the bodies' groups, the coordinator and the active bases."""
    facts = permissions.case_facts(case)
    consultants = set(
        Affiliation.objects.filter(
            municipality_id=case.municipality_id, is_ssp_consultant=True
        ).values_list("user_id", flat=True)
    )
    candidates = users.filter(is_active=True).filter(
        Q(pk__in=consultants)
        | Q(groups__in=set(facts.groups.values()))
        | Q(pk=case.coordinator_id or 0)
        | Q(pk__in=[b.user_id for b in facts.bases if b.user_id])
    )
    result = []
    for user in candidates.distinct().prefetch_related("groups").order_by("full_name", "pk"):
        group_ids = {group.pk for group in user.groups.all()}
        access = _access(case, facts, user, group_ids=group_ids, consultant=user.pk in consultants)
        if access.reads:
            result.append(access)
    return result


def reader_bases(
    user: User | AnonymousUser, case: Case, *, bases: Iterable[Basis] | None = None
) -> ReaderAccess:
    """How `user` reads `case`: which documented rules and which active bases (with their
    purpose and expiry) cover them; both empty when they do not read it. What `case_readers`
    says of them, read for them alone (the case page shows it on every visit). `bases`: the
    case's bases with their recipients and givers, if the page has read them already."""
    none = ReaderAccess(user=user, rules=(), bases=())  # type: ignore[arg-type]
    if not user.is_authenticated or not user.is_active:
        return none
    facts = permissions.case_facts(case, bases=bases)
    consultant = Affiliation.objects.filter(
        user=user, municipality_id=case.municipality_id, is_ssp_consultant=True
    ).exists()
    group_ids = set(user.groups.values_list("pk", flat=True))
    access = _access(case, facts, user, group_ids=group_ids, consultant=consultant)
    return access if access.reads else none


def case_readers(case: Case) -> list[ReaderAccess]:
    """Every current reader of the case with the rules and bases that cover them, by name."""
    return _readers(case, User.objects.all())
