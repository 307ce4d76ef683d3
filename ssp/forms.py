"""Forms rendered in Det Fælles Designsystem's markup, and the form helpers every app uses."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorDict
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ssp.field_rendering import FIELD_TEMPLATE
from ssp.widget_rendering import render_in_python

_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "form-checkbox"),
    (forms.RadioSelect, "form-radio"),
    (forms.CheckboxInput, "form-checkbox"),
    (forms.Select, "form-select"),
    (forms.Textarea, "form-input"),
    (forms.widgets.Input, "form-input"),
]


class DkfdsFormRenderer(TemplatesSetting):
    """Render every form and field with the DKFDS templates in templates/forms/."""

    form_template_name = "forms/dkfds_form.html"
    field_template_name = FIELD_TEMPLATE

    def render(self, template_name: str, context: Any, request: Any = None) -> str:
        # The stock widget templates (an input, a select and its options, a radio button)
        # and the DKFDS field template are written in Python with the same bytes: a long
        # choice list is otherwise a few template includes per option, and a form some
        # thirty field templates (ssp/widget_rendering.py, ssp/field_rendering.py).
        html = render_in_python(template_name, context)
        if html is not None:
            return html
        return super().render(template_name, context, request)


def add_dkfds_classes(form: forms.BaseForm) -> None:
    """Give each widget the DKFDS class for its kind, and tell assistive tech about errors."""
    for name, field in form.fields.items():
        widget = field.widget
        for widget_class, css_class in _WIDGET_CLASSES:
            if isinstance(widget, widget_class):
                existing = widget.attrs.get("class", "")
                if css_class not in existing.split():
                    widget.attrs["class"] = f"{existing} {css_class}".strip()
                break
        # Read errors only once validation ran: `form.errors` would validate the form now,
        # before a subclass's __init__ has finished setting up its fields.
        if form._errors and name in form._errors:
            auto_id = form[name].auto_id
            described_by = [f"{auto_id}_helptext"] if field.help_text else []
            described_by.append(f"{auto_id}-error")
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = " ".join(described_by)


class _OneStatementChoiceIterator(forms.models.ModelChoiceIterator):
    """A model choice list read with one plain SELECT. Django's reads it with
    `QuerySet.iterator()`, which on PostgreSQL is a server-side cursor: DECLARE, FETCH and
    CLOSE, three round trips per select or radio list on every render, for lists that are
    rendered whole anyway."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


