"""The units sheet: plan each row by the unit's code, then apply through `forum.services`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from forum import services as forum_services
from forum.models import Unit
from orgimport.columns import UNITS, sector_value
from orgimport.plan import CHANGE, CREATE, SAME, Item, Plan, RowErrors, SheetPlan, as_row, diff
from orgimport.reading import Sheet
from orgimport.state import State
from ssp.models import Sector

FIELDS = ("address", "phone", "email")
LIMITS = {"code": 40, "name": 200, "address": 300, "phone": 20, "email": 254}


def plan_units(plan: Plan, sheet: Sheet, state: State) -> None:
    errors = RowErrors(plan, sheet)
    result = SheetPlan(kind=sheet.spec.kind, title=sheet.title)
    plan.sheets.append(result)
    first_row: dict[str, int] = {}
    parents: dict[str, str] = {}  # code → parent code, for the rows that give one
    for row in sheet.rows:
        cells = row.cells
        complete = errors.required(sheet, row)
        for key, limit in LIMITS.items():
            complete = not errors.too_long(row, key, UNITS.column(key).header, limit) and complete
        errors.phone(row, "phone", UNITS.column("phone").header)
        errors.email(row, "email", UNITS.column("email").header)
        sector = sector_value(cells.get("sector", ""))
        if cells.get("sector") and sector is None:
            errors.add(row, _("Ukendt sektor »%(value)s«.") % {"value": cells["sector"]})
        code = cells.get("code", "").lower()
        if code in first_row:
            errors.add(
                row,
                _("Koden »%(value)s« står også i række %(other)s.")
                % {"value": cells["code"], "other": first_row[code]},
            )
            continue
        if code:
            first_row[code] = row.number
            # Known from here on, so a row that names it is not refused as well.
            state.unit_codes[code] = (sector or "", cells.get("name", ""))
        if not complete or sector is None:
            continue
        unit = state.units_by_code.get(code)
        adopted = unit is None and _adoptable(state, cells["name"])
        unit = unit or adopted
        item = Item(number=row.number, action=CREATE, label=f"{cells['name']} ({cells['code']})")
        item.data = {"code": cells["code"], "name": cells["name"], "sector": sector}
        item.data.update({key: cells.get(key, "") for key in FIELDS if key in sheet.present})
        if unit is not None:
            item.data["pk"] = unit.pk
            diff(item, _("Kode"), unit.code, cells["code"])
            diff(item, _("Navn"), unit.name, cells["name"])
            diff(item, _("Sektor"), Sector(unit.sector).label, Sector(sector).label)
            for key in FIELDS:
                if key in sheet.present:
                    diff(item, UNITS.column(key).header, getattr(unit, key), cells.get(key, ""))
            item.action = CHANGE if item.changes else SAME
        state.unit_codes[code] = (sector, cells["name"])
        if "parent" in sheet.present:
            parents[code] = cells.get("parent", "").lower()
            item.data["parent"] = parents[code]
            item.data["parent_text"] = cells.get("parent", "")
            old_parent = unit.parent.code if unit is not None and unit.parent else ""
            if unit is not None and old_parent.lower() != parents[code]:
                old_name = unit.parent.name if unit.parent else ""
                diff(item, UNITS.column("parent").header, old_name, cells.get("parent", ""))
                item.action = CHANGE
        result.items.append(item)
    _check_names(errors, result, state)
    _check_parents(errors, result, state, parents)


def _adoptable(state: State, name: str) -> Unit | None:
    """A unit typed in before the import, without a code, takes the code of the row that
    names it: the import updates it instead of adding a second unit of the same name."""
    unit = state.units_by_name.get(name.strip().lower())
    return unit if unit is not None and not unit.code else None


def _check_names(errors: RowErrors, result: SheetPlan, state: State) -> None:
    """Two units of one municipality may not share a name, after the import."""
    names: dict[str, str] = {}
    for unit in state.units_by_name.values():
        names[unit.name.lower()] = f"unit:{unit.pk}"
    renamed = {item.data["pk"] for item in result.items if "pk" in item.data}
    for unit in state.units_by_name.values():
        if unit.pk in renamed:
            names.pop(unit.name.lower(), None)
    for item in result.items:
        owner = f"unit:{item.data['pk']}" if "pk" in item.data else f"row:{item.number}"
        held_by = names.setdefault(item.data["name"].lower(), owner)
        if held_by != owner:
            errors.add(
                item.number,
                _("Kommunen har allerede en enhed med navnet »%(value)s«.")
                % {"value": item.data["name"]},
            )


def _check_parents(
    errors: RowErrors, result: SheetPlan, state: State, parents: dict[str, str]
) -> None:
    """Every parent code names a unit (in the file or already there), and no unit ends up
    under itself."""
    final: dict[str, str] = {
        code: unit.parent.code.lower()
        for code, unit in state.units_by_code.items()
        if unit.parent is not None and unit.parent.code
    }
    final.update(parents)
    # The codes as the sheet (or the organisation) spells them, for the messages.
    spelled = {code: unit.code for code, unit in state.units_by_code.items()}
    spelled.update({item.data["code"].lower(): item.data["code"] for item in result.items})
    spelled.update(
        {
            item.data["parent"]: item.data["parent_text"]
            for item in result.items
            if item.data.get("parent")
        }
    )
    for item in result.items:
        code, parent = item.data["code"].lower(), item.data.get("parent", "")
        if parent and parent not in state.unit_codes:
            errors.add(
                item.number,
                _(
                    "Ukendt overordnet enhed: koden »%(value)s« findes hverken i arket eller i "
                    "kommunen."
                )
                % {"value": spelled[parent]},
            )
            continue
        seen = [code]
        step = final.get(code, "")
        while step:
            if step == code:
                errors.add(
                    item.number,
                    _("Enheden »%(value)s« kommer til at høre under sig selv: %(cycle)s.")
                    % {
                        "value": item.data["code"],
                        "cycle": " → ".join(spelled.get(c, c) for c in [*seen, step]),
                    },
                )
                break
            if step in seen:
                break
            seen.append(step)
            step = final.get(step, "")


def apply_units(sheet: SheetPlan, plan: Plan) -> dict[str, Unit]:
    """Create and update the units, each after the unit it sits under (so no step makes a
    unit its own ancestor on the way); returns every unit of the sheet by lower-case code."""
    items = {item.data["code"].lower(): item for item in sheet.items}
    known = {
        unit.code.lower(): unit
        for unit in Unit.objects.filter(municipality=plan.municipality).exclude(code="")
    }
    by_code: dict[str, Unit] = {}

    def place(code: str) -> Unit:
        if code in by_code:
            return by_code[code]
        item = items[code]
        fields = {k: v for k, v in item.data.items() if k not in ("pk", "parent", "parent_text")}
        if "parent" in item.data:
            parent = item.data["parent"]
            fields["parent"] = (
                (place(parent) if parent in items else known[parent]) if parent else None
            )
        with as_row(sheet, item.number):
            if item.action == CREATE:
                unit = forum_services.unit_create(municipality=plan.municipality, **fields)
            else:
                unit = Unit.objects.select_related("parent").get(pk=item.data["pk"])
                if item.action == CHANGE:
                    unit = forum_services.unit_update(unit=unit, **fields)
        by_code[code] = unit
        return unit

    for code in items:
        place(code)
    return by_code
