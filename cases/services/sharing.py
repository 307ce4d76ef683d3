"""Sharing a case under Retsplejeloven §115 (or on the young person's consent), revoking a
share, and tidying up shares that have expired. A share is a basis (`cases.services.bases`)
given by sharing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Basis, BasisEndReason, BasisGround, BasisOrigin, Case, Consent
from cases.services._common import touch
from cases.services.bases import (
    basis_end,
    basis_give,
    duplicate_message,
    open_basis_for,
    share_criteria_confirmed,
)
from forum.models import Body
from ssp.models import User


@transaction.atomic
def case_share(
    *,
    case: Case,
    by: User,
    purpose: str,
    criteria: Mapping[str, object] | None = None,
    body: Body | None = None,
    user: User | None = None,
    expires_at: datetime | None = None,
    ground: str = BasisGround.SECTION_115,
    consent: Consent | None = None,
    origin: str = BasisOrigin.SHARE,
) -> Basis:
    """Share a case with a body or one person: under §115 after the user confirmed the three
    criteria, or on the young person's recorded consent. A recipient who already has an
    active basis for the case is refused: one share is enough, and a second would hide which
    purpose and expiry apply."""
    errors: dict[str, list[str]] = {}
    if ground == BasisGround.SECTION_115 and not share_criteria_confirmed(criteria):
        errors["__all__"] = [
            _("Bekræft alle tre betingelser for at dele efter §115, før du deler.")
        ]
    if not purpose.strip():
        errors["purpose"] = [_("Skriv formålet med at dele sagen.")]
    if (body is None) == (user is None):
        errors["recipient"] = [_("Vælg enten et organ eller en person at dele med.")]
    elif body is not None and body.municipality_id != case.municipality_id:
        errors["recipient"] = [_("Organet skal høre til sagens kommune.")]
    elif user is not None and not user.municipalities.filter(pk=case.municipality_id).exists():
        errors["recipient"] = [_("Personen skal arbejde i sagens kommune.")]
    else:
        existing = open_basis_for(case=case, body=body, user=user)
        if existing is not None and existing.is_active():
            errors["recipient"] = [duplicate_message(existing)]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("Udløbet skal ligge i fremtiden.")]
    if errors:
        raise ValidationError(errors)
    basis = basis_give(
        by=by,
        origin=origin,
        purpose=purpose,
        case=case,
        body=body,
        user=user,
        ground=ground,
        criteria=criteria,
        consent=consent,
        expires_at=expires_at,
    )
    touch(case)
    return basis


@transaction.atomic
def share_revoke(*, share: Basis, by: User) -> Basis:
    """End a share (or any other basis of the case) by hand."""
    if share.ended_at is not None:
        raise ValidationError(_("Delingen er allerede tilbagekaldt."))
    return basis_end(basis=share, by=by, reason=BasisEndReason.REVOKED)


def shares_expire(*, now: datetime | None = None) -> int:
    """Tidy up the bases whose expiry has passed: mark them ended as expired and put that on the
    timeline. Access ended at the expiry already (it is tested when a case is read); this only
    keeps the record and the grant tables tidy. Safe to run again and again."""
    now = now or timezone.now()
    expired = Basis.objects.filter(ended_at__isnull=True, expires_at__lte=now)
    count = 0
    for basis in expired:
        with transaction.atomic():
            locked = Basis.objects.select_for_update().get(pk=basis.pk)
            if locked.ended_at is not None:
                continue
            # Ended without `ended_by`: nobody ended it, it ran out.
            basis_end(basis=locked, by=None, reason=BasisEndReason.EXPIRED, at=locked.expires_at)
            count += 1
    return count
