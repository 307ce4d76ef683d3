"""The spring confirmation of the actors' entries: every spring each actor on the ActionCard
confirms or corrects their own work contact details through a link, without a password.

- A round per municipality and year, opened by the beat job (`forum.tasks`) in
  `ENTRY_CONFIRMATION_MONTH` (March: before the April SSP-Forum, with the ActionCard's review
  reminder), or by an editor from the overview. It closes `ENTRY_CONFIRMATION_DAYS` later.
- The actors are the municipality's people with a seat in one of its standing bodies (the
  ActionCard's forum, teams, councils and groups; an ad-hoc group is never named).
- The link is signed (Django's `signing`, timestamped, with its own salt) and carries the
  confirmation's id and a random nonce stored on the row. It is refused when tampered with,
  older than the round's length, superseded (a resend draws a new nonce: that is how a link is
  revoked) or after the round closes. Until then it may be used again, so an actor who
  confirmed and then spots a mistake can still correct it; opening it (GET) changes nothing,
  as mail scanners open links.
- Confirming records the answer. A correction never changes the directory: it waits for a
  consultant or an editor of the ActionCard (the administrators) to accept or reject it,
  and both decisions are in the access log.
- Mail goes through the outbox (`ssp.notify.mail.email_send`, sent after commit). A row is
  marked sent in the transaction that queues its mail, claimed `FOR UPDATE SKIP LOCKED`:
  a job run twice, or two workers at once, mail each actor once. The mail has only the link.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forum import services
from forum.confirmation_models import (
    ConfirmationRound,
    ConfirmationStatus,
    CorrectionStatus,
    EntryConfirmation,
    EntryCorrection,
)
from forum.models import BodyKind, Membership, Municipality, Person, phone_validator
from ssp.audit import audit_log
from ssp.models import AuditAction, User
from ssp.notify.mail import email_send

SALT = "forum.entry-confirmation"
# The work contact details an actor may correct; their unit and seats are told in the note.
CORRECTABLE_FIELDS = ("full_name", "job_title", "email", "phone")
SEND_BATCH = 200


class LinkRefused(Exception):
    """A link that cannot be used: `reason` is "invalid", "expired", "revoked" or "closed"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def actors_of(municipality: Municipality) -> QuerySet[Person]:
    """The municipality's people with a seat in one of its standing bodies (or its police
    district's Kredsråd): those the ActionCard shows."""
    seated = Membership.objects.exclude(body__kind=BodyKind.AD_HOC).values("person_id")
    return Person.objects.filter(municipality=municipality, pk__in=seated)


def standing_seats(person: Person) -> QuerySet[Membership]:
    """The person's seats as the confirmation page shows them: never an ad-hoc group, whose
    name would tell of a case."""
    return (
        person.memberships.exclude(body__kind=BodyKind.AD_HOC)
        .select_related("body")
        .order_by("body__name")
    )


def _closes_on(year: int) -> date:
    return date(year, settings.ENTRY_CONFIRMATION_MONTH, 1) + timedelta(
        days=settings.ENTRY_CONFIRMATION_DAYS
    )


@transaction.atomic
def round_open(*, municipality: Municipality, year: int) -> ConfirmationRound:
    """Open (or find) the municipality's round of `year` and add every actor not yet in it."""
    confirmation_round, _created = ConfirmationRound.objects.get_or_create(
        municipality=municipality, year=year, defaults={"closes_on": _closes_on(year)}
    )
    EntryConfirmation.objects.bulk_create(
        [
            EntryConfirmation(round=confirmation_round, person_id=pk)
            for pk in actors_of(municipality)
            .exclude(entry_confirmations__round=confirmation_round)
            .values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )
    return confirmation_round


def rounds_run(today: date | None = None) -> int:
    """The beat's daily job. In the confirmation month, open the year's round of every
    municipality with actors; while a round is open, add actors who joined since and mail
    everyone not yet mailed. Returns the number of mails queued."""
    today = today or timezone.localdate()
    if today.month == settings.ENTRY_CONFIRMATION_MONTH:
        for municipality in Municipality.objects.filter(
            pk__in=Person.objects.filter(pk__in=Membership.objects.values("person_id")).values(
                "municipality_id"
            )
        ):
            round_open(municipality=municipality, year=today.year)
    sent = 0
    for confirmation_round in ConfirmationRound.objects.filter(
        year=today.year, closes_on__gte=today
    ):
        round_open(municipality=confirmation_round.municipality, year=confirmation_round.year)
        sent += confirmations_send(confirmation_round=confirmation_round)
    return sent


def confirmations_send(*, confirmation_round: ConfirmationRound) -> int:
    """Mail every actor of the round not mailed yet and having a work email, each in a
    transaction of its batch that also marks them sent."""
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                EntryConfirmation.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(round=confirmation_round, sent_at__isnull=True)
                .exclude(person__email="")
                .select_related("person", "round__municipality")
                .order_by("pk")[:SEND_BATCH]
            )
            for confirmation in batch:
                _mail(confirmation)
        sent += len(batch)
        if len(batch) < SEND_BATCH:
            return sent


