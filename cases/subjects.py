"""Reads about the young people a concern or case names: who they are, which of them a reader
is shown (rule S, `cases.subject_permissions`), and the conditions that find every concern and
case about one young person, alone or in a group."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cases import subject_permissions
from cases.models import Case, CaseSubject, Concern, ConcernPerson, YoungPerson
from cases.permissions import AnyUser

OTHER_YOUNG_PERSON = _("En anden ung")


@dataclass(frozen=True)
class ShownSubject:
    """One young person of a group concern or case as one reader is shown them: the record
    (`young_person`), only the name they typed themselves (`label`), or neither."""

    young_person: YoungPerson | None
    label: str
    # A typed-in young person nobody has settled (`ConcernPerson`), for the consultant.
    row: ConcernPerson | None = None

    @property
    def is_hidden(self) -> bool:
        return self.young_person is None and self.label == str(OTHER_YOUNG_PERSON)


@dataclass(frozen=True)
class SubjectsShown:
    """What a page shows of a group concern or case, and which young people that is (for the
    access log: only those shown)."""

    subjects: list[ShownSubject]
    shown_ids: list[int]

    @property
    def hidden_count(self) -> int:
        return sum(1 for subject in self.subjects if subject.is_hidden)


NONE_SHOWN = SubjectsShown(subjects=[], shown_ids=[])


def concern_subject_ids(concern: Concern) -> list[int]:
    """Every registered young person the concern names, in order (a typed-in one nobody has
    settled yet is not a registered young person: `cases.services.identity`)."""
    if concern.young_person_id is not None:
        return [concern.young_person_id]
    return list(
        concern.people.filter(young_person__isnull=False)
        .order_by("position", "pk")
        .values_list("young_person_id", flat=True)
    )


def case_subject_ids(case: Case) -> list[int]:
    """Every young person the case names, in order: its one, or its group's."""
    if case.young_person_id is not None:
        return [case.young_person_id]
    return list(case.subjects.order_by("position", "pk").values_list("young_person_id", flat=True))


def _shown(
    rows: list, shown: set[int], reported: bool, unsettled: bool = False
) -> SubjectsShown:  # rows: ConcernPerson | CaseSubject
    """`reported`: the author, shown what they typed; `unsettled`: a reader covering the whole
    concern (the consultant), shown what was typed for a young person nobody has settled."""
    subjects, ids = [], []
    for row in rows:
        typed = getattr(row, "reported_name", "")
        if row.young_person_id is not None and row.young_person_id in shown:
            subjects.append(ShownSubject(row.young_person, row.young_person.full_name))
            ids.append(row.young_person_id)
        elif typed and unsettled and row.young_person_id is None:
            subjects.append(ShownSubject(None, typed, row))
        elif typed and reported:
            subjects.append(ShownSubject(None, typed))
            if row.young_person_id is not None:
                ids.append(row.young_person_id)
        else:
            subjects.append(ShownSubject(None, str(OTHER_YOUNG_PERSON)))
    return SubjectsShown(subjects=subjects, shown_ids=ids)


def shown_concern_subjects(user: AnyUser, concern: Concern) -> SubjectsShown:
    """The young people of a concern about several, as `user` (who reads the concern) is
    shown them; nothing for a concern about one young person or none."""
    if concern.young_person_id is not None:
        return NONE_SHOWN
    rows = list(concern.people.select_related("young_person", "young_person__school"))
    if not rows:
        return NONE_SHOWN
    ids = [row.young_person_id for row in rows if row.young_person_id is not None]
    whole = subject_permissions.covers_whole_concern(user, concern)
    shown = set(ids) if whole else subject_permissions.young_people_known_to(user, ids)
    return _shown(
        rows, shown, subject_permissions.shows_reported_names(user, concern), unsettled=whole
    )


def shown_case_subjects(user: AnyUser, case: Case) -> SubjectsShown:
    """The young people of a case about a group, as `user` (who reads the case) is shown
    them; nothing for a case about one young person or a place."""
    if case.young_person_id is not None:
        return NONE_SHOWN
    rows = list(case.subjects.select_related("young_person", "young_person__school"))
    if not rows:
        return NONE_SHOWN
    shown = subject_permissions.case_subjects_shown_to(
        user, case, [row.young_person_id for row in rows]
    )
    return _shown(rows, shown, reported=False)


def cases_about(young_person: YoungPerson | int) -> Q:
    """Cases about the young person, alone or as one of a group."""
    return Q(young_person=young_person) | Q(
        Exists(CaseSubject.objects.filter(case=OuterRef("pk"), young_person=young_person))
    )


def concerns_about(young_person: YoungPerson | int) -> Q:
    """Concerns naming the young person, alone or as one of several."""
    return Q(young_person=young_person) | Q(
        Exists(ConcernPerson.objects.filter(concern=OuterRef("pk"), young_person=young_person))
    )
