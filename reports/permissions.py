"""Who sees a municipality's statistics, and how much of it.

Its SSP consultants, administrators and the members of its Lokalråd and SSP-Følgegruppe see
the whole municipality; its other staff (police among them) only aggregates of what they were
given (`figures.Scope`). Anyone not working in the municipality gets 404.

A Kredsråd's samarbejdsplan is read by the Kredsråd's members and by the consultants and
administrators of the municipalities of its police district (the municipalities it spans); it
is edited, and its approval recorded, by the Kredsråd's leads (chair, coordinator: its
secretary) and the member municipalities' SSP consultants. Administrators read only. Anyone
else gets 404; a reader who may not edit, 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from forum.models import LEAD_ROLES, Body, BodyKind, Membership, Municipality
from forum.permissions import municipalities_visible_to, triaged_municipality_ids
from meetings.permissions import municipalities_overseen_by
from reports.models import CooperationPlan
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


def may_comment_status(user: AnyUser, municipality: Municipality) -> bool:
    """Whether the user writes the commentary on the yearly status's cover: the
    municipality's SSP consultants and administrators, who send the status to the Lokalråd."""
    return municipalities_overseen_by(user).filter(pk=municipality.pk).exists()


def _active(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active


def kredsraads_readable_by(user: AnyUser) -> QuerySet[Body]:
    """The Kredsråd the user sits in, and those spanning a municipality they oversee."""
    if not _active(user):
        return Body.objects.none()
    seats = Membership.objects.filter(person__user=user).order_by().values("body_id")
    districts = municipalities_overseen_by(user).order_by().values("police_district_id")
    return Body.objects.filter(kind=BodyKind.KREDSRAAD).filter(
        Q(pk__in=seats) | Q(police_district__in=districts)
    )


def kredsraads_editable_by(user: AnyUser) -> QuerySet[Body]:
    """The Kredsråd the user leads, and those spanning a municipality they are consultant in."""
    if not _active(user):
        return Body.objects.none()
    led = (
        Membership.objects.filter(person__user=user, role__in=LEAD_ROLES)
        .order_by()
        .values("body_id")
    )
    districts = (
        Municipality.objects.filter(pk__in=triaged_municipality_ids(user))
        .order_by()
        .values("police_district_id")
    )
    return Body.objects.filter(kind=BodyKind.KREDSRAAD).filter(
        Q(pk__in=led) | Q(police_district__in=districts)
    )


def kredsraad_for_user_or_404(user: AnyUser, pk: int) -> Body:
    try:
        return kredsraads_readable_by(user).select_related("police_district").get(pk=pk)
    except Body.DoesNotExist:
        raise Http404 from None


def can_edit_cooperation_plans(user: AnyUser, kredsraad: Body) -> bool:
    return kredsraads_editable_by(user).filter(pk=kredsraad.pk).exists()


def cooperation_plans_visible_to(user: AnyUser) -> QuerySet[CooperationPlan]:
    return CooperationPlan.objects.filter(kredsraad__in=kredsraads_readable_by(user).values("pk"))


def cooperation_plan_for_user_or_404(user: AnyUser, pk: int) -> CooperationPlan:
    try:
        return (
            cooperation_plans_visible_to(user)
            .select_related("kredsraad", "approval_meeting", "approved_by")
            .get(pk=pk)
        )
    except CooperationPlan.DoesNotExist:
        raise Http404 from None
