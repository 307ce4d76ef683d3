"""Housekeeping tasks of the shared core. Tasks are thin: they call a function and return."""

from __future__ import annotations

from celery import shared_task
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from ssp.notify import mail, reminders, sms


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry, so signed-out data does not linger in the database."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def ping() -> str:
    """Answers "pong": lets tests and operators see that a worker executes tasks."""
    return "pong"


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def deliver_email(self, email_id: int) -> None:  # type: ignore[no-untyped-def]
    """Send one queued email. The row counts the attempts and gives up after
    `EMAIL_MAX_ATTEMPTS`; until then a failure is retried after the row's backoff."""
    delay = mail.email_deliver(email_id=email_id)
    if delay is not None:
        raise self.retry(countdown=delay)


@shared_task(acks_late=True)
def sweep_emails() -> int:
    """Every minute: hand over again the emails whose message or retry was lost, and delete
    those kept past their retention."""
    mail.emails_prune()
    return mail.emails_sweep()


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def schedule_reminders() -> int:
    """Every morning: the reminders every registered source says are due (case actions,
    follow-ups, meeting tasks, the yearly cycle)."""
    return reminders.schedule_daily()


@shared_task(acks_late=True)
def dispatch_reminders() -> int:
    """Every minute: claim the due reminders and hand them to workers once the claim has
    committed, so a worker that picks a batch up finds its rows queued."""
    with transaction.atomic():
        batches = reminders.claim_due()
        transaction.on_commit(lambda: [send_reminders.delay(ids) for ids in batches])
    return sum(len(ids) for ids in batches)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=8,
)
def send_reminders(ids: list[int]) -> int:
    return reminders.send(ids)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def deliver_sms(self, sms_id: int) -> None:  # type: ignore[no-untyped-def]
    """Send one queued text message; the row counts attempts and gives up after
    `SMS_MAX_ATTEMPTS`."""
    delay = sms.sms_deliver(sms_id=sms_id)
    if delay is not None:
        raise self.retry(countdown=delay)


@shared_task(acks_late=True)
def sweep_sms() -> int:
    """Every minute: hand over again the text messages whose message or retry was lost, and
    delete those kept past their retention."""
    sms.sms_prune()
    return sms.sms_sweep()
