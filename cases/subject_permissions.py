"""Rule S: who is shown which young person in a concern or case that names several.

A concern or case about one young person shows them to every reader: reading it is reading that
young person's part. One that names several (a group, `cases.CaseSubject` /
`cases.ConcernPerson`) shows each of them only to a reader whose access covers that young
person; everybody else reads the rest of it with that young person shown as "en anden ung"
(no name, school, CPR number or link), and the access log records only the young people shown.

A reader of such a concern or case is shown

- **every** young person it names when they cover it as a whole: an SSP consultant of its
  municipality (R1), the case's coordinator (R3), a handling-sector member of its ad-hoc group
  (formed for this case, each member chosen for it), or the holder of an active basis given on
  the case (or, for a routed concern, on the concern): a basis on a group case discloses the
  group. A concern linked to a case is covered as a whole where its case is;
- **one** young person when they may see that young person anyway (`young_people_visible_to`:
  a case or concern about them alone that they read), or when they are a handling-sector member
  of the school team of that young person's own school (the school has its pupil under the
  Folkeskolelov, docs/legal.md).

Membership of the case's responsible body (R2) lets a member read the group case, not every
name in it: to show the whole group to the body, the consultant gives the body a basis when
opening the case. The author of a concern is shown what they typed themselves for a young
person they did not pick from their own lookup (`ConcernPerson.reported_name`), never the
register's record, so naming a child reveals nothing about what the register holds.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from cases.models import BasisGround, Case, Concern, YoungPerson
from cases.permissions import (
    AnyUser,
    can_read_case,
    can_triage,
    in_handling_sector,
    young_people_visible_to,
)
from forum.models import Body, BodyKind, Membership


def _active_bases_cover(user: AnyUser, bases: object) -> bool:
    held = bases.active().filter(Q(user=user) | Q(body__group__user=user))  # type: ignore[attr-defined]
    if not in_handling_sector(user):
        held = held.exclude(ground=BasisGround.LEGAL_GROUND)
    return held.exists()


def covers_whole_case(user: AnyUser, case: Case) -> bool:
    """Whether the reader is shown every young person the (group) case names."""
    if not user.is_authenticated:
        return False
    if can_triage(user, case.municipality_id):
        return True
    handling = in_handling_sector(user)
    if handling and case.coordinator_id == user.pk:
        return True
    if (
        handling
        and case.adhoc_group_id
        and Membership.objects.filter(body_id=case.adhoc_group_id, person__user=user).exists()
    ):
        return True
    return _active_bases_cover(user, case.bases)


def covers_whole_concern(user: AnyUser, concern: Concern) -> bool:
    """Whether the reader is shown every young person the concern names."""
    if not user.is_authenticated:
        return False
    if can_triage(user, concern.municipality_id):
        return True
    if _active_bases_cover(user, concern.bases):
        return True
    if concern.case_id is None:
        return False
    return can_read_case(user, concern.case) and covers_whole_case(user, concern.case)


def young_people_known_to(user: AnyUser, ids: Iterable[int]) -> set[int]:
    """Of `ids`, the young people the reader is shown one by one: those they may see anyway,
    and, in a handling sector, the pupils of the schools whose SSP team they sit in."""
    ids = list(ids)
    if not ids or not user.is_authenticated:
        return set()
    condition = Q(pk__in=young_people_visible_to(user).filter(pk__in=ids).values("pk"))
    if in_handling_sector(user):
        schools = Body.objects.filter(
            kind=BodyKind.SCHOOL_TEAM, unit__isnull=False, memberships__person__user=user
        ).values("unit_id")
        condition |= Q(school__in=schools)
    return set(YoungPerson.objects.filter(condition, pk__in=ids).values_list("pk", flat=True))


def case_subjects_shown_to(user: AnyUser, case: Case, ids: Iterable[int]) -> set[int]:
    """Of the young people `ids` a case about a group names, those the reader is shown."""
    ids = list(ids)
    if covers_whole_case(user, case):
        return set(ids)
    return young_people_known_to(user, ids)


def concern_subjects_shown_to(user: AnyUser, concern: Concern, ids: Iterable[int]) -> set[int]:
    """Of the young people `ids` a concern about several names, those the reader is shown as
    the register knows them (the author's own typing is `shows_reported_names`)."""
    ids = list(ids)
    if covers_whole_concern(user, concern):
        return set(ids)
    return young_people_known_to(user, ids)


def shows_reported_names(user: AnyUser, concern: Concern) -> bool:
    """The author is shown what they typed themselves for the young people they named."""
    return bool(user.is_authenticated and concern.author_id == user.pk)
