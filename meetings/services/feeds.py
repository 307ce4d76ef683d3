"""Secret calendar feed URLs."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from meetings.models import CalendarFeed
from ssp.models import User


@transaction.atomic
def feed_create(*, user: User) -> str:
    """A new secret feed URL token for the user; any earlier one stops working."""
    feed_revoke(user=user)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, token_hash=CalendarFeed.hash_token(token))
    return token


@transaction.atomic
def feed_revoke(*, user: User) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
