"""Who sees a municipality's statistics, and how much of it.

Its SSP consultants, administrators and the members of its Lokalråd and SSP-Følgegruppe see
the whole municipality; its other staff (police among them) only aggregates of what they were
given (`figures.Scope`). Anyone not working in the municipality gets 404.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from forum.models import BodyKind, Membership, Municipality
from forum.permissions import municipalities_visible_to
from meetings.permissions import municipalities_overseen_by
from ssp.models import User

AnyUser = User | AnonymousUser

# Bodies whose members lead SSP in the municipality and see its statistics in full.
SSP_LEADERSHIP_KINDS = (BodyKind.LOKALRAAD, BodyKind.FOELGEGRUPPE)


def statistics_scope_or_404(user: AnyUser, municipality_id: int) -> tuple[Municipality, bool]:
    """The municipality whose statistics the user opens, and whether they see all of it."""
    municipality = (
        municipalities_visible_to(user).filter(pk=municipality_id).first()
        if user.is_authenticated and user.is_active
        else None
    )
    if municipality is None:
        raise Http404
    full = (
        municipalities_overseen_by(user).filter(pk=municipality.pk).exists()
        or Membership.objects.filter(
            body__municipality=municipality,
            body__kind__in=SSP_LEADERSHIP_KINDS,
            person__user=user,
        ).exists()
    )
    return municipality, full
