"""Keeping and erasing: legal holds, a municipality's retention periods, and erasure on request.

Holds and erasures write the access log with the young person and the municipality, so an
insight request and the data-protection officer find them; the retention periods are settings
of the municipality, logged as its own change.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.erasure import (
    Erasure,
    allow_court_safe_deletes,
    delete_concerns,
    delete_young_people,
    erase_cases,
    group_cases_named_by_only,
    remove_from_groups,
)
from cases.models import (
    PERIOD_DEFAULTS,
    Case,
    CaseSubject,
    Concern,
    DeletionCause,
    HoldScope,
    LegalHold,
    RetentionPolicy,
    YoungPerson,
)
from cases.services._common import require_reason
from cases.subjects import concerns_about
from forum.models import Municipality
from ssp.audit import audit_log
from ssp.models import AuditAction, User

ERASED_ON_REQUEST = "erased on request (GDPR art. 17)"


@transaction.atomic
def legal_hold_place(
    *, municipality: Municipality, by: User, case_number: int, scope: str, reason: str
) -> LegalHold:
    """Place a legal hold on a case of the municipality, or on its young person and so on
    everything about them: retention and erasure leave it alone until the hold is released."""
    require_reason(reason)
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("young_person")
        .filter(pk=case_number, municipality=municipality)
        .first()
    )
    if case is None:
        raise ValidationError({"case_number": [_("Kommunen har ingen sag med det nummer.")]})
    if scope == HoldScope.YOUNG_PERSON:
        if case.young_person_id is None:
            raise ValidationError(
                {
                    "scope": [
                        _(
                            "Sagen handler om en gruppe eller et sted: tilbagehold sagen, eller "
                            "en sag om den enkelte unge."
                        )
                    ]
                }
            )
        target = YoungPerson.objects.select_for_update().get(pk=case.young_person_id)
        hold = LegalHold(municipality=municipality, young_person=target)
        already = _("Den unge på sagen er allerede retligt tilbageholdt.")
    else:
        target = case
        hold = LegalHold(municipality=municipality, case=case)
        already = _("Sagen er allerede retligt tilbageholdt.")
    if target.legal_hold:
        raise ValidationError({"case_number": [already]})
    hold.reason = reason.strip()
    hold.placed_by = by
    hold.save()
    target.legal_hold = True
    target.save(update_fields=["legal_hold"])
    audit_log(
        user=by,
        action=AuditAction.CREATE,
        obj=hold,
        subject_id=case.young_person_id,
        municipality_id=municipality.pk,
        purpose=hold.reason,
    )
    return hold


@transaction.atomic
def legal_hold_release(*, hold: LegalHold, by: User, reason: str) -> LegalHold:
    """Release a hold: from now on retention treats the data like any other."""
    require_reason(reason)
    hold = LegalHold.objects.select_for_update(of=("self",)).select_related("case").get(pk=hold.pk)
    if not hold.is_active:
        raise ValidationError(_("Tilbageholdelsen er allerede ophævet."))
    hold.released_by = by
    hold.released_at = timezone.now()
    hold.release_reason = reason.strip()
    hold.save(update_fields=["released_by", "released_at", "release_reason"])
    target = hold.case if hold.case_id is not None else hold.young_person
    target.legal_hold = False
    target.save(update_fields=["legal_hold"])
    audit_log(
        user=by,
        action=AuditAction.UPDATE,
        obj=hold,
        subject_id=hold.subject_id,
        municipality_id=hold.municipality_id,
        purpose=hold.release_reason,
    )
    return hold


def retention_limits() -> dict[str, tuple[int, int]]:
    return settings.RETENTION_LIMITS


@transaction.atomic
def retention_policy_set(
    *, municipality: Municipality, by: User, **periods: int
) -> RetentionPolicy:
    """Set the municipality's own retention periods, each within the legal bounds."""
    if set(periods) - set(PERIOD_DEFAULTS):
        raise TypeError(f"Unknown retention periods: {set(periods) - set(PERIOD_DEFAULTS)}")
    errors: dict[str, list[str]] = {}
    for name in PERIOD_DEFAULTS:
        low, high = retention_limits()[name]
        days = periods.get(name)
        if days is None or not low <= days <= high:
            errors[name] = [_("Vælg mellem %(low)s og %(high)s dage.") % {"low": low, "high": high}]
    if errors:
        raise ValidationError(errors)
    policy, _created = RetentionPolicy.objects.update_or_create(
        municipality=municipality,
        defaults={**periods, "updated_by": by, "updated_at": timezone.now()},
    )
    audit_log(
        user=by,
        action=AuditAction.UPDATE,
        obj=policy,
        municipality_id=municipality.pk,
        purpose=_("Opbevaringsperioder ændret"),
    )
    return policy


