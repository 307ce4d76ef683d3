"""Forms on the case page: search, notes, actions, consent, status, details, groups, bases."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import choosers, selectors
from cases.forms.common import BasisSectionForm, DateInput
from cases.forms.people import PersonChoiceField
from cases.models import (
    TEXT_MAX_LENGTH,
    BasisGround,
    CaseStatus,
    ConsentStatus,
    PreventionKind,
    PreventionLevel,
)
from cases.services import SHARE_CRITERIA, BasisRequest, current_consent, planning_horizon
from forum.models import Body, BodyKind, Person
from ssp.forms import PLANNING_DATE_RANGE, DkfdsFormMixin
from ssp.models import User


class _HandlingBodies(forms.models.ModelChoiceIterator):
    """The case list's bodies by name, each with its municipality when they are of several:
    a police officer's district may hold two school teams of the same name. Read with one
    plain SELECT, as `ssp.forms.load_choices_in_one_statement` reads the other lists."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # The columns the choice shows: a body and its municipality have twenty-five.
        bodies = list(
            self.queryset.select_related("municipality").only(
                "name", "municipality_id", "municipality__name"
            )
        )
        several = len({body.municipality_id for body in bodies}) > 1
        for body in bodies:
            value, label = self.choice(body)
            yield value, f"{label} ({body.municipality.name})" if several else label


