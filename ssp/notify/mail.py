"""The one way an email leaves the system: a transactional outbox.

`email_send` writes one `OutgoingEmail` row per recipient in the caller's transaction and,
once that commits, hands each row to a Celery task (`ssp.tasks.deliver_email`). So:
- a change that rolls back mails no one, and a change that commits is always mailed;
- a request never waits for the mail server, and a mail server that is down never turns a
  committed change into an error;
- a failed send is tried again with exponential backoff, up to `EMAIL_MAX_ATTEMPTS`, after
  which the row is marked failed and logged;
- a row whose message was lost (Redis down when the request committed, a worker killed) is
  handed over again by the sweep (`emails_sweep`, every minute from beat).

A row is delivered once: `email_deliver` claims it `FOR UPDATE SKIP LOCKED`, skips it if it
is no longer pending, and marks it sent in the transaction that sent it. As with reminders,
the one window left is a worker killed between the mail server accepting the message and the
commit; no mail protocol can close it.

Logs name row ids and exception classes, never an address, a subject or a body.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from ssp.models import OutgoingEmail, OutgoingEmailStatus

logger = logging.getLogger(__name__)

# Rows handed over again by one run of the sweep.
SWEEP_BATCH = 500


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def email_send(
    *,
    to: Iterable[str],
    subject: str,
    body: str,
    alternatives: Sequence[tuple[str, str]] = (),
    attachments: Sequence[Attachment] = (),
    from_email: str | None = None,
) -> list[OutgoingEmail]:
    """Queue one email per address in `to` (blanks and repeats dropped), each sent by a
    worker after the caller's transaction commits. `alternatives` are (content, mimetype)
    parts, e.g. an iCalendar invitation that Outlook reads as such."""
    addresses = sorted({address for address in to if address})
    if not addresses:
        return []
    now = timezone.now()
    stored_alternatives = [
        {"content": content, "mimetype": mimetype} for content, mimetype in alternatives
    ]
    stored_attachments = [
        {
            "filename": attachment.filename,
            "content": base64.b64encode(attachment.content).decode("ascii"),
            "mimetype": attachment.mimetype,
        }
        for attachment in attachments
    ]
    rows = OutgoingEmail.objects.bulk_create(
        OutgoingEmail(
            to=address,
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
            subject=one_line(subject),
            body=body,
            alternatives=stored_alternatives,
            attachments=stored_attachments,
            created_at=now,
            # Handed to a worker right after the commit; the sweep steps in only if it is
            # still pending by then.
            next_attempt_at=now + _requeue_after(),
        )
        for address in addresses
    )
    transaction.on_commit(partial(_enqueue, [row.pk for row in rows]), robust=True)
    return rows


def one_line(subject: str) -> str:
    """A subject as one line: Django refuses a header with a line break (BadHeaderError), and
    a title typed or pasted with one must not cost the mail, however it got there."""
    return " ".join(subject.split())


def _enqueue(ids: list[int]) -> None:
    """Hand the rows to workers. If the broker is away, stop at the first failure rather than
    let a request wait for each row: the rows are pending and the sweep hands them over."""
    from ssp.tasks import deliver_email

    for pk in ids:
        try:
            deliver_email.delay(pk)
        except Exception:  # any broker failure: the sweep retries
            logger.warning(
                "Could not enqueue email %s (and %s more); the sweep will",
                pk,
                len(ids) - ids.index(pk) - 1,
                exc_info=True,
            )
            return


def _requeue_after() -> timedelta:
    return timedelta(seconds=settings.EMAIL_REQUEUE_AFTER_SECONDS)


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the `attempts`-th failed try: doubling from
    `EMAIL_RETRY_BACKOFF_SECONDS`, at most an hour."""
    return min(settings.EMAIL_RETRY_BACKOFF_SECONDS * 2 ** (attempts - 1), 3600)


def _message(row: OutgoingEmail) -> EmailMultiAlternatives:
    # A subject queued before subjects were made one line would fail every try.
    message = EmailMultiAlternatives(one_line(row.subject), row.body, row.from_email, to=[row.to])
    for part in row.alternatives:
        message.attach_alternative(part["content"], part["mimetype"])
    for attachment in row.attachments:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    return message


def email_deliver(*, email_id: int) -> int | None:
    """Send one queued email (called by the worker). Returns the seconds to wait before the
    next try after a failure that may still be retried, else None.

    A row already sent, failed for good, pruned or being sent by another worker right now is
    left alone, so a message delivered twice sends once.
    """
    with transaction.atomic():
        row = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutgoingEmailStatus.PENDING)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        try:
            _message(row).send()
        except Exception as error:  # whatever the mail server or the network raised
            return _record_failure(row, error, now)
        # Once sent, the content (a sign-in code, a link to choose a password) has no reason
        # to stay in the database; who, when and the subject remain for tracing a mail.
        row.status = OutgoingEmailStatus.SENT
        row.sent_at = now
        row.attempts += 1
        row.last_error = ""
        row.body, row.alternatives, row.attachments = "", [], []
        row.save(
            update_fields=[
                "status",
                "sent_at",
                "attempts",
                "last_error",
                "body",
                "alternatives",
                "attachments",
            ]
        )
    return None


def _record_failure(row: OutgoingEmail, error: Exception, now: datetime) -> int | None:
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:300]
    if row.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        row.status = OutgoingEmailStatus.FAILED
        row.save(update_fields=["status", "attempts", "last_error"])
        logger.error(
            "Email %s was not sent after %s attempts (%s); giving up",
            row.pk,
            row.attempts,
            type(error).__name__,
        )
        return None
    delay = retry_delay(row.attempts)
    row.next_attempt_at = now + timedelta(seconds=delay) + _requeue_after()
    row.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    logger.warning(
        "Email %s failed (attempt %s, %s); trying again in %ss",
        row.pk,
        row.attempts,
        type(error).__name__,
        delay,
    )
    return delay


def emails_sweep(now: datetime | None = None) -> int:
    """Hand over again the pending rows whose time has come: their message was lost (broker
    down at commit, a worker killed) or their retry was. Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutgoingEmailStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        if ids:
            # Not again next minute while the handed-over messages wait in the queue.
            OutgoingEmail.objects.filter(pk__in=ids).update(next_attempt_at=now + _requeue_after())
            transaction.on_commit(partial(_enqueue, ids), robust=True)
    return len(ids)


def emails_prune(now: datetime | None = None) -> int:
    """Delete rows sent (or given up) more than `EMAIL_RETENTION_DAYS` ago: recipients'
    addresses are personal data, kept no longer than an operator needs to trace a mail."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EMAIL_RETENTION_DAYS)
    deleted, _ = (
        OutgoingEmail.objects.exclude(status=OutgoingEmailStatus.PENDING)
        .filter(created_at__lt=cutoff)
        .delete()
    )
    return deleted
