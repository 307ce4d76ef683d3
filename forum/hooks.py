"""What the apps above the organisation do when someone joins a body, without `forum` knowing
them.

`forum` sits below every other app (import-linter), yet a new seat matters above it: the
onboarding app sends the newcomer a welcome package. An app registers a callback from its
`AppConfig.ready`; `forum.services.membership_add`, the one way any seat is made (by an
administrator, a body's chair, the cases app's ad-hoc groups, the Django admin), calls every
callback inside its own transaction, so what a callback writes (an outbox row) commits or rolls
back with the seat. A callback does its slow work after the commit (a Celery task).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from forum.models import Membership
    from ssp.models import User

# `added(membership, by)`: a seat was just made, by `by` (None: a system change, e.g. the seed).
MembershipAdded = Callable[["Membership", "User | None"], None]

_MEMBERSHIP_ADDED: list[MembershipAdded] = []


def membership_added_register(callback: MembershipAdded) -> None:
    """Call `callback` for every new seat (called from an app's `ready`)."""
    if callback not in _MEMBERSHIP_ADDED:
        _MEMBERSHIP_ADDED.append(callback)


def membership_added(*, membership: Membership, by: User | None) -> None:
    for callback in _MEMBERSHIP_ADDED:
        callback(membership, by)
