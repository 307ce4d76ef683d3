"""Reads of the onboarding pages, each starting from `permissions`."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from forum.models import Body, BodyKind, Unit
from meetings.models import Participant
from onboarding.models import Onboarding, Welcome
from onboarding.permissions import onboardings_followed_by, onboardings_visible_to
from ssp.models import User


def unfinished(user: User, *, body: Body | None = None, unit: Unit | None = None) -> QuerySet:
    """The onboardings the user follows whose checklist is not done, oldest first. The first
    meeting counts as done once the newcomer attended a meeting after starting."""
    attended = Participant.objects.filter(
        person_id=OuterRef("person_id"),
        attended=True,
        meeting__starts_at__gte=OuterRef("started_at"),
    )
    rows = (
        onboardings_followed_by(user)
        .annotate(attended=Exists(attended))
        .filter(
            Q(intro_talk_at__isnull=True)
            | Q(tour_at__isnull=True)
            | (Q(first_meeting_at__isnull=True) & Q(attended=False))
        )
    )
    if body is not None:
        rows = rows.filter(person__welcomes__body=body)
    if unit is not None:
        rows = rows.filter(person__unit=unit)
    return (
        rows.select_related("person", "person__unit")
        .prefetch_related(
            Prefetch(
                "person__welcomes",
                queryset=Welcome.objects.select_related("body").order_by("body__name"),
            )
        )
        .distinct()
        .order_by("started_at", "pk")
    )


def filter_bodies(user: User) -> QuerySet[Body]:
    """The bodies the overview filters by: those of the municipalities the user follows."""
    municipalities = onboardings_followed_by(user).values("person__municipality_id")
    return Body.objects.filter(municipality__in=municipalities).exclude(kind=BodyKind.AD_HOC)


def filter_units(user: User) -> QuerySet[Unit]:
    municipalities = onboardings_followed_by(user).values("person__municipality_id")
    return Unit.objects.filter(municipality__in=municipalities)


def own_onboardings(user: User) -> QuerySet[Onboarding]:
    return onboardings_visible_to(user).filter(person__user=user).select_related("person")
