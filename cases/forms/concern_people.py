"""The concern form's "more young people": a reporter names more than one young person.

A formset of its own beside `ConcernForm`, so the form itself stays as it is: each filled row
is a young person typed as on the form (name, and if known birth date, CPR number and school);
blank rows are ignored. The service keeps each row as typed (never matched for the reporter)
and, with more than one young person, makes the concern one about a group
(`cases.services.concern_submit`).

Most concerns are about one young person, so the rows are not on the blank form: opening "more
young people" fetches them (HTMX); without JavaScript its button (named `SHOW`) sends the form
back to be shown again with them, nothing saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from cases.forms.common import DateInput, read_once
from cases.services import ReportedIdentity
from forum.models import Municipality, Unit
from ssp.forms import DkfdsFormMixin

PREFIX = "andre"
# The name of the button that asks for the rows without JavaScript.
SHOW = f"{PREFIX}-vis"
# Rows offered; a group of more is described in words.
BLANK_ROWS = 3
MAX_ROWS = 20


class OtherYoungPersonForm(DkfdsFormMixin, forms.Form):
    full_name = forms.CharField(label=_("navn"), max_length=200, required=False)
    birth_date = forms.DateField(label=_("fødselsdato"), required=False, widget=DateInput())
    cpr_number = forms.CharField(
        label=_("CPR-nummer"),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    school = forms.ModelChoiceField(label=_("skole"), queryset=Unit.objects.none(), required=False)

    def __init__(
        self,
        *args: Any,
        municipality: Municipality | None = None,
        shared: dict[str, Any] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        # Each row's labels say whose they are (the form's own young person is number 1), so
        # no two fields on the page share a label.
        index = (self.prefix or "").rsplit("-", 1)[-1]
        number = int(index) + 2 if index.isdigit() else ""
        for field in self.fields.values():
            field.label = _("Ung nr. %(number)s: %(field)s") % {
                "number": number,
                "field": field.label,
            }
        # The rows offer the same schools as the form: composed and read once for all rows,
        # not once a row.
        shared = {} if shared is None else shared
        if "schools" not in shared:
            shared["schools"] = (
                municipality.units.filter(sector="school").order_by("name")
                if municipality
                else Unit.objects.none()
            )
        school = self.fields["school"]
        school.queryset = shared["schools"]
        if "school_choices" not in shared:
            shared["school_choices"] = read_once(school)
        school.choices = shared["school_choices"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = any(data.get(name) for name in ("birth_date", "cpr_number", "school"))
        if filled and not (data.get("full_name") or "").strip():
            self.add_error("full_name", _("Skriv den unges navn, eller tøm rækken."))
        return data


_BaseFormSet = formset_factory(
    OtherYoungPersonForm, extra=BLANK_ROWS, max_num=MAX_ROWS, validate_max=True
)


class OtherYoungPeopleFormSet(_BaseFormSet):  # type: ignore[misc, valid-type]
    show_button = SHOW

    def __init__(
        self,
        data: Any = None,
        *,
        municipality: Municipality | None,
        schools: Callable[[], list] | None = None,
        **kwargs: Any,
    ) -> None:
        """`schools`: the concern form's school options (`ConcernForm.school_choices`), which
        the rows then offer without reading them again."""
        shared = {"school_choices": schools} if schools is not None else {}
        super().__init__(
            data,
            prefix=PREFIX,
            form_kwargs={"municipality": municipality, "shared": shared},
            **kwargs,
        )

    @classmethod
    def from_post(
        cls,
        data: Any,
        *,
        municipality: Municipality | None,
        schools: Callable[[], list] | None = None,
    ) -> OtherYoungPeopleFormSet:
        """Bound to a submission that has the rows, else unbound (no rows: a client or an
        older page that posts the concern form alone names one young person, as before)."""
        has_rows = data is not None and f"{PREFIX}-TOTAL_FORMS" in data
        return cls(data if has_rows else None, municipality=municipality, schools=schools)

    @staticmethod
    def asked_for(data: Any) -> bool:
        """Whether a submission only asks for the rows (the section's button, without
        JavaScript): the form is then shown again with them, not sent."""
        return data is not None and SHOW in data

    def young_people(self) -> list[ReportedIdentity]:
        """The filled rows, in order, for the service."""
        if not self.is_bound:
            return []
        return [
            ReportedIdentity(
                full_name=row["full_name"],
                birth_date=row.get("birth_date"),
                cpr_number=row.get("cpr_number", ""),
                school=row.get("school"),
            )
            for row in (form.cleaned_data for form in self.forms)
            if row.get("full_name", "").strip()
        ]
