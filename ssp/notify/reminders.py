"""Reminders: kept in PostgreSQL, claimed by a beat task every minute, sent by workers.

The machinery is generic; what is reminded of lives with its app, which registers each kind of
reminder here (`reminder_kind_register`: how to load its objects and what its line says) and
its morning source (`daily_source_register`). Meetings, agendas, minutes, tasks and the yearly
cycle register in `meetings/reminders.py`; case actions and follow-ups in `cases/reminders.py`;
the ActionCard review in `actioncard/reminders.py`. The Celery tasks that schedule, claim and
send are `ssp.tasks.*_reminders`; a user's settings are edited on `ssp.views.reminders`.

A reminder is delivered once:
- Scheduling inserts rows with `ignore_conflicts` on the unique key (kind, object, recipient,
  due time), so scheduling the same reminder twice is a no-op.
- `claim_due` selects due rows `FOR UPDATE SKIP LOCKED` and marks them queued in the same
  transaction; a second dispatcher running at the same moment skips the locked rows and
  afterwards finds them queued. The send tasks are enqueued only after that commit.
- `send` locks its rows, skips those already sent, hands the email to the mail outbox
  (`ssp.notify.mail`) and marks the rows sent in the same transaction, so the outbox takes
  over exactly when the reminder is marked sent. A worker killed mid-task leaves its rows
  queued: the broker hands the message to another worker (`acks_late`, reject on worker
  loss), and if Redis lost the message, the dispatcher claims rows that have stayed queued
  longer than `REMINDER_REQUEUE_AFTER_SECONDS` again.
From there the outbox delivers the email once, retrying while the mail server is away.

Reminders name meetings, bodies and dates, never a young person: a reminder about case work
says only that there is something to do, with a link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ssp.models import Reminder, ReminderSettings, ReminderStatus, User
from ssp.notify.mail import email_send

MORNING = time(8)
CLAIM_BATCH = 1000
# Reminders handed to one send task; each email still commits on its own.
SEND_BATCH = 50


@dataclass(frozen=True)
class Due:
    kind: str
    object_type: str
    object_id: int
    recipient_id: int
    due_at: datetime
    before: datetime | None = None


@dataclass(frozen=True)
class Line:
    text: str
    url: str


@dataclass(frozen=True)
class ReminderKindSpec:
    label: Any  # a lazy translation: the email's subject when it is the only reminder
    object_type: str
    # What the reminder says about its (loaded) object, or None when it no longer applies.
    line: Callable[[Reminder, Any], Line | None]


_KINDS: dict[str, ReminderKindSpec] = {}
_LOADERS: dict[str, Callable[[set[int]], Iterable[Any]]] = {}
_DAILY_SOURCES: list[Callable[[date], Iterable[Due]]] = []
_BEFORE: dict[str, Callable[[set[int]], dict[int, datetime]]] = {}
_REPLANNERS: dict[str, Callable[[User], None]] = {}


def reminder_kind_register(
    kind: str,
    *,
    label: Any,
    object_type: str,
    load: Callable[[set[int]], Iterable[Any]],
    line: Callable[[Reminder, Any], Line | None],
    before: Callable[[set[int]], dict[int, datetime]] | None = None,
    replan: Callable[[User], None] | None = None,
) -> None:
    """Make a kind of reminder known: `load` fetches its objects by id (one query for a
    batch), `line` says what the reminder is about. Called once, when the app's reminders
    module is imported (from its AppConfig.ready).

    When a user changes their settings (`settings_update`), their waiting reminders are
    re-timed, never held past what `before` gives for their object (a meeting's start);
    a kind with `replan` is instead planned anew by it, for kinds whose due times themselves
    follow the settings (the meeting offsets)."""
    _KINDS[kind] = ReminderKindSpec(label=label, object_type=object_type, line=line)
    _LOADERS[object_type] = load
    if before is not None:
        _BEFORE[object_type] = before
    if replan is not None:
        _REPLANNERS[kind] = replan


def daily_source_register(source: Callable[[date], Iterable[Due]]) -> None:
    """A function run every morning (`schedule_daily`) that yields the reminders due."""
    if source not in _DAILY_SOURCES:
        _DAILY_SOURCES.append(source)


# Quiet hours and the daily digest ----------------------------------------------------------


def settings_of(users: Iterable[int]) -> dict[int, ReminderSettings]:
    """Each user's reminder settings, the defaults for those who never changed them."""
    users = list(users)
    found = {s.user_id: s for s in ReminderSettings.objects.filter(user_id__in=users)}
    return {pk: found.get(pk) or ReminderSettings(user_id=pk) for pk in users}


def _in_quiet_hours(moment: time, prefs: ReminderSettings) -> bool:
    start, end = prefs.quiet_from, prefs.quiet_until
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def _next_at(local: datetime, at: time) -> datetime:
    """The first moment at `at` o'clock from `local` on."""
    candidate = timezone.make_aware(datetime.combine(local.date(), at))
    return candidate if candidate >= local else candidate + timedelta(days=1)


def send_time(
    due_at: datetime, prefs: ReminderSettings, *, before: datetime | None = None
) -> datetime:
    """When to send a reminder due at `due_at`: a digest reader's next morning digest; for
    others, the end of quiet hours if it falls inside them. A reminder is never held past
    `before` (the meeting it is about): then it goes at its due time after all."""
    local = timezone.localtime(due_at)
    if prefs.daily_digest or _in_quiet_hours(local.time(), prefs):
        shifted = _next_at(local, prefs.quiet_until)
    else:
        return due_at
    return due_at if before is not None and shifted >= before else shifted


@transaction.atomic
def settings_update(
    *,
    user: User,
    meeting_offsets: list[int],
    quiet_from: time,
    quiet_until: time,
    daily_digest: bool,
) -> ReminderSettings:
    """Save a user's reminder choices and re-plan their waiting reminders by them."""
    prefs, _created = ReminderSettings.objects.get_or_create(user=user)
    prefs.meeting_offsets = sorted(set(meeting_offsets), reverse=True)
    prefs.quiet_from = quiet_from
    prefs.quiet_until = quiet_until
    prefs.daily_digest = daily_digest
    prefs.full_clean()
    prefs.save()
    for replan in _REPLANNERS.values():
        replan(user)
    others = list(
        Reminder.objects.filter(recipient=user, status=ReminderStatus.PENDING).exclude(
            kind__in=list(_REPLANNERS)
        )
    )
    ids: dict[str, set[int]] = defaultdict(set)
    for reminder in others:
        ids[reminder.object_type].add(reminder.object_id)
    limits = {
        (object_type, pk): moment
        for object_type, pks in ids.items()
        if object_type in _BEFORE
        for pk, moment in _BEFORE[object_type](pks).items()
    }
    for reminder in others:
        before = limits.get((reminder.object_type, reminder.object_id))
        reminder.send_at = send_time(reminder.due_at, prefs, before=before)
        reminder.save(update_fields=["send_at"])
    return prefs


# Scheduling ----------------------------------------------------------------------------------


def schedule(due: Iterable[Due]) -> int:
    """Insert reminders that are not there yet; returns how many rows were offered."""
    due = list(due)
    prefs = settings_of({d.recipient_id for d in due})
    rows = [
        Reminder(
            kind=d.kind,
            object_type=d.object_type,
            object_id=d.object_id,
            recipient_id=d.recipient_id,
            due_at=d.due_at,
            send_at=send_time(d.due_at, prefs[d.recipient_id], before=d.before),
        )
        for d in due
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def morning_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, MORNING))


