"""Forms of the cases app. They check the shape of the input; the services check the rules."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import permissions, selectors
from cases.models import (
    TEXT_MAX_LENGTH,
    BasisGround,
    CaseStatus,
    ConsentStatus,
    HoldScope,
    NotificationStatus,
    PreventionKind,
    PreventionLevel,
    SubjectKind,
    Urgency,
    YoungPerson,
)
from cases.services import SHARE_CRITERIA, BasisRequest, current_consent
from forum.models import Body, BodyKind, Municipality, Person, Unit
from ssp.forms import PLANNING_DATE_RANGE, DkfdsFormMixin
from ssp.models import User


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def end_of(day: date | None) -> datetime | None:
    """An expiry typed as a date lasts to the end of that day."""
    return timezone.make_aware(datetime.combine(day, time.max)) if day else None


BASIS_PREFIX = "basis_"


class BasisSectionForm(DkfdsFormMixin, forms.Form):
    """The basis section of a form whose act widens who reads a case: the three §115 criteria,
    the purpose and an optional expiry. Left empty, no basis is given; filled in part, the
    service refuses it. Rendered after the form's own fields, under `basis_legend` and
    `basis_intro`."""

    template_name = "cases/forms/with_basis.html"
    date_ranges = {"basis_expires_on": PLANNING_DATE_RANGE}
    basis_legend = _("Adgang efter §115 (frivilligt)")
    basis_intro = ""

    basis_part_of_ssp = forms.BooleanField(
        label=_("Modtagerne er en del af SSP-samarbejdet"), required=False
    )
    basis_relevant = forms.BooleanField(
        label=_("Oplysningerne er rimelige og relevante for modtagerne"), required=False
    )
    basis_necessary = forms.BooleanField(
        label=_("Det er nødvendigt at dele for at forebygge kriminalitet"), required=False
    )
    basis_purpose = forms.CharField(label=_("Formål med adgangen"), max_length=500, required=False)
    basis_expires_on = forms.DateField(
        label=_("Adgangen udløber"), required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = [name for name in self.fields if not name.startswith(BASIS_PREFIX)]
        self.order_fields(own)

    def basis_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith(BASIS_PREFIX)]

    def own_fields(self) -> list:
        return [self[name] for name in self.fields if not name.startswith(BASIS_PREFIX)]

    def basis_request(
        self, ground: str = BasisGround.SECTION_115, **extra: Any
    ) -> BasisRequest | None:
        """What the user filled in, or None when they left the section empty."""
        data = self.cleaned_data
        criteria = {name: bool(data.get(BASIS_PREFIX + name)) for name in SHARE_CRITERIA}
        purpose = data.get("basis_purpose") or ""
        expires_on = data.get("basis_expires_on")
        if ground == BasisGround.SECTION_115 and not (
            any(criteria.values()) or purpose.strip() or expires_on
        ):
            return None
        return BasisRequest(
            purpose=purpose,
            criteria=criteria,
            ground=ground,
            expires_at=end_of(expires_on),
            **extra,
        )


BODY_BASIS_INTRO = _(
    "SSP-konsulenten og det valgte teams eller gruppes medlemmer fra skole, "
    "socialforvaltning, PPR, sundhed, fritid og klub og SSP-sekretariatet kan altid se sagen "
    "eller bekymringen. Bekræfter du de tre betingelser efter retsplejelovens §115 og skriver "
    "formålet, får også de øvrige medlemmer, fx politiet, adgang, indtil adgangen udløber "
    "eller tilbagekaldes. Oplysningerne må ikke bruges til efterforskning (§115, stk. 2)."
)


class ConcernForm(DkfdsFormMixin, forms.Form):
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
    full_name = forms.CharField(label=_("Den unges navn"), max_length=200, required=False)
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
    subject_description = forms.CharField(
        label=_("Beskriv den unge, gruppen eller stedet"),
        max_length=300,
        required=False,
        help_text=_("Fx »dreng på ca. 14 år i grøn jakke« eller »stationsforpladsen«."),
    )
    category = forms.ModelChoiceField(label=_("Kategori"), queryset=None, empty_label=None)
    description = forms.CharField(
        label=_("Hvad har du set eller hørt?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    observed_on = forms.DateField(label=_("Hvornår"), widget=DateInput())
    location = forms.CharField(label=_("Hvor"), max_length=200, required=False)
    urgency = forms.ChoiceField(
        label=_("Hvor hurtigt skal der handles?"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        help_text=_("Er et barn i fare lige nu, så ring 112."),
    )
    notification_status = forms.ChoiceField(
        label=_("Underretning efter barnets lov"),
        choices=NotificationStatus.choices,
        initial=NotificationStatus.NOT_RELEVANT,
        widget=forms.RadioSelect,
        help_text=_(
            "En SSP-bekymring er ikke en underretning. Er den unge under 18 år og kan have "
            "brug for støtte, har du pligt til at underrette kommunen. Systemet sender ikke "
            "underretningen for dig."
        ),
    )
    notified_by = forms.CharField(label=_("Underrettet af"), max_length=200, required=False)
    notified_on = forms.DateField(label=_("Underrettet den"), required=False, widget=DateInput())
    submission_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipalities = user.municipalities.order_by("name")
        self.fields["municipality"].queryset = municipalities
        municipality = self._municipality(municipalities)
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
        # The young person is only ever chosen in a submission (the lookup's radio buttons),
        # and building the visibility query costs more than the rest of the form: build it
        # only when a submission names one. Any id it names is checked against it.
        if self.is_bound and self.data.get("young_person"):
            self.fields["young_person"].queryset = permissions.young_people_visible_to(user)
        if len(municipalities) == 1:
            self.fields["municipality"].widget = forms.HiddenInput()
        self.fields["observed_on"].initial = timezone.localdate

    def _municipality(self, municipalities: Any) -> Municipality | None:
        chosen = self.data.get("municipality") if self.is_bound else None
        if chosen and str(chosen).isdigit():
            found = municipalities.filter(pk=int(chosen)).first()
            if found:
                return found
        return municipalities.first()


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
        ("link_case", _("Knyt til en eksisterende sag om den unge")),
        ("route", _("Send videre til et SSP-team eller §115-gruppen")),
        ("close", _("Afslut uden sag")),
    ]
    decision = forms.ChoiceField(
        label=_("Hvad skal der ske med bekymringen?"), choices=DECISIONS, widget=forms.RadioSelect
    )
    body = forms.ModelChoiceField(
        label=_("Ansvarligt team eller gruppe"), queryset=Body.objects.none(), required=False
    )
    case = forms.ModelChoiceField(label=_("Sag"), queryset=None, required=False)
    level = forms.ChoiceField(
        label=_("Niveau"), choices=PreventionLevel.choices, initial=PreventionLevel.INDIVIDUAL
    )
    prevention_kind = forms.ChoiceField(
        label=_("Type forebyggelse"),
        choices=PreventionKind.choices,
        initial=PreventionKind.REACTIVE,
    )
    reason = forms.CharField(label=_("Begrundelse"), max_length=500, required=False)

    def __init__(self, *args: Any, user: User, concern: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = selectors.handling_bodies(concern.municipality_id)
        cases = permissions.cases_visible_to(user).filter(municipality=concern.municipality_id)
        if concern.young_person_id:
            cases = cases.filter(young_person_id=concern.young_person_id)
        else:
            cases = cases.none()
        self.fields["case"].queryset = cases.select_related("young_person")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        decision = data.get("decision")
        required = {"open_case": "body", "route": "body", "link_case": "case", "close": "reason"}
        field = required.get(decision or "")
        if field and not data.get(field):
            self.add_error(field, _("Udfyld feltet for den valgte beslutning."))
        return data


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


class ActionForm(DkfdsFormMixin, forms.Form):
    date_ranges = {"due_on": PLANNING_DATE_RANGE}

    title = forms.CharField(label=_("Indsats"), max_length=300)
    responsible = forms.ModelChoiceField(
        label=_("Ansvarlig"), queryset=Person.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Frist"), required=False, widget=DateInput())

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Person.objects.filter(
            municipality_id=municipality_id
        ).order_by("full_name")


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
    coordinator = forms.ModelChoiceField(
        label=_("Tovholder"), queryset=User.objects.none(), required=False
    )
    follow_up_on = forms.DateField(label=_("Opfølgning senest"), required=False, widget=DateInput())

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_body"].queryset = selectors.handling_bodies(case.municipality_id)
        self.fields["coordinator"].queryset = selectors.coordinator_candidates(case)
        self.fields["coordinator"].help_text = _(
            "Tovholderen læser sagen og skal arbejde i en sektor, der selv behandler den."
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

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
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
        self.fields["person"].queryset = selectors.adhoc_candidates(case)
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.full_name} ({p.unit})" if p.unit_id else p.full_name
        )
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
    user = forms.ModelChoiceField(
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
        self.fields["user"].queryset = selectors.share_recipients(case)

    @property
    def criteria(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in SHARE_CRITERIA}


class AuditSearchForm(DkfdsFormMixin, forms.Form):
    young_person = forms.CharField(
        label=_("Den unge"),
        help_text=_("Navn, CPR-nummer eller sagsnummer."),
        max_length=100,
        required=False,
    )
    user = forms.CharField(label=_("Bruger (e-mail)"), max_length=254, required=False)
    subject = forms.IntegerField(label=_("Den unges id"), required=False, min_value=1)
    date_from = forms.DateField(label=_("Fra"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Til"), required=False, widget=DateInput())

    def __init__(self, *args: Any, in_address: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_address = in_address

    def clean_young_person(self) -> str:
        query = self.cleaned_data["young_person"]
        if self.in_address and selectors.looks_like_cpr(query):
            raise forms.ValidationError(
                _("Et CPR-nummer må ikke stå i adresselinjen. Søg med formularen på siden.")
            )
        return query


class NoteCorrectionForm(DkfdsFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Rettelse"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Notatet bliver stående, som det blev skrevet; rettelsen vises under det."),
        error_messages={"required": _("Skriv rettelsen.")},
    )


class LegalHoldForm(DkfdsFormMixin, forms.Form):
    case_number = forms.IntegerField(label=_("Sagsnummer"), min_value=1)
    scope = forms.ChoiceField(
        label=_("Hvad skal tilbageholdes?"),
        choices=HoldScope.choices,
        initial=HoldScope.CASE,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Begrundelse"),
        max_length=500,
        help_text=_("Fx en verserende retssag eller en anmodning fra politiet. Skriv ikke navne."),
    )


class LegalHoldReleaseForm(DkfdsFormMixin, forms.Form):
    reason = forms.CharField(label=_("Begrundelse"), max_length=500)


class RetentionPolicyForm(DkfdsFormMixin, forms.Form):
    """The municipality's periods; the service checks the bounds (so its Danish message names
    them), the widgets only hint them to the browser."""

    concern_without_case_days = forms.IntegerField(label=_("Bekymringer uden sag (dage)"))
    closed_case_days = forms.IntegerField(label=_("Lukkede sager (dage)"))
    note_days = forms.IntegerField(label=_("Notater (dage)"))
    audit_log_days = forms.IntegerField(label=_("Adgangslog (dage)"))

    def __init__(self, *args: Any, limits: dict[str, tuple[int, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            low, high = limits[name]
            field.help_text = _("Mellem %(low)s og %(high)s dage.") % {"low": low, "high": high}
            field.widget.attrs.update({"min": low, "max": high})


class DeletionLogForm(DkfdsFormMixin, forms.Form):
    record_type = forms.ChoiceField(label=_("Posttype"), required=False)
    date_from = forms.DateField(label=_("Fra"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Til"), required=False, widget=DateInput())

    def __init__(self, *args: Any, record_types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", _("Alle typer")), *record_types]
