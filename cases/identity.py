"""Which registered young people a concern's typed-in young person may be: the reads behind the
consultant's "possible match" at triage.

A reporter who types a child in (rather than picking one from their lookup) is never told
whether the organisation already knows the child: the concern keeps what they typed
(`Concern.reported_*`) and no young person is attached (`cases.services.identity`). The match
is made here, for the SSP consultant, who sees it only for young people they may see:

- the same CPR number (the keyed hash, `cases.cpr.lookup_hash`), the strongest match;
- the same name (case and spacing aside) and, where both are known, the same date of birth.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases import permissions
from cases.models import Concern, ConcernPerson, YoungPerson
from ssp.models import User

# Why a young person is suggested, strongest first.
SAME_CPR, SAME_NAME_AND_BIRTH_DATE, SAME_NAME = 0, 1, 2
REASONS: dict[int, str | Promise] = {
    SAME_CPR: _("Samme CPR-nummer"),
    SAME_NAME_AND_BIRTH_DATE: _("Samme navn og fødselsdato"),
    SAME_NAME: _("Samme navn"),
}


@dataclass(frozen=True)
class SuggestedMatch:
    """A registered young person the typed-in one may be, and why the system thinks so."""

    young_person: YoungPerson
    strength: int

    @property
    def reason(self) -> str | Promise:
        return REASONS[self.strength]


def _normalised(name: str) -> str:
    return " ".join(name.split()).upper()


def matching_young_people(concern: Concern | ConcernPerson) -> QuerySet[YoungPerson]:
    """Every registered young person of the concern's municipality the typed-in one may be,
    whoever asks (for services; pages use `suggested_matches`). `concern` may also be one typed
    row of a concern about several (`ConcernPerson`, the same `reported_*` fields)."""
    if not concern.has_reported_identity:
        return YoungPerson.objects.none()
    by_name = Q(full_name_upper=_normalised(concern.reported_name))
    if concern.reported_birth_date is not None:
        by_name &= Q(birth_date__isnull=True) | Q(birth_date=concern.reported_birth_date)
    condition = by_name
    if concern.reported_cpr_hash:
        condition |= Q(cpr_hash=concern.reported_cpr_hash)
    return (
        YoungPerson.objects.filter(municipality_id=concern.municipality_id)
        .annotate(full_name_upper=Upper("full_name"))
        .filter(condition)
    )


def suggested_matches(
    *, user: User, concern: Concern | ConcernPerson, limit: int = 5
) -> list[SuggestedMatch]:
    """The possible matches the user may see (the consultant at triage), strongest first; for
    a concern whose young person is settled, none."""
    if concern.young_person_id is not None or not concern.has_reported_identity:
        return []
    people = (
        matching_young_people(concern)
        .filter(pk__in=permissions.young_people_visible_to(user).values("pk"))
        .select_related("school")
        .order_by("full_name", "pk")[: limit * 2]
    )
    matches = [SuggestedMatch(person, _strength(concern, person)) for person in people]
    matches.sort(key=lambda match: match.strength)
    return matches[:limit]


def _strength(concern: Concern | ConcernPerson, person: YoungPerson) -> int:
    if concern.reported_cpr_hash and person.cpr_hash == concern.reported_cpr_hash:
        return SAME_CPR
    if concern.reported_birth_date is not None and person.birth_date is not None:
        return SAME_NAME_AND_BIRTH_DATE
    return SAME_NAME