def schedule_daily(today: date | None = None) -> int:
    """Run every morning: the reminders every registered source says are due."""
    today = today or timezone.localdate()
    return schedule(due for source in _DAILY_SOURCES for due in source(today))


# Dispatch and delivery -----------------------------------------------------------------------


def _requeue_after() -> timedelta:
    """A row queued this long without being sent lost its message (its worker died, or Redis
    restarted) and is claimed again."""
    return timedelta(seconds=settings.REMINDER_REQUEUE_AFTER_SECONDS)


@transaction.atomic
def claim_due(now: datetime | None = None, *, limit: int = CLAIM_BATCH) -> list[list[int]]:
    """Claim the reminders due now (and those queued too long ago) and return their ids in
    send batches of about `SEND_BATCH`, each digest reader's reminders in one batch."""
    now = now or timezone.now()
    rows = list(
        Reminder.objects.select_for_update(skip_locked=True)
        .filter(
            Q(status=ReminderStatus.PENDING, send_at__lte=now)
            | Q(status=ReminderStatus.QUEUED, queued_at__lt=now - _requeue_after())
        )
        .order_by("send_at", "pk")
        .values_list("pk", "recipient_id")[:limit]
    )
    if not rows:
        return []
    Reminder.objects.filter(pk__in=[pk for pk, _user in rows]).update(
        status=ReminderStatus.QUEUED, queued_at=now
    )
    batches: list[list[int]] = [[]]
    for group in _groups(rows):
        if batches[-1] and len(batches[-1]) + len(group) > SEND_BATCH:
            batches.append([])
        batches[-1].extend(group)
    return batches


