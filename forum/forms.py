"""Forms of the organisation pages. They validate input; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, validate_email
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forum import access, grants, selectors
from forum.models import (
    Body,
    BodyKind,
    BodyType,
    Membership,
    MembershipRole,
    Municipality,
    Person,
    PoliceDistrict,
    Unit,
)
from forum.presets import PRESETS
from forum.setup import Invitee
from ssp.forms import DkfdsFormMixin
from ssp.models import Sector, User


class BodyForm(DkfdsFormMixin, forms.ModelForm):
    """A body of the municipality: its type is one of the municipality's own (which sets the
    kind), and where the type spans municipalities, the others of the police district."""

    class Meta:
        model = Body
        fields = (
            "body_type",
            "name",
            "parent",
            "unit",
            "member_municipalities",
            "purpose",
            "meeting_rhythm",
        )
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "member_municipalities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A Kredsråd spans a police district and is maintained in Django admin; ad-hoc
        # groups are formed from their case.
        types = municipality.body_types.exclude(kind__in=(BodyKind.KREDSRAAD, BodyKind.AD_HOC))
        self.fields["body_type"].queryset = types.order_by("name")
        self.fields["body_type"].required = True
        self.fields["body_type"].label = _("Type")
        self.fields["body_type"].label_from_instance = lambda t: (
            f"{t.name} ({t.get_kind_display()})" if t.name != t.get_kind_display() else t.name
        )
        parents = selectors.bodies_of_municipality(municipality)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents.order_by("name")
        self.fields["parent"].required = False
        self.fields["unit"].queryset = municipality.units.order_by("name")
        self.fields["unit"].help_text = _("Kun for skolers SSP-teams: skolen eller afdelingen.")
        others = Municipality.objects.filter(police_district_id=municipality.police_district_id)
        self.fields["member_municipalities"].queryset = others.exclude(pk=municipality.pk)
        self.fields["member_municipalities"].help_text = _(
            "Kun for organtyper, der går på tværs af kommuner: de andre kommuner i "
            "politikredsen, hvis medarbejdere kan være med."
        )
        if not self.fields["member_municipalities"].queryset.exists():
            del self.fields["member_municipalities"]


class UnitForm(DkfdsFormMixin, forms.ModelForm):
    website = forms.URLField(
        label=_("Hjemmeside"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Unit
        fields = (
            "name",
            "code",
            "sector",
            "parent",
            "address",
            "phone",
            "email",
            "website",
            "description",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = municipality.units.order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents

    def validate_unique(self) -> None:
        # Uniqueness spans the municipality, which is not a form field: the service checks it.
        pass


class PersonForm(DkfdsFormMixin, forms.ModelForm):
    with_login = forms.BooleanField(
        label=_("Opret login og send invitation til arbejdsmailen"),
        required=False,
    )
    is_administrator = forms.BooleanField(
        label=_("Administrator af kommunens organisation"),
        required=False,
        help_text=_("Kun med login. Gives, når personen har taget imod invitationen."),
    )
    is_ssp_consultant = forms.BooleanField(
        label=_("SSP-konsulent (læser alle kommunens bekymringer og sager)"),
        required=False,
        help_text=_("Kun med login. Gives, når personen har taget imod invitationen."),
    )

    class Meta:
        model = Person
        fields = (
            "full_name",
            "job_title",
            "sector",
            "unit",
            "email",
            "phone",
            "mobile",
            "private_phone",
            "private_address",
        )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = municipality.units.order_by("name")
        if self.instance.pk:
            # Roles of an existing login change in the administration of users.
            for name in ("with_login", "is_administrator", "is_ssp_consultant"):
                del self.fields[name]
            if self.instance.user_id:
                # The work email is the login: it changes through the administrator of users.
                self.fields["email"].disabled = True

    def validate_unique(self) -> None:
        pass

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        roles = data.get("is_administrator") or data.get("is_ssp_consultant")
        if roles and not data.get("with_login"):
            self.add_error("with_login", _("Roller kræver et login: sæt hak her."))
        return data


class MembershipAddForm(DkfdsFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Rolle"), choices=MembershipRole.choices, initial="member")

    def __init__(
        self,
        *args: Any,
        body: Body,
        by: User,
        roles: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if roles is not None:
            # A chair's choice (`forum.delegation.chair_roles`); the service checks it anyway.
            self.fields["role"].choices = roles
        if body.municipality_id:
            # A body spanning other municipalities seats their people too.
            candidates = Person.objects.filter(
                Q(municipality_id=body.municipality_id)
                | Q(municipality__in=body.member_municipalities.values("pk"))
            )
        else:
            candidates = Person.objects.filter(
                municipality__police_district_id=body.police_district_id
            )
        self._body = body
        self._own_people = Person.objects.none()
        if access.body_reads_cases(body, unread_by=by):
            # Nobody seats themselves where members read cases (`forum.grants`): not offered.
            self._own_people = candidates.filter(user=by)
            candidates = candidates.exclude(user=by)
        self.fields["person"].queryset = (
            candidates.exclude(memberships__body=body).select_related("unit").order_by("full_name")
        )
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.full_name} ({p.unit})" if p.unit_id else p.full_name
        )
        self.fields["person"].error_messages["invalid_choice"] = _(
            "Vælg en person fra listen. Personen er måske allerede medlem."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        posted = str(self.data.get("person", ""))
        if "person" in self.errors and posted.isdigit() and self._own_people.filter(pk=posted):
            # Oneself, posted anyway: say why, as the service would.
            self.errors["person"] = self.error_class([grants.self_seat_refusal(self._body)])
        return cleaned


class PersonForBodyForm(DkfdsFormMixin, forms.ModelForm):
    """A new external contact (no login) for one body's directory entry: work details only."""

    role = forms.ChoiceField(label=_("Rolle i organet"), choices=MembershipRole.choices)

    class Meta:
        model = Person
        fields = ("full_name", "job_title", "sector", "unit", "email", "phone")

    def __init__(self, *args: Any, body: Body, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            municipality_id=body.municipality_id
        ).order_by("name")
        self.fields["role"].choices = [(r, MembershipRole(r).label) for r in roles]
        self.fields["role"].initial = MembershipRole.MEMBER

    def validate_unique(self) -> None:
        pass


