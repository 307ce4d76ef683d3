"""Forms for concerns: submitting, adding to and triaging one."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases import concern_dates, cpr, permissions, selectors, services
from cases.forms.common import (
    BODY_BASIS_INTRO,
    BasisSectionForm,
    DateInput,
    choices_of,
    read_once,
)
from cases.models import (
    TEXT_MAX_LENGTH,
    NotificationStatus,
    PreventionKind,
    PreventionLevel,
    SubjectKind,
    Urgency,
    YoungPerson,
)
from cases.subjects import concern_subject_ids
from forum.models import Body, Municipality, Unit
from ssp.forms import DateRangeValidator, DkfdsFormMixin
from ssp.models import User

# The Barnets lov question as a teacher would answer it; "not relevant" is what no answer
# means when the question is not asked (`concern_needs_notification_answer`).
NOTIFICATION_ANSWERS = [
    (NotificationStatus.DONE, _("Ja, der er underrettet")),
    (NotificationStatus.WILL_BE_DONE, _("Nej, men det bliver gjort")),
    (NotificationStatus.NOT_NEEDED, _("Nej, vi vurderer, at det ikke er nødvendigt")),
]


class NotificationAnswerField(forms.ChoiceField):
    """The three answers; "not relevant" (what older forms sent) is accepted as no answer."""

    def valid_value(self, value: str) -> bool:
        return value == NotificationStatus.NOT_RELEVANT or super().valid_value(value)


def required_when(field: forms.Field, when: str | Promise) -> forms.Field:
    """A field the form cannot require on its own (the service does, in one branch): its label
    says when instead of "(frivilligt)" (templates/forms/dkfds_field.html)."""
    field.required_when = when  # type: ignore[attr-defined]
    return field


class ConcernForm(DkfdsFormMixin, forms.Form):
    """The concern form, right the first time: only what is needed is required, each field
    that is required in one branch says when, and the Barnets lov question is asked only when
    it applies (HTMX asks `notification_needed` as the form is filled in; without JavaScript
    it is shown, saying when to answer). The young person is picked from the lookup or typed
    in; a typed-in young person is kept as typed (cases.services.identity)."""

    municipality = forms.ModelChoiceField(
        label=_("Kommune"), queryset=Municipality.objects.none(), empty_label=None
    )
    subject_kind = forms.ChoiceField(
        label=_("Hvem eller hvad handler bekymringen om?"),
        choices=SubjectKind.choices,
        initial=SubjectKind.PERSON,
        widget=forms.RadioSelect,
    )
    young_person = forms.ModelChoiceField(
        label=_("Den unge"),
        queryset=YoungPerson.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    full_name = required_when(
        forms.CharField(label=_("Den unges navn"), max_length=200, required=False),
        _("skal udfyldes, hvis du ikke har valgt den unge i søgningen"),
    )
    birth_date = forms.DateField(
        label=_("Fødselsdato"),
        required=False,
        widget=DateInput(),
        help_text=_("Hvis du kender den."),
    )
    cpr_number = forms.CharField(
        label=_("CPR-nummer"),
        max_length=11,
        required=False,
        help_text=_("Kun hvis du har det. Det gemmes krypteret og vises maskeret."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    school = forms.ModelChoiceField(label=_("Skole"), queryset=Unit.objects.none(), required=False)
    subject_description = required_when(
        forms.CharField(
            label=_("Beskriv den unge, gruppen eller stedet"),
            max_length=300,
            required=False,
            help_text=_("Fx »dreng på ca. 14 år i grøn jakke« eller »stationsforpladsen«."),
        ),
        _("skal udfyldes, når bekymringen ikke handler om en bestemt ung"),
    )
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        # Categories are typed in by each municipality and are not translated.
        help_text=_("Kommunens egne kategorier, vist i kommunens ordlyd."),
    )
    description = forms.CharField(
        label=_("Hvad har du set eller hørt?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    observed_on = forms.DateField(
        label=_("Hvornår skete det?"),
        widget=DateInput(),
        help_text=_("I dag, medmindre du ændrer det."),
    )
    location = forms.CharField(label=_("Hvor"), max_length=200, required=False)
    urgency = forms.ChoiceField(
        label=_("Hvor hurtigt skal der handles?"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        help_text=_("Er et barn i fare lige nu, så ring 112."),
    )
    notification_status = required_when(
        NotificationAnswerField(
            label=_("Har du eller din leder underrettet kommunen?"),
            choices=NOTIFICATION_ANSWERS,
            required=False,
            widget=forms.RadioSelect,
            help_text=_(
                "En SSP-bekymring er ikke en underretning. Er den unge under 18 år og kan have "
                "brug for støtte, har du pligt til at underrette kommunen (barnets lov). "
                "Systemet sender ikke underretningen for dig."
            ),
        ),
        _("skal besvares, når den unge er under 18 år og kan have brug for støtte"),
    )
    notified_by = required_when(
        forms.CharField(label=_("Hvem underrettede?"), max_length=200, required=False),
        _("skal udfyldes, hvis der er underrettet"),
    )
    notified_on = required_when(
        forms.DateField(label=_("Hvornår?"), required=False, widget=DateInput()),
        _("skal udfyldes, hvis der er underrettet"),
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        # The dates' plausible ranges move with today (cases.concern_dates).
        self.date_ranges = {
            name: rule.range() for name, rule in concern_dates.CONCERN_DATE_RULES.items()
        }
        super().__init__(*args, **kwargs)
        for name, rule in concern_dates.CONCERN_DATE_RULES.items():
            # The service's wording instead of the generic range message.
            field = self.fields[name]
            field.validators = [
                v for v in field.validators if not isinstance(v, DateRangeValidator)
            ] + [rule.validator()]
        municipalities = user.municipalities.order_by("name")
        self.fields["municipality"].queryset = municipalities
        # Read once: the choice, the first one, whether there is a choice at all, and the
        # options offered.
        mine = list(municipalities)
        self.fields["municipality"].choices = choices_of(self.fields["municipality"], mine)
        municipality = chosen_municipality(mine, self.data.get("municipality"))
        self.municipality = municipality
        self.fields["municipality"].initial = municipality
        self.fields["category"].queryset = (
            selectors.categories_for(municipality) if municipality else municipalities.none()
        )
        self.fields["school"].queryset = (
            municipality.units.filter(sector="school").order_by("name")
            if municipality
            else Unit.objects.none()
        )
        # Read once, and offered again by the "more young people" rows.
        self.school_choices = read_once(self.fields["school"])
        self.fields["school"].choices = self.school_choices
        # The young person is only ever chosen in a submission (the lookup's radio buttons),
        # and building the visibility query costs more than the rest of the form: build it
        # only when a submission names one. Any id it names is checked against it.
        if self.is_bound and self.data.get("young_person"):
            self.fields["young_person"].queryset = permissions.young_people_visible_to(user)
        if len(mine) == 1:
            self.fields["municipality"].widget = forms.HiddenInput()
        self.fields["observed_on"].initial = timezone.localdate

    def _value(self, name: str) -> Any:
        """One field's value from a form being filled in, or None if it is not valid (yet)."""
        field = self.fields[name]
        try:
            return field.clean(field.widget.value_from_datadict(self.data, self.files, name))
        except forms.ValidationError:
            return None

    def notification_needed(self) -> bool:
        """Whether the Barnets lov question applies to the form as filled in so far: asked
        while the form is being filled in, so it reads the fields one by one. A young person
        picked from the lookup is one the user may see; a typed-in one counts as typed."""
        if not self.is_bound:
            return False
        category = self._value("category")
        if category is None:
            return False
        kind = self._value("subject_kind") or SubjectKind.PERSON
        birth_date = None
        young_person = self._value("young_person") if self.data.get("young_person") else None
        # Several young people: their ages are not one age, so it is asked (birth date None).
        several = self._names_others()
        if kind == SubjectKind.PERSON and young_person is not None and not several:
            birth_date = young_person.birth_date
        elif kind == SubjectKind.PERSON and not several:
            birth_date = self._value("birth_date") or _cpr_birth_date(
                self.data.get("cpr_number", "")
            )
        return services.concern_needs_notification_answer(
            category=category, subject_kind=kind, birth_date=birth_date
        )

    def _names_others(self) -> bool:
        """A name typed in the form's "more young people" (cases.forms.concern_people)."""
        return any(
            str(value).strip()
            for key, value in self.data.items()
            if key.startswith("andre-") and key.endswith("-full_name")
        )


