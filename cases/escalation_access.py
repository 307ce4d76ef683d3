"""Who runs a municipality's escalation settings: the ladder, the SMS gateway, absences and
stand-ins, and the routing rules.

- The ladder, the SMS gateway and the absences: the municipality's SSP consultants and its
  administrators. None of it shows case content; the gateway's token is never shown back.
- The routing rules: the SSP consultants only (of a handling sector: `municipalities_triaged_by`).
  A rule decides that a kind of concern reaches someone more, a disclosure made in advance,
  which is the consultants' call (they read every concern already); administrators read no
  case content and make no disclosures (docs/legal.md).
- Everyone else: 404, as for anything they cannot see.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from cases.permissions import AnyUser, municipalities_triaged_by
from forum.models import Municipality
from forum.permissions import municipalities_administered_by, triaged_municipality_ids


def escalation_municipalities(user: AnyUser) -> QuerySet[Municipality]:
    """The municipalities whose escalation settings the user manages."""
    if not user.is_authenticated or not user.is_active:
        return Municipality.objects.none()
    return Municipality.objects.filter(
        Q(pk__in=municipalities_administered_by(user).values("pk"))
        | Q(pk__in=triaged_municipality_ids(user))
    ).order_by("name")


def escalation_municipality_or_404(user: AnyUser, pk: int) -> Municipality:
    municipality = escalation_municipalities(user).filter(pk=pk).first()
    if municipality is None:
        raise Http404
    return municipality


def can_manage_routing(user: AnyUser, municipality: Municipality) -> bool:
    """Make and delete routing rules: the municipality's SSP consultants."""
    return municipalities_triaged_by(user).filter(pk=municipality.pk).exists()
