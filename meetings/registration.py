"""Registration for meetings open to many: opening it, registering, cancelling, removing,
and forgetting outside invitees after the meeting.

Capacity holds under concurrency: `registration_add` locks the meeting's opening row
(`SELECT … FOR UPDATE`) before it counts, so two people racing for the last seat are served
one after the other and the second is told "fuldt booket". There is no waiting list: the
organiser raises the capacity if more seats are found.

An outside invitee cancels through a signed link in their confirmation email; the link names
only the registration's id, signed with the project's secret, and a tampered or foreign link
finds nothing. Registering again with the same address registers once and mails the link
again, so the public page never tells anyone who else is registered.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting, MeetingStatus
from meetings.registration_models import Registration, RegistrationOpening
from ssp.models import User
from ssp.notify.mail import email_send

CANCEL_SALT = "meetings.registration.cancel"
# Outside invitees' names, addresses and organisations are deleted this long after the meeting.
REGISTRATION_RETENTION_DAYS = 30


def registration_open(
    *, meeting: Meeting, capacity: int, deadline: datetime, by: User
) -> RegistrationOpening:
    """Open (or change) registration for a meeting. The deadline is at the latest when the
    meeting starts, and the capacity never below the registrations already made."""
    errors: dict[str, str] = {}
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("Mødet er aflyst."))
    if deadline > meeting.starts_at:
        errors["deadline"] = _("Tilmeldingsfristen skal være før mødet begynder.")
    with transaction.atomic():
        opening = RegistrationOpening.objects.select_for_update().filter(meeting=meeting).first()
        if opening is not None:
            taken = opening.registrations.count()
            if capacity < taken:
                errors["capacity"] = _(
                    "Der er allerede %(count)s tilmeldte; sæt antallet af pladser mindst så højt."
                ) % {"count": taken}
        if errors:
            raise ValidationError(errors)
        if opening is None:
            return RegistrationOpening.objects.create(
                meeting=meeting, capacity=capacity, deadline=deadline, opened_by=by
            )
        opening.capacity, opening.deadline = capacity, deadline
        opening.save(update_fields=["capacity", "deadline"])
        return opening


def seats_left(opening: RegistrationOpening) -> int:
    return max(opening.capacity - opening.registrations.count(), 0)


def is_open(opening: RegistrationOpening) -> bool:
    return opening.meeting.status != MeetingStatus.CANCELLED and timezone.now() <= opening.deadline


def cancel_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def registration_from_token(token: str) -> Registration | None:
    """The registration a cancel link names; None for a tampered, foreign or spent link."""
    try:
        pk = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Registration.objects.select_related("opening__meeting").filter(pk=pk).first()


def _cancel_url(registration: Registration) -> str:
    path = reverse("meetings:registration_cancel", kwargs={"token": cancel_token(registration)})
    return f"{settings.SSP_BASE_URL}{path}"


def _confirm(registration: Registration, *, again: bool) -> None:
    meeting = registration.opening.meeting
    email_send(
        to=[registration.email],
        subject=_("Tilmelding: %(title)s") % {"title": meeting.title},
        body=render_to_string(
            "meetings/email/registration_confirmed.txt",
            {
                "registration": registration,
                "meeting": meeting,
                "again": again,
                "cancel_url": _cancel_url(registration),
                "retention_days": REGISTRATION_RETENTION_DAYS,
                "site_name": settings.SSP_SITE_NAME,
            },
        ),
    )


@transaction.atomic
def registration_add(
    *,
    opening: RegistrationOpening,
    full_name: str,
    email: str,
    organisation: str,
    user: User | None = None,
) -> Registration:
    """Register someone for the meeting, if a seat is left and the deadline has not passed,
    and mail them a confirmation with a link to cancel. Someone already registered (the same
    address) stays registered once and is mailed the link again."""
    # The lock serialises every registration for this meeting: count, then insert.
    opening = (
        RegistrationOpening.objects.select_for_update().select_related("meeting").get(pk=opening.pk)
    )
    if not is_open(opening):
        raise ValidationError(_("Tilmeldingen er lukket."))
    email = email.strip().lower()
    existing = opening.registrations.filter(email__iexact=email).first()
    if existing is not None:
        _confirm(existing, again=True)
        return existing
    if opening.registrations.count() >= opening.capacity:
        raise ValidationError(
            _("Mødet er fuldt booket. Kontakt mødelederen, hvis du vil på venteliste.")
        )
    registration = Registration.objects.create(
        opening=opening,
        user=user,
        full_name=full_name.strip(),
        email=email,
        organisation=organisation.strip(),
    )
    _confirm(registration, again=False)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration) -> None:
    """The registrant cancels: the row and its personal data go."""
    registration.delete()


@transaction.atomic
def registration_remove(*, registration: Registration, by: User) -> None:
    """The organiser takes someone off the list; they are told by email."""
    meeting = registration.opening.meeting
    email_send(
        to=[registration.email],
        subject=_("Afmeldt: %(title)s") % {"title": meeting.title},
        body=render_to_string(
            "meetings/email/registration_removed.txt",
            {"meeting": meeting, "site_name": settings.SSP_SITE_NAME},
        ),
    )
    registration.delete()


def registrations_prune(now: datetime | None = None) -> int:
    """Delete outside invitees' registrations `REGISTRATION_RETENTION_DAYS` after their
    meeting ended. Signed-in users' rows stay with the meeting, as its participants do."""
    cutoff = (now or timezone.now()) - timedelta(days=REGISTRATION_RETENTION_DAYS)
    deleted, _counts = Registration.objects.filter(
        user__isnull=True, opening__meeting__ends_at__lt=cutoff
    ).delete()
    return deleted
