"""Consultants' absences and their stand-ins: recording them, and who receives in their place.

While a consultant is away (`Absence`, dates included), what the system sends to them alone
goes to their stand-in instead: `stand_in_for` maps each recipient to whoever is at work. A
stand-in who is away too hands on to their own stand-in; a ring of absences (A for B, B for
A) ends with nobody rather than going round, and the consultants' shared messages still
reach everyone at work.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Absence, Affiliation, Municipality
from ssp.models import User

# An absence is planned at most this far ahead and lasts at most this long: beyond that it is
# a typing error (year 2205), not a holiday.
LONGEST_ABSENCE_DAYS = 366
FURTHEST_AHEAD_DAYS = 2 * 366
# How many stand-ins in a row are followed before giving up (a ring, or a long chain).
MAX_HOPS = 5


def consultants_of(municipality: Municipality | int) -> QuerySet[User]:
    """The municipality's active SSP consultants."""
    municipality_id = getattr(municipality, "pk", municipality)
    return User.objects.filter(
        is_active=True,
        affiliations__municipality_id=municipality_id,
        affiliations__is_ssp_consultant=True,
    ).order_by("full_name")


def _is_consultant(user: User, municipality: Municipality) -> bool:
    return Affiliation.objects.filter(
        user=user, municipality=municipality, is_ssp_consultant=True, user__is_active=True
    ).exists()


@transaction.atomic
def absence_add(
    *,
    municipality: Municipality,
    user: User,
    stand_in: User,
    starts_on: date,
    ends_on: date,
    by: User,
) -> Absence:
    """Record that `user` is away from `starts_on` to `ends_on` and `stand_in` receives
    meanwhile what is meant for them. Both must be SSP consultants of the municipality (the
    stand-in reads the same concerns already, so no one gains access by standing in)."""
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not _is_consultant(user, municipality):
        errors["user"] = [_("Vælg en SSP-konsulent i kommunen.")]
    if stand_in.pk == user.pk:
        errors["stand_in"] = [_("Stedfortræderen skal være en anden end den fraværende.")]
    elif not _is_consultant(stand_in, municipality):
        errors["stand_in"] = [_("Stedfortræderen skal være SSP-konsulent i kommunen.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("Slutdatoen skal ligge efter startdatoen.")]
    elif ends_on < today:
        errors["ends_on"] = [_("Fraværet er allerede slut.")]
    elif (ends_on - starts_on).days > LONGEST_ABSENCE_DAYS:
        errors["ends_on"] = [_("Et fravær kan højst vare et år.")]
    if starts_on > today + timedelta(days=FURTHEST_AHEAD_DAYS):
        errors["starts_on"] = [_("Fraværet kan højst planlægges to år frem.")]
    if not errors and (
        Absence.objects.select_for_update()
        .filter(
            municipality=municipality, user=user, starts_on__lte=ends_on, ends_on__gte=starts_on
        )
        .exists()
    ):
        errors["starts_on"] = [_("Der er allerede registreret fravær i en del af perioden.")]
    if errors:
        raise ValidationError(errors)
    return Absence.objects.create(
        municipality=municipality,
        user=user,
        stand_in=stand_in,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )


@transaction.atomic
def absence_delete(*, absence: Absence) -> None:
    """Withdraw an absence (back early, holiday cancelled)."""
    absence.delete()


def absences_of(municipality: Municipality) -> QuerySet[Absence]:
    """Current and coming absences, for the settings page."""
    return (
        Absence.objects.filter(municipality=municipality, ends_on__gte=timezone.localdate())
        .select_related("user", "stand_in")
        .order_by("starts_on", "pk")
    )


def stand_in_map(municipality_id: int, on: date | None = None) -> dict[int, int]:
    """Absent consultant → stand-in, on `on` (today)."""
    day = on or timezone.localdate()
    return dict(
        Absence.objects.filter(
            municipality_id=municipality_id, starts_on__lte=day, ends_on__gte=day
        ).values_list("user_id", "stand_in_id")
    )


def stand_in_for(user_ids: Iterable[int], municipality_id: int, on: date | None = None) -> set[int]:
    """The recipients who receive in place of `user_ids` on `on`: each one at work themselves,
    an absent one's stand-in (or theirs, if also away); when the whole chain is away, the
    absent one."""
    stand_ins = stand_in_map(municipality_id, on)
    recipients: set[int] = set()
    for user_id in user_ids:
        current = user_id
        for _hop in range(MAX_HOPS):
            if current not in stand_ins:
                recipients.add(current)
                break
            current = stand_ins[current]
        else:
            # Everyone in the chain is away: better the absent consultant's own inbox than
            # no one's.
            recipients.add(user_id)
    return recipients
