"""Forms of the ActionCard's editorial pages. They validate input; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from actioncard.models import FIRST_YEAR, LAST_YEAR, Edition
from actioncard.services import GUIDE_MAX_ENTRIES
from ssp.forms import DkfdsFormMixin


class EditionStartForm(DkfdsFormMixin, forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=FIRST_YEAR, max_value=LAST_YEAR)


class EditionTextsForm(DkfdsFormMixin, forms.Form):
    foreword = forms.CharField(
        label=_("Forord"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Tom linje giver nyt afsnit."),
    )
    purpose = forms.CharField(
        label=_("Formål og værdier"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    correction_note = forms.CharField(
        label=_("Hvad er rettet?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Vises på forsiden af det rettede handlekort."),
    )

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not edition.supersedes_id:
            del self.fields["correction_note"]


class GuideEntryForm(DkfdsFormMixin, forms.Form):
    situation = forms.CharField(
        label=_("Når …"),
        required=False,
        max_length=200,
    )
    advice = forms.CharField(
        label=_("… så"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        situation, advice = data.get("situation", "").strip(), data.get("advice", "").strip()
        if situation and not advice:
            self.add_error("advice", _("Skriv, hvad man skal gøre."))
        if advice and not situation:
            self.add_error("situation", _("Skriv, hvornår rådet gælder."))
        return data


GuideFormSet = forms.formset_factory(
    GuideEntryForm, extra=2, max_num=GUIDE_MAX_ENTRIES, validate_max=True
)


def guide_entries(formset: forms.BaseFormSet) -> list[tuple[str, str]]:
    """The filled-in lines of a valid guide formset, in order."""
    return [
        (form.cleaned_data["situation"], form.cleaned_data["advice"])
        for form in formset.forms
        if form.cleaned_data.get("situation", "").strip()
    ]


class CorrectionForm(DkfdsFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Hvad skal rettes?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