def _groups(rows: list[tuple[int, int]]) -> list[list[int]]:
    """Reminder ids by email: a digest reader's reminders in one, everyone else's one each."""
    digest_readers = set(
        ReminderSettings.objects.filter(
            user_id__in={user for _pk, user in rows}, daily_digest=True
        ).values_list("user_id", flat=True)
    )
    digests: dict[int, list[int]] = defaultdict(list)
    singles = []
    for pk, user_id in rows:
        if user_id in digest_readers:
            digests[user_id].append(pk)
        else:
            singles.append([pk])
    return singles + list(digests.values())


def absolute(path: str) -> str:
    return f"{settings.SSP_BASE_URL}{path}"


def when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "WEEKDAY_DATETIME_AT_FORMAT")


def _line(reminder: Reminder, objects: dict[tuple[str, int], Any]) -> Line | None:
    """What a reminder says, or None when its kind is unknown, its subject is gone or no
    longer calls for it."""
    spec = _KINDS.get(reminder.kind)
    if spec is None or reminder.object_type != spec.object_type:
        return None
    obj = objects.get((reminder.object_type, reminder.object_id))
    if obj is None:
        return None
    return spec.line(reminder, obj)


def _objects(reminders: list[Reminder]) -> dict[tuple[str, int], Any]:
    ids: dict[str, set[int]] = defaultdict(set)
    for reminder in reminders:
        ids[reminder.object_type].add(reminder.object_id)
    objects: dict[tuple[str, int], Any] = {}
    for object_type, pks in ids.items():
        load = _LOADERS.get(object_type)
        if load is not None:
            for obj in load(pks):
                objects[(object_type, obj.pk)] = obj
    return objects


def send(ids: list[int]) -> int:
    """Send a batch of claimed reminders; returns how many went out. Each email is queued in
    the mail outbox and its rows marked sent in a transaction of its own, so a worker killed
    mid-batch queues no email twice. Safe to run twice: rows already sent are skipped, and
    rows another worker is sending right now are left to it."""
    batch = list(
        Reminder.objects.filter(pk__in=ids, status=ReminderStatus.QUEUED)
        .select_related("recipient")
        .order_by("send_at", "pk")
    )
    objects = _objects(batch)
    by_id = {reminder.pk: reminder for reminder in batch}
    groups = _groups([(reminder.pk, reminder.recipient_id) for reminder in batch])
    return sum(_send_one_email([by_id[pk] for pk in group], objects) for group in groups)


@transaction.atomic
def _send_one_email(reminders: list[Reminder], objects: dict[tuple[str, int], Any]) -> int:
    """One email to one recipient about one or (for a digest) several reminders."""
    locked = set(
        Reminder.objects.select_for_update(skip_locked=True)
        .filter(pk__in=[r.pk for r in reminders], status=ReminderStatus.QUEUED)
        .values_list("pk", flat=True)
    )
    reminders = [r for r in reminders if r.pk in locked]
    if not reminders:
        return 0
    recipient = reminders[0].recipient
    lines = [(r, _line(r, objects) if recipient.is_active else None) for r in reminders]
    kept = [(reminder, line) for reminder, line in lines if line is not None]
    dropped = [reminder.pk for reminder, line in lines if line is None]
    if kept:
        with translation.override(settings.LANGUAGE_CODE):
            subject = (
                str(_KINDS[kept[0][0].kind].label)
                if len(kept) == 1
                else _("Dine påmindelser (%(count)s)") % {"count": len(kept)}
            )
            body = render_to_string(
                "ssp/email/reminders.txt",
                {"lines": [line for _r, line in kept], "site_name": settings.SSP_SITE_NAME},
            )
        email_send(to=[recipient.email], subject=f"{settings.SSP_SITE_NAME}: {subject}", body=body)
    Reminder.objects.filter(pk__in=[r.pk for r, _line in kept]).update(
        status=ReminderStatus.SENT, sent_at=timezone.now()
    )
    Reminder.objects.filter(pk__in=dropped).update(status=ReminderStatus.CANCELLED)
    return len(kept)
