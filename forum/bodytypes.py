"""Writes of a municipality's body types (`forum.BodyType`). Keyword-only `<entity>_<verb>`.

A type names a kind of body as the municipality runs it and carries its rules: how many the
municipality may have (`max_per_municipality`, which replaces the fixed "one Lokalråd, one
Følgegruppe, one SSP-Forum"), whether cases may be opened under its bodies, and whether they
may span other municipalities of the police district. `forum.services.body_validate` holds
the bodies to them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forum import access
from forum.models import (
    CASE_HANDLING_KINDS,
    MAY_HANDLE_CASES_KINDS,
    MAY_SPAN_KINDS,
    Body,
    BodyKind,
    BodyType,
    Membership,
    Municipality,
)
from forum.presets import DEFAULT_TYPES, TypeSpec


def body_type_validate(body_type: BodyType) -> None:
    errors: dict[str, list[str]] = {}
    kind = BodyKind(body_type.kind)
    if kind == BodyKind.KREDSRAAD:
        errors.setdefault("kind", []).append(
            _("Et kredsråd hører til politikredsen, ikke til en kommunes organtyper.")
        )
    if body_type.may_handle_cases and kind not in (*CASE_HANDLING_KINDS, *MAY_HANDLE_CASES_KINDS):
        allowed = ", ".join(str(BodyKind(k).label) for k in MAY_HANDLE_CASES_KINDS)
        errors.setdefault("may_handle_cases", []).append(
            _("Kun organer, der fungerer som %(allowed)s, kan behandle sager.")
            % {"allowed": allowed}
        )
    if body_type.may_handle_cases and body_type.spans_municipalities:
        errors.setdefault("spans_municipalities", []).append(
            _("En sag hører til én kommune: et organ, der behandler sager, kan ikke gå på tværs.")
        )
    if body_type.spans_municipalities and kind not in MAY_SPAN_KINDS:
        allowed = ", ".join(str(BodyKind(k).label) for k in MAY_SPAN_KINDS)
        errors.setdefault("spans_municipalities", []).append(
            _("Kun organer, der fungerer som %(allowed)s, kan gå på tværs af kommuner.")
            % {"allowed": allowed}
        )
    if body_type.pk is not None:
        errors.update(_changes_refused_by_bodies(body_type))
    clash = BodyType.objects.filter(
        municipality_id=body_type.municipality_id, name__iexact=body_type.name
    ).exclude(pk=body_type.pk)
    if clash.exists():
        errors.setdefault("name", []).append(_("Kommunen har allerede en organtype med det navn."))
    if errors:
        raise ValidationError(errors)


def _changes_refused_by_bodies(body_type: BodyType) -> dict[str, list[str]]:
    """What the bodies already of the type rule out: another kind, a lower maximum."""
    errors: dict[str, list[str]] = {}
    bodies = body_type.bodies.all()
    if bodies.exclude(kind=body_type.kind).exists():
        errors["kind"] = [
            _("Typen har allerede organer og kan ikke skifte, hvad den fungerer som.")
        ]
    maximum = body_type.max_per_municipality
    if maximum is not None and bodies.count() > maximum:
        errors["max_per_municipality"] = [
            _("Kommunen har allerede %(count)s organer af typen.") % {"count": bodies.count()}
        ]
    handles = body_type.may_handle_cases or body_type.kind in CASE_HANDLING_KINDS
    if not handles and Body.objects.filter(parent__in=bodies, kind=BodyKind.AD_HOC).exists():
        errors["may_handle_cases"] = [
            _(
                "Organer af typen har ad hoc-grupper om sager under sig og skal kunne "
                "behandle sager."
            )
        ]
    elif not handles and access.bodies_responsible_for_cases(bodies):
        errors["may_handle_cases"] = [
            _(
                "Organer af typen er ansvarlige for sager og skal kunne behandle sager, til "
                "sagerne er flyttet eller lukket og slettet."
            )
        ]
    if not body_type.spans_municipalities and bodies.filter(member_municipalities__isnull=False):
        errors["spans_municipalities"] = [_("Organer af typen går allerede på tværs af kommuner.")]
    return errors


@transaction.atomic
def body_type_create(*, municipality: Municipality, spec: TypeSpec) -> BodyType:
    body_type = BodyType(
        municipality=municipality,
        name=spec.name.strip(),
        kind=spec.kind,
        description=spec.description,
        meeting_rhythm=spec.meeting_rhythm,
        max_per_municipality=spec.max_per_municipality,
        may_handle_cases=spec.may_handle_cases,
        spans_municipalities=spec.spans_municipalities,
    )
    body_type_validate(body_type)
    body_type.save()
    return body_type


def body_type_ensure(*, municipality: Municipality, spec: TypeSpec) -> BodyType:
    """The municipality's type of that name, created from `spec` if it has none (a preset
    applied twice adds nothing)."""
    existing = BodyType.objects.filter(municipality=municipality, name__iexact=spec.name).first()
    return existing or body_type_create(municipality=municipality, spec=spec)


def body_type_default(*, municipality: Municipality, kind: str) -> BodyType:
    """The type a body of `kind` gets when nobody chose one: the municipality's first type of
    that kind, or the kind's default type, made now."""
    existing = BodyType.objects.filter(municipality=municipality, kind=kind).order_by("pk").first()
    return existing or body_type_ensure(municipality=municipality, spec=DEFAULT_TYPES[kind])