def load_choices_in_one_statement(form: forms.BaseForm) -> None:
    """Read the form's model choice lists with one statement each (a queryset set later,
    as forms do in __init__, keeps the iterator: the field asks `self.iterator` anew)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and (
            field.iterator is forms.models.ModelChoiceIterator
        ):
            field.iterator = _OneStatementChoiceIterator
            field.widget.choices = field.choices


# Dates a form takes unless it says otherwise (`date_ranges`): wide enough for any birth
# date or record, narrow enough that a typo such as year 9999 never reaches the time zone
# arithmetic, the calendar or the database, where it would end in a 500.
DEFAULT_DATE_RANGE = (date(1900, 1, 1), date(2100, 12, 31))
# For what is planned or happens now (meetings, deadlines, follow-ups): never last century.
PLANNING_DATE_RANGE = (date(2000, 1, 1), date(2100, 12, 31))
_LINE_BREAKS = ("\r", "\n")


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, UploadedFile):
        return "\x00" in (value.name or "")
    if isinstance(value, list | tuple):
        return any(_holds_nul(part) for part in value)
    return False


def without_nul(text: str) -> str:
    """Search text read without a form (a live lookup): a NUL byte would make PostgreSQL
    refuse the query, and no name holds one, so it is dropped rather than answered."""
    return text.replace("\x00", "")


def refuse_line_breaks(value: Any) -> None:
    """A one-line field (a title, a place, a name) ends up in mail headers, calendar lines
    and one-line layouts: a line break there is never meant and breaks them."""
    if isinstance(value, str) and any(mark in value for mark in _LINE_BREAKS):
        raise ValidationError(
            _("Feltet skal stå på én linje. Fjern linjeskiftet."), code="line_break"
        )


class DateRangeValidator:
    """Refuse a date outside the range the field takes, naming the range."""

    def __init__(self, earliest: date, latest: date) -> None:
        self.earliest, self.latest = earliest, latest

    def __call__(self, value: Any) -> None:
        if isinstance(value, date) and not self.earliest <= value <= self.latest:
            raise ValidationError(
                _("Skriv en dato fra %(earliest)s til %(latest)s."),
                code="date_out_of_range",
                params={
                    "earliest": date_format(self.earliest, "SHORT_DATE_FORMAT"),
                    "latest": date_format(self.latest, "SHORT_DATE_FORMAT"),
                },
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRangeValidator) and (self.earliest, self.latest) == (
            other.earliest,
            other.latest,
        )


def add_input_rules(form: forms.BaseForm, date_ranges: dict[str, tuple[date, date]]) -> None:
    """The rules every field of the project keeps whatever its form: one-line text without
    line breaks, and dates within a sane range (also told to the browser's date picker)."""
    for name, field in form.fields.items():
        if isinstance(field, forms.DateField):
            earliest, latest = date_ranges.get(name, DEFAULT_DATE_RANGE)
            field.validators.append(DateRangeValidator(earliest, latest))
            field.widget.attrs.setdefault("min", earliest.isoformat())
            field.widget.attrs.setdefault("max", latest.isoformat())
        elif isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea):
            field.validators.append(refuse_line_breaks)


class DkfdsFormMixin:
    """Mixin for every form of the project: DKFDS classes, a Danish error summary, and the
    input rules no form may forget (no NUL byte, no line break in one-line text, sane dates).

    `date_ranges` names a field's (earliest, latest) when DEFAULT_DATE_RANGE does not fit it.
    """

    date_ranges: dict[str, tuple[date, date]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_input_rules(self, self.date_ranges)  # type: ignore[arg-type]
        add_dkfds_classes(self)  # type: ignore[arg-type]
        load_choices_in_one_statement(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        # PostgreSQL refuses NUL in text, so a NUL byte reaching a query (a choice looked up
        # by name, a search, a save) would be a 500. No keyboard types one: refuse the form
        # before any field is cleaned, at the fields that hold it, with the input kept.
        with_nul = self._fields_with_nul()
        if with_nul:
            self._errors = ErrorDict()
            self.cleaned_data: dict[str, Any] = {}
            for name in with_nul:
                self.add_error(  # type: ignore[attr-defined]
                    name,
                    ValidationError(
                        _("Feltet indeholder et nul-tegn, som ikke kan gemmes. Fjern det."),
                        code="null_characters_not_allowed",
                    ),
                )
        else:
            super().full_clean()  # type: ignore[misc]
        add_dkfds_classes(self)  # type: ignore[arg-type]

    def _fields_with_nul(self) -> list[str]:
        if not self.is_bound:  # type: ignore[attr-defined]
            return []
        return [
            name
            for name, field in self.fields.items()  # type: ignore[attr-defined]
            if not field.disabled
            and _holds_nul(
                field.widget.value_from_datadict(
                    self.data,  # type: ignore[attr-defined]
                    self.files,  # type: ignore[attr-defined]
                    self.add_prefix(name),  # type: ignore[attr-defined]
                )
            )
        ]

    def get_context(self) -> dict[str, Any]:
        context = super().get_context()  # type: ignore[misc]
        # Django passes only the non-field errors as `errors`; the error summary lists every
        # error, so it must show when only a field has one.
        context["errors"] = self.errors  # type: ignore[attr-defined]
        return context

    def add_service_error(self, error: ValidationError) -> None:
        """Attach a service's ValidationError to the fields it names, or to the form."""
        if hasattr(error, "error_dict"):
            for field, messages in error.error_dict.items():
                target = field if field in self.fields else None  # type: ignore[attr-defined]
                for message in messages:
                    self.add_error(target, message)  # type: ignore[attr-defined]
        else:
            self.add_error(None, error)  # type: ignore[attr-defined]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class LoginForm(DkfdsFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "E-mail eller adgangskode er forkert. Bemærk, at kontoen spærres efter "
            "gentagne forkerte forsøg."
        ),
        "inactive": _("Kontoen er deaktiveret. Kontakt din administrator."),
    }