class MembershipRoleForm(DkfdsFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("role",)


class DirectorySearchForm(DkfdsFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Søg på navn, stilling, enhed eller e-mail"), required=False, max_length=100
    )
    sector = forms.ChoiceField(
        label=_("Sektor"), required=False, choices=[("", _("Alle sektorer")), *Sector.choices]
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        required=False,
        queryset=Municipality.objects.none(),
        empty_label=_("Alle mine kommuner"),
    )

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})


class AgeBandsForm(DkfdsFormMixin, forms.ModelForm):
    """The municipality's age bands for SSP and SSP+, used by the statistics."""

    class Meta:
        model = Municipality
        fields = ("ssp_age_limit", "ssp_plus_age_limit")
        help_texts = {
            "ssp_age_limit": _("Fx 17: SSP arbejder med børn og unge til og med 17 år."),
            "ssp_plus_age_limit": _("Fx 25: SSP+ arbejder med unge fra 18 til og med 25 år."),
        }


def _invitees(text: str) -> list[Invitee]:
    """One person a line: "Navn, e-mail" (or just the e-mail). Every bad line is named."""
    invitees, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        full_name, _sep, email = line.rpartition(",")
        email = email.strip().strip("<>").strip()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Linje %(line)s: »%(value)s« er ikke en e-mailadresse.")
                % {"line": number, "value": line}
            )
            continue
        invitees.append(Invitee(full_name=full_name.strip(), email=email.lower()))
    if errors:
        errors.append(_("Skriv én person på hver linje, fx »Karen Hansen, karen@kommune.dk«."))
        raise ValidationError(errors)
    return invitees


