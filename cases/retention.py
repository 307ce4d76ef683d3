"""Retention: delete what a municipality no longer needs, and say what was deleted.

Each municipality is its own data controller and sets its own period per record type
(`RetentionPolicy`, within `settings.RETENTION_LIMITS`); without a policy the installation's
`RETENTION_*_DAYS` apply. Anything on legal hold, or belonging to a case or young person on
legal hold, is kept. A case whose period has run out is erased everywhere (`cases.erasure`):
its meetings keep their record of it with a neutral placeholder.

Deletion runs in small batches, each in its own transaction, so the nightly job can stop at any
moment and resume the next night; it writes a `DeletionRecord` (type, id, municipality, rule)
per record and never the data itself.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import DatabaseError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.erasure import (
    Erasure,
    allow_court_safe_deletes,
    delete_concerns,
    delete_young_people,
    erase_cases,
    orphaned_young_people,
)
from cases.models import (
    Case,
    CaseStatus,
    CaseSubject,
    Concern,
    ConcernPerson,
    Note,
    RetentionPeriods,
    RetentionPolicy,
)
from forum.models import Municipality
from ssp.audit import audit_purge

BATCH_SIZE = 500
# A case takes its concerns, notes, events, agenda items… with it: fewer per transaction.
CASE_BATCH_SIZE = BATCH_SIZE // 10

logger = logging.getLogger(__name__)


@dataclass
class RetentionReport:
    deleted: dict[str, int] = field(default_factory=dict)

    def add(self, record_type: str, count: int) -> None:
        self.deleted[record_type] = self.deleted.get(record_type, 0) + count

    def merge(self, counts: dict[str, int]) -> None:
        for record_type, count in counts.items():
            self.add(record_type, count)


def retention_periods() -> dict[int, RetentionPeriods]:
    """Every municipality's periods: its own policy, else the installation's defaults."""
    defaults = RetentionPeriods.defaults()
    periods = dict.fromkeys(Municipality.objects.values_list("pk", flat=True), defaults)
    for policy in RetentionPolicy.objects.all():
        periods[policy.municipality_id] = policy.periods()
    return periods


def periods_of(municipality: Municipality) -> RetentionPeriods:
    policy = RetentionPolicy.objects.filter(municipality=municipality).first()
    return policy.periods() if policy else RetentionPeriods.defaults()


# A young person on hold keeps every group case that names them.
_held_subjects = CaseSubject.objects.filter(young_person__legal_hold=True)


def expired_concerns(now: datetime, municipality_id: int, days: int) -> QuerySet[Concern]:
    return Concern.objects.filter(
        municipality_id=municipality_id,
        case__isnull=True,
        submitted_at__lt=now - timedelta(days=days),
        legal_hold=False,
    ).exclude(
        Q(young_person__legal_hold=True)
        | Q(
            Exists(
                ConcernPerson.objects.filter(concern=OuterRef("pk"), young_person__legal_hold=True)
            )
        )
    )


def expired_cases(now: datetime, municipality_id: int, days: int) -> QuerySet[Case]:
    return (
        Case.objects.filter(
            municipality_id=municipality_id,
            status=CaseStatus.CLOSED,
            closed_at__lt=now - timedelta(days=days),
            legal_hold=False,
        )
        .exclude(young_person__legal_hold=True)
        .exclude(Exists(Concern.objects.filter(case=OuterRef("pk"), legal_hold=True)))
        .exclude(Exists(_held_subjects.filter(case=OuterRef("pk"))))
    )


def expired_notes(now: datetime, municipality_id: int, days: int) -> QuerySet[Note]:
    return Note.objects.filter(
        case__municipality_id=municipality_id,
        created_at__lt=now - timedelta(days=days),
        case__legal_hold=False,
    ).exclude(
        Q(case__young_person__legal_hold=True)
        | Q(Exists(_held_subjects.filter(case=OuterRef("case"))))
    )


def _delete_cases(now: datetime, municipality_id: int, days: int, report: RetentionReport) -> None:
    """One case at a time inside each batch (a savepoint each), so a case that cannot go yet
    neither stops the job (every later rule would never run) nor comes back in the next
    batch."""
    rule = f"case closed more than {days} days ago"
    kept: set[int] = set()
    while True:
        with transaction.atomic():
            batch = list(
                expired_cases(now, municipality_id, days)
                .exclude(pk__in=kept)
                .select_related("adhoc_group")
                .select_for_update(of=("self",), skip_locked=True)[:CASE_BATCH_SIZE]
            )
            if not batch:
                return
            allow_court_safe_deletes()
            for case in batch:
                erasure = Erasure(rule=rule)
                try:
                    with transaction.atomic():
                        erase_cases([case], erasure)
                        erasure.save()
                except DatabaseError:
                    logger.exception("Retention kept case %s: it could not be erased", case.pk)
                    kept.add(case.pk)
                    continue
                report.merge(erasure.counts())


def _delete_concerns(
    now: datetime, municipality_id: int, days: int, report: RetentionReport
) -> None:
    rule = f"concern without case older than {days} days"
    while True:
        with transaction.atomic():
            batch = list(
                expired_concerns(now, municipality_id, days).select_for_update(
                    of=("self",), skip_locked=True
                )[:BATCH_SIZE]
            )
            if not batch:
                return
            allow_court_safe_deletes()
            erasure = Erasure(rule=rule)
            delete_concerns(batch, erasure)
            erasure.save()
        report.merge(erasure.counts())


def _delete_notes(now: datetime, municipality_id: int, days: int, report: RetentionReport) -> None:
    """Old notes, with the corrections of each (a correction goes with the note it corrects)."""
    rule = f"note older than {days} days"
    while True:
        with transaction.atomic():
            batch = list(
                expired_notes(now, municipality_id, days).select_for_update(
                    of=("self",), skip_locked=True
                )[:BATCH_SIZE]
            )
            if not batch:
                return
            allow_court_safe_deletes()
            ids = {note.pk for note in batch}
            ids |= set(Note.objects.filter(corrects__in=ids).values_list("pk", flat=True))
            erasure = Erasure(rule=rule)
            erasure.deleted("note", ((pk, municipality_id) for pk in sorted(ids)))
            Note.objects.filter(pk__in=ids).delete()
            erasure.save()
        report.merge(erasure.counts())


def _delete_young_people(report: RetentionReport) -> None:
    rule = "no concern or case left"
    while True:
        with transaction.atomic():
            batch = list(orphaned_young_people().select_for_update(skip_locked=True)[:BATCH_SIZE])
            if not batch:
                return
            erasure = Erasure(rule=rule)
            delete_young_people(batch, erasure)
            erasure.save()
        report.merge(erasure.counts())


def _purge_audit_log(periods: dict[int, RetentionPeriods], report: RetentionReport) -> None:
    """Each municipality's access log after its own period; rows of no municipality (and of
    municipalities that keep the default) after the installation's."""
    default = RetentionPeriods.defaults().audit_log_days
    own: dict[int, list[int]] = defaultdict(list)
    for municipality_id, municipality_periods in periods.items():
        if municipality_periods.audit_log_days != default:
            own[municipality_periods.audit_log_days].append(municipality_id)
    special = [pk for ids in own.values() for pk in ids]
    deleted = audit_purge(older_than_days=default, except_municipality_ids=special)
    for days, municipality_ids in own.items():
        deleted += audit_purge(older_than_days=days, municipality_ids=municipality_ids)
    report.add("audit_event", deleted)


def retention_run(*, now: datetime | None = None) -> RetentionReport:
    """Apply every retention rule once, each municipality by its own periods. Safe to run
    again: what is gone stays gone."""
    now = now or timezone.now()
    report = RetentionReport()
    periods = retention_periods()
    for municipality_id, municipality_periods in periods.items():
        _delete_cases(now, municipality_id, municipality_periods.closed_case_days, report)
        _delete_concerns(
            now, municipality_id, municipality_periods.concern_without_case_days, report
        )
        _delete_notes(now, municipality_id, municipality_periods.note_days, report)
    _delete_young_people(report)
    _purge_audit_log(periods, report)
    return report