def _check_not_held(young_person: YoungPerson | None, cases: list[Case]) -> None:
    if young_person is not None and young_person.legal_hold:
        raise ValidationError(_("Den unge er retligt tilbageholdt: intet kan slettes."))
    held_subjects = CaseSubject.objects.filter(
        case__in=[case.pk for case in cases], young_person__legal_hold=True
    )
    if young_person is None and held_subjects.exists():
        raise ValidationError(_("En af de unge i sagen er retligt tilbageholdt."))
    if any(case.legal_hold for case in cases):
        raise ValidationError(_("Sagen er retligt tilbageholdt og kan ikke slettes."))
    held_concerns = Concern.objects.filter(legal_hold=True)
    if held_concerns.filter(case__in=[case.pk for case in cases]).exists():
        raise ValidationError(_("En bekymring på sagen er retligt tilbageholdt."))


@transaction.atomic
def case_erase(*, case: Case, by: User, reason: str) -> dict[str, int]:
    """Erase a case on request (GDPR art. 17), everywhere and at once, as retention would when
    its period ran out: refused while the case, its young person or one of its concerns is on
    legal hold. Returns the records deleted per type."""
    require_reason(reason)
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("young_person", "adhoc_group")
        .get(pk=case.pk)
    )
    _check_not_held(case.young_person, [case])
    audit_log(
        user=by,
        action=AuditAction.DELETE,
        obj=case,
        subject_id=case.young_person_id,
        municipality_id=case.municipality_id,
        purpose=reason.strip(),
    )
    erasure = Erasure(rule=ERASED_ON_REQUEST, cause=DeletionCause.REQUEST)
    erase_cases([case], erasure)
    erasure.save()
    return erasure.counts()


@transaction.atomic
def young_person_erase(*, young_person: YoungPerson, by: User, reason: str) -> dict[str, int]:
    """Erase a young person on request (GDPR art. 17): every case and concern about them, and
    the young person; from a case or concern about a group that names others too they are
    taken out, and the rest stays for the others (docs/retention.md). Refused while anything
    about them is on legal hold."""
    require_reason(reason)
    young_person = YoungPerson.objects.select_for_update().get(pk=young_person.pk)
    cases = list(
        Case.objects.select_for_update(of=("self",))
        .select_related("adhoc_group")
        .filter(young_person=young_person)
    )
    # Group cases naming only them go with them; from the others they are only taken out.
    cases += group_cases_named_by_only(young_person)
    groups = list(
        Case.objects.select_for_update(of=("self",)).filter(subjects__young_person=young_person)
    )
    _check_not_held(young_person, cases + groups)
    concerns = list(
        Concern.objects.select_for_update(of=("self",)).filter(concerns_about(young_person))
    )
    if any(concern.legal_hold for concern in concerns):
        raise ValidationError(_("En bekymring om den unge er retligt tilbageholdt."))
    audit_log(
        user=by,
        action=AuditAction.DELETE,
        obj=young_person,
        subject_id=young_person.pk,
        municipality_id=young_person.municipality_id,
        purpose=reason.strip(),
    )
    erasure = Erasure(rule=ERASED_ON_REQUEST, cause=DeletionCause.REQUEST)
    allow_court_safe_deletes()
    erase_cases(cases, erasure)
    remove_from_groups(young_person, erasure)
    delete_concerns(list(Concern.objects.filter(young_person=young_person)), erasure)
    delete_young_people(list(YoungPerson.objects.filter(pk=young_person.pk)), erasure)
    erasure.save()
    return erasure.counts()