class CaseSearchForm(DkfdsFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Søg på navn, fødselsdato, sagsnummer eller tekst"),
        max_length=100,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle")), *list(CaseStatus.choices)], required=False
    )
    body = forms.ModelChoiceField(
        label=_("Ansvarligt organ"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("Alle"),
    )
    mine = forms.BooleanField(label=_("Kun sager, jeg er tovholder eller med i"), required=False)

    def __init__(self, *args: Any, bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].iterator = _HandlingBodies
        self.fields["body"].queryset = bodies

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if selectors.looks_like_cpr(query):
            raise forms.ValidationError(
                _(
                    "Søg ikke på CPR-nummer her: det ville stå i adresselinjen. Søg på navn "
                    "eller fødselsdato."
                )
            )
        return query


class NoteForm(DkfdsFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Notat"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    restricted = forms.BooleanField(label=_("Kun synligt for min egen sektor"), required=False)


def _plan_from_today(field: forms.Field) -> None:
    """Tell the date picker what the services accept: today up to the planning horizon."""
    today = timezone.localdate()
    field.widget.attrs.update(
        {"min": today.isoformat(), "max": planning_horizon(today).isoformat()}
    )


class ActionForm(DkfdsFormMixin, forms.Form):
    date_ranges = {"due_on": PLANNING_DATE_RANGE}

    title = forms.CharField(label=_("Indsats"), max_length=300)
    responsible = PersonChoiceField(
        label=_("Ansvarlig"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Ingen endnu"),
        help_text=_("Uden en ansvarlig står indsatsen på tovholderens liste, til den er fordelt."),
    )
    due_on = forms.DateField(
        label=_("Frist"),
        required=False,
        widget=DateInput(),
        help_text=_("Fra i dag og højst to år frem."),
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = choosers.action_responsibles(case)
        _plan_from_today(self.fields["due_on"])


class ActionAssignForm(DkfdsFormMixin, forms.Form):
    responsible = PersonChoiceField(label=_("Ansvarlig"), queryset=Person.objects.none())

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = choosers.action_responsibles(case)


class CoordinatorForm(DkfdsFormMixin, forms.Form):
    coordinator = PersonChoiceField(
        label=_("Tovholder"),
        queryset=User.objects.none(),
        help_text=_(
            "Tovholderen for sagen er også tovholder for dens ad hoc-gruppe. Den hidtidige "
            "tovholder bliver i gruppen som medlem."
        ),
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = choosers.coordinator_candidates(case)


class ConsentForm(DkfdsFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Samtykke"), choices=ConsentStatus.choices, widget=forms.RadioSelect
    )
    given_by = forms.CharField(label=_("Givet eller afvist af"), max_length=200, required=False)
    reason = forms.CharField(label=_("Begrundelse"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The case page shows this form next to the status form, and both have a `status`
        # and a `reason`: each form names its fields' ids after itself, so labels stay tied
        # to their own fields.
        kwargs.setdefault("auto_id", "id_consent_%s")
        super().__init__(*args, **kwargs)


class StatusForm(DkfdsFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Ny status"), choices=CaseStatus.choices)
    reason = forms.CharField(
        label=_("Begrundelse"),
        # The reason is kept only on the timeline, as "Aktiv → Lukket: <reason>" in an event
        # of at most 500 characters: a longer reason would be cut off without a word.
        max_length=450,
        required=False,
        help_text=_("Skal udfyldes, når sagen lukkes eller genåbnes."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Ids of its own next to the consent form's on the case page (see ConsentForm).
        kwargs.setdefault("auto_id", "id_case_status_%s")
        super().__init__(*args, **kwargs)


class CaseDetailsForm(BasisSectionForm):
    date_ranges = {"follow_up_on": PLANNING_DATE_RANGE, **BasisSectionForm.date_ranges}
    basis_intro = _(
        "Skifter sagen ansvarligt organ, mister det gamle organs øvrige medlemmer (fx politiet) "
        "den adgang, de fik, da sagen blev oprettet under det. Bekræfter du de tre betingelser "
        "efter §115 og skriver formålet, får det nye organs øvrige medlemmer adgang."
    )

    level = forms.ChoiceField(label=_("Niveau"), choices=PreventionLevel.choices)
    prevention_kind = forms.ChoiceField(
        label=_("Type forebyggelse"), choices=PreventionKind.choices
    )
    responsible_body = forms.ModelChoiceField(label=_("Ansvarligt organ"), queryset=None)
    coordinator = PersonChoiceField(
        label=_("Tovholder"), queryset=User.objects.none(), required=False
    )
    follow_up_on = forms.DateField(
        label=_("Opfølgning senest"),
        required=False,
        widget=DateInput(),
        help_text=_("Fra i dag og højst to år frem."),
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_body"].queryset = selectors.handling_bodies(case.municipality_id)
        self.fields["coordinator"].queryset = choosers.coordinator_candidates(case)
        self.fields["coordinator"].help_text = _(
            "Tovholderen læser sagen og skal arbejde i en sektor, der selv behandler den. "
            "Tovholderen for sagen er også tovholder for dens ad hoc-gruppe."
        )
        _plan_from_today(self.fields["follow_up_on"])


class AdhocGroupCreateForm(DkfdsFormMixin, forms.Form):
    coordinator = PersonChoiceField(
        label=_("Tovholder for gruppen og sagen"),
        queryset=Person.objects.none(),
        empty_label=_("Vælg en person"),
        help_text=_(
            "Gruppens tovholder er også sagens tovholder og læser sagen. Vælg en person fra "
            "skole, socialforvaltning, PPR, sundhed, fritid og klub eller SSP-sekretariatet. "
            "Flere medlemmer tilføjer du bagefter."
        ),
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = choosers.adhoc_coordinator_candidates(case)
        self.fields["coordinator"].queryset = people
        if case.coordinator_id and not self.is_bound:
            self.initial.setdefault(
                "coordinator",
                people.filter(user_id=case.coordinator_id).values_list("pk", flat=True).first(),
            )


class AdhocGroupForm(BasisSectionForm):
    basis_legend = _("Grundlag for adgang (kun for personer uden for de behandlende sektorer)")
    basis_intro = _(
        "Medlemmer fra skole, socialforvaltning, PPR, sundhed, fritid og klub og "
        "SSP-sekretariatet læser sagen som medlemmer af gruppen. En person fra politiet eller en "
        "anden sektor får kun adgang med et grundlag: bekræft de tre betingelser efter §115 og "
        "skriv formålet, eller giv adgang på grundlag af det registrerede samtykke. "
        "Oplysningerne må ikke bruges til efterforskning (§115, stk. 2)."
    )

    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())
    basis_ground = forms.ChoiceField(
        label=_("Grundlag"),
        choices=[
            (BasisGround.SECTION_115, _("De tre betingelser efter §115")),
            (BasisGround.CONSENT, _("Det registrerede samtykke")),
        ],
        initial=BasisGround.SECTION_115,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = choosers.adhoc_candidates(case)
        consent = current_consent(case)
        self.consent = consent if consent and consent.status == ConsentStatus.OBTAINED else None
        if self.consent is None:
            del self.fields["basis_ground"]
        self.order_fields(["person", "basis_ground"])

    def member_basis(self) -> BasisRequest | None:
        if (
            self.consent is not None
            and self.cleaned_data.get("basis_ground") == BasisGround.CONSENT
        ):
            return self.basis_request(BasisGround.CONSENT, consent=self.consent)
        return self.basis_request()


class ShareForm(DkfdsFormMixin, forms.Form):
    date_ranges = {"expires_on": PLANNING_DATE_RANGE}

    body = forms.ModelChoiceField(
        label=_("Del med et organ"), queryset=Body.objects.none(), required=False
    )
    user = PersonChoiceField(
        label=_("eller med en person"), queryset=User.objects.none(), required=False
    )
    purpose = forms.CharField(label=_("Formål med at dele"), max_length=500)
    part_of_ssp = forms.BooleanField(
        label=_("Modtageren er en del af SSP-samarbejdet"), required=False
    )
    relevant = forms.BooleanField(
        label=_("Oplysningerne er rimelige og relevante for modtageren"), required=False
    )
    necessary = forms.BooleanField(
        label=_("Det er nødvendigt at dele for at forebygge kriminalitet"), required=False
    )
    expires_on = forms.DateField(label=_("Adgangen udløber"), required=False, widget=DateInput())

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = (
            Body.objects.filter(municipality_id=case.municipality_id)
            .exclude(kind=BodyKind.AD_HOC)
            .order_by("name")
        )
        self.fields["user"].queryset = choosers.share_recipients(case)

    @property
    def criteria(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in SHARE_CRITERIA}


class NoteCorrectionForm(DkfdsFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Rettelse"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Notatet bliver stående, som det blev skrevet; rettelsen vises under det."),
        error_messages={"required": _("Skriv rettelsen.")},
    )
