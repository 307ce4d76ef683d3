"""Who sees a newcomer's welcome package and who ticks their checklist.

- The newcomer reads their own package (through the person linked to their login).
- Their leaders read it and tick the checklist: the chair of each body the newcomer joined, or
  its coordinator where a body has no chair. For a school's SSP-team the chair is the school
  department's leader, so "leader" is the newcomer's head at their own school as well.
- The SSP consultants of the newcomer's municipality read every package there, tick the
  checklist and see the overview of who has not finished.
Anyone else gets 404: a welcome names who started where.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from cases.permissions import triages_anywhere
from forum.models import LEAD_ROLES, Membership, MembershipRole
from forum.permissions import municipalities_triaged_by, triaged_municipality_ids
from onboarding.models import Onboarding, Welcome
from ssp.models import Sector, User

AnyUser = User | AnonymousUser


def leader_memberships(person_id: int, body_ids: list[int] | None = None) -> QuerySet[Membership]:
    """The seats of the newcomer's leaders: per body they were welcomed to, its chair, or its
    coordinators where it has no chair. Never the newcomer themselves."""
    welcomed = Welcome.objects.filter(person_id=person_id).values("body_id")
    if body_ids is not None:
        welcomed = welcomed.filter(body_id__in=body_ids)
    has_chair = Membership.objects.filter(body=OuterRef("body"), role=MembershipRole.CHAIR)
    return (
        Membership.objects.filter(body__in=welcomed, role__in=LEAD_ROLES)
        .exclude(person_id=person_id)
        .filter(Q(role=MembershipRole.CHAIR) | ~Exists(has_chair))
        .select_related("person", "body")
        .order_by("body__name", "person__full_name")
    )


def _led_by(user: User) -> Q:
    """Onboardings of people welcomed to a body the user leads."""
    led = Membership.objects.filter(person__user=user, role__in=LEAD_ROLES).values("body_id")
    welcomed = Welcome.objects.filter(body__in=led).values("person_id")
    return Q(person__in=welcomed)


def onboardings_visible_to(user: AnyUser) -> QuerySet[Onboarding]:
    if not user.is_authenticated or not user.is_active:
        return Onboarding.objects.none()
    return Onboarding.objects.filter(
        Q(person__user=user)
        | _led_by(user)
        | Q(person__municipality__in=triaged_municipality_ids(user))
    )


def onboardings_followed_by(user: AnyUser) -> QuerySet[Onboarding]:
    """The overview's scope: the onboardings of the municipalities the user triages."""
    if not user.is_authenticated or not user.is_active:
        return Onboarding.objects.none()
    return Onboarding.objects.filter(person__municipality__in=triaged_municipality_ids(user))


def onboarding_for_user_or_404(user: AnyUser, pk: int) -> Onboarding:
    try:
        return onboardings_visible_to(user).select_related("person", "person__unit").get(pk=pk)
    except Onboarding.DoesNotExist:
        raise Http404 from None


def can_tick(user: AnyUser, onboarding: Onboarding) -> bool:
    """A leader or a consultant ticks the checklist; the newcomer reads it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if onboarding.person.user_id == user.pk:
        return False
    return (
        Onboarding.objects.filter(pk=onboarding.pk)
        .filter(_led_by(user) | Q(person__municipality__in=triaged_municipality_ids(user)))
        .exists()
    )


def can_follow_onboarding(user: AnyUser) -> bool:
    """The menu's rule for the overview: asked only of the SSP secretariat's staff, so the
    menu costs no query on everyone else's pages (as the access log's rule)."""
    return getattr(user, "sector", "") == Sector.SSP_SECRETARIAT and triages_anywhere(user)


def can_see_overview(user: AnyUser) -> bool:
    """The overview of unfinished onboardings: the SSP consultants of any municipality."""
    return municipalities_triaged_by(user).exists()