class PasswordResetForm(DkfdsFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class SetPasswordForm(DkfdsFormMixin, auth_forms.SetPasswordForm):
    pass


class SecondFactorForm(DkfdsFormMixin, forms.Form):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Kode"),
        max_length=20,
        help_text=_(
            "Den sekscifrede kode fra din godkendelsesapp – eller en af dine "
            "gendannelseskoder, hvis du ikke har telefonen ved hånden."
        ),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
        error_messages={"required": _("Skriv koden.")},
    )


class EmailCodeForm(DkfdsFormMixin, forms.Form):
    """Before setting up the app: the code emailed to the user's work address."""

    code = forms.RegexField(
        label=_("Kode fra e-mailen"),
        regex=r"^\s*\d{4}[\s-]?\d{4}\s*$",
        max_length=12,
        help_text=_("Otte cifre. Kig også i uønsket post, hvis e-mailen ikke er kommet."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={
            "required": _("Skriv koden fra e-mailen."),
            "invalid": _("Koden fra e-mailen består af otte cifre."),
        },
    )


def _app_code_field(*, help_text: str, autofocus: bool) -> forms.RegexField:
    """The six digits the authenticator app shows now."""
    attrs = {"autocomplete": "one-time-code", "inputmode": "numeric"}
    if autofocus:
        attrs["autofocus"] = True
    return forms.RegexField(
        label=_("Kode fra appen"),
        regex=r"^\s*\d{3}[\s-]?\d{3}\s*$",
        max_length=10,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
        error_messages={
            "required": _("Skriv koden fra appen."),
            "invalid": _("Koden består af seks cifre."),
        },
    )


class AuthenticatorSetupForm(DkfdsFormMixin, forms.Form):
    """Setting up the authenticator app: the first code it shows confirms it."""

    code = _app_code_field(help_text=_("De seks cifre, appen viser lige nu."), autofocus=True)


class RecoveryCodesForm(DkfdsFormMixin, forms.Form):
    """New recovery codes: a code from the app first, so a session left open on a shared
    computer cannot make codes that sign in without the phone."""

    code = _app_code_field(
        help_text=_("De seks cifre, din godkendelsesapp viser lige nu."), autofocus=False
    )


MEETING_OFFSET_CHOICES = [
    (7 * 24 * 60, _("En uge før")),
    (2 * 24 * 60, _("To dage før")),
    (24 * 60, _("Dagen før")),
    (2 * 60, _("To timer før")),
    (30, _("En halv time før")),
]


class ReminderSettingsForm(DkfdsFormMixin, forms.Form):
    meeting_offsets = forms.TypedMultipleChoiceField(
        label=_("Påmind mig om møder"),
        choices=MEETING_OFFSET_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vælg ingen for ikke at få påmindelser om møder."),
    )
    quiet_from = forms.TimeField(label=_("Ingen påmindelser fra kl."), widget=TimeInput())
    quiet_until = forms.TimeField(
        label=_("til kl."),
        widget=TimeInput(),
        help_text=_("Påmindelser i tidsrummet venter til morgenen, dog aldrig til efter mødet."),
    )
    daily_digest = forms.BooleanField(
        label=_("Saml mine påmindelser i én e-mail om morgenen"), required=False
    )
