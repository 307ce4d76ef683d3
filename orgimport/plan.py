"""What an import will do, worked out without writing anything: per sheet, the rows that
create, change (field: old → new) or leave alone a unit, a person or a seat, and every error.

The plan is made twice: for the preview, and again inside the confirmation's transaction
against the organisation as it is by then (`orgimport.services.import_confirm`), which
applies it. Units are keyed by their code, people by their work email (case-insensitive),
bodies by their name, seats by body and person, all within the one municipality.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from forum.models import Municipality, phone_validator
from orgimport.columns import SHEET_LABELS
from orgimport.reading import Row, Sheet
from ssp.models import User

CREATE, CHANGE, SAME = "create", "change", "same"


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class Item:
    """One row's outcome: what it does to which record, and the fields it changes."""

    number: int
    action: str
    label: str
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # What the confirmation needs to apply the row (ids, resolved values).
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class SheetPlan:
    kind: str
    title: str
    items: list[Item] = field(default_factory=list)
    # The memberships sheet's bodies to create, by lower-case name.
    new_bodies: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(SHEET_LABELS[self.kind])

    def count(self, action: str) -> int:
        return sum(1 for item in self.items if item.action == action)

    @property
    def created(self) -> list[Item]:
        return [item for item in self.items if item.action == CREATE]

    @property
    def changed(self) -> list[Item]:
        return [item for item in self.items if item.action == CHANGE]

    @property
    def same(self) -> list[Item]:
        return [item for item in self.items if item.action == SAME]


@dataclass
class Plan:
    municipality: Municipality
    by: User
    sheets: list[SheetPlan] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def has_work(self) -> bool:
        return any(sheet.created or sheet.changed for sheet in self.sheets)

    def sheet(self, kind: str) -> SheetPlan | None:
        return next((sheet for sheet in self.sheets if sheet.kind == kind), None)

    def summary(self) -> dict[str, dict[str, int]]:
        return {
            str(sheet.kind): {action: sheet.count(action) for action in (CREATE, CHANGE, SAME)}
            for sheet in self.sheets
        }


class RowErrors:
    """Collects a sheet's errors, each naming the sheet, the row and the offending value."""

    def __init__(self, plan: Plan, sheet: Sheet) -> None:
        self.plan = plan
        self.title = sheet.title

    def add(self, row: Row | int, message: str) -> None:
        number = row if isinstance(row, int) else row.number
        self.plan.errors.append(
            _("Ark »%(sheet)s«, række %(row)s: %(message)s")
            % {"sheet": self.title, "row": number, "message": message}
        )

    def required(self, sheet: Sheet, row: Row) -> bool:
        """Whether the row has every required cell; reports each one missing."""
        complete = True
        for column in sheet.spec.columns:
            if column.required and not row.cells.get(column.key):
                self.add(row, _("Kolonnen »%(column)s« er tom.") % {"column": column.header})
                complete = False
        return complete

    def too_long(self, row: Row, key: str, header: str, limit: int) -> bool:
        value = row.cells.get(key, "")
        if len(value) > limit:
            self.add(
                row,
                _("»%(value)s…« i kolonnen »%(column)s« er for lang (højst %(max)s tegn).")
                % {"value": value[:40], "column": header, "max": limit},
            )
            return True
        return False

    def phone(self, row: Row, key: str, header: str) -> None:
        value = row.cells.get(key, "")
        if not value:
            return
        try:
            phone_validator(value)
        except ValidationError:
            self.add(
                row,
                _(
                    "»%(value)s« i kolonnen »%(column)s« er ikke et telefonnummer (8 cifre, "
                    "eventuelt med landekode)."
                )
                % {"value": value, "column": header},
            )

    def email(self, row: Row, key: str, header: str) -> bool:
        value = row.cells.get(key, "")
        if not value:
            return True
        try:
            validate_email(value)
        except ValidationError:
            self.add(
                row,
                _("»%(value)s« i kolonnen »%(column)s« er ikke en gyldig e-mailadresse.")
                % {"value": value, "column": header},
            )
            return False
        return True


def diff(item: Item, label: str, old: object, new: object) -> None:
    """Record a field's change on the item, if it changes."""
    old_text, new_text = _shown(old), _shown(new)
    if old_text != new_text:
        item.changes.append(Change(label=label, old=old_text or "–", new=new_text or "–"))


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    return str(value)


@contextmanager
def as_row(sheet: SheetPlan, number: int) -> Iterator[None]:
    """A service's refusal while a row is applied, named like the preview's errors."""
    try:
        yield
    except ValidationError as error:
        raise ValidationError(
            [
                _("Ark »%(sheet)s«, række %(row)s: %(message)s")
                % {"sheet": sheet.title, "row": number, "message": message}
                for message in error.messages
            ]
        ) from None
