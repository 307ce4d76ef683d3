"""Forms of meeting registration: the organiser's opening and the public sign-up."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput
from meetings.registration_models import RegistrationOpening
from ssp.forms import DkfdsFormMixin, TimeInput


class OpeningForm(DkfdsFormMixin, forms.Form):
    capacity = forms.IntegerField(label=_("Antal pladser"), min_value=1, max_value=5000)
    deadline_date = forms.DateField(label=_("Tilmeldingsfrist (dato)"), widget=DateInput())
    deadline_time = forms.TimeField(
        label=_("Tilmeldingsfrist (klokkeslæt)"), widget=TimeInput(), initial=time(12, 0)
    )

    @classmethod
    def initial_for(cls, opening: RegistrationOpening | None) -> dict[str, Any]:
        if opening is None:
            return {}
        deadline = timezone.localtime(opening.deadline)
        return {
            "capacity": opening.capacity,
            "deadline_date": deadline.date(),
            "deadline_time": deadline.time().replace(second=0, microsecond=0),
        }

    def deadline(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["deadline_date"], data["deadline_time"]))


class SignUpForm(DkfdsFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Navn"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    organisation = forms.CharField(label=_("Arbejdssted eller organisation"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"

    @property
    def is_robot(self) -> bool:
        """The honeypot (`website`, rendered hidden from people by the template) is filled in
        by form-filling robots only."""
        return bool(self.data.get(HONEYPOT))


HONEYPOT = "website"
