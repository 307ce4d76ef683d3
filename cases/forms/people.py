"""The person chooser of the case forms: each person with their sector and unit
("Mette Holm — Skole, Nordskolen"), grouped by sector in the order of `Sector`, names
alphabetical within a group. Who is offered is `cases.choosers`' business."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator

from forum.models import Person
from ssp.models import Sector


def person_label(obj: Any) -> str:
    """ "Name — Sector, Unit" for a directory entry or a user (whose unit in the case's
    municipality the chooser's selector annotates as `chooser_unit`)."""
    if isinstance(obj, Person):
        unit = obj.unit.name if obj.unit_id else ""
    else:
        unit = getattr(obj, "chooser_unit", None) or ""
    where = ", ".join(part for part in (str(obj.get_sector_display()), unit) if part)
    return f"{obj.full_name} — {where}"


class _BySectorIterator(ModelChoiceIterator):
    """The choices as one option group per sector (`<optgroup>`), in one query."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for obj in self.queryset:
            groups.setdefault(obj.sector, []).append(self.choice(obj))
        for sector, label in Sector.choices:
            if sector in groups:
                yield (str(label), groups[sector])


class PersonChoiceField(forms.ModelChoiceField):
    """A person or user chosen from a `cases.choosers` queryset, labelled and grouped."""

    iterator = _BySectorIterator

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)
