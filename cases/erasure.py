"""Erasure: a case, or a young person, removed everywhere in one transaction.

Retention (`cases.retention`) erases a case whose period has run out; erasure on request
(GDPR art. 17, `services.case_erase` / `services.young_person_erase`) erases one at once. Both
call `erase_cases`, inside their own transaction, after checking legal holds:
- every app above `cases` that keeps a record about a case (a meeting's agenda item and its
  decisions, tasks and attachments) has registered a hook with `erasure_hook_register` from its
  `AppConfig.ready`; `cases` imports none of them. Each hook is called with the cases before
  they are deleted, removes or anonymises its records and reports them to the `Erasure`;
- the cases' concerns (and their addenda and changes), notes, actions, consents, shares or
  bases, timeline events, legal-hold history and grants go with the cases; reminders about
  them are dropped; the ad-hoc group goes too unless a meeting still refers to it;
- the young person goes when no case or concern refers to them any more;
- the `DeletionRecord` log gets one row per record that went (or was anonymised): its type,
  id, municipality, rule and cause, never the data itself;
- stored files are deleted in the erasing transaction: they are rows of the database
  (`ssp.storage.DatabaseStorage`), so the case and its files go together or not at all. A
  storage that is not transactional (a file system) is emptied after the transaction commits
  instead, so a rollback never leaves a row without its file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Action,
    Case,
    CaseGroupObjectPermission,
    CaseSubject,
    CaseUserObjectPermission,
    Concern,
    ConcernPerson,
    DeletionCause,
    DeletionOutcome,
    DeletionRecord,
    YoungPerson,
)
from cases.reminders import ACTION_TYPE, CASE_TYPE
from forum import services as forum_services
from ssp.models import Reminder

logger = logging.getLogger(__name__)

# The record types of the deletion log and their names on its page. Other apps add theirs
# when they register a hook; a type nobody named is shown by its key.
_RECORD_TYPES: dict[str, Any] = {
    "case": _("Sag"),
    "young_person": _("Ung"),
    "concern": _("Bekymring"),
    "concernaddendum": _("Tilføjelse til bekymring"),
    "concernchange": _("Ændring af bekymring"),
    "note": _("Notat"),
    "action": _("Indsats"),
    "consent": _("Samtykke"),
    "share": _("Deling"),
    "basis": _("Grundlag for adgang"),
    "caseevent": _("Hændelse på tidslinjen"),
    "legalhold": _("Retlig tilbageholdelse"),
    "youngpersonmerge": _("Sammenlægning af dubletter"),
    "casesubject": _("Ung i gruppesag"),
    "concernperson": _("Ung i bekymring"),
}
# The type names of rows that are not records of their own: access grants.
_NOT_RECORDS: tuple[type[models.Model], ...] = (CaseUserObjectPermission, CaseGroupObjectPermission)


def record_type(model: type[models.Model]) -> str:
    """The deletion log's name for a model's rows (the first names predate this module)."""
    return {Case: "case", YoungPerson: "young_person"}.get(model, model._meta.model_name or "")


def record_type_label(key: str) -> str:
    return str(_RECORD_TYPES.get(key, key))


def record_type_choices() -> list[tuple[str, str]]:
    """Every named record type, by its name, for the deletion log's filter."""
    return sorted(((key, str(label)) for key, label in _RECORD_TYPES.items()), key=lambda c: c[1])


