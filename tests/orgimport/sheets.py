"""Spreadsheets for the import tests, built with tablib as an administrator's would be: the
template's Danish headers, one row per list."""

from __future__ import annotations

import tablib

from forum.models import Municipality, PoliceDistrict
from forum.setup import municipality_create_from_preset
from orgimport.models import ImportKind, OrgImport
from orgimport.services import import_upload
from ssp.models import Sector, User

UNIT_HEADERS = ["Kode", "Navn", "Sektor", "Hører under (kode)", "Adresse", "Telefon", "E-mail"]
PEOPLE_HEADERS = [
    "Navn",
    "Arbejdsmail",
    "Stilling",
    "Sektor",
    "Enhedskode",
    "Telefon",
    "Mobil",
    "Login",
    "SSP-konsulent",
    "Administrator",
]
MEMBERSHIP_HEADERS = [
    "Organ",
    "Organtype",
    "Skolens enhedskode",
    "Hører under (organ)",
    "Arbejdsmail",
    "Rolle",
]


def dataset(headers: list[str], rows: list[list[str]], title: str = "") -> tablib.Dataset:
    data = tablib.Dataset(headers=headers, title=title)
    for row in rows:
        data.append(row)
    return data


def workbook(
    units: list[list[str]] = (),  # type: ignore[assignment]
    people: list[list[str]] = (),  # type: ignore[assignment]
    memberships: list[list[str]] = (),  # type: ignore[assignment]
) -> bytes:
    sheets = []
    if units:
        sheets.append(dataset(UNIT_HEADERS, list(units), "Enheder"))
    if people:
        sheets.append(dataset(PEOPLE_HEADERS, list(people), "Personer"))
    if memberships:
        sheets.append(dataset(MEMBERSHIP_HEADERS, list(memberships), "Medlemskaber"))
    return tablib.Databook(sheets).export("xlsx")


def person_row(
    name: str, email: str, unit: str = "", sector: str = "Skole", **flags: str
) -> list[str]:
    return [
        name,
        email,
        flags.get("title", "Lærer"),
        sector,
        unit,
        flags.get("phone", ""),
        "",
        flags.get("login", "nej"),
        flags.get("consultant", "nej"),
        flags.get("administrator", "nej"),
    ]


def organisation(teams: int, people: int) -> bytes:
    """A municipality's organisation of `teams` schools, each with its SSP-team, and the
    other sectors' units, with `people` people spread over them and seated in the teams."""
    units = [["FORV", "Børn og Unge", "SSP-sekretariat", "", "Rådhuset", "", ""]]
    units += [
        ["KLUB", "Ungdomsklubben", "Fritid og klub", "FORV", "", "", ""],
        ["POL", "Nærpolitiet", "Politi", "", "", "", ""],
        ["FAM", "Familieafdelingen", "Socialforvaltning", "FORV", "", "", ""],
    ]
    units += [
        [f"S{n:02d}", f"Skole {n}", "Skole", "FORV", f"Skolevej {n}", f"70 70 {n:02d} 00", ""]
        for n in range(1, teams + 1)
    ]
    others = (("KLUB", "Fritid og klub"), ("POL", "Politi"), ("FAM", "Socialforvaltning"))
    people_rows, seats = [], []
    for n in range(people):
        team = n % teams + 1
        unit, sector = (f"S{team:02d}", "Skole") if n % 2 == 0 else others[n % 3]
        email = f"p{n:03d}@kommune.example"
        people_rows.append(
            person_row(f"Person {n}", email, unit, sector, login="ja" if n % 7 == 0 else "nej")
        )
        role = "Formand" if n < teams else "Medlem"
        seats.append(
            [f"SSP-team Skole {team}", "Skolens SSP-team", f"S{team:02d}", "SSP-Forum", email, role]
        )
    return workbook(units, people_rows, seats)


def new_municipality(code: str = "998", name: str = "Prøvekommune") -> Municipality:
    district = PoliceDistrict.objects.order_by("pk").first()
    return municipality_create_from_preset(
        preset="glostrup", name=name, code=code, police_district=district
    )


def importer() -> User:
    return User.objects.create_user(
        "importer@test.ssp", password=None, full_name="Ivan Importør", sector=Sector.OTHER
    )


def upload(
    municipality: Municipality, by: User, content: bytes, kind: str = ImportKind.WORKBOOK
) -> OrgImport:
    return import_upload(
        municipality=municipality,
        owner=by,
        filename="organisation.xlsx",
        content=content,
        kind=kind,
    )
