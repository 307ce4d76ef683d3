"""The memberships sheet: seats by (body, person), and the new bodies it names (a school's
SSP-team under a school unit), applied through `forum.services`.

A row names an existing body by its name; a name the municipality does not have yet makes a
new body of the type given in the row (and, for a school team, the school's unit code). Seats
the sheet does not name are left as they are: an import never removes anyone.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from forum import grants
from forum import services as forum_services
from forum.models import (
    ALLOWED_PARENT_KINDS,
    Body,
    BodyKind,
    Membership,
    MembershipChange,
    Person,
    Unit,
)
from orgimport.columns import normalise, role_value
from orgimport.plan import CHANGE, CREATE, SAME, Item, Plan, RowErrors, SheetPlan, as_row, diff
from orgimport.reading import Row, Sheet
from orgimport.state import State
from ssp.models import Sector

NOT_IMPORTED_KINDS = (BodyKind.KREDSRAAD, BodyKind.AD_HOC)


def _kind_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for language in ("da", translation.get_language() or "da"):
        with translation.override(language):
            for kind, label in BodyKind.choices:
                labels[normalise(label)] = kind
    return labels


def plan_memberships(plan: Plan, sheet: Sheet, state: State) -> None:
    errors = RowErrors(plan, sheet)
    result = SheetPlan(kind=sheet.spec.kind, title=sheet.title)
    plan.sheets.append(result)
    new_bodies: dict[str, dict[str, Any]] = {}
    first_row: dict[tuple[str, str], int] = {}
    for row in sheet.rows:
        cells = row.cells
        complete = errors.required(sheet, row)
        role = role_value(cells.get("role", ""))
        if role is None:
            errors.add(row, _("Ukendt rolle »%(value)s«.") % {"value": cells["role"]})
        email = cells.get("email", "").lower()
        if email and email not in state.emails:
            errors.add(
                row,
                _(
                    "Ukendt arbejdsmail »%(value)s«: personen findes hverken på arket Personer "
                    "eller i kommunen."
                )
                % {"value": cells["email"]},
            )
            complete = False
        name = cells.get("body", "")
        body = state.bodies_by_name.get(name.lower())
        if name.lower() in state.out_of_reach:
            errors.add(
                row,
                _(
                    "»%(value)s« er en ad hoc-gruppe om en sag: dens medlemmer vælges på sagen, "
                    "hver med et grundlag, og kan ikke importeres."
                )
                % {"value": name},
            )
            complete = False
        elif name and body is None:
            spec = new_bodies.get(name.lower())
            if spec is None:
                spec = _new_body(errors, row, state, new_bodies)
                if spec is not None:
                    new_bodies[name.lower()] = spec
            if spec is None:
                complete = False
        key = (name.lower(), email)
        if complete and key in first_row:
            errors.add(
                row,
                _("%(person)s står allerede i %(body)s i række %(other)s.")
                % {"person": cells["email"], "body": name, "other": first_row[key]},
            )
            continue
        if not complete or role is None:
            continue
        first_row[key] = row.number
        result.items.append(_item(errors, row, state, body, role, new_bodies))
    result.new_bodies = new_bodies


def _item(
    errors: RowErrors,
    row: Row,
    state: State,
    body: Body | None,
    role: str,
    new_bodies: dict[str, dict[str, Any]],
) -> Item:
    cells = row.cells
    email = cells["email"].lower()
    body_name = body.name if body else new_bodies[cells["body"].lower()]["name"]
    label = f"{state.emails[email]} – {body_name}"
    item = Item(number=row.number, action=CREATE, label=label)
    item.data = {"body": cells["body"].lower(), "email": email, "role": role}
    person = state.people_by_email.get(email)
    seat = state.seats.get((body.pk, person.pk)) if body and person else None
    if body is not None and person is not None and seat is None:
        try:
            grants.check_membership(body=body, person=person, by=errors.plan.by)
        except ValidationError as error:
            errors.add(row, " ".join(error.messages))
    if seat is not None:
        item.data["pk"] = seat.pk
        diff(item, _("Rolle"), seat.get_role_display(), Membership(role=role).get_role_display())
        item.action = CHANGE if item.changes else SAME
    elif body is None:
        item.notes.append(_("Nyt organ: %(body)s") % {"body": body_name})
    return item


def _new_body(
    errors: RowErrors, row: Row, state: State, new_bodies: dict[str, dict[str, Any]]
) -> dict[str, Any] | None:
    """The body a row names that the municipality does not have: its type (one of the
    municipality's types by name, or a kind), its school (a school team's unit code) and the
    body it sits under. None, with the errors reported, when the row cannot make it."""
    cells = row.cells
    type_text = cells.get("body_type", "")
    body_type = state.types_by_name.get(type_text.lower())
    kind = body_type.kind if body_type else _kind_labels().get(normalise(type_text))
    if not type_text:
        errors.add(
            row,
            _(
                "Kommunen har intet organ ved navn »%(value)s«. Skriv organtypen, hvis det er et "
                "nyt organ."
            )
            % {"value": cells["body"]},
        )
        return None
    if kind is None or kind in NOT_IMPORTED_KINDS:
        errors.add(row, _("Ukendt organtype »%(value)s«.") % {"value": type_text})
        return None
    spec: dict[str, Any] = {
        "name": cells["body"],
        "kind": kind,
        "type": body_type.pk if body_type else None,
        "unit": "",
        "parent": "",
    }
    unit_code = cells.get("unit", "").lower()
    if kind == BodyKind.SCHOOL_TEAM or unit_code:
        if not unit_code:
            errors.add(row, _("Et nyt SSP-team skal have skolens enhedskode."))
            return None
        if unit_code not in state.unit_codes:
            errors.add(row, _("Ukendt enhedskode »%(value)s«.") % {"value": cells["unit"]})
            return None
        if kind == BodyKind.SCHOOL_TEAM and state.unit_codes[unit_code][0] not in (
            Sector.SCHOOL,
            "",  # a row refused for its sector already
        ):
            errors.add(
                row,
                _("Enheden »%(value)s« er ikke en skole: et SSP-team skal høre til en skole.")
                % {"value": cells["unit"]},
            )
            return None
        spec["unit"] = unit_code
    allowed = ALLOWED_PARENT_KINDS[BodyKind(kind)]
    parent_text = cells.get("parent", "").lower()
    if parent_text:
        parent = state.bodies_by_name.get(parent_text)
        parent_kind = parent.kind if parent else new_bodies.get(parent_text, {}).get("kind")
        if parent_kind is None:
            errors.add(row, _("Ukendt overordnet organ »%(value)s«.") % {"value": cells["parent"]})
            return None
        if parent_kind not in allowed:
            errors.add(
                row,
                _("%(kind)s kan ikke høre under »%(value)s«.")
                % {"kind": BodyKind(kind).label, "value": cells["parent"]},
            )
            return None
        spec["parent"] = parent_text
    elif None not in allowed:
        candidates = [b for b in state.bodies_by_name.values() if b.kind in allowed]
        if len(candidates) != 1:
            errors.add(
                row,
                _("Skriv i »Hører under (organ)«, hvilket organ %(value)s skal høre under.")
                % {"value": cells["body"]},
            )
            return None
        spec["parent"] = candidates[0].name.lower()
    return spec


def apply_memberships(
    sheet: SheetPlan, plan: Plan, units: dict[str, Unit], people: dict[str, Person]
) -> None:
    """Make the new bodies (each under its parent, made first), then the seats. The seat is
    made as a system change, so the onboarding hook sends no welcome package to a whole
    imported organisation; the importing administrator is still held to the grant rules
    (nobody seats themselves where members read cases), named in the seat's history, and a
    seat that reads cases is logged and told to the consultants as theirs."""
    municipality = plan.municipality
    bodies = {b.name.lower(): b for b in Body.objects.filter(municipality=municipality)}
    new_bodies = sheet.new_bodies

    def body_for(key: str) -> Body:
        if key in bodies:
            return bodies[key]
        spec = new_bodies[key]
        unit = None
        if spec["unit"]:
            unit = units.get(spec["unit"]) or Unit.objects.get(
                municipality=municipality, code__iexact=spec["unit"]
            )
        bodies[key] = forum_services.body_create(
            kind=spec["kind"],
            body_type=municipality.body_types.get(pk=spec["type"]) if spec["type"] else None,
            name=spec["name"],
            municipality=municipality,
            parent=body_for(spec["parent"]) if spec["parent"] else None,
            unit=unit,
        )
        return bodies[key]

    for item in sheet.items:
        with as_row(sheet, item.number):
            body = body_for(item.data["body"])
            person = (
                people.get(item.data["email"])
                or Person.objects.filter(
                    municipality=municipality, email__iexact=item.data["email"]
                )
                .order_by("pk")
                .first()
            )
            if item.action == CREATE:
                forum_services.membership_validate(body=body, person=person, by=plan.by)
                seat = forum_services.membership_add(
                    body=body, person=person, role=item.data["role"], by=None
                )
                joined = MembershipChange.objects.filter(body=body, person=person).order_by("-pk")
                MembershipChange.objects.filter(pk__in=joined.values("pk")[:1]).update(by=plan.by)
                grants.membership_granted(membership=seat, by=plan.by)
            elif item.action == CHANGE:
                seat = Membership.objects.select_related("body", "person").get(pk=item.data["pk"])
                forum_services.membership_change_role(
                    membership=seat, role=item.data["role"], by=plan.by
                )
