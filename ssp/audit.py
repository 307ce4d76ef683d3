"""Writing to the append-only access log. Every read and write of case data calls `audit_log`.

Services record writes without knowing about HTTP: `AuditRequestMiddleware` puts the client
address and path of the current request in a context variable that `audit_log` reads.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from ssp.models import AuditAction, AuditEvent, User


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None
    path: str


_origin: ContextVar[RequestOrigin | None] = ContextVar("audit_request_origin", default=None)


class AuditRequestMiddleware:
    """Make the current request's origin available to `audit_log` calls made by services."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _origin.set(RequestOrigin(client_ip(request), request.path[:300]))
        try:
            return self.get_response(request)
        finally:
            _origin.reset(token)


def client_ip(request: HttpRequest) -> str | None:
    """The client address, resolved as django-axes does (it honours the trusted proxy count)."""
    return get_client_ip_address(request) or None


def audit_log(
    *,
    user: User | None,
    action: AuditAction,
    obj: Model | None = None,
    object_type: str = "",
    subject_id: int | None = None,
    municipality_id: int | None = None,
    purpose: str = "",
) -> AuditEvent:
    """Record one access. `subject_id` is the young person whose data was touched."""
    if obj is not None:
        object_type = obj._meta.label_lower
    origin = _origin.get()
    return AuditEvent.objects.create(
        at=timezone.now(),
        user_id=user.pk if user is not None and user.is_authenticated else None,
        user_email=user.email if user is not None and user.is_authenticated else "",
        action=action,
        object_type=object_type,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        subject_id=subject_id,
        municipality_id=municipality_id or getattr(obj, "municipality_id", None),
        purpose=purpose[:300],
        ip_address=origin.ip_address if origin else None,
        path=origin.path if origin else "",
    )


@transaction.atomic
def audit_purge(
    *,
    older_than_days: int,
    municipality_ids: Collection[int] | None = None,
    except_municipality_ids: Collection[int] = (),
) -> int:
    """Delete log rows past their retention; the database refuses anything younger than 183 days
    (measured by its own clock, which is why this takes no `now`).

    Each municipality may keep its log longer or shorter (`cases.RetentionPolicy`): the rows of
    `municipality_ids` only, or every row but those of `except_municipality_ids` (rows of no
    municipality included).
    """
    cutoff = timezone.now() - timedelta(days=older_than_days)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ssp.audit_purge = 'on'")
    events = AuditEvent.objects.filter(at__lt=cutoff)
    if municipality_ids is not None:
        events = events.filter(municipality_id__in=list(municipality_ids))
    if except_municipality_ids:
        events = events.exclude(municipality_id__in=list(except_municipality_ids))
    deleted, _ = events.delete()
    return deleted
