"""Text messages: an outbox like the mail's (`ssp.notify.mail`), sent through a municipality's
HTTP SMS gateway.

`sms_send` writes one `OutgoingSms` row per number in the caller's transaction and hands each
to a worker (`ssp.tasks.deliver_sms`) once that commits. `sms_deliver` claims its row
`FOR UPDATE SKIP LOCKED`, POSTs it to the gateway as JSON and marks it sent in the same
transaction; a failure is tried again with backoff up to `SMS_MAX_ATTEMPTS`; a row whose
message was lost is handed over again by the sweep (`sms_sweep`, every minute from beat).

The gateway adapter is generic: `POST <url>` with `Authorization: Bearer <token>` and
`{"to": "+4512345678", "message": "...", "sender": "..."}`; any 2xx answer is success. Logs
and `last_error` name row ids, exception classes and HTTP statuses: never a number, the
token, the message or the gateway's answer.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ssp.models import OutgoingEmailStatus, OutgoingSms, SmsGateway
from ssp.secrets import secret_decrypt, secret_encrypt

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500
# A Danish number without country code gets +45.
_DIGITS = re.compile(r"[^0-9+]")


def normalise_number(number: str) -> str:
    """ "+45 31 41 59 26", "31415926" and "0045 31415926" as "+4531415926"; "" if blank."""
    digits = _DIGITS.sub("", number or "")
    if not digits:
        return ""
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if not digits.startswith("+"):
        digits = "+45" + digits
    return digits


def sms_send(*, gateway: SmsGateway, to: Iterable[str], body: str) -> list[OutgoingSms]:
    """Queue one text message per number in `to` (blanks and repeats dropped), each sent by a
    worker after the caller's transaction commits. Nothing is queued through a gateway that
    is switched off or has no token."""
    if not gateway.is_active or not gateway.has_token:
        return []
    numbers = sorted({normalise_number(number) for number in to} - {""})
    if not numbers:
        return []
    now = timezone.now()
    rows = OutgoingSms.objects.bulk_create(
        OutgoingSms(
            gateway=gateway,
            to=number,
            body=body,
            created_at=now,
            next_attempt_at=now + _requeue_after(),
        )
        for number in numbers
    )
    transaction.on_commit(partial(_enqueue, [row.pk for row in rows]), robust=True)
    return rows


def _enqueue(ids: list[int]) -> None:
    from ssp.tasks import deliver_sms

    for pk in ids:
        try:
            deliver_sms.delay(pk)
        except Exception:  # any broker failure: the sweep retries
            logger.warning("Could not enqueue SMS %s; the sweep will", pk, exc_info=True)
            return


def _requeue_after() -> timedelta:
    return timedelta(seconds=settings.SMS_REQUEUE_AFTER_SECONDS)


def retry_delay(attempts: int) -> int:
    return min(settings.SMS_RETRY_BACKOFF_SECONDS * 2 ** (attempts - 1), 3600)


class GatewayError(Exception):
    """The gateway refused the message or could not be reached; says only the HTTP status."""


def gateway_post(gateway: SmsGateway, *, to: str, body: str) -> None:
    """POST one message to the gateway; GatewayError unless it answers 2xx."""
    payload = json.dumps({"to": to, "message": body, "sender": gateway.sender}).encode()
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked when it is saved
        gateway.url,
        data=payload,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {secret_decrypt(gateway.token_encrypted)}",
        },
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.SMS_TIMEOUT_SECONDS
        ) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        raise GatewayError(f"HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise GatewayError(type(error).__name__) from None
    if not 200 <= status < 300:
        raise GatewayError(f"HTTP {status}")


def sms_deliver(*, sms_id: int) -> int | None:
    """Send one queued message (called by the worker). Returns the seconds to wait before the
    next try after a failure that may still be retried, else None. A row already sent, given
    up, pruned or being sent by another worker right now is left alone."""
    with transaction.atomic():
        row = (
            OutgoingSms.objects.select_for_update(skip_locked=True)
            .select_related("gateway")
            .filter(pk=sms_id, status=OutgoingEmailStatus.PENDING)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        try:
            gateway_post(row.gateway, to=row.to, body=row.body)
        except Exception as error:  # the gateway, the network, a key that no longer decrypts
            return _record_failure(row, error, now)
        row.status = OutgoingEmailStatus.SENT
        row.sent_at = now
        row.attempts += 1
        row.last_error = ""
        row.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    return None


def _record_failure(row: OutgoingSms, error: Exception, now: datetime) -> int | None:
    row.attempts += 1
    # GatewayError says only the status; anything else only its class (a URLError's text
    # could carry the gateway's address, an InvalidToken nothing useful).
    detail = str(error) if isinstance(error, GatewayError) else ""
    row.last_error = f"{type(error).__name__}: {detail}"[:300]
    if row.attempts >= settings.SMS_MAX_ATTEMPTS:
        row.status = OutgoingEmailStatus.FAILED
        row.save(update_fields=["status", "attempts", "last_error"])
        logger.error("SMS %s was not sent after %s attempts (%s)", row.pk, row.attempts, detail)
        return None
    delay = retry_delay(row.attempts)
    row.next_attempt_at = now + timedelta(seconds=delay) + _requeue_after()
    row.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    logger.warning("SMS %s failed (attempt %s, %s)", row.pk, row.attempts, row.last_error)
    return delay


def sms_sweep(now: datetime | None = None) -> int:
    """Hand over again the pending rows whose time has come; returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            OutgoingSms.objects.select_for_update(skip_locked=True)
            .filter(status=OutgoingEmailStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        if ids:
            OutgoingSms.objects.filter(pk__in=ids).update(next_attempt_at=now + _requeue_after())
            transaction.on_commit(partial(_enqueue, ids), robust=True)
    return len(ids)


def sms_prune(now: datetime | None = None) -> int:
    """Delete rows sent (or given up) more than `SMS_RETENTION_DAYS` ago."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SMS_RETENTION_DAYS)
    deleted, _ = (
        OutgoingSms.objects.exclude(status=OutgoingEmailStatus.PENDING)
        .filter(created_at__lt=cutoff)
        .delete()
    )
    return deleted


def sms_gateway_save(
    *, gateway: SmsGateway | None, url: str, token: str, sender: str, is_active: bool
) -> SmsGateway:
    """Create or change a gateway. A blank token keeps the stored one (the page never shows
    it back); a new gateway needs one. Only https, unless `SMS_GATEWAY_ALLOW_HTTP`
    (development and tests): the token travels in the request."""
    errors: dict[str, list[str]] = {}
    scheme = url.split(":", 1)[0].lower()
    allowed = ("https", "http") if settings.SMS_GATEWAY_ALLOW_HTTP else ("https",)
    if scheme not in allowed:
        errors["url"] = [_("Gatewayens adresse skal begynde med https://.")]
    if not token and (gateway is None or not gateway.has_token):
        errors["token"] = [_("Skriv den nøgle (token), gatewayen har givet jer.")]
    if errors:
        raise ValidationError(errors)
    gateway = gateway or SmsGateway()
    gateway.url = url
    gateway.sender = sender.strip()
    gateway.is_active = is_active
    if token:
        gateway.token_encrypted = secret_encrypt(token.strip())
    gateway.save()
    return gateway
