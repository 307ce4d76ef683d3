"""The young person as the reporter typed them, and the consultant's decision who that is.

The concern form is open to every professional of the municipality, and its lookup shows only
the young people they may already know of. If typing a child in attached an already registered
young person, the form would be a CPR → identity oracle: the confirmation would show the stored
name and school, and the child would join the reporter's lookup. So a typed-in young person is
kept on the concern as typed (`Concern.reported_*`), identically whether or not the
organisation knows the child, and the SSP consultant decides at triage
(`concern_resolve_young_person`): "this is <registered young person>" or "register as new".

A concern about several young people (`ConcernPerson`) keeps each typed-in one the same way, on
its own row with no `young_person` until the consultant settles it (`person=` below); a young
person picked from the reporter's lookup is one they may see already and is stored as picked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import concern_dates, cpr, identity
from cases.models import Concern, ConcernChange, ConcernPerson, YoungPerson
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
    full_name = identity.full_name.strip()
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


@dataclass(frozen=True)
class NamedPerson:
    """One young person of a concern about several: picked (`young_person`) or typed (`typed`)."""

    young_person: YoungPerson | None = None
    typed: CleanIdentity | None = None

    @property
    def birth_date_and_school(self) -> tuple[date | None, Unit | None]:
        if self.young_person is not None:
            return self.young_person.birth_date, self.young_person.school
        if self.typed is None:
            return None, None
        return self.typed.birth_date, self.typed.school

    def same_as(self, other: NamedPerson) -> bool:
        if self.young_person is not None or other.young_person is not None:
            return self.young_person == other.young_person
        return self.typed == other.typed


def named_people(
    *,
    municipality: Municipality,
    first: YoungPerson | None,
    first_typed: CleanIdentity | None,
    others: Sequence[ReportedIdentity],
) -> list[NamedPerson]:
    """The young people a concern names, in order: the form's own young person (picked or
    typed), then `others` (typed into "more young people"), each checked like the first and
    kept as typed, never looked up. A refusal is reported on `other_people` with the row's
    number. The same typed twice counts once.
    """
    named: list[NamedPerson] = []
    if first is not None or first_typed is not None:
        named.append(NamedPerson(young_person=first, typed=None if first else first_typed))
    errors: list[str] = []
    for number, other in enumerate(others, start=2):
        try:
            typed = reported_identity_clean(identity=other, municipality=municipality)
        except ValidationError as error:
            errors += [
                _("Ung nr. %(number)s: %(message)s") % {"number": number, "message": message}
                for message in error.messages
            ]
            continue
        person = NamedPerson(typed=typed)
        if not any(person.same_as(seen) for seen in named):
            named.append(person)
    if errors:
        raise ValidationError({"other_people": errors})
    return named


def concern_people_create(*, concern: Concern, named: Sequence[NamedPerson]) -> None:
    """The rows of a concern about several: a picked young person as picked, a typed one as
    typed with no young person (the consultant settles it)."""
    ConcernPerson.objects.bulk_create(
        ConcernPerson(concern=concern, young_person=person.young_person, position=index)
        if person.young_person is not None
        else ConcernPerson(
            concern=concern, position=index, **reported_identity_fields(person.typed)
        )
        for index, person in enumerate(named)
    )


def _unsettled(concern: Concern | ConcernPerson) -> None:
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
    person: ConcernPerson | None = None,
    reason: str = "",
) -> YoungPerson:
    """Settle who the typed-in young person is: an already registered young person (the
    consultant confirms a suggested match), or, with `young_person` None, a new one registered
    from what the reporter typed. Logged as a change of the concern's young person with who
    and why; what the reporter typed stays on the concern as it was.

    Registering anew someone with an already registered CPR number is refused: that is the
    registered young person (the consultant sees them as the suggested match). With `person`,
    one typed row of a concern about several is settled the same way.
    """
    if person is not None and person.concern_id != concern.pk:
        raise ValidationError(_("Den unge hører ikke til bekymringen."))
    source: Concern | ConcernPerson = person if person is not None else concern
    _unsettled(source)
    if young_person is None:
        young_person = _register(source, concern.municipality_id, by)
        reason = reason or _("Registreret som ny ung ud fra indberetningen.")
    else:
        if young_person.municipality_id != concern.municipality_id:
            raise ValidationError({"young_person": [_("Den unge skal høre til samme kommune.")]})
        if person is not None and concern.people.filter(young_person=young_person).exists():
            raise ValidationError(
                {"young_person": [_("Den unge er allerede nævnt i bekymringen.")]}
            )
        reason = reason or _("Den indberettede unge er en allerede registreret ung.")
    source.young_person = young_person
    source.save(update_fields=["young_person"])
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


def _register(concern: Concern | ConcernPerson, municipality_id: int, by: User) -> YoungPerson:
    if (
        concern.reported_cpr_hash
        and YoungPerson.objects.filter(
            municipality_id=municipality_id, cpr_hash=concern.reported_cpr_hash
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
        municipality_id=municipality_id,
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


def concern_settle_people(*, concern: Concern, by: User) -> None:
    """Before a concern about several joins or opens a case: each typed-in young person nobody
    has settled is registered as new when nobody registered resembles them; otherwise the
    consultant is asked to choose first."""
    if concern.young_person_id is not None:
        return
    for person in concern.people.filter(young_person__isnull=True).select_related("concern"):
        if identity.matching_young_people(person).exists():
            raise ValidationError(
                _(
                    "%(name)s ligner en allerede registreret ung. Vælg under »Hvem er den "
                    "unge?«, om det er den registrerede unge eller en ny, før du går videre."
                )
                % {"name": person.reported_name}
            )
        concern_resolve_young_person(concern=concern, by=by, person=person)
