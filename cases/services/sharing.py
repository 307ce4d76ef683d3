"""Sharing a case under Retsplejeloven §115, revoking a share, and expiring it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import permissions
from cases.models import Case, CaseEventKind, Share
from cases.services._common import event_add, touch
from forum.models import Body
from ssp.audit import audit_log
from ssp.models import AuditAction, User

# The three §115 criteria the user confirms before sharing or putting a person on an agenda.
SHARE_CRITERIA = ("part_of_ssp", "relevant", "necessary")


def share_criteria_confirmed(criteria: Mapping[str, object] | None) -> bool:
    """Whether the user confirmed all three §115 criteria: the recipients take part in SSP,
    the information is relevant to them, and sharing it is necessary to prevent crime.

    Every disclosure of a case checks this one rule: a share, a decision that shares, and a
    case put on a meeting's agenda (which shows it to the participants).
    """
    return all((criteria or {}).get(name) for name in SHARE_CRITERIA)


@transaction.atomic
def case_share(
    *,
    case: Case,
    by: User,
    purpose: str,
    criteria: dict[str, bool],
    body: Body | None = None,
    user: User | None = None,
    expires_at: datetime | None = None,
) -> Share:
    """Share a case under Retsplejeloven §115 with a body or one person."""
    errors: dict[str, list[str]] = {}
    if not share_criteria_confirmed(criteria):
        errors["__all__"] = [
            _("Bekræft alle tre betingelser for at dele efter §115, før du deler.")
        ]
    if not purpose.strip():
        errors["purpose"] = [_("Skriv formålet med at dele sagen.")]
    if (body is None) == (user is None):
        errors["recipient"] = [_("Vælg enten et organ eller en person at dele med.")]
    if body is not None and body.municipality_id != case.municipality_id:
        errors["recipient"] = [_("Organet skal høre til sagens kommune.")]
    if user is not None and not user.municipalities.filter(pk=case.municipality_id).exists():
        errors["recipient"] = [_("Personen skal arbejde i sagens kommune.")]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("Udløbet skal ligge i fremtiden.")]
    if errors:
        raise ValidationError(errors)
    share = Share.objects.create(
        case=case,
        body=body,
        user=user,
        purpose=purpose.strip(),
        shared_by=by,
        expires_at=expires_at,
    )
    permissions.sync_case_grants(case)
    event_add(
        case,
        CaseEventKind.SHARED,
        by,
        _("Delt med %(recipient)s. Formål: %(purpose)s")
        % {"recipient": share.recipient_label, "purpose": share.purpose},
    )
    touch(case)
    audit_log(
        user=by,
        action=AuditAction.SHARE,
        obj=case,
        subject_id=case.young_person_id,
        purpose=share.purpose,
    )
    return share


@transaction.atomic
def share_revoke(*, share: Share, by: User) -> Share:
    if share.revoked_at is not None:
        raise ValidationError(_("Delingen er allerede tilbagekaldt."))
    share.revoked_at = timezone.now()
    share.revoked_by = by
    share.save(update_fields=["revoked_at", "revoked_by"])
    permissions.sync_case_grants(share.case)
    event_add(share.case, CaseEventKind.REVOKED, by, share.recipient_label)
    audit_log(
        user=by,
        action=AuditAction.REVOKE,
        obj=share.case,
        subject_id=share.case.young_person_id,
    )
    return share


def shares_expire(*, now: datetime | None = None) -> int:
    """End the access of shares whose expiry has passed; safe to run again and again."""
    now = now or timezone.now()
    expired = Share.objects.filter(revoked_at__isnull=True, expires_at__lte=now)
    count = 0
    for share in expired.select_related("case", "body", "user"):
        with transaction.atomic():
            locked = Share.objects.select_for_update().get(pk=share.pk)
            if locked.revoked_at is not None:
                continue
            # An expired share is closed without `revoked_by`: nobody revoked it.
            locked.revoked_at = locked.expires_at
            locked.save(update_fields=["revoked_at"])
            permissions.sync_case_grants(share.case)
            event_add(share.case, CaseEventKind.EXPIRED, None, share.recipient_label)
            count += 1
    return count
