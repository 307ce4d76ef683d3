"""The young person as the reporter typed them, and the consultant's decision who that is.

The concern form is open to every professional of the municipality, and its lookup shows only
the young people they may already know of. If typing a child in attached an already registered
young person, the form would be a CPR → identity oracle: the confirmation would show the stored
name and school, and the child would join the reporter's lookup. So a typed-in young person is
kept on the concern as typed (`Concern.reported_*`), identically whether or not the
organisation knows the child, and the SSP consultant decides at triage
(`concern_resolve_young_person`): "this is <registered young person>" or "register as new".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import concern_dates, cpr, identity
from cases.models import Concern, ConcernChange, YoungPerson
from forum.models import Municipality, Unit
from ssp.audit import audit_log
from ssp.models import AuditAction, User


@dataclass(frozen=True)
class ReportedIdentity:
    """A young person typed into the concern form rather than picked from the lookup."""

    full_name: str
    birth_date: date | None = None
    cpr_number: str = ""
    school: Unit | None = None


@dataclass(frozen=True)
class CleanIdentity:
    """A `ReportedIdentity` checked: the birth date follows from the CPR number when given."""

    full_name: str
    birth_date: date | None
    cpr_digits: str
    school: Unit | None


def reported_identity_clean(
    *, identity: ReportedIdentity, municipality: Municipality
) -> CleanIdentity:
    """Check what the reporter typed; field-keyed errors for anything mistyped.

    Nothing here looks at the registered young people: the answer is the same for a child the
    organisation knows and one it does not.
    """
    errors: dict[str, list[str]] = {}
    full_name = " ".join(identity.full_name.split())
    birth_date = identity.birth_date
    digits = ""
    if not full_name:
        errors["full_name"] = [_("Skriv den unges navn, eller find den unge i søgningen.")]
    if identity.cpr_number.strip():
        try:
            digits, cpr_birth_date = cpr.validate(identity.cpr_number)
        except ValidationError as error:
            errors["cpr_number"] = error.messages
        else:
            if birth_date and birth_date != cpr_birth_date:
                errors["birth_date"] = [_("Fødselsdatoen passer ikke med CPR-nummeret.")]
            elif not birth_date and concern_dates.BIRTH_DATE.error(cpr_birth_date):
                errors["cpr_number"] = [
                    _("CPR-nummeret giver en fødselsdato, SSP ikke arbejder med. Tjek det.")
                ]
            birth_date = cpr_birth_date
    for field, messages in concern_dates.date_errors(birth_date=identity.birth_date).items():
        errors.setdefault(field, []).extend(messages)
    if identity.school is not None and identity.school.municipality_id != municipality.pk:
        errors["school"] = [_("Skolen skal ligge i samme kommune som den unge.")]
    if errors:
        raise ValidationError(errors)
    return CleanIdentity(full_name, birth_date, digits, identity.school)


def reported_identity_fields(clean: CleanIdentity) -> dict[str, object]:
    """The concern's `reported_*` fields for a checked identity; the CPR number only as a
    token and a keyed hash."""
    return {
        "reported_name": clean.full_name,
        "reported_birth_date": clean.birth_date,
        "reported_cpr_token": cpr.encrypt(clean.cpr_digits) if clean.cpr_digits else "",
        "reported_cpr_hash": cpr.lookup_hash(clean.cpr_digits) if clean.cpr_digits else "",
        "reported_school": clean.school,
    }


def _unsettled(concern: Concern) -> None:
    if not concern.has_reported_identity:
        raise ValidationError(_("Bekymringen har ingen indtastet ung at afgøre."))
    if concern.young_person_id is not None:
        raise ValidationError(_("Det er allerede afgjort, hvem den unge er."))


@transaction.atomic
def concern_resolve_young_person(
    *,
    concern: Concern,
    by: User,
    young_person: YoungPerson | None = None,
    reason: str = "",
) -> YoungPerson:
    """Settle who the typed-in young person is: an already registered young person (the
    consultant confirms a suggested match), or, with `young_person` None, a new one registered
    from what the reporter typed. Logged as a change of the concern's young person with who
    and why; what the reporter typed stays on the concern as it was.

    Registering anew someone with an already registered CPR number is refused: that is the
    registered young person (the consultant sees them as the suggested match).
    """
    _unsettled(concern)
    if young_person is None:
        young_person = _register(concern, by)
        reason = reason or _("Registreret som ny ung ud fra indberetningen.")
    else:
        if young_person.municipality_id != concern.municipality_id:
            raise ValidationError({"young_person": [_("Den unge skal høre til samme kommune.")]})
        reason = reason or _("Den indberettede unge er en allerede registreret ung.")
    concern.young_person = young_person
    concern.save(update_fields=["young_person"])
    ConcernChange.objects.create(
        concern=concern,
        changed_by=by,
        field="young_person",
        old_value="",
        new_value=str(young_person.pk),
        reason=reason,
    )
    audit_log(
        user=by,
        action=AuditAction.UPDATE,
        obj=concern,
        subject_id=young_person.pk,
        purpose=reason,
    )
    return young_person


def _register(concern: Concern, by: User) -> YoungPerson:
    if (
        concern.reported_cpr_hash
        and YoungPerson.objects.filter(
            municipality_id=concern.municipality_id, cpr_hash=concern.reported_cpr_hash
        ).exists()
    ):
        raise ValidationError(
            {
                "young_person": [
                    _(
                        "En ung med samme CPR-nummer er allerede registreret: vælg den "
                        "registrerede unge."
                    )
                ]
            }
        )
    young_person = YoungPerson.objects.create(
        municipality_id=concern.municipality_id,
        full_name=concern.reported_name,
        birth_date=concern.reported_birth_date,
        cpr_token=concern.reported_cpr_token,
        cpr_hash=concern.reported_cpr_hash,
        school=concern.reported_school,
    )
    audit_log(user=by, action=AuditAction.CREATE, obj=young_person, subject_id=young_person.pk)
    return young_person


def concern_settle_for_case(*, concern: Concern, by: User) -> None:
    """Before a case is opened from a concern with a typed-in young person nobody has settled:
    register them as new when nobody registered resembles them, otherwise ask the consultant
    to choose first (a case must not be opened about a duplicate)."""
    if concern.young_person_id is not None or not concern.has_reported_identity:
        return
    if identity.matching_young_people(concern).exists():
        raise ValidationError(
            _(
                "Den indberettede unge ligner en allerede registreret ung. Vælg under »Hvem er "
                "den unge?«, om det er den registrerede unge eller en ny, før du opretter en sag."
            )
        )
    concern_resolve_young_person(concern=concern, by=by)