@dataclass
class Erasure:
    """What one erasure removed, collected for the deletion log, and the files to remove."""

    rule: str
    cause: str = DeletionCause.RETENTION
    at: datetime = field(default_factory=timezone.now)
    records: list[DeletionRecord] = field(default_factory=list)
    files: list[tuple[Storage, str]] = field(default_factory=list)

    def deleted(self, record_type: str, rows: Iterable[tuple[int, int]]) -> None:
        """Rows that went: (record id, municipality id) each."""
        self._add(record_type, rows, DeletionOutcome.DELETED)

    def anonymised(self, record_type: str, rows: Iterable[tuple[int, int]]) -> None:
        """Rows that stay for another record's sake, their personal data removed."""
        self._add(record_type, rows, DeletionOutcome.ANONYMISED)

    def remove_file(self, storage: Storage, name: str) -> None:
        """A stored file to remove: at once when its storage is the database (it goes with the
        transaction), otherwise once the erasure has committed."""
        if getattr(storage, "transactional", False):
            storage.delete(name)
        else:
            self.files.append((storage, name))

    def counts(self) -> dict[str, int]:
        """The records deleted (not anonymised), per type."""
        counts: dict[str, int] = {}
        for record in self.records:
            if record.outcome == DeletionOutcome.DELETED:
                counts[record.record_type] = counts.get(record.record_type, 0) + 1
        return counts

    def _add(self, record_type: str, rows: Iterable[tuple[int, int]], outcome: str) -> None:
        self.records.extend(
            DeletionRecord(
                record_type=record_type,
                record_id=record_id,
                municipality_id=municipality_id,
                deleted_at=self.at,
                rule=self.rule[:200],
                cause=self.cause,
                outcome=outcome,
            )
            for record_id, municipality_id in rows
        )

    def save(self) -> None:
        """Write the deletion log and remove the files after commit. Call once, at the end."""
        DeletionRecord.objects.bulk_create(self.records)
        files, self.files = self.files, []
        if files:
            transaction.on_commit(lambda: _remove_files(files))


def _remove_files(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            # The row is gone, so nobody can reach the file; an operator removes it by hand.
            logger.exception("Erasure could not remove the stored file %s", name)


ErasureHook = Callable[[Sequence[Case], Erasure], None]

_HOOKS: list[ErasureHook] = []


def erasure_hook_register(hook: ErasureHook, *, record_types: Mapping[str, Any]) -> None:
    """Called by an app above `cases` from its `AppConfig.ready`: `hook(cases, erasure)` runs
    inside the erasing transaction, before the cases are deleted, and must remove or
    anonymise every record of the app about those cases and report them to `erasure` under
    the `record_types` it names here (key → label for the deletion log's page)."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)
    _RECORD_TYPES.update(record_types)


def allow_court_safe_deletes() -> None:
    """Concerns, notes and actions refuse DELETE in the database unless this transaction says
    it is retention or erasure."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ssp.retention = 'on'")


def _record_cascade(
    model: type[models.Model], municipality_of: Mapping[int, int], erasure: Erasure
) -> None:
    """Report the rows that go with `model`'s rows (ids → municipality) by CASCADE."""
    ids = list(municipality_of)
    for relation in model._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        related = relation.related_model
        if relation.on_delete is not models.CASCADE or related in _NOT_RECORDS:
            continue
        if related is model:
            continue  # e.g. a note's corrections: notes of the same case, reported with it
        rows = related._default_manager.filter(**{f"{relation.field.name}__in": ids}).values_list(
            "pk", relation.field.attname
        )
        erasure.deleted(record_type(related), [(pk, municipality_of[p]) for pk, p in rows])


def delete_concerns(concerns: Sequence[Concern], erasure: Erasure) -> None:
    """Delete concerns with their addenda and changes, reported to the log."""
    if not concerns:
        return
    municipality_of = {concern.pk: concern.municipality_id for concern in concerns}
    _record_cascade(Concern, municipality_of, erasure)
    erasure.deleted("concern", municipality_of.items())
    Concern.objects.filter(pk__in=list(municipality_of)).delete()


