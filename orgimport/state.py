"""The municipality's organisation as the plan starts from it, read in a few queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from forum.models import (
    Body,
    BodyKind,
    BodyType,
    HeldLogin,
    Membership,
    Municipality,
    Person,
    Unit,
)


@dataclass
class State:
    """Lookups by the import's keys (lower-case), plus what the sheets add as they are planned:
    the units (code → sector and name after the import), the people by email."""

    units_by_code: dict[str, Unit]
    units_by_name: dict[str, Unit]
    people_by_email: dict[str, Person]
    held: dict[int, HeldLogin]
    bodies_by_name: dict[str, Body]
    types_by_name: dict[str, BodyType]
    seats: dict[tuple[int, int], Membership]
    # The names of the bodies an import never reaches: a case's ad-hoc group is kept on its
    # case, each seat with a recorded basis (and the administrator does not see it).
    out_of_reach: set[str] = field(default_factory=set)
    # Filled by the units sheet: every code known after the import → (sector, name).
    unit_codes: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Filled by the people sheet: every email known after the import → full name.
    emails: dict[str, str] = field(default_factory=dict)


def _key(text: str) -> str:
    return text.strip().lower()


def state_load(municipality: Municipality) -> State:
    units = list(Unit.objects.filter(municipality=municipality).select_related("parent"))
    people: dict[str, Person] = {}
    people_rows = Person.objects.filter(municipality=municipality).exclude(email="")
    for person in people_rows.select_related("unit").order_by("pk"):
        people.setdefault(_key(person.email), person)
    bodies = Body.objects.filter(municipality=municipality).select_related("body_type", "unit")
    every_body = list(bodies)
    body_list = [body for body in every_body if body.kind != BodyKind.AD_HOC]
    seats = {
        (seat.body_id, seat.person_id): seat
        for seat in Membership.objects.filter(body__in=[b.pk for b in body_list])
    }
    state = State(
        units_by_code={_key(unit.code): unit for unit in units if unit.code},
        units_by_name={_key(unit.name): unit for unit in units},
        people_by_email=people,
        held={
            held.person_id: held
            for held in HeldLogin.objects.filter(person__municipality=municipality)
        },
        bodies_by_name={_key(body.name): body for body in body_list},
        types_by_name={
            _key(body_type.name): body_type
            for body_type in BodyType.objects.filter(municipality=municipality)
        },
        seats=seats,
        out_of_reach={_key(body.name) for body in every_body if body.kind == BodyKind.AD_HOC},
    )
    state.unit_codes = {
        code: (unit.sector, unit.name) for code, unit in state.units_by_code.items()
    }
    state.emails = {email: person.full_name for email, person in people.items()}
    return state
