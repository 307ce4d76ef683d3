"""The statistics page's filters: read from the URL, so a filtered page can be bookmarked and
shared."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import ConcernCategory
from forum.models import Body, BodyKind, Municipality, Unit
from reports.figures import Filters
from reports.models import COMMENTARY_MAX_LENGTH, SECTION_MAX_LENGTH
from ssp.forms import DkfdsFormMixin
from ssp.models import Sector

# A longer period makes no figure clearer and every query heavier.
MAX_PERIOD_DAYS = 5 * 366


def default_period(today: date) -> tuple[date, date]:
    """This calendar year so far: what the yearly status is about."""
    return today.replace(month=1, day=1), today


class StatisticsFilterForm(DkfdsFormMixin, forms.Form):
    fra = forms.DateField(label=_("Fra"), widget=forms.DateInput(attrs={"type": "date"}))
    til = forms.DateField(label=_("Til og med"), widget=forms.DateInput(attrs={"type": "date"}))
    skole = forms.ModelChoiceField(
        label=_("Skole"), queryset=Unit.objects.none(), required=False, empty_label=_("Alle")
    )
    organ = forms.ModelChoiceField(
        label=_("Organ"), queryset=Body.objects.none(), required=False, empty_label=_("Alle")
    )
    kategori = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=ConcernCategory.objects.none(),
        required=False,
        empty_label=_("Alle"),
        help_text=_("Gælder bekymringer og de sager, de hører til."),
    )

    def __init__(self, data: Any, *, municipality: Municipality, **kwargs: Any) -> None:
        start, end = default_period(timezone.localdate())
        # A missing date is this year's; what the user typed is kept, valid or not.
        values = {"fra": start.isoformat(), "til": end.isoformat()}
        values.update({key: value for key, value in (data or {}).items() if value != ""})
        super().__init__(values, **kwargs)
        self.fields["skole"].queryset = municipality.units.filter(sector=Sector.SCHOOL).order_by(
            "name"
        )
        self.fields["organ"].queryset = (
            Body.objects.filter(municipality=municipality)
            .exclude(kind=BodyKind.AD_HOC)
            .order_by("name")
        )
        self.fields["kategori"].queryset = ConcernCategory.objects.filter(
            municipality=municipality
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("fra"), data.get("til")
        if start and end:
            if end < start:
                self.add_error("til", _("Slutdatoen ligger før startdatoen."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("til", _("Vælg en periode på højst fem år."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            start=data["fra"],
            end=data["til"],
            school=data.get("skole"),
            body=data.get("organ"),
            category=data.get("kategori"),
        )


class CooperationPlanCreateForm(DkfdsFormMixin, forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)


class CooperationPlanEditForm(DkfdsFormMixin, forms.Form):
    """One text field per section of the plan, named after the section."""

    def __init__(self, *args: Any, sections: list, **kwargs: Any) -> None:
        self.sections = sections
        super().__init__(*args, **kwargs)
        for section in sections:
            self.fields[f"section_{section.pk}"] = forms.CharField(
                label=section.heading,
                required=False,
                max_length=SECTION_MAX_LENGTH,
                initial=section.text,
                widget=forms.Textarea(attrs={"rows": 8}),
            )

    def texts(self) -> dict[int, str]:
        return {section.pk: self.cleaned_data[f"section_{section.pk}"] for section in self.sections}


class StatusCommentaryForm(DkfdsFormMixin, forms.Form):
    kommentar = forms.CharField(
        label=_("Konsulentens kommentar"),
        required=False,
        max_length=COMMENTARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Står på forsiden af årsstatus: hvad tallene viser, hvad der er gjort, og hvad "
            "der er på vej. Skriv ikke navne eller andet, der kan pege på en ung."
        ),
    )