def erase_cases(cases: Sequence[Case], erasure: Erasure) -> None:
    """Erase the cases everywhere, then the young people nothing refers to any more.

    Runs inside the caller's transaction; the caller has checked legal holds and locked the
    cases. The deletion log and the removal of files are left to `erasure.save()`.
    """
    if not cases:
        return
    allow_court_safe_deletes()
    for hook in _HOOKS:
        hook(cases, erasure)
    ids = [case.pk for case in cases]
    # The young people a group case or its concerns named go too when nothing else names them.
    named = set(
        CaseSubject.objects.filter(case_id__in=ids).values_list("young_person_id", flat=True)
    )
    named |= set(
        ConcernPerson.objects.filter(concern__case_id__in=ids).values_list(
            "young_person_id", flat=True
        )
    )
    delete_concerns(list(Concern.objects.filter(case_id__in=ids)), erasure)
    municipality_of = {case.pk: case.municipality_id for case in cases}
    _record_cascade(Case, municipality_of, erasure)
    erasure.deleted("case", municipality_of.items())
    action_ids = Action.objects.filter(case_id__in=ids).values("pk")
    Reminder.objects.filter(object_type=ACTION_TYPE, object_id__in=action_ids).delete()
    Reminder.objects.filter(object_type=CASE_TYPE, object_id__in=ids).delete()
    Case.objects.filter(pk__in=ids).delete()
    for case in cases:
        if case.adhoc_group_id:
            _delete_adhoc_group(case)
    delete_orphaned_young_people({case.young_person_id for case in cases} | named, erasure)


def group_cases_named_by_only(young_person: YoungPerson) -> list[Case]:
    """The cases about a group that name no one but this young person: erasing the young
    person erases them (what is left is in practice about them; docs/retention.md)."""
    others = CaseSubject.objects.filter(case=OuterRef("case")).exclude(young_person=young_person)
    return list(
        Case.objects.filter(
            pk__in=CaseSubject.objects.filter(young_person=young_person)
            .exclude(Exists(others))
            .values("case_id")
        )
        .select_related("adhoc_group")
        .select_for_update(of=("self",))
    )


def remove_from_groups(young_person: YoungPerson, erasure: Erasure) -> None:
    """Take the young person out of every group case and concern about several that names
    them; a concern that then names no one is deleted. The rest of each stays: it is about
    the others too. (The group cases naming only them were erased before this runs.)"""
    rows = list(
        CaseSubject.objects.filter(young_person=young_person).values_list(
            "pk", "case__municipality_id"
        )
    )
    erasure.deleted("casesubject", rows)
    CaseSubject.objects.filter(pk__in=[pk for pk, _m in rows]).delete()
    mentions = list(
        ConcernPerson.objects.filter(young_person=young_person).values_list(
            "pk", "concern_id", "concern__municipality_id"
        )
    )
    erasure.deleted("concernperson", [(pk, municipality) for pk, _c, municipality in mentions])
    ConcernPerson.objects.filter(pk__in=[pk for pk, _c, _m in mentions]).delete()
    emptied = Concern.objects.filter(pk__in=[concern for _p, concern, _m in mentions]).exclude(
        Exists(ConcernPerson.objects.filter(concern=OuterRef("pk")))
    )
    delete_concerns(list(emptied), erasure)


def _delete_adhoc_group(case: Case) -> None:
    try:
        forum_services.body_delete(body=case.adhoc_group)
    except ValidationError:
        # The group's meetings still refer to it: the group stays (its name is only the case
        # number), the case is gone.
        logger.warning("Erasure kept ad-hoc group %s of case %s", case.adhoc_group_id, case.pk)


def orphaned_young_people() -> models.QuerySet[YoungPerson]:
    """Young people no concern or case refers to, and not on legal hold."""
    return (
        YoungPerson.objects.filter(legal_hold=False)
        .exclude(Exists(Concern.objects.filter(young_person=OuterRef("pk"))))
        .exclude(Exists(Case.objects.filter(young_person=OuterRef("pk"))))
        .exclude(Exists(ConcernPerson.objects.filter(young_person=OuterRef("pk"))))
        .exclude(Exists(CaseSubject.objects.filter(young_person=OuterRef("pk"))))
    )


def delete_young_people(people: Sequence[YoungPerson], erasure: Erasure) -> None:
    if not people:
        return
    municipality_of = {person.pk: person.municipality_id for person in people}
    _record_cascade(YoungPerson, municipality_of, erasure)
    erasure.deleted("young_person", municipality_of.items())
    YoungPerson.objects.filter(pk__in=list(municipality_of)).delete()


def delete_orphaned_young_people(candidates: Iterable[int], erasure: Erasure) -> None:
    delete_young_people(list(orphaned_young_people().filter(pk__in=list(candidates))), erasure)