def _mail(confirmation: EntryConfirmation) -> None:
    """Draw a new nonce (ending any earlier link), mark the row sent and queue its mail."""
    confirmation.nonce = secrets.token_urlsafe(16)
    confirmation.sent_at = timezone.now()
    confirmation.send_count += 1
    confirmation.save(update_fields=["nonce", "sent_at", "send_count"])
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "forum/email/entry_confirmation.txt",
            {
                "site_name": settings.SSP_SITE_NAME,
                "municipality": confirmation.round.municipality.name,
                "year": confirmation.round.year,
                "closes_on": confirmation.round.closes_on,
                "url": link_for(confirmation),
            },
        )
        subject = f"{settings.SSP_SITE_NAME}: " + _(
            "Er dine oplysninger i SSP-handlekortet rigtige?"
        )
    email_send(to=[confirmation.person.email], subject=subject, body=body)


def token_for(confirmation: EntryConfirmation) -> str:
    return signing.dumps({"c": confirmation.pk, "n": confirmation.nonce}, salt=SALT)


def link_for(confirmation: EntryConfirmation) -> str:
    path = reverse("forum:entry_confirm", kwargs={"token": token_for(confirmation)})
    return f"{settings.SSP_BASE_URL}{path}"


def confirmation_from_token(token: str, *, today: date | None = None) -> EntryConfirmation:
    """The confirmation a link is for, or `LinkRefused` saying why not."""
    max_age = timedelta(days=settings.ENTRY_CONFIRMATION_DAYS + 1)
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkRefused("expired") from None
    except signing.BadSignature:
        raise LinkRefused("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        raise LinkRefused("invalid")
    confirmation = (
        EntryConfirmation.objects.select_related("round__municipality", "person__unit")
        .filter(pk=data["c"])
        .first()
    )
    if confirmation is None:
        raise LinkRefused("invalid")
    if not confirmation.nonce or not secrets.compare_digest(
        confirmation.nonce, str(data.get("n", ""))
    ):
        raise LinkRefused("revoked")
    if not confirmation.round.is_open_on(today or timezone.localdate()):
        raise LinkRefused("closed")
    return confirmation


def _log(
    *, user: User | None, action: AuditAction, obj: object, person: Person, purpose: str
) -> None:
    audit_log(
        user=user,
        action=action,
        obj=obj,  # type: ignore[arg-type]
        municipality_id=person.municipality_id,
        purpose=purpose,
    )


@transaction.atomic
def entry_confirm(*, confirmation: EntryConfirmation) -> EntryConfirmation:
    """The actor says their entry is right; a correction of theirs still waiting is
    withdrawn (they have changed their mind)."""
    confirmation = EntryConfirmation.objects.select_for_update().get(pk=confirmation.pk)
    confirmation.corrections.filter(status=CorrectionStatus.PENDING).delete()
    confirmation.status = ConfirmationStatus.CONFIRMED
    confirmation.answered_at = timezone.now()
    confirmation.save(update_fields=["status", "answered_at"])
    _log(
        user=None,
        action=AuditAction.UPDATE,
        obj=confirmation,
        person=confirmation.person,
        purpose=_("Aktøren bekræftede sine oplysninger gennem linket"),
    )
    return confirmation


def correction_fields(person: Person) -> tuple[str, ...]:
    """A login's work email is the login: it changes through the administrator of users."""
    if person.user_id:
        return tuple(f for f in CORRECTABLE_FIELDS if f != "email")
    return CORRECTABLE_FIELDS


@transaction.atomic
def entry_correct(
    *, confirmation: EntryConfirmation, changes: dict[str, str], note: str = ""
) -> EntryCorrection:
    """The actor proposes corrections to their own work details. Only what differs from the
    entry is kept; it replaces a proposal of theirs still waiting for review."""
    confirmation = (
        EntryConfirmation.objects.select_for_update()
        .select_related("person")
        .get(pk=confirmation.pk)
    )
    person = confirmation.person
    proposed = {}
    for field in correction_fields(person):
        value = " ".join(str(changes.get(field, getattr(person, field))).split())
        if field == "email":
            value = value.lower()
        if value != getattr(person, field):
            proposed[field] = value
    note = note.strip()
    if proposed.get("phone"):
        try:
            phone_validator(proposed["phone"])
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from None
    if "full_name" in proposed and not proposed["full_name"]:
        raise ValidationError({"full_name": _("Skriv dit navn.")})
    if not proposed and not note:
        raise ValidationError(
            _(
                "Du har ikke ændret noget. Ret felterne eller skriv, hvad der skal rettes, "
                "eller bekræft, at dine oplysninger er rigtige."
            )
        )
    confirmation.corrections.filter(status=CorrectionStatus.PENDING).delete()
    correction = EntryCorrection.objects.create(
        confirmation=confirmation, proposed=proposed, note=note
    )
    confirmation.status = ConfirmationStatus.CORRECTED
    confirmation.answered_at = timezone.now()
    confirmation.save(update_fields=["status", "answered_at"])
    _log(
        user=None,
        action=AuditAction.CREATE,
        obj=correction,
        person=person,
        purpose=_("Aktøren foreslog rettelser til sine oplysninger gennem linket"),
    )
    return correction


def _decide(correction: EntryCorrection, status: str, by: User) -> EntryCorrection:
    """Record the review's decision on a pending correction, locked against a second reviewer."""
    correction = EntryCorrection.objects.select_for_update().get(pk=correction.pk)
    if correction.status != CorrectionStatus.PENDING:
        raise ValidationError(_("Rettelsen er allerede behandlet."))
    correction.status = status
    correction.decided_by = by
    correction.decided_at = timezone.now()
    correction.save(update_fields=["status", "decided_by", "decided_at"])
    return correction


@transaction.atomic
def correction_accept(*, correction: EntryCorrection, by: User) -> Person:
    """Apply a proposed correction to the directory (the usual review)."""
    correction = _decide(correction, CorrectionStatus.ACCEPTED, by)
    person = correction.confirmation.person
    fields = {k: v for k, v in correction.proposed.items() if k in correction_fields(person)}
    if fields:
        person = services.person_update(person=person, **fields)
    _log(
        user=by,
        action=AuditAction.UPDATE,
        obj=person,
        person=person,
        purpose=_("Rettelse fra forårets bekræftelse godkendt: %(fields)s")
        % {"fields": ", ".join(sorted(fields)) or "-"},
    )
    return person


@transaction.atomic
def correction_reject(*, correction: EntryCorrection, by: User) -> EntryCorrection:
    correction = _decide(correction, CorrectionStatus.REJECTED, by)
    _log(
        user=by,
        action=AuditAction.UPDATE,
        obj=correction,
        person=correction.confirmation.person,
        purpose=_("Rettelse fra forårets bekræftelse afvist"),
    )
    return correction


@transaction.atomic
def confirmation_resend(*, confirmation: EntryConfirmation, by: User) -> EntryConfirmation:
    """Mail the actor a new link; the one sent before stops working."""
    confirmation = (
        EntryConfirmation.objects.select_for_update()
        .select_related("person", "round__municipality")
        .get(pk=confirmation.pk)
    )
    if not confirmation.round.is_open_on(timezone.localdate()):
        raise ValidationError(_("Runden er lukket. Nye links sendes til næste forår."))
    if not confirmation.person.email:
        raise ValidationError(_("Personen har ingen arbejdsmail. Ring i stedet."))
    _mail(confirmation)
    _log(
        user=by,
        action=AuditAction.UPDATE,
        obj=confirmation,
        person=confirmation.person,
        purpose=_("Nyt link til forårets bekræftelse sendt; det forrige virker ikke længere"),
    )
    return confirmation


def round_overview(confirmation_round: ConfirmationRound) -> QuerySet[EntryConfirmation]:
    """The round's actors with their answer and any correction waiting, in one query each."""
    return (
        confirmation_round.confirmations.select_related("person", "person__unit")
        .prefetch_related(
            Prefetch(
                "corrections",
                queryset=EntryCorrection.objects.filter(status=CorrectionStatus.PENDING),
                to_attr="pending_corrections",
            )
        )
        .order_by("status", "person__full_name")
    )


def correction_changes(correction: EntryCorrection) -> list[tuple[str, str, str]]:
    """(field label, as the entry has it, as proposed) for each proposed change."""
    person = correction.confirmation.person
    return [
        (str(Person._meta.get_field(field).verbose_name), getattr(person, field), value)
        for field, value in correction.proposed.items()
        if field in CORRECTABLE_FIELDS
    ]


def round_counts(confirmation_round: ConfirmationRound) -> dict[str, int]:
    return confirmation_round.confirmations.aggregate(
        confirmed=Count("pk", filter=Q(status=ConfirmationStatus.CONFIRMED)),
        corrected=Count("pk", filter=Q(status=ConfirmationStatus.CORRECTED)),
        pending=Count("pk", filter=Q(status=ConfirmationStatus.PENDING)),
        no_email=Count("pk", filter=Q(person__email="")),
    )
