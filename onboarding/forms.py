from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ssp.forms import DkfdsFormMixin


class OverviewFilterForm(DkfdsFormMixin, forms.Form):
    body = forms.ModelChoiceField(
        label=_("Organ"), required=False, queryset=None, empty_label=_("Alle organer")
    )
    unit = forms.ModelChoiceField(
        label=_("Enhed"), required=False, queryset=None, empty_label=_("Alle enheder")
    )

    def __init__(self, *args: Any, bodies: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["unit"].queryset = units
