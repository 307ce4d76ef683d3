"""Forms for the access log, legal holds and retention."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases import selectors
from cases.forms.common import DateInput
from cases.models import (
    HoldScope,
)
from ssp.forms import DkfdsFormMixin


class AuditSearchForm(DkfdsFormMixin, forms.Form):
    young_person = forms.CharField(
        label=_("Den unge"),
        help_text=_("Navn, CPR-nummer eller sagsnummer."),
        max_length=100,
        required=False,
    )
    user = forms.CharField(label=_("Bruger (e-mail)"), max_length=254, required=False)
    subject = forms.IntegerField(label=_("Den unges id"), required=False, min_value=1)
    date_from = forms.DateField(label=_("Fra"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Til"), required=False, widget=DateInput())

    def __init__(self, *args: Any, in_address: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_address = in_address

    def clean_young_person(self) -> str:
        query = self.cleaned_data["young_person"]
        if self.in_address and selectors.looks_like_cpr(query):
            raise forms.ValidationError(
                _("Et CPR-nummer må ikke stå i adresselinjen. Søg med formularen på siden.")
            )
        return query


class LegalHoldForm(DkfdsFormMixin, forms.Form):
    case_number = forms.IntegerField(label=_("Sagsnummer"), min_value=1)
    scope = forms.ChoiceField(
        label=_("Hvad skal tilbageholdes?"),
        choices=HoldScope.choices,
        initial=HoldScope.CASE,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Begrundelse"),
        max_length=500,
        help_text=_("Fx en verserende retssag eller en anmodning fra politiet. Skriv ikke navne."),
    )


class LegalHoldReleaseForm(DkfdsFormMixin, forms.Form):
    reason = forms.CharField(label=_("Begrundelse"), max_length=500)


class RetentionPolicyForm(DkfdsFormMixin, forms.Form):
    """The municipality's periods; the service checks the bounds (so its Danish message names
    them), the widgets only hint them to the browser."""

    concern_without_case_days = forms.IntegerField(label=_("Bekymringer uden sag (dage)"))
    closed_case_days = forms.IntegerField(label=_("Lukkede sager (dage)"))
    note_days = forms.IntegerField(label=_("Notater (dage)"))
    audit_log_days = forms.IntegerField(label=_("Adgangslog (dage)"))

    def __init__(self, *args: Any, limits: dict[str, tuple[int, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            low, high = limits[name]
            field.help_text = _("Mellem %(low)s og %(high)s dage.") % {"low": low, "high": high}
            field.widget.attrs.update({"min": low, "max": high})


class DeletionLogForm(DkfdsFormMixin, forms.Form):
    record_type = forms.ChoiceField(label=_("Posttype"), required=False)
    date_from = forms.DateField(label=_("Fra"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Til"), required=False, widget=DateInput())

    def __init__(self, *args: Any, record_types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", _("Alle typer")), *record_types]
