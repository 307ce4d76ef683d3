"""Reads about young people registered twice: the suspected duplicates of a young person or of
a municipality, and the ids a merged record had.

The concern form's lookup rightly hides young people a reporter may not see, so the same child
is sometimes registered again. Two records are suspected to be one child when they belong to
the same municipality, their names are the same once case, spaces, hyphens and full stops are
set aside, and their birth dates are the same or one of them is missing. Two records with
different CPR numbers are never suspected (the same CPR number is registered once per
municipality already, `cases_youngperson_one_per_cpr`).

Every list starts from `permissions.young_people_visible_to`, so a suggestion names only
records the user may already see; the pages that show them are the consultants'.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.lookups import Exact, IsNull
from django.http import Http404

from cases import permissions
from cases.models import Case, Concern, YoungPerson, YoungPersonMerge
from cases.models.names import normalised_name
from ssp.models import User

# A municipality's suspected duplicates listed on one page: enough to work through, few enough
# to read.
DUPLICATE_GROUPS_LIMIT = 100


def same_child_as(
    *, municipality_id: object, norm: object, birth_date: object, cpr_hash: object
) -> Q:
    """The rule as a condition on YoungPerson rows against another record's columns (outer
    references in a subquery): same municipality and name, birth dates equal or one missing,
    not both with a CPR number."""
    return Q(
        Q(birth_date=birth_date) | Q(birth_date__isnull=True) | IsNull(birth_date, True),
        Q(cpr_hash="") | Exact(cpr_hash, Value("")),
        municipality_id=municipality_id,
        _norm=norm,
    )


def possible_duplicates(*, user: User, young_person: YoungPerson) -> list[YoungPerson]:
    """Other records the user may see that may be the same child as `young_person`."""
    if young_person.birth_date is None:
        born = Q()
    else:
        born = Q(birth_date=young_person.birth_date) | Q(birth_date__isnull=True)
    people = (
        permissions.young_people_visible_to(user)
        .filter(born, municipality_id=young_person.municipality_id)
        .exclude(pk=young_person.pk)
        .annotate(_norm=normalised_name(F("full_name")))
        .filter(_norm=normalised_name(Value(young_person.full_name)))
    )
    if young_person.cpr_hash:
        people = people.filter(cpr_hash="")
    return list(people.select_related("school").order_by("pk")[:10])


def duplicate_groups(*, user: User) -> list[list[YoungPerson]]:
    """The suspected duplicates of the municipalities the user triages, as groups of records
    that may be one child each (same municipality and name; each record has a partner in
    its group under the rule), oldest record first."""
    triaged = permissions.municipalities_triaged_by(user).values("pk")
    partners = YoungPerson.objects.annotate(_norm=normalised_name(F("full_name"))).filter(
        same_child_as(
            municipality_id=OuterRef("municipality_id"),
            norm=OuterRef("_norm"),
            birth_date=OuterRef("birth_date"),
            cpr_hash=OuterRef("cpr_hash"),
        )
    )
    people = (
        YoungPerson.objects.filter(municipality__in=triaged)
        .annotate(_norm=normalised_name(F("full_name")))
        .filter(Exists(partners.exclude(pk=OuterRef("pk"))))
        .select_related("school", "municipality")
        .order_by("municipality_id", "_norm", "pk")
    )
    groups: dict[tuple[int, str], list[YoungPerson]] = defaultdict(list)
    for person in people[: DUPLICATE_GROUPS_LIMIT * 3]:
        groups[(person.municipality_id, person._norm)].append(person)
    return [group for group in groups.values() if len(group) > 1][:DUPLICATE_GROUPS_LIMIT]


def are_suspected_duplicates(first: YoungPerson, second: YoungPerson) -> bool:
    """Whether the rule holds for the two records (the merge page says so, or warns)."""
    if first.municipality_id != second.municipality_id or first.pk == second.pk:
        return False
    if first.cpr_hash and second.cpr_hash:
        return False
    if first.birth_date and second.birth_date and first.birth_date != second.birth_date:
        return False
    names = YoungPerson.objects.filter(pk__in=(first.pk, second.pk)).annotate(
        _norm=normalised_name(F("full_name"))
    )
    return len(set(names.values_list("_norm", flat=True))) == 1


@dataclass
class PersonRecords:
    """A young person with the concerns and cases about them that the user may see."""

    person: YoungPerson
    concerns: list[Concern] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)


def records_of(
    *, user: User, people: list[YoungPerson], exclude_concern: int | None = None
) -> list[PersonRecords]:
    """Each person with their visible concerns and cases, in two queries whatever the number
    of people."""
    found = {person.pk: PersonRecords(person) for person in people}
    concerns = (
        permissions.concerns_visible_to(user)
        .filter(young_person__in=list(found))
        .exclude(pk=exclude_concern or 0)
        .select_related("category")
        .order_by("-submitted_at")
    )
    for concern in concerns:
        found[concern.young_person_id].concerns.append(concern)
    for case in (
        permissions.cases_visible_to(user)
        .filter(young_person__in=list(found))
        .order_by("-updated_at")
    ):
        found[case.young_person_id].cases.append(case)
    return list(found.values())


def merged_ids(young_person_id: int) -> list[int]:
    """The ids of the records merged into this one (earlier merges into those included: their
    rows moved to this one when they were merged), for the access log's history."""
    return list(
        YoungPersonMerge.objects.filter(kept_id=young_person_id)
        .order_by("removed_id")
        .values_list("removed_id", flat=True)
    )


def with_merged_ids(ids: list[int]) -> list[int]:
    """The ids and every id merged into them, for a search of the access log."""
    merged = YoungPersonMerge.objects.filter(kept_id__in=ids).values_list("removed_id", flat=True)
    return sorted(set(ids) | set(merged))


def young_person_for_triager_or_404(user: User, pk: int) -> YoungPerson:
    """A young person of a municipality the user triages (the merge pages); 404 otherwise."""
    found = (
        YoungPerson.objects.filter(
            pk=pk, municipality__in=permissions.municipalities_triaged_by(user).values("pk")
        )
        .select_related("school", "municipality")
        .first()
    )
    if found is None:
        raise Http404
    return found
