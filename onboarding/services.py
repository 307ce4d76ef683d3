"""Every write of the onboarding app: the welcome rows, their delivery, the leader's ticks.

A welcome is made in the transaction that seats the person (`welcome_on_membership`, called
through `forum.hooks`) and delivered by a worker after the commit (`welcome_deliver`): the
outbox pattern of `ssp.notify.mail`, so a seat that rolls back welcomes no one and one that
commits always does, once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import BodyKind, Membership
from onboarding.models import Onboarding, Welcome, WelcomeKind, WelcomeStatus
from onboarding.package import package_for
from onboarding.permissions import leader_memberships
from ssp.models import User
from ssp.notify.mail import email_send

logger = logging.getLogger(__name__)

# A pending welcome is handed to a worker again by the sweep after this long.
REQUEUE_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 200

CHECKLIST_ITEMS = ("intro_talk", "tour", "first_meeting")


def welcome_on_membership(membership: Membership, by: User | None) -> Welcome | None:
    """Queue the welcome for a new seat (a `forum.hooks` callback, inside the seat's
    transaction).

    No welcome for a system change (`by` None: the demo seed, a bulk import, whose people are
    not new) nor for a case's ad-hoc group (the case tells its members). The person's first
    welcome is the full package; one for a later body is an update about that body. A person
    who leaves and rejoins a body is not welcomed to it again.
    """
    if by is None or membership.body.kind == BodyKind.AD_HOC:
        return None
    person = membership.person
    onboarding, _created = Onboarding.objects.get_or_create(person=person)
    # Two seats given at once: the second waits here, then sees the first's welcome.
    Onboarding.objects.select_for_update().filter(pk=onboarding.pk).first()
    if Welcome.objects.filter(person=person, body=membership.body).exists():
        return None
    first = not Welcome.objects.filter(person=person).exists()
    welcome = Welcome.objects.create(
        person=person,
        body=membership.body,
        kind=WelcomeKind.FULL if first else WelcomeKind.UPDATE,
        next_attempt_at=timezone.now() + REQUEUE_AFTER,
    )
    transaction.on_commit(partial(_enqueue, [welcome.pk]), robust=True)
    return welcome


def _enqueue(ids: list[int]) -> None:
    from onboarding.tasks import deliver_welcome

    for pk in ids:
        try:
            deliver_welcome.delay(pk)
        except Exception:  # any broker failure: the sweep hands it over later
            logger.warning("Could not enqueue welcome %s; the sweep will", pk, exc_info=True)
            return


def _absolute(path: str) -> str:
    return f"{settings.SSP_BASE_URL}{path}" if path else ""


def welcome_deliver(*, welcome_id: int) -> bool:
    """Email one pending welcome to the newcomer and their leaders (called by the worker).

    The row is claimed `FOR UPDATE SKIP LOCKED` and marked sent in the transaction that queues
    the emails in the outbox, so a task run twice (or alongside the sweep) mails once.
    Returns whether this call sent it.
    """
    with transaction.atomic():
        welcome = (
            Welcome.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=welcome_id, status=WelcomeStatus.PENDING)
            .select_related("person", "person__municipality", "body", "person__onboarding")
            .first()
        )
        if welcome is None:
            return False
        person = welcome.person
        onboarding = person.onboarding
        package = package_for(person, onboarding)
        page_url = _absolute(reverse("onboarding:detail", kwargs={"pk": onboarding.pk}))
        context = {
            "person": person,
            "body": welcome.body,
            "package": package,
            "is_update": welcome.kind == WelcomeKind.UPDATE,
            "has_login": person.user_id is not None,
            "page_url": page_url,
            "actioncard_url": _absolute(package.actioncard_url),
            "site_name": settings.SSP_SITE_NAME,
        }
        if person.email:
            email_send(
                to=[person.email],
                subject=(
                    _("Nyt i SSP: du er nu med i %(body)s")
                    if welcome.kind == WelcomeKind.UPDATE
                    else _("Velkommen til SSP-samarbejdet i %(municipality)s")
                )
                % {"body": welcome.body.name, "municipality": person.municipality.name},
                body=render_to_string("onboarding/email/welcome.txt", context),
            )
        leaders = [
            m.person.email
            for m in leader_memberships(person.pk, [welcome.body_id])
            if m.person.email
        ]
        if leaders:
            email_send(
                to=leaders,
                subject=_("%(person)s er startet i %(body)s")
                % {"person": person.full_name, "body": welcome.body.name},
                body=render_to_string("onboarding/email/leader.txt", context),
            )
        welcome.status = WelcomeStatus.SENT
        welcome.sent_at = timezone.now()
        welcome.save(update_fields=["status", "sent_at"])
    return True


def welcomes_sweep(now: datetime | None = None) -> int:
    """Hand over again the pending welcomes whose message was lost. Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Welcome.objects.select_for_update(skip_locked=True)
            .filter(status=WelcomeStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        if ids:
            Welcome.objects.filter(pk__in=ids).update(next_attempt_at=now + REQUEUE_AFTER)
            transaction.on_commit(partial(_enqueue, ids), robust=True)
    return len(ids)


@transaction.atomic
def onboarding_tick(*, onboarding: Onboarding, item: str, done: bool, by: User) -> Onboarding:
    """Tick (or untick) one item of the checklist, recording who did."""
    if item not in CHECKLIST_ITEMS:
        raise ValidationError({"item": _("Ukendt punkt på tjeklisten.")})
    setattr(onboarding, f"{item}_at", timezone.now() if done else None)
    setattr(onboarding, f"{item}_by", by if done else None)
    onboarding.save(update_fields=[f"{item}_at", f"{item}_by"])
    return onboarding
