"""Forms of the prevention pages. They only read and check input; services do the writing.

The street-level and counselling forms are built for a phone in a hand on the street: few
fields, big radio buttons instead of typing, today and now filled in."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput
from forum.models import Body, BodyKind, Person, Unit
from meetings.models import ActivityKind, Meeting
from prevention.models import Activity as ActivityModel
from prevention.models import (
    AgeBand,
    AskedBy,
    CounsellingOutcome,
    CounsellingTopic,
    Mood,
    PreventionKind,
    PreventionLevel,
    Project,
    ProjectStatus,
    StreetIssue,
)
from ssp.forms import (
    PLANNING_DATE_RANGE,
    DkfdsFormMixin,
    TimeInput,
    add_dkfds_classes,
    add_input_rules,
)
from ssp.models import Sector

NO_NAMES = _("Skriv ingen navne på børn og unge.")
MAX_REACH = 100_000


def _reach(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_REACH,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _people_of(body: Body) -> QuerySet[Person]:
    return Person.objects.filter(municipality_id=body.municipality_id).order_by("full_name")


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Body) -> str:
        return obj.name


class ActivityForm(DkfdsFormMixin, forms.Form):
    """An activity of a body, planned or done, with its target group and reach."""

    date_ranges = {"planned_on": PLANNING_DATE_RANGE}

    kind = forms.ChoiceField(label=_("Type"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Aktivitet"), max_length=200)
    planned_on = forms.DateField(label=_("Dato"), widget=DateInput())
    time_of_day = forms.TimeField(label=_("Tidspunkt"), required=False, widget=TimeInput())
    prevention_kind = forms.ChoiceField(
        label=_("Type forebyggelse"),
        choices=PreventionKind.choices,
        initial=PreventionKind.PROACTIVE,
        widget=forms.RadioSelect,
    )
    level = forms.ChoiceField(
        label=_("Niveau"),
        choices=PreventionLevel.choices,
        initial=PreventionLevel.GENERAL,
        widget=forms.RadioSelect,
    )
    age_band = forms.ChoiceField(
        label=_("Aldersgruppe"), choices=[("", "–"), *AgeBand.choices], required=False
    )
    grade = forms.CharField(label=_("Klassetrin"), max_length=50, required=False)
    school = forms.ModelChoiceField(
        label=_("Skole eller institution"), queryset=Unit.objects.none(), required=False
    )
    place = forms.CharField(label=_("Sted"), max_length=200, required=False)
    project = forms.ModelChoiceField(
        label=_("Projekt"), queryset=Project.objects.none(), required=False
    )
    responsible = forms.ModelChoiceField(
        label=_("Ansvarlig"), queryset=Person.objects.none(), required=False
    )
    people = forms.ModelMultipleChoiceField(
        label=_("Deltagende fagfolk"), queryset=Person.objects.none(), required=False
    )
    partner_bodies = forms.ModelMultipleChoiceField(
        label=_("Samarbejdspartnere"), queryset=Body.objects.none(), required=False
    )
    pupils = _reach(_("Elever"))
    parents = _reach(_("Forældre"))
    professionals = _reach(_("Fagfolk"))
    young_people = _reach(_("Unge mødt"))
    description = forms.CharField(
        label=_("Beskrivelse"),
        help_text=NO_NAMES,
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    done = forms.BooleanField(label=_("Aktiviteten er gennemført"), required=False)

    def __init__(self, *args: Any, body: Body, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality = body.municipality_id
        self.fields["school"].queryset = Unit.objects.filter(
            municipality_id=municipality, sector=Sector.SCHOOL
        ).order_by("name")
        self.fields["project"].queryset = body.prevention_projects.order_by("-starts_on")
        self.fields["responsible"].queryset = _people_of(body)
        self.fields["people"].queryset = _people_of(body)
        self.fields["partner_bodies"].queryset = (
            Body.objects.filter(municipality_id=municipality).exclude(pk=body.pk).order_by("name")
        )
        self.fields["partner_bodies"].label_from_instance = lambda b: b.name
        if editing:
            del self.fields["done"]

    @classmethod
    def initial_for(cls, activity: ActivityModel) -> dict[str, Any]:
        names = [n for n in cls.base_fields if n not in ("done", "people", "partner_bodies")]
        initial = {name: getattr(activity, name) for name in names}
        initial["people"] = list(activity.people.all())
        initial["partner_bodies"] = list(activity.partner_bodies.all())
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("pupils", "parents", "professionals", "young_people"):
            if data.get(name) is None and name in self.fields:
                data[name] = 0
        return data


class DoneForm(DkfdsFormMixin, forms.Form):
    """Marking an activity done: its reach, if not counted yet (left empty: kept)."""

    pupils = _reach(_("Elever"))
    parents = _reach(_("Forældre"))
    professionals = _reach(_("Fagfolk"))
    young_people = _reach(_("Unge mødt"))


class _LogForm(DkfdsFormMixin, forms.Form):
    """A quick log for one of the user's bodies: the choice is hidden when there is one."""

    body = BodyChoiceField(label=_("Organ"), queryset=Body.objects.none(), empty_label=None)
    planned_on = forms.DateField(label=_("Dato"), widget=DateInput())

    def __init__(self, *args: Any, bodies: QuerySet[Body], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        only = list(bodies[:2])
        if len(only) == 1:
            self.fields["body"].initial = only[0].pk
            self.fields["body"].widget = forms.HiddenInput()
        self.fields["planned_on"].initial = timezone.localdate()
        self.fields["planned_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class StreetRoundForm(_LogForm):
    """A street-level round in under 30 seconds: place, number met, mood; the rest optional."""

    date_ranges = {"planned_on": (date(2000, 1, 1), date(2100, 12, 31))}

    time_of_day = forms.TimeField(label=_("Klokken"), required=False, widget=TimeInput())
    place = forms.CharField(
        label=_("Sted"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "recent-places"}),
    )
    young_people = forms.IntegerField(
        label=_("Unge mødt"),
        min_value=0,
        max_value=1000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}),
    )
    mood = forms.ChoiceField(
        label=_("Stemning"), choices=Mood.choices, required=False, widget=forms.RadioSelect
    )
    issues = forms.MultipleChoiceField(
        label=_("Observationer"),
        choices=StreetIssue.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Note"),
        help_text=NO_NAMES,
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        now = timezone.localtime()
        self.fields["time_of_day"].initial = now.time().replace(second=0, microsecond=0)


class CounsellingForm(_LogForm):
    """A counselling session: who asked, about what, and what came of it. No names."""

    asked_by = forms.ChoiceField(
        label=_("Hvem spurgte?"), choices=AskedBy.choices, widget=forms.RadioSelect
    )
    topic = forms.ChoiceField(
        label=_("Emne"), choices=CounsellingTopic.choices, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(
        label=_("Udfald"), choices=CounsellingOutcome.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Note"),
        help_text=NO_NAMES,
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProjectForm(DkfdsFormMixin, forms.Form):
    date_ranges = {"starts_on": PLANNING_DATE_RANGE, "ends_on": PLANNING_DATE_RANGE}

    title = forms.CharField(label=_("Titel"), max_length=200)
    goal = forms.CharField(
        label=_("Mål"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("Start"), widget=DateInput())
    ends_on = forms.DateField(label=_("Slut"), widget=DateInput())
    budget_note = forms.CharField(label=_("Budget"), max_length=500, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    evaluation = forms.CharField(
        label=_("Kort evaluering"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlanForm(DkfdsFormMixin, forms.Form):
    date_ranges = {"starts_on": PLANNING_DATE_RANGE, "ends_on": PLANNING_DATE_RANGE}

    title = forms.CharField(label=_("Titel"), max_length=200)
    starts_on = forms.DateField(label=_("Gælder fra"), widget=DateInput())
    ends_on = forms.DateField(label=_("Gælder til"), widget=DateInput())
    summary = forms.CharField(
        label=_("Indsatser og mål"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    covers = forms.ModelMultipleChoiceField(
        label=_("Omfatter også aktiviteterne i"),
        queryset=Body.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["covers"]
        field.queryset = (
            Body.objects.filter(municipality_id=body.municipality_id)
            .exclude(pk=body.pk)
            .exclude(kind=BodyKind.AD_HOC)
            .order_by("name")
        )
        field.label_from_instance = lambda b: b.name


class ApprovalForm(DkfdsFormMixin, forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Godkendt på mødet"), queryset=Meeting.objects.none(), empty_label=None
    )
    note = forms.CharField(
        label=_("Bemærkning"), max_length=1000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        field.queryset = meetings
        field.label_from_instance = _meeting_label


def _meeting_label(meeting: Meeting) -> str:
    return (
        f"{meeting.title}, {date_format(timezone.localtime(meeting.starts_at), 'ABBR_DATE_FORMAT')}"
    )


class YearWheelEditForm(DkfdsFormMixin, forms.Form):
    """The date and the responsible person of each coming activity of a plan's year wheel,
    as fields `planned_on_<id>` and `responsible_<id>` (the service's error keys)."""

    def __init__(self, *args: Any, body: Body, activities: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = _people_of(body)
        self.rows = []
        for activity in activities:
            date_name, person_name = f"planned_on_{activity.pk}", f"responsible_{activity.pk}"
            self.fields[date_name] = forms.DateField(
                label=_("Dato"), initial=activity.planned_on, widget=DateInput()
            )
            self.fields[person_name] = forms.ModelChoiceField(
                label=_("Ansvarlig"),
                queryset=people,
                required=False,
                initial=activity.responsible_id,
            )
            self.rows.append((activity, date_name, person_name))
        self.date_ranges = dict.fromkeys((name for _a, name, _p in self.rows), PLANNING_DATE_RANGE)
        add_input_rules(self, self.date_ranges)
        add_dkfds_classes(self)

    def sections(self) -> list[tuple[Any, Any, Any]]:
        """Each activity with its two bound fields, for the template."""
        return [(activity, self[date], self[person]) for activity, date, person in self.rows]

    def changes(self) -> list[tuple[Any, Any, Any]]:
        return [
            (activity, self.cleaned_data[date], self.cleaned_data[person])
            for activity, date, person in self.rows
        ]
