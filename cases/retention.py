"""Retention: delete what the municipality no longer needs, and say what was deleted.

Each record type has its own period (settings `RETENTION_*_DAYS`). Anything on legal hold, or
belonging to a case or young person on legal hold, is kept. Deletion runs in small batches,
each in its own transaction, so the nightly job can stop at any moment and resume the next
night; it writes a `DeletionRecord` (type, id, municipality, rule) and never the data itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, ProtectedError, QuerySet
from django.utils import timezone

from cases.models import Case, CaseStatus, Concern, DeletionRecord, Note, YoungPerson
from forum import services as forum_services
from ssp.audit import audit_purge

BATCH_SIZE = 500

logger = logging.getLogger(__name__)


@dataclass
class RetentionReport:
    deleted: dict[str, int] = field(default_factory=dict)

    def add(self, record_type: str, count: int) -> None:
        self.deleted[record_type] = self.deleted.get(record_type, 0) + count


def _allow_court_safe_deletes() -> None:
    """Concerns refuse DELETE in the database unless this transaction says it is retention."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ssp.retention = 'on'")


def _record(objects: list, record_type: str, rule: str) -> None:
    DeletionRecord.objects.bulk_create(
        DeletionRecord(
            record_type=record_type,
            record_id=obj.pk,
            municipality_id=getattr(obj, "municipality_id", None) or obj.case.municipality_id,
            rule=rule,
        )
        for obj in objects
    )


def expired_concerns(now: datetime) -> QuerySet[Concern]:
    cutoff = now - timedelta(days=settings.RETENTION_CONCERN_WITHOUT_CASE_DAYS)
    return Concern.objects.filter(
        case__isnull=True, submitted_at__lt=cutoff, legal_hold=False
    ).exclude(young_person__legal_hold=True)


def expired_cases(now: datetime) -> QuerySet[Case]:
    cutoff = now - timedelta(days=settings.RETENTION_CLOSED_CASE_DAYS)
    return Case.objects.filter(
        status=CaseStatus.CLOSED, closed_at__lt=cutoff, legal_hold=False
    ).exclude(young_person__legal_hold=True)


def expired_notes(now: datetime) -> QuerySet[Note]:
    cutoff = now - timedelta(days=settings.RETENTION_NOTE_DAYS)
    return Note.objects.filter(created_at__lt=cutoff, case__legal_hold=False).exclude(
        case__young_person__legal_hold=True
    )


def orphaned_young_people() -> QuerySet[YoungPerson]:
    return (
        YoungPerson.objects.filter(legal_hold=False)
        .exclude(Exists(Concern.objects.filter(young_person=OuterRef("pk"))))
        .exclude(Exists(Case.objects.filter(young_person=OuterRef("pk"))))
    )


def _delete_concerns(now: datetime, report: RetentionReport) -> None:
    rule = f"concern without case older than {settings.RETENTION_CONCERN_WITHOUT_CASE_DAYS} days"
    while True:
        with transaction.atomic():
            batch = list(
                expired_concerns(now).select_for_update(of=("self",), skip_locked=True)[:BATCH_SIZE]
            )
            if not batch:
                return
            _allow_court_safe_deletes()
            _record(batch, "concern", rule)
            Concern.objects.filter(pk__in=[c.pk for c in batch]).delete()
        report.add("concern", len(batch))


def _delete_case(case: Case, rule: str) -> int | None:
    """Delete one case, its concerns and its ad-hoc group; the number of concerns deleted, or
    None when another app's record (a meeting's agenda item) still refers to the case."""
    try:
        with transaction.atomic():
            concerns = list(Concern.objects.filter(case=case))
            _record([case], "case", rule)
            _record(concerns, "concern", rule)
            Concern.objects.filter(case=case).delete()
            Case.objects.filter(pk=case.pk).delete()
    except ProtectedError:
        logger.warning("Retention kept case %s: other records still refer to it", case.pk)
        return None
    if case.adhoc_group_id:
        try:
            forum_services.body_delete(body=case.adhoc_group)
        except ValidationError:
            # The group's meetings still refer to it: the group stays, the case is gone.
            logger.warning(
                "Retention kept ad-hoc group %s of case %s", case.adhoc_group_id, case.pk
            )
    return len(concerns)


def _delete_cases(now: datetime, report: RetentionReport) -> None:
    """One case at a time inside each batch, so a case that cannot go yet neither stops the
    job (every later rule would never run) nor comes back in the next batch."""
    rule = f"case closed more than {settings.RETENTION_CLOSED_CASE_DAYS} days ago"
    kept: set[int] = set()
    while True:
        with transaction.atomic():
            batch = list(
                expired_cases(now)
                .exclude(pk__in=kept)
                .select_related("adhoc_group")
                .select_for_update(of=("self",), skip_locked=True)[: BATCH_SIZE // 10]
            )
            if not batch:
                return
            _allow_court_safe_deletes()
            deleted_concerns = {case.pk: _delete_case(case, rule) for case in batch}
        kept.update(pk for pk, count in deleted_concerns.items() if count is None)
        counts = [count for count in deleted_concerns.values() if count is not None]
        if counts:
            report.add("case", len(counts))
            report.add("concern", sum(counts))


def _delete_notes(now: datetime, report: RetentionReport) -> None:
    rule = f"note older than {settings.RETENTION_NOTE_DAYS} days"
    while True:
        with transaction.atomic():
            batch = list(
                expired_notes(now)
                .select_related("case")
                .select_for_update(of=("self",), skip_locked=True)[:BATCH_SIZE]
            )
            if not batch:
                return
            _record(batch, "note", rule)
            Note.objects.filter(pk__in=[n.pk for n in batch]).delete()
        report.add("note", len(batch))


def _delete_young_people(report: RetentionReport) -> None:
    rule = "no concern or case left"
    while True:
        with transaction.atomic():
            batch = list(orphaned_young_people().select_for_update(skip_locked=True)[:BATCH_SIZE])
            if not batch:
                return
            _record(batch, "young_person", rule)
            YoungPerson.objects.filter(pk__in=[p.pk for p in batch]).delete()
        report.add("young_person", len(batch))


def retention_run(*, now: datetime | None = None) -> RetentionReport:
    """Apply every retention rule once. Safe to run again: what is gone stays gone."""
    now = now or timezone.now()
    report = RetentionReport()
    _delete_cases(now, report)
    _delete_concerns(now, report)
    _delete_notes(now, report)
    _delete_young_people(report)
    report.add("audit_event", audit_purge(older_than_days=settings.RETENTION_AUDIT_LOG_DAYS))
    return report
