"""A new municipality in one step: its organisation from a preset, its first staff invited.

`municipality_create_from_preset` applies a preset (`forum.presets`) in one transaction and
may be run again: what exists (the municipality by its code, a type or body by its name) is
kept, only what is missing is added. `municipality_set_up` is the platform operator's
first-run set-up: a new municipality, its police district, and its first SSP consultants and
administrators, invited by email through the usual invitations of `person_create` (sent by
the mail outbox once the transaction commits, so a set-up that fails sends nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forum import bodytypes, services
from forum.models import Body, Municipality, PoliceDistrict
from forum.presets import PRESETS, Preset
from ssp.models import Sector, User


def preset_get(key: str) -> Preset:
    try:
        return PRESETS[key]
    except KeyError:
        raise ValidationError({"preset": _("Vælg en af skabelonerne.")}) from None


@transaction.atomic
def municipality_create_from_preset(
    *, preset: str, name: str, code: str, police_district: PoliceDistrict
) -> Municipality:
    """The municipality with code `code`, given the preset's body types, standing bodies and
    hierarchy, and age bands. Run again, it adds only what is missing (an existing
    municipality keeps its name, age bands, types and bodies)."""
    spec = preset_get(preset)
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        municipality = Municipality(
            name=name.strip(),
            code=code.strip(),
            police_district=police_district,
            ssp_age_limit=spec.ssp_age_limit,
            ssp_plus_age_limit=spec.ssp_plus_age_limit,
        )
        municipality.full_clean()
        municipality.save()
    types = {
        type_spec.name: bodytypes.body_type_ensure(municipality=municipality, spec=type_spec)
        for type_spec in spec.types
    }
    bodies: dict[str, Body] = {}
    for body_spec in spec.bodies:
        body = Body.objects.filter(municipality=municipality, name__iexact=body_spec.name).first()
        if body is None:
            body_type = types[body_spec.type_name]
            body = services.body_create(
                body_type=body_type,
                municipality=municipality,
                name=body_spec.name,
                parent=bodies[body_spec.parent] if body_spec.parent else None,
                purpose=body_spec.purpose or body_type.description,
                meeting_rhythm=body_type.meeting_rhythm,
            )
        bodies[body_spec.name] = body
    return municipality


@dataclass(frozen=True)
class Invitee:
    """One of the first staff: name and work email, from the set-up form."""

    full_name: str
    email: str


@transaction.atomic
def municipality_set_up(
    *,
    name: str,
    code: str,
    preset: str,
    police_district: PoliceDistrict | None = None,
    new_police_district: str = "",
    consultants: Sequence[Invitee] = (),
    administrators: Sequence[Invitee] = (),
    by: User,
) -> Municipality:
    """A platform operator sets up a new municipality from a preset and invites its first
    SSP consultants (who work in the SSP secretariat) and administrators. Everything or
    nothing: a refusal anywhere rolls the whole set-up back, invitations included."""
    errors: dict[str, list[str]] = {}
    if Municipality.objects.filter(code=code.strip()).exists():
        errors["code"] = [_("Der findes allerede en kommune med den kommunekode.")]
    if Municipality.objects.filter(name__iexact=name.strip()).exists():
        errors["name"] = [_("Der findes allerede en kommune med det navn.")]
    district_name = new_police_district.strip()
    if police_district is None and not district_name:
        errors["police_district"] = [_("Vælg politikredsen, eller skriv navnet på en ny.")]
    elif police_district is not None and district_name:
        errors["new_police_district"] = [_("Vælg en politikreds eller skriv en ny, ikke begge.")]
    elif district_name and PoliceDistrict.objects.filter(name__iexact=district_name).exists():
        errors["new_police_district"] = [
            _("Politikredsen findes allerede: vælg den på listen i stedet.")
        ]
    if not consultants and not administrators:
        errors["administrators"] = [_("Invitér mindst én administrator eller SSP-konsulent.")]
    if errors:
        raise ValidationError(errors)
    if police_district is None:
        police_district = PoliceDistrict.objects.create(name=district_name)
    municipality = municipality_create_from_preset(
        preset=preset, name=name, code=code, police_district=police_district
    )
    roles: dict[str, dict[str, bool]] = {}
    names: dict[str, str] = {}
    for field, people in (("consultants", consultants), ("administrators", administrators)):
        for invitee in people:
            email = invitee.email.strip().lower()
            names.setdefault(email, invitee.full_name.strip())
            roles.setdefault(email, {"is_ssp_consultant": False, "is_administrator": False})
            roles[email]["is_ssp_consultant" if field == "consultants" else "is_administrator"] = (
                True
            )
    for email, role in roles.items():
        _invite(municipality=municipality, full_name=names[email], email=email, by=by, **role)
    return municipality


def _invite(
    *,
    municipality: Municipality,
    full_name: str,
    email: str,
    is_ssp_consultant: bool,
    is_administrator: bool,
    by: User,
) -> None:
    """Add one of the first staff to the directory with a login and the roles given, as
    `forum.services.person_create` does for every administrator: a new address gets an
    account and the invitation to choose a password; an existing account (another
    municipality's) an invitation it accepts signed in. A consultant works in the SSP
    secretariat."""
    services.person_create(
        municipality=municipality,
        full_name=full_name or email,
        sector=Sector.SSP_SECRETARIAT if is_ssp_consultant else Sector.OTHER,
        job_title=_("SSP-konsulent") if is_ssp_consultant else _("Administrator"),
        email=email,
        with_login=True,
        invited_by=by,
        is_ssp_consultant=is_ssp_consultant,
        is_administrator=is_administrator,
    )
