"""Forms of the meeting pages. They only read and check input; services do the writing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput
from cases.models import Case
from cases.permissions import cases_visible_to
from cases.services import SHARE_CRITERIA
from forum.models import Body, BodyKind, Person
from meetings.models import ActivityKind, Meeting, Rsvp
from ssp.forms import (
    PLANNING_DATE_RANGE,
    DkfdsFormMixin,
    TimeInput,
    add_dkfds_classes,
)
from ssp.models import User


def _people_of(body: Body) -> Any:
    people = Person.objects.select_related("unit").order_by("full_name")
    if body.municipality_id is not None:
        return people.filter(municipality_id=body.municipality_id)
    return people.filter(municipality__police_district_id=body.police_district_id)


class MeetingForm(DkfdsFormMixin, forms.Form):
    date_ranges = {"date": PLANNING_DATE_RANGE}

    title = forms.CharField(label=_("Titel"), max_length=200)
    date = forms.DateField(label=_("Dato"), widget=DateInput())
    start_time = forms.TimeField(label=_("Fra kl."), widget=TimeInput())
    end_time = forms.TimeField(label=_("Til kl."), widget=TimeInput())
    location = forms.CharField(label=_("Sted"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("Link til onlinemøde"), required=False, assume_scheme="https"
    )

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict[str, Any]:
        starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {
            "title": meeting.title,
            "date": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            "location": meeting.location,
            "online_url": meeting.online_url,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if {"date", "start_time", "end_time"} <= data.keys():
            data["starts_at"] = timezone.make_aware(
                datetime.combine(data["date"], data["start_time"])
            )
            data["ends_at"] = timezone.make_aware(datetime.combine(data["date"], data["end_time"]))
        return data

    def add_service_error(self, error: ValidationError) -> None:
        # The service speaks of start and end; the form shows them at its date and time fields.
        if hasattr(error, "error_dict"):
            fields = {"starts_at": "date", "ends_at": "end_time"}
            error = ValidationError(
                {fields.get(name, name): errors for name, errors in error.error_dict.items()}
            )
        super().add_service_error(error)


class NewMeetingForm(MeetingForm):
    guests = forms.ModelMultipleChoiceField(
        label=_("Gæster"),
        help_text=_("Organets medlemmer inviteres altid. Vælg eventuelle gæster ud over dem."),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = body.memberships.values("person_id")
        self.fields["guests"].queryset = _people_of(body).exclude(pk__in=members)


class SeriesForm(DkfdsFormMixin, forms.Form):
    date_ranges = {"first_date": PLANNING_DATE_RANGE, "last_date": PLANNING_DATE_RANGE}

    title = forms.CharField(label=_("Titel"), max_length=200)
    first_date = forms.DateField(label=_("Første møde"), widget=DateInput())
    last_date = forms.DateField(
        label=_("Sidste møde"),
        required=False,
        widget=DateInput(),
        help_text=_("Uden sidste dato planlægges møderne løbende et halvt år frem."),
    )
    interval_weeks = forms.IntegerField(
        label=_("Hver n'te uge"), min_value=1, max_value=52, initial=1
    )
    start_time = forms.TimeField(label=_("Fra kl."), widget=TimeInput())
    end_time = forms.TimeField(label=_("Til kl."), widget=TimeInput())
    location = forms.CharField(label=_("Sted"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("Link til onlinemøde"), required=False, assume_scheme="https"
    )
    skip_holidays = forms.BooleanField(
        label=_("Spring helligdage over"), required=False, initial=True
    )


class CancelForm(DkfdsFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Årsag til aflysningen"),
        max_length=500,
        help_text=_("Deltagerne får årsagen at vide."),
    )


class RsvpForm(DkfdsFormMixin, forms.Form):
    rsvp = forms.ChoiceField(label=_("Dit svar"), choices=Rsvp.choices, widget=forms.RadioSelect)


class GuestForm(DkfdsFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Inviter en gæst"), queryset=Person.objects.none())

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invited = meeting.participants.values("person_id")
        self.fields["person"].queryset = _people_of(meeting.body).exclude(pk__in=invited)


class AttendanceForm(DkfdsFormMixin, forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Mødt"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        field.queryset = meeting.participants.select_related("person").order_by("person__full_name")
        field.label_from_instance = lambda participant: participant.person.full_name


class AgendaItemForm(DkfdsFormMixin, forms.Form):
    title = forms.CharField(label=_("Punkt"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivelse"), max_length=4000, required=False, widget=forms.Textarea
    )
    case = forms.ModelChoiceField(
        label=_("Sag"),
        help_text=_("Kun hvis punktet handler om en bestemt ung."),
        queryset=Case.objects.none(),
        required=False,
    )
    purpose = forms.CharField(label=_("Formål med at drøfte sagen"), max_length=500, required=False)
    part_of_ssp = forms.BooleanField(
        label=_("Deltagerne er en del af SSP-samarbejdet"), required=False
    )
    relevant = forms.BooleanField(
        label=_("Oplysningerne er rimelige og relevante for deltagerne"), required=False
    )
    necessary = forms.BooleanField(
        label=_("Det er nødvendigt at drøfte sagen for at forebygge kriminalitet"),
        required=False,
    )

    def __init__(self, *args: Any, meeting: Meeting, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        field.queryset = (
            cases_visible_to(user)
            .filter(municipality_id=meeting.body.municipality_id)
            .exclude(status="closed")
            .select_related("young_person")
            .order_by("young_person__full_name")
        )
        field.label_from_instance = lambda case: f"{case}: {case.subject_label}"

    @property
    def criteria(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in SHARE_CRITERIA}


class YearPlanForm(DkfdsFormMixin, forms.Form):
    date_ranges = {"first_date": PLANNING_DATE_RANGE, "last_date": PLANNING_DATE_RANGE}

    title = forms.CharField(label=_("Titel på teamets møder"), max_length=200)
    first_date = forms.DateField(label=_("Første møde"), widget=DateInput())
    last_date = forms.DateField(label=_("Sidste møde senest"), widget=DateInput())
    interval_weeks = forms.IntegerField(
        label=_("Hver n'te uge"),
        min_value=1,
        max_value=52,
        initial=6,
        help_text=_("Teamet mødes mindst fire gange om året."),
    )
    start_time = forms.TimeField(label=_("Fra kl."), widget=TimeInput())
    end_time = forms.TimeField(label=_("Til kl."), widget=TimeInput())
    location = forms.CharField(label=_("Sted"), max_length=300, required=False)


class ActivityForm(DkfdsFormMixin, forms.Form):
    """One row of the year wheel; a row left empty is skipped."""

    date_ranges = {"planned_on": PLANNING_DATE_RANGE}

    kind = forms.ChoiceField(label=_("Type"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Aktivitet"), max_length=200)
    grade = forms.CharField(label=_("Klassetrin"), max_length=50, required=False)
    planned_on = forms.DateField(label=_("Dato"), widget=DateInput())
    responsible = forms.ModelChoiceField(
        label=_("Ansvarlig"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _people_of(body)
        # Only the filled-in rows are checked: the kind alone does not make a row.
        self.empty_permitted = True
        self.use_required_attribute = False

    def has_changed(self) -> bool:
        return any(self.data.get(self.add_prefix(name)) for name in ("title", "planned_on"))


ActivityFormSet = forms.formset_factory(ActivityForm, extra=6, max_num=40, validate_max=True)


class StandingItemForm(DkfdsFormMixin, forms.Form):
    title = forms.CharField(label=_("Nyt fast punkt"), max_length=200)


class MinutesForm(DkfdsFormMixin, forms.Form):
    """One text field per agenda item the writer may see."""

    def __init__(self, *args: Any, items: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, item in enumerate(items, start=1):
            self.fields[f"item_{item.pk}"] = forms.CharField(
                label=f"{number}. {item.title}",
                required=False,
                max_length=20_000,
                initial=item.minutes,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        add_dkfds_classes(self)

    def texts(self) -> dict[int, str]:
        return {int(name.removeprefix("item_")): value for name, value in self.cleaned_data.items()}


class DecisionForm(DkfdsFormMixin, forms.Form):
    date_ranges = {"due_on": PLANNING_DATE_RANGE}

    text = forms.CharField(label=_("Beslutning"), max_length=1000, widget=forms.Textarea)
    task_title = forms.CharField(label=_("Opgave"), max_length=300, required=False)
    responsible = forms.ModelChoiceField(
        label=_("Ansvarlig for opgaven"), queryset=Person.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Frist"), required=False, widget=DateInput())

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _people_of(meeting.body)


class CaseDecisionForm(DecisionForm):
    """A decision about a case may also share it under §115."""

    share_with_body = forms.ModelChoiceField(
        label=_("Del sagen med et organ"), queryset=Body.objects.none(), required=False
    )
    share_with_user = forms.ModelChoiceField(
        label=_("eller med en person"), queryset=User.objects.none(), required=False
    )
    share_purpose = forms.CharField(label=_("Formål med at dele"), max_length=500, required=False)
    part_of_ssp = forms.BooleanField(
        label=_("Modtageren er en del af SSP-samarbejdet"), required=False
    )
    relevant = forms.BooleanField(
        label=_("Oplysningerne er rimelige og relevante for modtageren"), required=False
    )
    necessary = forms.BooleanField(
        label=_("Det er nødvendigt at dele for at forebygge kriminalitet"), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, meeting=meeting, **kwargs)
        municipality = meeting.body.municipality_id
        self.fields["share_with_body"].queryset = (
            Body.objects.filter(municipality_id=municipality)
            .exclude(kind=BodyKind.AD_HOC)
            .order_by("name")
        )
        self.fields["share_with_user"].queryset = User.objects.filter(
            is_active=True, affiliations__municipality_id=municipality
        ).order_by("full_name")

    @property
    def criteria(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in SHARE_CRITERIA}

    def add_service_error(self, error: ValidationError) -> None:
        # The share's own errors speak of its recipient and purpose.
        if hasattr(error, "error_dict"):
            fields = {"recipient": "share_with_body", "purpose": "share_purpose"}
            error = ValidationError(
                {fields.get(name, name): errors for name, errors in error.error_dict.items()}
            )
        super().add_service_error(error)


class AttachmentForm(DkfdsFormMixin, forms.Form):
    file = forms.FileField(label=_("Vedhæft en fil"))


class YearPlanEditForm(YearPlanForm):
    """A laid plan's coming meetings: the rhythm from the next meeting on."""

    date_ranges = {"next_date": PLANNING_DATE_RANGE, "last_date": PLANNING_DATE_RANGE}
    field_order = [
        "title",
        "next_date",
        "last_date",
        "interval_weeks",
        "start_time",
        "end_time",
        "location",
    ]

    first_date = None
    next_date = forms.DateField(
        label=_("Næste møde"),
        widget=DateInput(),
        help_text=_("Møderne herfra følger planen; holdte møder ændres ikke."),
    )

    def add_service_error(self, error: ValidationError) -> None:
        # A meeting the new time would put in the past is refused at its start.
        if hasattr(error, "error_dict"):
            fields = {"starts_at": "start_time", "ends_at": "end_time"}
            error = ValidationError(
                {fields.get(name, name): errors for name, errors in error.error_dict.items()}
            )
        super().add_service_error(error)
