"""The mail outbox in tests: what a worker would do, done in the test's own process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Max

from ssp.models import OutgoingEmail, OutgoingEmailStatus
from ssp.notify import mail


def deliver_in_process(ids: list[int]) -> None:
    """Stands in for `ssp.notify.mail._enqueue` in tests without a real worker: each row is
    delivered once, right when the worker would be handed it (after the commit, which tests
    see through `django_capture_on_commit_callbacks(execute=True)`)."""
    for pk in ids:
        mail.email_deliver(email_id=pk)


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
