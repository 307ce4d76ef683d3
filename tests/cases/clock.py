"""Moving the clock forward for what expires: PostgreSQL's own clock cannot be moved, so every
stored time of a basis and of the grants it made moves back instead."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F

from cases.models import Basis, CaseGroupObjectPermission, CaseUserObjectPermission


def time_passes(delta: timedelta) -> None:
    """Everything that expires is `delta` nearer its expiry (or past it), as if that much time
    had gone by. Nothing else is touched: no service or job runs."""
    Basis.objects.update(given_at=F("given_at") - delta)
    Basis.objects.filter(expires_at__isnull=False).update(expires_at=F("expires_at") - delta)
    Basis.objects.filter(ended_at__isnull=False).update(ended_at=F("ended_at") - delta)
    for grants in (CaseGroupObjectPermission, CaseUserObjectPermission):
        grants.objects.filter(expires_at__isnull=False).update(expires_at=F("expires_at") - delta)