class MunicipalitySetUpForm(DkfdsFormMixin, forms.Form):
    """The platform operator's first-run set-up of a municipality (`forum.setup`)."""

    name = forms.CharField(label=_("Kommunens navn"), max_length=120)
    code = forms.CharField(
        label=_("Kommunekode"),
        max_length=3,
        validators=[RegexValidator(r"^[0-9]{3}$", _("Kommunekoden er tre cifre, fx 161."))],
        help_text=_("Tre cifre, fx 259 for Køge."),
    )
    police_district = forms.ModelChoiceField(
        label=_("Politikreds"),
        queryset=PoliceDistrict.objects.order_by("name"),
        required=False,
        empty_label=_("Ny politikreds (skriv navnet herunder)"),
    )
    new_police_district = forms.CharField(
        label=_("Ny politikreds"),
        max_length=120,
        required=False,
        help_text=_(
            "Kun hvis politikredsen ikke står på listen, fx »Midt- og Vestsjællands Politi«."
        ),
    )
    preset = forms.ChoiceField(
        label=_("Skabelon for organisationen"),
        choices=[(key, preset.label) for key, preset in PRESETS.items()],
        widget=forms.RadioSelect,
        help_text=_(
            "Organtyper, de faste organer, mødeår og aldersgrupper; alt kan ændres bagefter."
        ),
    )
    consultants = forms.CharField(
        label=_("SSP-konsulenter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Én person på hver linje: navn, e-mail. De får en invitation på mail."),
    )
    administrators = forms.CharField(
        label=_("Administratorer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Én person på hver linje: navn, e-mail. De får en invitation på mail."),
    )

    def clean_consultants(self) -> list[Invitee]:
        return _invitees(self.cleaned_data["consultants"])

    def clean_administrators(self) -> list[Invitee]:
        return _invitees(self.cleaned_data["administrators"])


class EntryCorrectionForm(DkfdsFormMixin, forms.Form):
    """An actor's proposed corrections to their own work contact details (no login needed)."""

    full_name = forms.CharField(label=_("Navn"), max_length=200)
    job_title = forms.CharField(label=_("Stilling"), max_length=200, required=False)
    email = forms.EmailField(label=_("Arbejdsmail"), required=False)
    phone = forms.CharField(
        label=_("Arbejdstelefon"),
        max_length=20,
        required=False,
        help_text=_("Dit arbejdsnummer. Private numre hører ikke hjemme i handlekortet."),
    )
    note = forms.CharField(
        label=_("Andet, der skal rettes"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Fx at du har skiftet enhed eller ikke længere er med i et af organerne."),
    )

    def __init__(self, *args: Any, person: Person, fields: tuple[str, ...], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {name: getattr(person, name) for name in ("full_name", "job_title", "email", "phone")},
        )
        super().__init__(*args, **kwargs)
        if "email" not in fields:
            # A login's work email is the login itself; the administrator changes it.
            del self.fields["email"]


class BodyTypeForm(DkfdsFormMixin, forms.ModelForm):
    """A municipality's body type (`forum.bodytypes` checks the combinations and what the
    type's bodies already rule out)."""

    class Meta:
        model = BodyType
        fields = (
            "name",
            "kind",
            "description",
            "meeting_rhythm",
            "max_per_municipality",
            "may_handle_cases",
            "spans_municipalities",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "kind": _(
                "Bestemmer reglerne for organerne: hvor de kan placeres, og hvem der kan "
                "sidde i dem."
            ),
            "may_handle_cases": _(
                "Sager om konkrete unge kan oprettes under organer af typen. Medlemmerne fra "
                "skole, socialforvaltning og SSP-sekretariatet kan da læse organets sager, og "
                "hver ny plads i organet bliver logget og meddelt SSP-konsulenterne."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A Kredsråd belongs to the police district; ad-hoc groups are made by their cases.
        kind = self.fields["kind"]
        current = self.instance.kind if self.instance.pk else None
        kind.choices = [
            (value, label)
            for value, label in kind.choices
            if value not in (BodyKind.KREDSRAAD, BodyKind.AD_HOC) or value == current
        ]
