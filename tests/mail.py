"""The mail outbox in tests: what a worker would do, done in the test's own process."""

from __future__ import annotations

import email
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db.models import Max

from ssp.models import OutgoingEmail, OutgoingEmailStatus
from ssp.notify import mail


def deliver_in_process(ids: list[int]) -> None:
    """Stands in for `ssp.notify.mail._enqueue` in tests without a real worker: each row is
    delivered once, right when the worker would be handed it (after the commit, which tests
    see through `django_capture_on_commit_callbacks(execute=True)`)."""
    for pk in ids:
        mail.email_deliver(email_id=pk)


def deliver_held_logins_in_process(ids: list[int]) -> None:
    """Stands in for `forum.logins._enqueue` as `deliver_in_process` does for the mail: each
    held login sent is given its login by this process, after the commit."""
    from forum.logins import held_login_deliver

    for pk in ids:
        held_login_deliver(held_id=pk)


def deliver_queued(*, to: str) -> int:
    """Deliver the pending emails to `to`, as the worker does once the transaction that
    queued them has committed; for tests whose transaction never commits (the test's own).
    Returns how many were pending."""
    ids = list(
        OutgoingEmail.objects.filter(status=OutgoingEmailStatus.PENDING, to=to)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    deliver_in_process(ids)
    return len(ids)


@contextmanager
def outbox_delivered() -> Iterator[None]:
    """Deliver the emails queued inside the block when it ends, as the worker does once the
    block's work has committed; emails queued before it stay queued."""
    before = OutgoingEmail.objects.aggregate(last=Max("pk"))["last"] or 0
    yield
    deliver_in_process(
        list(
            OutgoingEmail.objects.filter(status=OutgoingEmailStatus.PENDING, pk__gt=before)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    )


# The real hand-over to the broker, for tests that put the in-process delivery aside.
ENQUEUE_TO_BROKER = mail._enqueue


def file_mail_worker_env(mail_dir: Path) -> dict[str, str]:
    """The environment of a real Celery worker for this test database that writes each email
    it sends as a file in `mail_dir` (read back with `file_mail_messages`)."""
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return {
        "DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }


def file_mail_messages(mail_dir: Path) -> list[email.message.Message]:
    """The emails a worker wrote to `mail_dir` (Django's file backend: one file per
    connection, messages separated by a line of dashes)."""
    found = []
    for path in mail_dir.iterdir():
        for chunk in path.read_text(encoding="utf-8", errors="replace").split("-" * 79):
            if "Message-ID:" in chunk:
                found.append(email.message_from_string(chunk.lstrip()))
    return found
