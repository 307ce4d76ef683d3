"""The ActionCard's answer to the year wheel (`prevention.rhythm`): is the municipality's
ActionCard for the year published, started as a draft, or not started? Registered from
ActioncardConfig.ready, since the prevention app below may not import this one."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from actioncard.models import OPEN_STATUSES, PUBLIC_STATUSES, Edition
from forum.models import Municipality
from prevention.rhythm import Readiness, State, readiness_check_register


def readiness(municipalities: list[Municipality], year: int) -> dict[int, Readiness]:
    """Each municipality's ActionCard for `year`, from one query."""
    editions: dict[int, list[Edition]] = {m.pk: [] for m in municipalities}
    for edition in (
        Edition.objects.filter(municipality__in=municipalities, year=year)
        .select_related("municipality")
        .order_by("-version")
    ):
        editions[edition.municipality_id].append(edition)
    found = {}
    for municipality in municipalities:
        published = [e for e in editions[municipality.pk] if e.status in PUBLIC_STATUSES]
        drafts = [e for e in editions[municipality.pk] if e.status in OPEN_STATUSES]
        # A correction being drafted does not unpublish the year's card.
        if published:
            text = _("SSP-ActionCard %(year)s er udgivet.")
            found[municipality.pk] = Readiness(
                State.READY, text % {"year": year}, published[0].public_url()
            )
        elif drafts:
            text = _("ActionCard-udkastet for %(year)s er påbegyndt, men ikke udgivet.")
            found[municipality.pk] = Readiness(
                State.STARTED, text % {"year": year}, drafts[0].get_absolute_url()
            )
        else:
            text = _("ActionCard-udkastet for %(year)s er ikke påbegyndt.")
            found[municipality.pk] = Readiness(
                State.MISSING, text % {"year": year}, reverse("actioncard:editions")
            )
    return found


def register() -> None:
    """Called from ActioncardConfig.ready."""
    readiness_check_register("actioncard", readiness)
