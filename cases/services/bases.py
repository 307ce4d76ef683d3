"""Recorded bases for access ("grundlag for adgang"): giving one and ending one.

`basis_give` and `basis_end` are the only writers of `Basis`. Each writes the case's timeline,
the access log (with the young person and the municipality) and re-syncs the case's grants in
the same transaction, so access starts and ends with the record. Every act that widens who
reads a case (opening it under a body, routing a concern, an ad-hoc member, a share, an agenda
item, a decision) gives its basis through here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases import grants, permissions
from cases.models import (
    Basis,
    BasisEndReason,
    BasisGround,
    BasisOrigin,
    Case,
    CaseEventKind,
    Concern,
    Consent,
    ConsentStatus,
)
from cases.services._common import event_add
from forum.models import Body
from ssp.audit import audit_log
from ssp.models import AuditAction, User

# The three §115 criteria the user confirms before a disclosure under Retsplejeloven §115.
SHARE_CRITERIA = ("part_of_ssp", "relevant", "necessary")

# Origins whose timeline lines read as a share ("Delt efter §115", "Deling tilbagekaldt").
SHARING_ORIGINS = (BasisOrigin.SHARE, BasisOrigin.DECISION)


def share_criteria_confirmed(criteria: Mapping[str, object] | None) -> bool:
    """Whether the user confirmed all three §115 criteria: the recipients take part in SSP,
    the information is relevant to them, and sharing it is necessary to prevent crime.

    Every §115 basis checks this one rule: a share, a decision that shares, a case opened or a
    concern routed with a basis for the body, an ad-hoc member from outside the handling
    sectors, and a case put on a meeting's agenda.
    """
    return all((criteria or {}).get(name) for name in SHARE_CRITERIA)


@dataclass(frozen=True)
class BasisRequest:
    """What a user states to give a basis in the same step as the act that needs it."""

    purpose: str
    criteria: Mapping[str, object] | None = None
    ground: str = BasisGround.SECTION_115
    consent: Consent | None = None
    legal_ground: str = ""
    expires_at: datetime | None = None

    def give(
        self,
        *,
        by: User,
        origin: str,
        case: Case | None = None,
        concern: Concern | None = None,
        body: Body | None = None,
        user: User | None = None,
        field_prefix: str = "",
    ) -> Basis:
        """`basis_give` with what the user stated, for the act's case or concern and the body
        or person it opens them to."""
        return basis_give(
            by=by,
            origin=origin,
            case=case,
            concern=concern,
            body=body,
            user=user,
            ground=self.ground,
            purpose=self.purpose,
            criteria=self.criteria,
            consent=self.consent,
            legal_ground=self.legal_ground,
            expires_at=self.expires_at,
            field_prefix=field_prefix,
        )


def current_consent(case: Case) -> Consent | None:
    """The newest consent record of the case: its current consent status."""
    return case.consents.order_by("-recorded_at", "-pk").first()


def _ground_errors(
    *,
    case: Case | None,
    ground: str,
    criteria: Mapping[str, object] | None,
    consent: Consent | None,
    legal_ground: str,
    user: User | None,
    key: str,
) -> dict[str, list[str]]:
    if ground == BasisGround.SECTION_115:
        if not share_criteria_confirmed(criteria):
            return {"__all__": [_("Bekræft alle tre betingelser efter §115 for at give adgang.")]}
        return {}
    if ground == BasisGround.CONSENT:
        current = current_consent(case) if case is not None else None
        if (
            consent is None
            or case is None
            or consent.case_id != case.pk
            or consent.status != ConsentStatus.OBTAINED
            or current is None
            or current.status != ConsentStatus.OBTAINED
        ):
            return {
                f"{key}consent": [
                    _(
                        "Adgang på grundlag af samtykke kræver et givet samtykke, "
                        "registreret i sagen."
                    )
                ]
            }
        return {}
    if ground == BasisGround.LEGAL_GROUND:
        if not legal_ground.strip():
            return {f"{key}legal_ground": [_("Skriv hjemlen for adgangen.")]}
        if user is not None and user.sector not in permissions.HANDLING_SECTORS:
            return {
                f"{key}legal_ground": [
                    _(
                        "En anden hjemmel giver kun adgang til sektorer, der selv behandler "
                        "sagen. Politiet og andre kræver §115 eller samtykke."
                    )
                ]
            }
        return {}
    raise ValueError(f"unknown ground {ground!r}")


def _recipient_errors(
    *, municipality_id: int, body: Body | None, user: User | None, key: str
) -> dict[str, list[str]]:
    if (body is None) == (user is None):
        return {f"{key}recipient": [_("Vælg enten et organ eller en person.")]}
    if body is not None and body.municipality_id != municipality_id:
        return {f"{key}recipient": [_("Organet skal høre til sagens kommune.")]}
    if user is not None and (
        not user.is_active or not user.municipalities.filter(pk=municipality_id).exists()
    ):
        return {f"{key}recipient": [_("Personen skal arbejde i sagens kommune.")]}
    return {}


def duplicate_message(existing: Basis) -> str:
    return _(
        "%(recipient)s har allerede adgang til sagen gennem et gældende grundlag "
        "(%(origin)s, %(date)s). Afslut det først, hvis formål eller udløb skal ændres."
    ) % {
        "recipient": existing.recipient_label,
        "origin": existing.get_origin_display(),
        "date": formats.date_format(timezone.localtime(existing.given_at), "DATE_FORMAT"),
    }


def open_basis_for(
    *, case: Case | None = None, concern: Concern | None = None, body=None, user=None
) -> Basis | None:
    """The basis not yet ended for this subject and recipient (active, or past its expiry
    and not yet tidied up), locked for the transaction."""
    return (
        Basis.objects.select_for_update()
        .filter(case=case, concern=concern, body=body, user=user, ended_at__isnull=True)
        .first()
    )


@transaction.atomic
def basis_give(
    *,
    by: User,
    origin: str,
    purpose: str,
    case: Case | None = None,
    concern: Concern | None = None,
    body: Body | None = None,
    user: User | None = None,
    ground: str = BasisGround.SECTION_115,
    criteria: Mapping[str, object] | None = None,
    consent: Consent | None = None,
    legal_ground: str = "",
    expires_at: datetime | None = None,
    field_prefix: str = "",
) -> Basis:
    """Record a basis for a body or a person to read a case (or a routed concern).

    `field_prefix` names the form fields the errors belong to (`basis_purpose`, …) when the
    basis is a section of a larger form. An earlier basis for the same recipient that has
    expired is ended first; one still active refuses the new one (one active basis per case and
    recipient).
    """
    if (case is None) == (concern is None):
        raise ValueError("a basis is for a case or for a routed concern")
    subject = case or concern
    now = timezone.now()
    errors = _recipient_errors(
        municipality_id=subject.municipality_id, body=body, user=user, key=field_prefix
    )
    errors.update(
        _ground_errors(
            case=case,
            ground=ground,
            criteria=criteria,
            consent=consent,
            legal_ground=legal_ground,
            user=user,
            key=field_prefix,
        )
    )
    if not purpose.strip():
        errors[f"{field_prefix}purpose"] = [_("Skriv formålet med adgangen.")]
    if expires_at is not None and expires_at <= now:
        errors[f"{field_prefix}expires_at"] = [_("Udløbet skal ligge i fremtiden.")]
    if errors:
        raise ValidationError(errors)
    existing = open_basis_for(case=case, concern=concern, body=body, user=user)
    if existing is not None:
        if existing.is_active(now):
            raise ValidationError({f"{field_prefix}recipient": [duplicate_message(existing)]})
        basis_end(basis=existing, by=None, reason=BasisEndReason.EXPIRED, at=existing.expires_at)
    try:
        with transaction.atomic():
            basis = Basis.objects.create(
                case=case,
                concern=concern,
                body=body,
                user=user,
                ground=ground,
                purpose=purpose.strip(),
                origin=origin,
                consent=consent if ground == BasisGround.CONSENT else None,
                legal_ground=legal_ground.strip() if ground == BasisGround.LEGAL_GROUND else "",
                given_by=by,
                given_at=now,
                expires_at=expires_at,
            )
    except IntegrityError:
        # Given at the same moment by someone else: theirs stands.
        raise ValidationError(
            {f"{field_prefix}recipient": [_("Der er netop givet adgang til modtageren.")]}
        ) from None
    _record(basis, by, AuditAction.SHARE)
    return basis


@transaction.atomic
def basis_end(*, basis: Basis, by: User | None, reason: str, at: datetime | None = None) -> Basis:
    """End a basis: its readers lose what it gave them in the same transaction."""
    locked = Basis.objects.select_for_update().get(pk=basis.pk)
    if locked.ended_at is not None:
        raise ValidationError(_("Adgangen er allerede ophørt."))
    locked.ended_at = at or timezone.now()
    locked.ended_by = by
    locked.end_reason = BasisEndReason(reason)
    locked.save(update_fields=["ended_at", "ended_by", "end_reason"])
    _record(locked, by, AuditAction.REVOKE)
    return locked


@transaction.atomic
def basis_reschedule(*, basis: Basis, expires_at: datetime, by: User | None) -> Basis:
    """Move the expiry of an active basis on a case when the act it was given for moves (a
    meeting moved to another day): its readers keep or lose access with the new date."""
    locked = (
        Basis.objects.select_for_update(of=("self",))
        .select_related("case", "body", "user")
        .get(pk=basis.pk)
    )
    if not locked.is_active():
        raise ValidationError(_("Adgangen er allerede ophørt."))
    if locked.case is None:
        raise ValueError("only a basis on a case is rescheduled")
    locked.expires_at = expires_at
    locked.save(update_fields=["expires_at"])
    audit_log(
        user=by,
        action=AuditAction.UPDATE,
        obj=locked.case,
        subject_id=locked.case.young_person_id,
        municipality_id=locked.case.municipality_id,
        purpose=locked.purpose,
    )
    event_add(
        locked.case,
        CaseEventKind.BASIS,
        by,
        "basis_extended",
        recipient=locked.recipient_label,
        date=timezone.localtime(expires_at).date().isoformat(),
    )
    grants.sync_case_grants(locked.case)
    return locked


def bases_end(*, bases: Iterable[Basis], by: User | None, reason: str) -> int:
    """End each of `bases` that is still open; how many it ended."""
    count = 0
    for basis in bases:
        if basis.ended_at is None:
            basis_end(basis=basis, by=by, reason=reason)
            count += 1
    return count


def _record(basis: Basis, by: User | None, action: AuditAction) -> None:
    """The timeline line, the access-log row and the grants of a basis given or ended."""
    subject = basis.case or basis.concern
    young_person_id = subject.young_person_id
    audit_log(
        user=by,
        action=action,
        obj=subject,
        subject_id=young_person_id,
        municipality_id=subject.municipality_id,
        purpose=basis.purpose if action == AuditAction.SHARE else basis.get_end_reason_display(),
    )
    if basis.case is None:
        return
    kind, message, values = _timeline_line(basis, action)
    event_add(basis.case, kind, by, message, **values)
    grants.sync_case_grants(basis.case)


def _timeline_line(basis: Basis, action: AuditAction) -> tuple[str, str, dict[str, object]]:
    """The timeline's kind, message code and values (`cases.event_texts`) for a basis."""
    recipient = basis.recipient_label
    sharing = basis.origin in SHARING_ORIGINS
    if action == AuditAction.SHARE:
        if sharing and basis.ground == BasisGround.SECTION_115:
            return (
                CaseEventKind.SHARED,
                "shared",
                {"recipient": recipient, "purpose": basis.purpose},
            )
        expires = (
            timezone.localtime(basis.expires_at).date().isoformat() if basis.expires_at else None
        )
        return (
            (CaseEventKind.SHARED if sharing else CaseEventKind.BASIS),
            "basis_given",
            {
                "recipient": recipient,
                "origin": basis.origin,
                "ground": basis.ground,
                "purpose": basis.purpose,
                "expires": expires,
            },
        )
    if sharing and basis.end_reason == BasisEndReason.REVOKED:
        return CaseEventKind.REVOKED, "revoked", {"recipient": recipient}
    if sharing and basis.end_reason == BasisEndReason.EXPIRED:
        return CaseEventKind.EXPIRED, "expired", {"recipient": recipient}
    return (
        CaseEventKind.BASIS_ENDED,
        "basis_ended",
        {"recipient": recipient, "reason": basis.end_reason},
    )
