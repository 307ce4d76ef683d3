"""Reads for the consultant's triage: what they need to decide about a new concern (the young
person's age and age band, school and class, the other concerns and cases about them, suspected
duplicates, the Barnets lov status), and the corrections of a concern shown old → new.

Everything about other records goes through the visibility rules of `cases.permissions`, so
the page shows only what the reader may see anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases import permissions, selectors
from cases.duplicates import (
    PersonRecords,
    normalised_name,
    possible_duplicates,
    records_of,
    same_child_as,
)
from cases.models import (
    Case,
    Concern,
    ConcernChange,
    ConcernStatus,
    YoungPerson,
    YoungPersonMerge,
)
from cases.selectors import TimelineEntry
from forum.models import Municipality
from ssp.models import User


def _count(queryset: QuerySet) -> Coalesce:
    """The number of rows of a correlated subquery, as a column (0 when none)."""
    counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def triage_queue_rows(
    *, user: User, ids: list[int] | None = None, municipality_ids: list[int] | None = None
) -> QuerySet[Concern]:
    """The triage queue (only the rows `ids`, one page cut by `keyset_page`, when given)
    with what each row shows, in one query: the young person's school,
    the number of other concerns and of cases about them, and whether a record that may be
    the same child exists.

    The queue lists only concerns of municipalities the user triages, whose concerns and
    cases they all read (R1, `permissions.concern_visibility`): counting within the concern's
    municipality counts exactly what the consultant may see.
    """
    person = OuterRef("young_person_id")
    others = Concern.objects.filter(
        young_person_id=person, municipality_id=OuterRef("municipality_id")
    ).exclude(pk=OuterRef("pk"))
    cases = Case.objects.filter(young_person_id=person, municipality_id=OuterRef("municipality_id"))
    twins = (
        YoungPerson.objects.exclude(pk=person)
        .annotate(_norm=normalised_name(F("full_name")))
        .filter(
            same_child_as(
                municipality_id=OuterRef("municipality_id"),
                norm=normalised_name(OuterRef("young_person__full_name")),
                birth_date=OuterRef("young_person__birth_date"),
                cpr_hash=OuterRef("young_person__cpr_hash"),
            )
        )
    )
    queue = selectors.triage_queue(user=user, municipality_ids=municipality_ids)
    if ids is not None:
        queue = queue.filter(pk__in=ids)
    return queue.select_related("young_person__school").annotate(
        other_concerns=_count(others),
        case_count=_count(cases),
        may_be_duplicate=Exists(twins),
    )


def with_ages(concerns: Iterable[Concern]) -> list[Concern]:
    """Each concern with `age` and `age_band` of its young person (the municipality's bands);
    the rows must have their municipality and young person joined."""
    rows = list(concerns)
    for concern in rows:
        concern.age, concern.age_band = age_and_band(concern.young_person, concern.municipality)
    return rows


def age_and_band(
    young_person: YoungPerson | None, municipality: Municipality
) -> tuple[int | None, str]:
    age = young_person.age_on() if young_person is not None else None
    return age, municipality.age_band(age) if age is not None else ""


@dataclass
class TriageFacts:
    """What the concern page shows a consultant who triages it."""

    young_person: YoungPerson | None
    age: int | None
    age_band: str
    # The young person's other concerns and their cases, that the reader may see.
    records: PersonRecords | None
    duplicates: list[PersonRecords] = field(default_factory=list)


def triage_facts(*, user: User, concern: Concern) -> TriageFacts:
    """The young person's age and band, their other concerns and cases, and the records that
    may be the same child, each with their concerns and cases: four queries."""
    young_person = concern.young_person
    age, band = age_and_band(young_person, concern.municipality)
    if young_person is None:
        return TriageFacts(None, age, band, None)
    twins = possible_duplicates(user=user, young_person=young_person)
    records = records_of(user=user, people=[young_person, *twins], exclude_concern=concern.pk)
    return TriageFacts(young_person, age, band, records[0], records[1:])


# --- Corrections, old → new ------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeLine:
    label: str
    old: str
    new: str


@dataclass
class Correction:
    """One correction of a concern: who, when, why, and each field it changed, old → new."""

    at: datetime
    by: str
    reason: str
    lines: list[ChangeLine] = field(default_factory=list)


_FIELD_LABELS = {"case": lambda: _("sag")}
_TOGETHER = timedelta(seconds=5)


def corrections_of(*, user: User, changes: Iterable[ConcernChange]) -> list[Correction]:
    """The changes of a concern grouped into corrections, values as the reader knows them.

    A young person is shown by name only if the reader may see them (or, for a record merged
    into one they see, by the name it had); otherwise by number, so a correction never tells
    a reader of the concern about another child.
    """
    changes = list(changes)
    ids = {
        int(value)
        for change in changes
        if change.field == "young_person"
        for value in (change.old_value, change.new_value)
        if value.isdigit()
    }
    names = _young_person_names(user, ids) if ids else {}
    corrections: list[Correction] = []
    last: tuple | None = None
    for change in sorted(changes, key=lambda change: (change.changed_at, change.pk)):
        # The rows one correction wrote: same person and reason, written together.
        key = (change.changed_by_id, change.reason)
        if last is None or last[0] != key or change.changed_at - last[1] > _TOGETHER:
            corrections.append(
                Correction(change.changed_at, change.changed_by.full_name, change.reason)
            )
        last = (key, change.changed_at)
        correction = corrections[-1]
        label = _FIELD_LABELS[change.field]() if change.field in _FIELD_LABELS else None
        correction.lines.append(
            ChangeLine(
                label or change.field_label,
                _shown(change.field, change.old_value, names),
                _shown(change.field, change.new_value, names),
            )
        )
    return corrections


def _young_person_names(user: User, ids: set[int]) -> dict[int, str]:
    names = dict(
        permissions.young_people_visible_to(user).filter(pk__in=ids).values_list("pk", "full_name")
    )
    missing = ids - set(names)
    if missing:
        visible = permissions.young_people_visible_to(user).values("pk")
        for removed_id, name in YoungPersonMerge.objects.filter(
            removed_id__in=missing, kept__in=visible
        ).values_list("removed_id", "removed_name"):
            names[removed_id] = name
    return names


def _shown(field_name: str, value: str, names: dict[int, str]) -> str:
    if not value:
        return "–"
    if field_name == "young_person" and value.isdigit():
        return names.get(int(value)) or _("ung nr. %(number)s") % {"number": value}
    if field_name == "case":
        # The concern's status before it joined a case → the case; rows from before codes
        # were stored hold the Danish words, shown as they are.
        if value.isdigit():
            return _("Sag %(number)s") % {"number": value}
        if value in ConcernStatus.values:
            return str(ConcernStatus(value).label)
        return value
    if field_name == "observed_on":
        try:
            return date_format(date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return value


def with_corrections(user: User, timeline: list[TimelineEntry]) -> list[TimelineEntry]:
    """The case timeline with each concern's corrections (`concern.corrections`), old → new,
    from the changes the timeline fetched with the concerns."""
    for entry in timeline:
        if entry.kind == "concern":
            entry.obj.corrections = corrections_of(user=user, changes=entry.obj.changes.all())
    return timeline