def chosen_municipality(municipalities: list[Municipality], chosen: Any) -> Municipality | None:
    """The municipality a concern is being logged in: the one chosen, if it is one of the
    user's `municipalities`, else their first (none if they work in none)."""
    if chosen and str(chosen).isdigit():
        found = next((m for m in municipalities if m.pk == int(chosen)), None)
        if found:
            return found
    return municipalities[0] if municipalities else None


def _cpr_birth_date(value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return cpr.validate(value)[1]
    except forms.ValidationError:
        return None


class AddendumForm(DkfdsFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Tilføjelse eller rettelse"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TriageForm(BasisSectionForm):
    basis_intro = BODY_BASIS_INTRO

    DECISIONS = [
        ("open_case", _("Opret en ny sag")),
        ("open_group_case", _("Opret en sag om en gruppe eller et sted (specifik)")),
        ("link_case", _("Knyt til en eksisterende sag om den unge")),
        ("route", _("Send videre til et SSP-team eller §115-gruppen")),
        ("close", _("Afslut uden sag")),
    ]
    decision = forms.ChoiceField(
        label=_("Hvad skal der ske med bekymringen?"), choices=DECISIONS, widget=forms.RadioSelect
    )
    body = required_when(
        forms.ModelChoiceField(
            label=_("Ansvarligt team eller gruppe"), queryset=Body.objects.none(), required=False
        ),
        _("skal vælges, når der oprettes en sag eller sendes videre"),
    )
    case = required_when(
        forms.ModelChoiceField(label=_("Sag"), queryset=None, required=False),
        _("skal vælges, når bekymringen knyttes til en sag"),
    )
    level = forms.ChoiceField(
        label=_("Niveau"), choices=PreventionLevel.choices, initial=PreventionLevel.INDIVIDUAL
    )
    prevention_kind = forms.ChoiceField(
        label=_("Type forebyggelse"),
        choices=PreventionKind.choices,
        initial=PreventionKind.REACTIVE,
    )
    reason = required_when(
        forms.CharField(label=_("Begrundelse"), max_length=500, required=False),
        _("skal udfyldes, når bekymringen afsluttes uden sag"),
    )
    group_description = required_when(
        forms.CharField(
            label=_("Gruppen eller stedet"),
            max_length=300,
            required=False,
            help_text=_(
                "For en sag om en gruppe eller et sted, fx »ældre drenge ved stationen«. De unge, "
                "bekymringen nævner, kommer med i sagen; organets medlemmer ser kun de unge, de i "
                "forvejen har adgang til, medmindre du giver organet et grundlag nedenfor."
            ),
        ),
        _("skal udfyldes for en sag om en gruppe eller et sted"),
    )

    def __init__(self, *args: Any, user: User, concern: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = selectors.handling_bodies(concern.municipality_id)
        self.fields["group_description"].initial = concern.subject_description
        cases = permissions.cases_visible_to(user).filter(municipality=concern.municipality_id)
        # The cases about the young people it names, and the cases about a group or place.
        named = concern_subject_ids(concern)
        cases = cases.filter(Q(young_person_id__in=named) | Q(young_person__isnull=True))
        self.fields["case"].queryset = cases.select_related("young_person")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        decision = data.get("decision")
        required = {
            "open_case": "body",
            "open_group_case": "body",
            "route": "body",
            "link_case": "case",
            "close": "reason",
        }
        field = required.get(decision or "")
        if field and not data.get(field):
            self.add_error(field, _("Udfyld feltet for den valgte beslutning."))
        if decision == "open_group_case" and not (data.get("group_description") or "").strip():
            self.add_error("group_description", _("Beskriv kort gruppen eller stedet."))
        return data
