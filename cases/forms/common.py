"""What the cases app's forms share: date inputs and the lawful-basis section."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    BasisGround,
)
from cases.services import SHARE_CRITERIA, BasisRequest
from ssp.forms import PLANNING_DATE_RANGE, DkfdsFormMixin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def read_once(field: forms.ModelChoiceField) -> Callable[[], list]:
    """A model choice field's options, read on first use and kept, for fields that offer the
    same list (the concern form's school and its "more young people" rows'): set as their
    `choices`, the list is read once per form instead of once per field. (`iter` first: `list`
    would ask Django's choice iterator for its length, a COUNT query.)"""
    return functools.cache(lambda: list(iter(field.iterator(field))))


def choices_of(field: forms.ModelChoiceField, objects: list[Any]) -> list:
    """A model choice field's options made from rows the form has read already (in the
    field's order), so that rendering the field reads them neither once nor twice (a required
    select reads its list once to see whether the first option is blank, then again to show
    it)."""
    iterator = field.iterator(field)
    blank = [("", field.empty_label)] if field.empty_label is not None else []
    return [*blank, *(iterator.choice(obj) for obj in objects)]


def end_of(day: date | None) -> datetime | None:
    """An expiry typed as a date lasts to the end of that day."""
    return timezone.make_aware(datetime.combine(day, time.max)) if day else None


BASIS_PREFIX = "basis_"


class BasisSectionForm(DkfdsFormMixin, forms.Form):
    """The basis section of a form whose act widens who reads a case: the three §115 criteria,
    the purpose and an optional expiry. Left empty, no basis is given; filled in part, the
    service refuses it. Rendered after the form's own fields, under `basis_legend` and
    `basis_intro`."""

    template_name = "cases/forms/with_basis.html"
    date_ranges = {"basis_expires_on": PLANNING_DATE_RANGE}
    basis_legend = _("Adgang efter §115 (frivilligt)")
    basis_intro = ""

    basis_part_of_ssp = forms.BooleanField(
        label=_("Modtagerne er en del af SSP-samarbejdet"), required=False
    )
    basis_relevant = forms.BooleanField(
        label=_("Oplysningerne er rimelige og relevante for modtagerne"), required=False
    )
    basis_necessary = forms.BooleanField(
        label=_("Det er nødvendigt at dele for at forebygge kriminalitet"), required=False
    )
    basis_purpose = forms.CharField(label=_("Formål med adgangen"), max_length=500, required=False)
    basis_expires_on = forms.DateField(
        label=_("Adgangen udløber"), required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = [name for name in self.fields if not name.startswith(BASIS_PREFIX)]
        self.order_fields(own)

    def basis_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith(BASIS_PREFIX)]

    def own_fields(self) -> list:
        return [self[name] for name in self.fields if not name.startswith(BASIS_PREFIX)]

    def basis_request(
        self, ground: str = BasisGround.SECTION_115, **extra: Any
    ) -> BasisRequest | None:
        """What the user filled in, or None when they left the section empty."""
        data = self.cleaned_data
        criteria = {name: bool(data.get(BASIS_PREFIX + name)) for name in SHARE_CRITERIA}
        purpose = data.get("basis_purpose") or ""
        expires_on = data.get("basis_expires_on")
        if ground == BasisGround.SECTION_115 and not (
            any(criteria.values()) or purpose.strip() or expires_on
        ):
            return None
        return BasisRequest(
            purpose=purpose,
            criteria=criteria,
            ground=ground,
            expires_at=end_of(expires_on),
            **extra,
        )


BODY_BASIS_INTRO = _(
    "SSP-konsulenten og det valgte teams eller gruppes medlemmer fra skole, "
    "socialforvaltning, PPR, sundhed, fritid og klub og SSP-sekretariatet kan altid se sagen "
    "eller bekymringen. Bekræfter du de tre betingelser efter retsplejelovens §115 og skriver "
    "formålet, får også de øvrige medlemmer, fx politiet, adgang, indtil adgangen udløber "
    "eller tilbagekaldes. Oplysningerne må ikke bruges til efterforskning (§115, stk. 2)."
)
