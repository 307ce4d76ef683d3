"""Forms rendered in Det Fælles Designsystem's markup, and the form helpers every app uses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

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
    field_template_name = "forms/dkfds_field.html"


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


class DkfdsFormMixin:
    """Mixin for every form of the project: DKFDS classes and a Danish error summary."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_dkfds_classes(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        add_dkfds_classes(self)  # type: ignore[arg-type]

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
