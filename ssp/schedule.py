"""The periodic jobs Celery beat starts (settings.CELERY_BEAT_SCHEDULE).

Every job is idempotent: two beat processes, or a job started twice, send each reminder and
message once (docs/multinode.md). The jobs themselves are thin tasks that call services.
"""

from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "clear-expired-sessions": {
        "task": "ssp.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    "expire-case-shares": {
        "task": "cases.tasks.expire_shares",
        # Every minute: a §115 share stops granting access at most a minute after it expires.
        "schedule": crontab(),
    },
    "apply-retention": {
        "task": "cases.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
    "extend-meeting-series": {
        "task": "meetings.tasks.extend_series",
        "schedule": crontab(hour=1, minute=45),
    },
    # Every registered morning source, the year wheel's readiness reminders among them.
    "schedule-reminders": {
        "task": "ssp.tasks.schedule_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    "dispatch-reminders": {
        "task": "ssp.tasks.dispatch_reminders",
        "schedule": crontab(),
    },
    "sweep-outgoing-email": {
        "task": "ssp.tasks.sweep_emails",
        "schedule": crontab(),
    },
    "sweep-actioncard-renderings": {
        "task": "actioncard.tasks.sweep_renderings",
        "schedule": crontab(),
    },
    "sweep-held-logins": {
        "task": "forum.tasks.sweep_held_logins",
        "schedule": crontab(),
    },
    "sweep-archive-exports": {
        "task": "archive.tasks.sweep_exports",
        "schedule": crontab(minute="*/5"),
    },
    "sweep-welcomes": {
        "task": "onboarding.tasks.sweep_welcomes",
        "schedule": crontab(),
    },
    # Outside invitees' registrations, some days after their meeting (meetings/registration.py).
    "prune-registrations": {
        "task": "meetings.tasks.prune_registrations",
        "schedule": crontab(hour=2, minute=45),
    },
    # Uploaded organisation spreadsheets, a day after their upload (orgimport/models.py).
    "purge-org-imports": {
        "task": "orgimport.tasks.purge_uploads",
        "schedule": crontab(minute=20),
    },
    "sweep-outgoing-sms": {
        "task": "ssp.tasks.sweep_sms",
        "schedule": crontab(),
    },
    # The actors' spring confirmation of their ActionCard entries: opens the round in its
    # month and mails whoever is not mailed yet while it is open (forum/confirmations.py).
    "confirm-directory-entries": {
        "task": "forum.tasks.run_entry_confirmations",
        "schedule": crontab(hour=7, minute=30),
    },
    # Untriaged concerns past a step of their municipality's escalation ladder.
    "escalate-concerns": {
        "task": "cases.tasks.escalate_concerns",
        "schedule": crontab(),
    },
}
