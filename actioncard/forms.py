"""Forms of the ActionCard's editorial pages. They validate input; services do the writing."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from actioncard.contacts import SITUATION_KEYS, SITUATIONS
from actioncard.models import FIRST_YEAR, LAST_YEAR, Edition
from actioncard.services import GUIDE_MAX_ENTRIES
from ssp.forms import DkfdsFormMixin

PHONE = re.compile(r"\+?[0-9][0-9 ]{1,18}")


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


class ContactsForm(DkfdsFormMixin, forms.Form):
    """Page one's contacts: per situation a person or unit from the directory, or a typed
    name and number for a contact outside it."""

    page_per_school = forms.BooleanField(
        label=_("En side pr. skole med sit eget SSP-team"),
        required=False,
        help_text=_("Til opslagstavlen på hver skole: teamets medlemmer og »Hvem ringer jeg til«."),
    )

    def __init__(self, *args: Any, people: list[Any], units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options: list[Any] = [("", _("Standard (se forklaringen)"))]
        options.append(
            (
                _("Personer"),
                [
                    (f"person-{p.pk}", f"{p.full_name} ({p.job_title or p.unit or '–'})")
                    for p in people
                ],
            )
        )
        options.append((_("Enheder"), [(f"unit-{u.pk}", u.name) for u in units]))
        for key, label, _advice, help_text in SITUATIONS:
            self.fields[f"{key}_ref"] = forms.ChoiceField(
                label=_("Når %(situation)s") % {"situation": label},
                choices=options,
                required=False,
                help_text=help_text,
            )
            self.fields[f"{key}_name"] = forms.CharField(
                label=_("Eller et navn uden for kataloget"), required=False, max_length=200
            )
            self.fields[f"{key}_phone"] = forms.CharField(
                label=_("Telefon"), required=False, max_length=20
            )
        self.order_fields(
            [*(name for name in self.fields if name != "page_per_school"), "page_per_school"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for key in SITUATION_KEYS:
            phone = data.get(f"{key}_phone", "").strip()
            if phone and not PHONE.fullmatch(phone):
                self.add_error(
                    f"{key}_phone", _("Skriv et telefonnummer med cifre, fx +45 43 23 60 00.")
                )
            if phone and not data.get(f"{key}_name", "").strip() and not data.get(f"{key}_ref"):
                self.add_error(f"{key}_name", _("Skriv, hvem nummeret går til."))
        return data

    def choices_data(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            key: {
                "ref": data.get(f"{key}_ref") or "",
                "name": data.get(f"{key}_name", ""),
                "phone": data.get(f"{key}_phone", ""),
            }
            for key in SITUATION_KEYS
        }

    @staticmethod
    def initial_from(choices: dict[str, dict[str, str]], page_per_school: bool) -> dict[str, Any]:
        initial: dict[str, Any] = {"page_per_school": page_per_school}
        for key in SITUATION_KEYS:
            choice = choices.get(key) or {}
            for part in ("ref", "name", "phone"):
                initial[f"{key}_{part}"] = choice.get(part, "")
        return initial

    def situation_rows(self) -> list[list[Any]]:
        return [
            [self[f"{key}_{part}"] for part in ("ref", "name", "phone")] for key in SITUATION_KEYS
        ]
