"""The spreadsheet's format: its sheets, their Danish column headers, and how a cell's text
becomes a value (a sector, a role, yes or no).

A sheet is known by its headers, whatever its title; a header is matched without regard to
case, spaces or a trailing "(ja/nej)". Sectors and roles are accepted by their Danish names as
the app shows them, or by their stored codes ("school", "member").
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from forum.models import MembershipRole
from orgimport.models import ImportKind
from ssp.models import Sector


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Danish, as in the template
    required: bool = False  # the cell may not be empty
    note: str = ""  # the instructions sheet's line about it


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    title: str  # the sheet's title in the template
    columns: tuple[Column, ...]
    # Headers that must be present for a sheet to be taken for this kind.
    identifying: tuple[str, ...]

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


UNITS = SheetSpec(
    kind=ImportKind.UNITS,
    title="Enheder",
    columns=(
        Column("code", "Kode", True, "Kommunens egen kode for enheden. Nøglen ved genimport."),
        Column("name", "Navn", True),
        Column("sector", "Sektor", True, "Fx Skole, Fritid og klub, Politi."),
        Column("parent", "Hører under (kode)", note="Koden på den enhed, enheden hører under."),
        Column("address", "Adresse"),
        Column("phone", "Telefon"),
        Column("email", "E-mail"),
    ),
    identifying=("code", "name", "sector"),
)
PEOPLE = SheetSpec(
    kind=ImportKind.PEOPLE,
    title="Personer",
    columns=(
        Column("name", "Navn", True),
        Column("email", "Arbejdsmail", True, "Nøglen ved genimport: én række pr. mail."),
        Column("job_title", "Stilling"),
        Column("sector", "Sektor", True),
        Column("unit", "Enhedskode", note="Koden på personens enhed (arket Enheder)."),
        Column("phone", "Telefon"),
        Column("mobile", "Mobil", note="Kun til SMS om bekymringer, der haster."),
        Column("login", "Login", note="Ja: personen får login, når I sender invitationerne."),
        Column("consultant", "SSP-konsulent", note="Ja/nej. Kræver login."),
        Column("administrator", "Administrator", note="Ja/nej. Kræver login."),
    ),
    identifying=("name", "email", "sector"),
)
MEMBERSHIPS = SheetSpec(
    kind=ImportKind.MEMBERSHIPS,
    title="Medlemskaber",
    columns=(
        Column("body", "Organ", True, "Organets navn, fx et af dem på arket Organer."),
        Column("body_type", "Organtype", note="Kun for et nyt organ, fx Skolens SSP-team."),
        Column("unit", "Skolens enhedskode", note="Kun for et nyt SSP-team: skolens kode."),
        Column("parent", "Hører under (organ)", note="Kun for et nyt organ, hvis der er flere."),
        Column("email", "Arbejdsmail", True, "Personens arbejdsmail (arket Personer)."),
        Column("role", "Rolle", note="Formand, Tovholder, Medlem eller Gæst (tom: Medlem)."),
    ),
    identifying=("body", "email"),
)
SHEETS: tuple[SheetSpec, ...] = (UNITS, PEOPLE, MEMBERSHIPS)
SHEET_FOR_KIND = {spec.kind: spec for spec in SHEETS}
# Each sheet's name in the reader's language, for the preview and the error messages.
SHEET_LABELS = {
    ImportKind.UNITS: _("Enheder"),
    ImportKind.PEOPLE: _("Personer"),
    ImportKind.MEMBERSHIPS: _("Medlemskaber"),
}


def normalise(text: object) -> str:
    """A header or choice as compared: lower case, single spaces, no "(ja/nej)"."""
    words = " ".join(str(text or "").split()).lower()
    return words.removesuffix("(ja/nej)").strip()


def header_keys(spec: SheetSpec, headers: list[str]) -> dict[int, str]:
    """Column index → key, for the headers of `spec` present in the row of headers."""
    by_header = {normalise(column.header): column.key for column in spec.columns}
    return {
        index: by_header[normalise(header)]
        for index, header in enumerate(headers)
        if normalise(header) in by_header
    }


def spec_for_headers(headers: list[str]) -> SheetSpec | None:
    """The kind of sheet these headers make, the most specific first (units before people:
    both have a name and a sector)."""
    for spec in SHEETS:
        present = set(header_keys(spec, headers).values())
        if set(spec.identifying) <= present:
            return spec
    return None


def _choices_by_text(choices: type) -> dict[str, str]:
    """Every way a cell may name a choice: its stored code, its Danish name (the msgid) and
    its name in the reader's language."""
    return _choices_in(choices, translation.get_language() or "da")


@functools.cache
def _choices_in(choices: type, language: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for each in ("da", language):
        with translation.override(each):
            for value, label in choices.choices:
                found[normalise(label)] = value
                found[normalise(value)] = value
    return found


def sector_value(text: str) -> str | None:
    """The stored sector for a cell ("Skole", "skole", "school"); None if unknown."""
    return _choices_by_text(Sector).get(normalise(text))


def role_value(text: str) -> str | None:
    """The stored role for a cell; an empty cell is an ordinary member; None if unknown."""
    if not normalise(text):
        return MembershipRole.MEMBER
    return _choices_by_text(MembershipRole).get(normalise(text))


YES = frozenset({"ja", "j", "x", "yes", "y", "1", "true", "sand"})
NO = frozenset({"", "nej", "n", "no", "0", "false", "falsk"})


def yes_no(text: str) -> bool | None:
    """Ja/nej (or x, 1, yes …); an empty cell is no; None if it is neither."""
    value = normalise(text)
    if value in YES:
        return True
    if value in NO:
        return False
    return None
