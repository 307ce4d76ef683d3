"""What the organisation needs to know about case access, without knowing about cases.

`forum` sits below `cases` (import-linter), yet two of its rules depend on who reads cases:
- a seat in a body whose members read cases is a disclosure: nobody may give one to
  themselves, and every one given is logged and told to the consultants (`forum.grants`);
- an ad-hoc group belongs to its case: its page is for the case's readers only.
- a body type may stop handling cases only while no body of it is responsible for a case.
The cases app answers these questions through the hooks it registers here from its
`AppConfig.ready` (`cases/hooks.py`), as the reminder kinds register in `ssp.notify.reminders`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from forum.models import Body
from ssp.models import User

AnyUser = User | AnonymousUser

# `check(body, unread_by)`: whether the body's members read case content; with `unread_by`,
# content that user cannot read already (so that a seat would widen their access).
CaseReadingCheck = Callable[[Body, User | None], bool]
# `visible(user)`: the ids of the bodies of one kind the user may see, as a subquery.
BodyVisibility = Callable[[AnyUser], QuerySet]

# `responsible(bodies)`: whether any of these bodies is responsible for a case.
ResponsibilityCheck = Callable[[QuerySet[Body]], bool]

_CASE_READING_CHECKS: list[CaseReadingCheck] = []
_VISIBILITY: dict[str, BodyVisibility] = {}
_RESPONSIBILITY_CHECKS: list[ResponsibilityCheck] = []


def case_reading_body_register(check: CaseReadingCheck) -> None:
    """Add a rule saying which bodies read cases (called from an app's `ready`)."""
    if check not in _CASE_READING_CHECKS:
        _CASE_READING_CHECKS.append(check)


def body_reads_cases(body: Body, *, unread_by: User | None = None) -> bool:
    """Whether a seat in `body` lets its holder read case content; with `unread_by`, content
    that this user cannot read today."""
    return any(check(body, unread_by) for check in _CASE_READING_CHECKS)


def body_visibility_register(kind: str, visible: BodyVisibility) -> None:
    """Limit who sees the bodies of one kind to the ids `visible(user)` gives."""
    _VISIBILITY[kind] = visible


def body_visibility(user: AnyUser) -> Q:
    """The registered limits as one condition on bodies: each a subquery, never a row-by-row
    test. Kinds nobody registered stay visible to whoever sees their municipality."""
    condition = Q()
    for kind, visible in _VISIBILITY.items():
        condition &= ~Q(kind=kind) | Q(pk__in=visible(user))
    return condition


def case_responsibility_register(check: ResponsibilityCheck) -> None:
    """Add a rule saying whether bodies are responsible for cases (from an app's `ready`)."""
    if check not in _RESPONSIBILITY_CHECKS:
        _RESPONSIBILITY_CHECKS.append(check)


def bodies_responsible_for_cases(bodies: QuerySet[Body]) -> bool:
    """Whether any of `bodies` is responsible for a case (which keeps it handling cases)."""
    return any(check(bodies) for check in _RESPONSIBILITY_CHECKS)
