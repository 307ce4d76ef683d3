"""Barnets lov follow-through: "the notification will be sent" becomes a task with a due date.

When a reporter answers that a notification (underretning) will be sent, the concern gets a
`NotificationTask` for the reporter, due `NOTIFICATION_DUE_WORKING_DAYS` working days after the
concern came in. Until someone records when and by whom it was sent
(`concern_notification_record`), the reporter is reminded on the due date and every working
day after it, and the municipality's consultants are told once when it is
`NOTIFICATION_ESCALATE_AFTER_WORKING_DAYS` working days overdue (`cases.followthrough_reminders`).
The system never sends the notification itself; it records that a person did.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Concern, NotificationStatus, NotificationTask
from ssp.audit import audit_log
from ssp.models import AuditAction, User
from ssp.workdays import working_days_after

NOTIFICATION_DUE_WORKING_DAYS = 2
NOTIFICATION_ESCALATE_AFTER_WORKING_DAYS = 2


def notification_task_create(
    *, concern: Concern, responsible: User | None = None
) -> NotificationTask | None:
    """The task for a concern whose notification will be sent (none for any other answer,
    and never a second one). The responsible person is the reporter unless another user is
    given; the person the reporter named as sending it is kept as text."""
    if concern.notification_status != NotificationStatus.WILL_BE_DONE:
        return None
    task, _created = NotificationTask.objects.get_or_create(
        concern=concern,
        defaults={
            "responsible": responsible or concern.author,
            "named_person": concern.notified_by,
            "due_on": working_days_after(
                timezone.localdate(concern.submitted_at), NOTIFICATION_DUE_WORKING_DAYS
            ),
        },
    )
    return task


@transaction.atomic
def concern_notification_record(
    *, concern: Concern, by: User, sent_on: date, sent_by: str
) -> NotificationTask:
    """Record that the notification was sent, when and by whom: the task is done, its
    reminders stop, and the concern says "Underretning er sendt" with the same facts."""
    task = NotificationTask.objects.select_for_update().filter(concern=concern).first()
    if task is None:
        raise ValidationError(_("Der er ingen underretning at registrere på denne bekymring."))
    if task.recorded_at is not None:
        raise ValidationError(_("Det er allerede registreret, at underretningen er sendt."))
    errors: dict[str, list[str]] = {}
    if not sent_by.strip():
        errors["sent_by"] = [_("Skriv, hvem der sendte underretningen.")]
    if sent_on > timezone.localdate():
        errors["sent_on"] = [_("Datoen kan ikke ligge i fremtiden.")]
    elif sent_on < concern.observed_on:
        errors["sent_on"] = [_("Underretningen kan ikke være sendt, før bekymringen opstod.")]
    if errors:
        raise ValidationError(errors)
    task.sent_on = sent_on
    task.sent_by = sent_by.strip()
    task.recorded_by = by
    task.recorded_at = timezone.now()
    task.save(update_fields=["sent_on", "sent_by", "recorded_by", "recorded_at"])
    concern.notification_status = NotificationStatus.DONE
    concern.notified_by = task.sent_by
    concern.notified_on = sent_on
    concern.save(update_fields=["notification_status", "notified_by", "notified_on"])
    audit_log(user=by, action=AuditAction.UPDATE, obj=concern, subject_id=concern.young_person_id)
    return task
