"""The spreadsheets the import page offers: the empty template of a preset, and a filled-in
sample of a fictional municipality (for the demo, the tests and the benchmark).

Both are tablib workbooks with the import's sheets and Danish headers (`orgimport.columns`),
written as Excel by tablib; the template adds a sheet of instructions and one listing the
preset's bodies and types, which the memberships sheet names.
"""

from __future__ import annotations

import random

import tablib
from django.utils.translation import gettext as _

from forum.models import BodyKind
from forum.presets import Preset
from orgimport.columns import MEMBERSHIPS, PEOPLE, SHEETS, UNITS, SheetSpec
from ssp.models import Sector

SAMPLE_DOMAIN = "fiktivby.example"


def _dataset(spec: SheetSpec, rows: list[list[str]] | None = None) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=[column.header for column in spec.columns], title=spec.title)
    for row in rows or []:
        dataset.append(row)
    return dataset


def school_team_type(preset: Preset) -> str:
    return next((t.name for t in preset.types if t.kind == BodyKind.SCHOOL_TEAM), "")


def school_team_parent(preset: Preset) -> str:
    """The preset's body a school team sits under: its SSP-Forum, else its first SSP-udvalg."""
    kinds = {t.name: t.kind for t in preset.types}
    for wanted in (BodyKind.SSP_FORUM, BodyKind.SSP_UDVALG):
        for body in preset.bodies:
            if kinds.get(body.type_name) == wanted:
                return body.name
    return ""


def template_workbook(preset: Preset) -> bytes:
    """The empty template of a preset: instructions, the three sheets with their headers and
    one example row, and the preset's bodies."""
    instructions = tablib.Dataset(headers=[_("Vejledning")], title=_("Vejledning"))
    for line in (
        _("Udfyld arkene Enheder, Personer og Medlemskaber; slet eksempelrækkerne."),
        _("Række 1 er overskrifter: lad dem stå. Tomme rækker springes over."),
        _("Enheder genkendes på Kode, personer på Arbejdsmail og organer på Navn."),
        _("Importerer I filen igen, opdateres det, der er ændret; intet slettes."),
        _(
            "Login = ja giver personen login, når I sender invitationerne. Der sendes intet ved "
            "importen."
        ),
        _("Sektorer: %(sectors)s.") % {"sectors": ", ".join(str(s.label) for s in Sector)},
        _("Roller: Formand, Tovholder, Medlem, Gæst."),
    ):
        instructions.append([line])
    for spec in SHEETS:
        for column in spec.columns:
            if column.note:
                instructions.append([f"{spec.title} · {column.header}: {column.note}"])
    bodies = tablib.Dataset(headers=[_("Organ"), _("Organtype"), _("Hører under")], title="Organer")
    for body in preset.bodies:
        bodies.append([body.name, body.type_name, body.parent])
    team_type, parent = school_team_type(preset), school_team_parent(preset)
    units = _dataset(UNITS, [["SK01", "Eksempelskolen", "Skole", "", "Skolevej 1", "", ""]])
    people = _dataset(
        PEOPLE,
        [
            [
                "Eva Eksempel",
                "eva@eksempel.example",
                "Afdelingsleder",
                "Skole",
                "SK01",
                "",
                "",
                "ja",
                "nej",
                "nej",
            ]
        ],
    )
    memberships = _dataset(
        MEMBERSHIPS,
        [["SSP-team Eksempelskolen", team_type, "SK01", parent, "eva@eksempel.example", "Formand"]],
    )
    book = tablib.Databook([instructions, units, people, memberships, bodies])
    return book.export("xlsx")


_FIRST = (
    "Aske",
    "Bodil",
    "Cæcilie",
    "Dines",
    "Ebbe",
    "Frida",
    "Gorm",
    "Hedda",
    "Ib",
    "Jytte",
    "Knud",
    "Lis",
    "Mogens",
    "Nanna",
    "Ove",
    "Pia",
    "Rasmus",
    "Sigrid",
    "Tage",
    "Ulla",
)
_LAST = (
    "Fiktivsen",
    "Påhitsen",
    "Opdigtsen",
    "Eksempelsen",
    "Prøvesen",
    "Demosen",
    "Testrup",
    "Skabelund",
    "Drømmegaard",
    "Fantasius",
)
_OTHER_UNITS = (
    ("KL", "Fiktivby Ungdomsklub", Sector.LEISURE, "Klubmedarbejder"),
    ("PO", "Fiktivby Politistation", Sector.POLICE, "Forebyggelsesbetjent"),
    ("SF", "Fiktivby Familieafdeling", Sector.SOCIAL, "Socialrådgiver"),
    ("PPR", "Fiktivby PPR", Sector.PPR, "Psykolog"),
    ("SUN", "Fiktivby Sundhedspleje", Sector.HEALTH, "Skolesundhedsplejerske"),
)


def sample_workbook(
    *, people: int = 300, teams: int = 40, team_type: str, parent: str, seed: int = 20
) -> bytes:
    """A fictional municipality's organisation (obviously made-up names, addresses at
    `SAMPLE_DOMAIN`): a school unit and an SSP-team per team, the other sectors' units, and
    `people` people, each team seating a school leader and teacher, a police officer, a
    social worker and a club worker. `team_type` and `parent` name the municipality's
    school-team type and the body the teams sit under."""
    rng = random.Random(seed)  # noqa: S311 - made-up names, not a secret
    unit_rows = [
        ["FKV", "Fiktivby Kommune, Børn og Unge", str(Sector.SSP_SECRETARIAT.label), "", "", "", ""]
    ]
    for code, name, sector, _title in _OTHER_UNITS:
        unit_rows.append(
            [code, name, str(sector.label), "FKV", "Opdigtet Vej 1, 9999 Fiktivby", "", ""]
        )
    for number in range(1, teams + 1):
        unit_rows.append(
            [
                f"SK{number:02d}",
                f"Fiktivby Skole nr. {number}",
                str(Sector.SCHOOL.label),
                "FKV",
                f"Opdigtet Allé {number}, 9999 Fiktivby",
                f"99 00 {number:02d} 00",
                f"skole{number}@{SAMPLE_DOMAIN}",
            ]
        )
    person_rows: list[list[str]] = []
    for number in range(people):
        school = number % teams + 1 if teams else 0
        kind = number % 6
        if kind < 3 and teams:
            unit, sector = f"SK{school:02d}", Sector.SCHOOL
            title = ("Afdelingsleder", "Lærer", "AKT-lærer")[kind]
        else:
            unit, _unit_name, sector, title = _OTHER_UNITS[(number // 6) % len(_OTHER_UNITS)]
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        person_rows.append(
            [
                name,
                f"person{number + 1:04d}@{SAMPLE_DOMAIN}",
                title,
                str(sector.label),
                unit,
                f"99 1{number:06d}"[:11],
                "",
                "ja" if number % 10 == 0 else "nej",
                "nej",
                "nej",
            ]
        )
    membership_rows: list[list[str]] = []
    for number, row in enumerate(person_rows):
        team = number % teams + 1 if teams else 0
        if not team:
            break
        role = "Formand" if number < teams else "Medlem"
        membership_rows.append(
            [
                f"SSP-team Fiktivby Skole nr. {team}",
                team_type,
                f"SK{team:02d}",
                parent,
                row[1],
                role,
            ]
        )
    book = tablib.Databook(
        [
            _dataset(UNITS, unit_rows),
            _dataset(PEOPLE, person_rows),
            _dataset(MEMBERSHIPS, membership_rows),
        ]
    )
    return book.export("xlsx")
