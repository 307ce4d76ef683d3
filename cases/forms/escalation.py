"""Forms of the escalation settings (ladder, SMS gateway, absences, routing rules) and of the
notification follow-through on a concern. They check the shape; the services the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.common import DateInput
from cases.models import MAX_STEP_WORKING_DAYS, ConcernCategory, EscalationScope
from forum.absences import consultants_of
from forum.models import Body, Municipality
from ssp.forms import PLANNING_DATE_RANGE, DkfdsFormMixin
from ssp.models import HANDLING_SECTORS, User


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.get_sector_display()})"


class EscalationStepForm(DkfdsFormMixin, forms.Form):
    # The settings page holds several forms: each field's id must be its own.
    prefix = "step"

    applies_to = forms.ChoiceField(
        label=_("Gælder"),
        choices=EscalationScope.choices,
        initial=EscalationScope.ALL,
        widget=forms.RadioSelect,
    )
    after_working_days = forms.IntegerField(
        label=_("Når bekymringen ikke er visiteret efter (arbejdsdage)"),
        min_value=0,
        max_value=MAX_STEP_WORKING_DAYS,
        initial=1,
        help_text=_("0 betyder med det samme. Weekender og helligdage tæller ikke med."),
    )
    by_sms = forms.BooleanField(
        label=_("Send også en SMS (kræver kommunens SMS-gateway)"), required=False
    )


class SmsGatewayForm(DkfdsFormMixin, forms.Form):
    url = forms.URLField(
        label=_("Gatewayens adresse"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Adressen, beskeden sendes til som JSON, fx https://sms.leverandør.dk/send."),
    )
    token = forms.CharField(
        label=_("Nøgle (token)"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Gemmes krypteret og vises aldrig igen. Lad feltet stå tomt for at beholde den "
            "gemte nøgle."
        ),
    )
    sender = forms.CharField(label=_("Afsendernavn"), max_length=11, required=False)
    is_active = forms.BooleanField(label=_("Send SMS"), required=False, initial=True)


class AbsenceForm(DkfdsFormMixin, forms.Form):
    prefix = "absence"
    date_ranges = {"starts_on": PLANNING_DATE_RANGE, "ends_on": PLANNING_DATE_RANGE}

    user = UserChoiceField(label=_("Fraværende konsulent"), queryset=User.objects.none())
    stand_in = UserChoiceField(label=_("Stedfortræder"), queryset=User.objects.none())
    starts_on = forms.DateField(label=_("Fra og med"), widget=DateInput())
    ends_on = forms.DateField(label=_("Til og med"), widget=DateInput())

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        consultants = consultants_of(municipality)
        self.fields["user"].queryset = consultants
        self.fields["stand_in"].queryset = consultants


class RoutingRuleForm(DkfdsFormMixin, forms.Form):
    prefix = "rule"

    category = forms.ModelChoiceField(label=_("Kategori"), queryset=ConcernCategory.objects.none())
    user = UserChoiceField(
        label=_("Til en navngiven person"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Kun personer fra skole, socialforvaltning, PPR, sundhed, klub og SSP."),
    )
    body = forms.ModelChoiceField(
        label=_("Eller til et organ"),
        queryset=Body.objects.none(),
        required=False,
        help_text=_("Kun organets medlemmer fra de samme sektorer kan læse bekymringen."),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = municipality.concern_categories.filter(is_active=True)
        self.fields["user"].queryset = User.objects.filter(
            is_active=True,
            sector__in=HANDLING_SECTORS,
            affiliations__municipality=municipality,
        ).order_by("full_name")
        self.fields["body"].queryset = Body.objects.filter(municipality=municipality).order_by(
            "name"
        )


class NotificationRecordForm(DkfdsFormMixin, forms.Form):
    sent_on = forms.DateField(label=_("Underretningen blev sendt den"), widget=DateInput())
    sent_by = forms.CharField(
        label=_("Sendt af"),
        max_length=200,
        help_text=_("Navn og arbejdssted, fx »Lars Lund, Vestervang Skole«."),
    )