def body_type_errors(body: Body) -> dict[str, list[str]]:
    """The rules of the body's type: the municipality's own, of the body's kind, and no more
    bodies of it than the type allows (one Lokalråd; as many local Følgegrupper as wanted).
    A body not given a type yet (Django admin's form validates before the service gives it
    one) is held to the type it will get."""
    if body.body_type_id is not None:
        body_type = body.body_type
    elif body.municipality_id is None or body.kind == BodyKind.KREDSRAAD:
        return {}
    else:
        same_kind = BodyType.objects.filter(municipality_id=body.municipality_id, kind=body.kind)
        body_type = same_kind.order_by("pk").first()
        if body_type is None:
            return {}
    if body_type.municipality_id != body.municipality_id:
        return {"body_type": [_("Vælg en af kommunens egne organtyper.")]}
    if body_type.kind != body.kind:
        return {"body_type": [_("Organtypen passer ikke til organets type.")]}
    maximum = body_type.max_per_municipality
    if maximum is not None:
        others = Body.objects.filter(body_type=body_type).exclude(pk=body.pk).count()
        if others >= maximum:
            return {
                "body_type": [
                    _("Kommunen har allerede et organ af typen %(type)s og kan højst have %(max)s.")
                    % {"type": body_type.name, "max": maximum}
                ]
            }
    return {}


def body_type_resolve(
    kind: str | None, body_type: BodyType | None, municipality: Municipality | None
) -> tuple[str, BodyType | None]:
    """The body's kind and type: the kind follows a chosen type; a municipal body created by
    kind alone gets the municipality's default type of that kind. The type row is locked, so
    two bodies made at once cannot both take a type's last place."""
    if body_type is not None:
        body_type = BodyType.objects.select_for_update().get(pk=body_type.pk)
        return body_type.kind, body_type
    if not kind:
        raise ValidationError({"body_type": _("Vælg organtypen.")})
    if municipality is None or kind == BodyKind.KREDSRAAD:
        return kind, None
    default = body_type_default(municipality=municipality, kind=kind)
    return kind, BodyType.objects.select_for_update().get(pk=default.pk)


def body_member_municipalities_set(*, body: Body, municipalities: Iterable[Municipality]) -> Body:
    """The other municipalities of its police district that a body spans (a police
    district's network group): only where its type spans municipalities."""
    chosen = [m for m in municipalities if m.pk != body.municipality_id]
    if chosen:
        if body.body_type_id is None or not body.body_type.spans_municipalities:
            raise ValidationError(
                {"member_municipalities": _("Organer af denne type går ikke på tværs af kommuner.")}
            )
        district = body.municipality.police_district_id
        if any(m.police_district_id != district for m in chosen):
            raise ValidationError(
                {
                    "member_municipalities": _(
                        "Et organ kan kun gå på tværs af kommuner i samme politikreds."
                    )
                }
            )
        outside = Membership.objects.filter(body=body).exclude(
            person__municipality_id__in=[body.municipality_id, *(m.pk for m in chosen)]
        )
    else:
        outside = Membership.objects.filter(body=body).exclude(
            person__municipality_id=body.municipality_id
        )
    if outside.exists():
        raise ValidationError(
            {
                "member_municipalities": _(
                    "Organet har medlemmer fra en kommune, der ikke længere er med. "
                    "Fjern dem først."
                )
            }
        )
    body.member_municipalities.set(chosen)
    return body


TYPE_FIELDS = (
    "name",
    "kind",
    "description",
    "meeting_rhythm",
    "max_per_municipality",
    "may_handle_cases",
    "spans_municipalities",
)


@transaction.atomic
def body_type_update(*, body_type: BodyType, **fields: object) -> BodyType:
    unknown = set(fields) - set(TYPE_FIELDS)
    if unknown:
        raise TypeError(f"body_type_update() cannot change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(body_type, name, value.strip() if isinstance(value, str) else value)
    body_type_validate(body_type)
    body_type.save(update_fields=list(fields))
    return body_type
