"""The people sheet: plan each row by the work email, then apply through `forum.services`.

A row with login "ja" never creates an account or sends anything: the login is held
(`forum.logins.login_hold`) until the administrator sends the invitations. Someone who already
has a login in the municipality keeps it, and their roles, as they are.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from forum import logins
from forum import services as forum_services
from forum.models import Person, Unit
from orgimport.columns import PEOPLE, sector_value, yes_no
from orgimport.plan import CHANGE, CREATE, SAME, Item, Plan, RowErrors, SheetPlan, as_row, diff
from orgimport.reading import Row, Sheet
from orgimport.state import State
from ssp.models import HANDLING_SECTORS, Sector

FIELDS = ("job_title", "phone", "mobile")
LIMITS = {"name": 200, "email": 254, "job_title": 200, "phone": 20, "mobile": 20}
FLAGS = ("login", "consultant", "administrator")


def _roles_text(consultant: bool, administrator: bool) -> str:
    roles = [str(_("SSP-konsulent"))] * consultant + [str(_("administrator"))] * administrator
    return _("venter på invitation") + (f" ({', '.join(roles)})" if roles else "")


def _flags(errors: RowErrors, row: Row) -> dict[str, bool] | None:
    flags: dict[str, bool] = {}
    for key in FLAGS:
        value = yes_no(row.cells.get(key, ""))
        if value is None:
            errors.add(
                row,
                _("»%(value)s« i kolonnen »%(column)s« skal være ja eller nej.")
                % {"value": row.cells[key], "column": PEOPLE.column(key).header},
            )
            return None
        flags[key] = value
    return flags


def plan_people(plan: Plan, sheet: Sheet, state: State) -> None:
    errors = RowErrors(plan, sheet)
    result = SheetPlan(kind=sheet.spec.kind, title=sheet.title)
    plan.sheets.append(result)
    first_row: dict[str, int] = {}
    for row in sheet.rows:
        cells = row.cells
        complete = errors.required(sheet, row)
        for key, limit in LIMITS.items():
            complete = not errors.too_long(row, key, PEOPLE.column(key).header, limit) and complete
        complete = errors.email(row, "email", PEOPLE.column("email").header) and complete
        errors.phone(row, "phone", PEOPLE.column("phone").header)
        errors.phone(row, "mobile", PEOPLE.column("mobile").header)
        sector = sector_value(cells.get("sector", ""))
        if cells.get("sector") and sector is None:
            errors.add(row, _("Ukendt sektor »%(value)s«.") % {"value": cells["sector"]})
        unit_code = cells.get("unit", "").lower()
        if unit_code and unit_code not in state.unit_codes:
            errors.add(
                row,
                _(
                    "Ukendt enhedskode »%(value)s«: den findes hverken på arket Enheder eller i "
                    "kommunen."
                )
                % {"value": cells["unit"]},
            )
            complete = False
        flags = _flags(errors, row)
        email = cells.get("email", "").lower()
        if email and email in first_row:
            errors.add(
                row,
                _("Arbejdsmailen »%(value)s« står også i række %(other)s.")
                % {"value": cells["email"], "other": first_row[email]},
            )
            continue
        if email:
            first_row[email] = row.number
            # Known from here on, so a seat that names it is not refused as well.
            state.emails[email] = cells.get("name", "")
        if flags is None or not complete or sector is None:
            continue
        if (flags["consultant"] or flags["administrator"]) and not flags["login"]:
            errors.add(row, _("En SSP-konsulent eller administrator skal have login (ja)."))
            continue
        if flags["consultant"] and sector not in HANDLING_SECTORS:
            errors.add(
                row,
                _(
                    "Sektoren »%(value)s« kan ikke have SSP-konsulenter: rollen er for kommunens "
                    "egne sektorer for børn og unge."
                )
                % {"value": cells["sector"]},
            )
            continue
        state.emails[email] = cells["name"]
        result.items.append(_item(row, sheet, state, sector, flags))


def _item(row: Row, sheet: Sheet, state: State, sector: str, flags: dict[str, bool]) -> Item:
    cells = row.cells
    email = cells["email"].lower()
    person = state.people_by_email.get(email)
    item = Item(number=row.number, action=CREATE, label=f"{cells['name']} <{email}>")
    item.data = {"full_name": cells["name"], "email": email, "sector": sector, **flags}
    item.data.update({key: cells.get(key, "") for key in FIELDS if key in sheet.present})
    if "unit" in sheet.present:
        item.data["unit"] = cells.get("unit", "").lower()
    if person is None:
        if flags["login"]:
            item.notes.append(
                _("Login: %(state)s")
                % {"state": _roles_text(flags["consultant"], flags["administrator"])}
            )
        return item
    item.data["pk"] = person.pk
    diff(item, _("Navn"), person.full_name, cells["name"])
    diff(item, _("Sektor"), Sector(person.sector).label, Sector(sector).label)
    for key in FIELDS:
        if key in sheet.present:
            diff(item, PEOPLE.column(key).header, getattr(person, key), cells.get(key, ""))
    if "unit" in sheet.present:
        old = person.unit.name if person.unit_id else ""
        new = state.unit_codes[item.data["unit"]][1] if item.data["unit"] else ""
        diff(item, _("Enhed"), old, new)
    if flags["login"]:
        if person.user_id is not None:
            item.notes.append(_("Har allerede login: login og roller bliver, som de er."))
            item.data["login"] = False
        else:
            held = state.held.get(person.pk)
            old = _roles_text(held.is_ssp_consultant, held.is_administrator) if held else ""
            diff(item, _("Login"), old, _roles_text(flags["consultant"], flags["administrator"]))
            item.data["login"] = old != _roles_text(flags["consultant"], flags["administrator"])
    item.action = CHANGE if item.changes else SAME
    return item


def apply_people(sheet: SheetPlan, plan: Plan, units: dict[str, Unit]) -> dict[str, Person]:
    """Create and update the people; returns every person of the sheet by email."""
    by_email: dict[str, Person] = {}
    for item in sheet.items:
        with as_row(sheet, item.number):
            data = dict(item.data)
            pk, login = data.pop("pk", None), data.pop("login")
            consultant, administrator = data.pop("consultant"), data.pop("administrator")
            if "unit" in data:
                code = data["unit"]
                data["unit"] = (units.get(code) or _unit_by_code(plan, code)) if code else None
            if pk is None:
                person = forum_services.person_create(municipality=plan.municipality, **data)
            else:
                person = Person.objects.select_related("unit", "user").get(pk=pk)
                if item.action == CHANGE:
                    data.pop("email")
                    changed = {
                        key: value for key, value in data.items() if getattr(person, key) != value
                    }
                    if changed:
                        person = forum_services.person_update(person=person, **changed)
            if login:
                logins.login_hold(
                    person=person,
                    is_ssp_consultant=consultant,
                    is_administrator=administrator,
                    by=plan.by,
                )
        by_email[item.data["email"]] = person
    return by_email


def _unit_by_code(plan: Plan, code: str) -> Unit:
    return Unit.objects.get(municipality=plan.municipality, code__iexact=code)
