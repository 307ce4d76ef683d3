"""Writing to the append-only access log. Every read and write of case data calls `audit_log`;
a page that lists or searches young people calls `audit_shown` once.

Services record writes without knowing about HTTP: `AuditRequestMiddleware` puts the client
address and path of the current request in a context variable that `audit_log` reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
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


SEARCH_TERM_MAX_LENGTH = 200

# A CPR number in a search term: ten digits (a space or dash allowed after the sixth), or the
# birth date, a dash and the first of the last four digits.
_CPR_IN_TEXT = re.compile(r"(?<!\d)(\d{6})(?:[ \t]*-?[ \t]*\d{4}|[ \t]*-[ \t]*\d{1,3})(?!\d)")


def mask_search_term(term: str) -> str:
    """A search term as the log keeps it: as typed, except that a CPR number, whole or begun,
    is kept as its birth-date part and `-XXXX`. The log must not become a list of the CPR
    numbers people looked for."""
    return _CPR_IN_TEXT.sub(lambda match: f"{match.group(1)}-XXXX", term.strip())[
        :SEARCH_TERM_MAX_LENGTH
    ]


def _event(
    *,
    user: User | None,
    action: AuditAction,
    obj: Model | None,
    object_type: str,
    subject_id: int | None,
    municipality_id: int | None,
    purpose: str,
    search_term: str = "",
    shown_subjects: list[int] | None = None,
) -> AuditEvent:
    if obj is not None:
        # A proxy (the encrypted TOTP device) is logged as the table it lives in.
        object_type = obj._meta.concrete_model._meta.label_lower
    origin = _origin.get()
    signed_in = user is not None and user.is_authenticated
    return AuditEvent(
        at=timezone.now(),
        user_id=user.pk if signed_in else None,
        user_email=user.email if signed_in else "",
        action=action,
        object_type=object_type,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        subject_id=subject_id,
        shown_subjects=shown_subjects or [],
        municipality_id=municipality_id or getattr(obj, "municipality_id", None),
        search_term=mask_search_term(search_term),
        purpose=purpose[:300],
        ip_address=origin.ip_address if origin else None,
        path=origin.path if origin else "",
    )


def audit_log(
    *,
    user: User | None,
    action: AuditAction,
    obj: Model | None = None,
    object_type: str = "",
    subject_id: int | None = None,
    municipality_id: int | None = None,
    purpose: str = "",
    search_term: str = "",
    shown_subjects: Iterable[int] = (),
) -> AuditEvent:
    """Record one access. `subject_id` is the young person whose data was touched; for an
    object about several young people (a group case), `shown_subjects` names those whose part
    was shown or touched."""
    event = _event(
        user=user,
        action=action,
        obj=obj,
        object_type=object_type,
        subject_id=subject_id,
        municipality_id=municipality_id,
        purpose=purpose,
        search_term=search_term,
        shown_subjects=sorted(set(shown_subjects)),
    )
    event.save(force_insert=True)
    return event


# What a page showed: (municipality id, young person id). A row without a young person (a
# concern about a place) still shows the municipality's data.
Shown = tuple[int | None, int | None]


def audit_shown(
    *,
    user: User | None,
    shown: Iterable[Shown],
    action: AuditAction = AuditAction.VIEW,
    obj: Model | None = None,
    object_type: str = "",
    search_term: str = "",
    purpose: str = "",
    searched_in: Callable[[], Iterable[int]] | None = None,
) -> list[AuditEvent]:
    """Record that a page showed these young people: one row per municipality, naming every
    young person it showed there in `shown_subjects`, all written by one INSERT however many
    rows the page lists.

    A page that showed no one is not logged, except a search, whose term is itself recorded:
    under the municipalities `searched_in` returns (asked only then), else without one.
    """
    subjects: dict[int | None, set[int]] = {}
    for municipality_id, subject_id in shown:
        ids = subjects.setdefault(municipality_id, set())
        if subject_id is not None:
            ids.add(subject_id)
    if not subjects:
        if not search_term.strip():
            return []
        searched = list(searched_in()) if searched_in else []
        subjects = {municipality_id: set() for municipality_id in searched} or {None: set()}
    events = [
        _event(
            user=user,
            action=action,
            obj=obj,
            object_type=object_type,
            subject_id=None,
            municipality_id=municipality_id,
            purpose=purpose,
            search_term=search_term,
            shown_subjects=sorted(ids),
        )
        for municipality_id, ids in sorted(subjects.items(), key=lambda item: item[0] or 0)
    ]
    return AuditEvent.objects.bulk_create(events)


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
    # The app's database role may not DELETE from the log; this function, which runs as the
    # table's owner, may (ssp/migrations/0010_runtime_role.py, ssp/db_roles.py).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ssp_auditevent_purge(%s, %s::bigint[], %s::bigint[])",
            [
                cutoff,
                None if municipality_ids is None else list(municipality_ids),
                list(except_municipality_ids),
            ],
        )
        (deleted,) = cursor.fetchone()
    return deleted
