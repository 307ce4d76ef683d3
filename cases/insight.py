"""The data-protection officer's insight report about one young person (GDPR art. 15,
"indsigtsanmodning"): their cases and concerns, every basis ever given on them, and every read
and write of their data in the access log, with a summary.

It is read by those who read the municipality's access log (`oversight.audit_scope_or_404`):
its administrators, who see the young person by id and case numbers only, never case content,
and its SSP consultants, who also see name and CPR number. The cases and concerns are listed
by number, dates and status; no text anyone typed about the child is in the report. The bases
(recipient, ground and purpose) and the log rows (who, when, what, why, from where) are what
the report is for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases import oversight
from cases.duplicates import merged_ids
from cases.models import Basis, Case, Concern, YoungPerson, YoungPersonMerge
from cases.subjects import cases_about, concerns_about
from ssp.models import AuditAction, AuditEvent, Sector, User

# What the log calls a read; every other action changed something (a write).
READ_ACTIONS: frozenset[str] = frozenset({AuditAction.VIEW, AuditAction.SEARCH, AuditAction.EXPORT})


@dataclass(frozen=True)
class InsightSubject:
    """The young person a report is about, and whether this reader may see who they are."""

    young_person: YoungPerson
    shows_identity: bool


def insight_subject_or_404(user: User, young_person_id: int) -> InsightSubject:
    """The young person, if they belong to a municipality whose access log the user reads;
    404 otherwise, so that a report cannot even tell that an id exists elsewhere."""
    scope = oversight.audit_scope_or_404(user)
    young_person = (
        YoungPerson.objects.filter(pk=young_person_id, municipality_id__in=scope)
        .select_related("municipality")
        .first()
    )
    if young_person is None:
        raise Http404
    readable = oversight.audit_readers_of_content(user, [young_person.municipality_id])
    return InsightSubject(young_person, young_person.municipality_id in readable)


def insight_cases(young_person: YoungPerson) -> list[Case]:
    return list(
        Case.objects.filter(
            cases_about(young_person), municipality_id=young_person.municipality_id
        ).order_by("opened_at", "pk")
    )


def insight_concerns(young_person: YoungPerson) -> list[Concern]:
    return list(
        Concern.objects.filter(
            concerns_about(young_person), municipality_id=young_person.municipality_id
        ).order_by("submitted_at", "pk")
    )


def insight_bases(cases: list[Case], concerns: list[Concern]) -> list[Basis]:
    """Every basis ever given on the cases and concerns: the ones active now first, then the
    ended ones; within each, the newest given first. Each carries `is_current`."""
    bases = list(
        Basis.objects.filter(Q(case__in=cases) | Q(concern__in=concerns))
        .select_related("body", "user", "given_by", "ended_by", "consent")
        .order_by("-given_at", "-id")
    )
    now = timezone.now()
    for basis in bases:
        basis.is_current = basis.is_active(now)
    return sorted(bases, key=lambda basis: not basis.is_current)


def subject_ids(young_person_id: int) -> list[int]:
    """The young person's id and the ids of the records merged into theirs: the access log is
    append-only, so rows written before a merge name the removed record's id."""
    return [young_person_id, *merged_ids(young_person_id)]


def insight_merges(young_person: YoungPerson) -> list[YoungPersonMerge]:
    return list(young_person.merges.select_related("merged_by").order_by("merged_at", "pk"))


def insight_events(young_person_id: int | list[int]) -> QuerySet[AuditEvent]:
    """Every row of the access log about the young person (`subject_id`) or of a list or
    search that showed them (`shown_subjects`), newest first; given one id, the ids merged
    into it are included (`subject_ids`)."""
    ids = subject_ids(young_person_id) if isinstance(young_person_id, int) else young_person_id
    return AuditEvent.objects.filter(
        Q(subject_id__in=ids) | Q(shown_subjects__overlap=ids)
    ).order_by("-at", "-id")


@dataclass(frozen=True)
class Actor:
    name: str
    sector: str


def actors(user_ids: set[int | None]) -> dict[int, Actor]:
    """The people of the log rows by their id, with their name and sector as they are now."""
    return {
        row["pk"]: Actor(row["full_name"], Sector(row["sector"]).label if row["sector"] else "")
        for row in User.objects.filter(pk__in=[pk for pk in user_ids if pk is not None]).values(
            "pk", "full_name", "sector"
        )
    }


def annotate_events(
    events: list[AuditEvent],
    young_person_id: int | Collection[int],
    known: dict[int, Actor] | None = None,
) -> list[AuditEvent]:
    """Each row with `actor` (name and sector, if the account still exists), `is_read`, and
    `shown_in_list` (the row is a list or search that showed the young person, under their id
    or an id merged into it)."""
    ids = {young_person_id} if isinstance(young_person_id, int) else set(young_person_id)
    known = known if known is not None else actors({event.user_id for event in events})
    for event in events:
        event.actor = known.get(event.user_id) if event.user_id is not None else None
        event.is_read = event.action in READ_ACTIONS
        event.shown_in_list = event.subject_id not in ids
    return events


@dataclass(frozen=True)
class InsightSummary:
    events: int
    reads: int
    writes: int
    readers: int  # distinct people who read
    readers_per_sector: list[tuple[str, int]]  # (sector label, distinct readers), most first
    first_at: datetime | None
    last_at: datetime | None


def insight_summary(events: QuerySet[AuditEvent]) -> InsightSummary:
    """Counts and the first and last access, asked of the database in three queries."""
    totals = events.aggregate(first_at=Min("at"), last_at=Max("at"))
    reads = events.filter(action__in=READ_ACTIONS)
    read_count = reads.count()
    reader_ids = set(reads.exclude(user_id=None).values_list("user_id", flat=True).distinct())
    total = events.count()
    sectors = Counter(actor.sector or "–" for actor in actors(set(reader_ids)).values())
    # A reader whose account is gone still counted, under an unknown sector.
    missing = len(reader_ids) - sum(sectors.values())
    if missing:
        sectors["–"] += missing
    return InsightSummary(
        events=total,
        reads=read_count,
        writes=total - read_count,
        readers=len(reader_ids),
        readers_per_sector=sorted(sectors.items(), key=lambda item: (-item[1], item[0])),
        first_at=totals["first_at"],
        last_at=totals["last_at"],
    )
