"""The export form: scope, purpose, the passphrase twice, and for cases a fresh code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from archive import crypto
from ssp.forms import DkfdsFormMixin


class ExportForm(DkfdsFormMixin, forms.Form):
    purpose = forms.CharField(
        label=_("Formål"),
        max_length=300,
        help_text=_("Fx »Overdragelse til ny leverandør« eller »Tilsyn«. Står i adgangsloggen."),
        error_messages={"required": _("Skriv, hvad eksporten skal bruges til.")},
    )
    passphrase = forms.CharField(
        label=_("Adgangsfrase"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Skriv en adgangsfrase.")},
    )
    passphrase_again = forms.CharField(
        label=_("Adgangsfrase igen"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Skriv adgangsfrasen igen.")},
    )

    def __init__(self, *args: Any, may_export_cases: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Made here, in the reader's language: a lazy text formatted at import is Danish.
        self.fields["passphrase"].help_text = _(
            "Personoplysninger i arkivet krypteres med den. Mindst %(n)d tegn, fx fire "
            "tilfældige ord. Den gemmes ingen steder: uden den kan arkivet ikke læses."
        ) % {"n": crypto.PASSPHRASE_MIN_LENGTH}
        if may_export_cases:
            self.fields["include_cases"] = forms.BooleanField(
                label=_("Tag sagerne med (sager, hændelseslog, samtykker, notater og grundlag)"),
                required=False,
                help_text=_(
                    "Kun som den dataansvarliges repræsentant. Eksporten skrives i "
                    "adgangsloggen for hver ung i kommunen."
                ),
            )
            self.fields["code"] = forms.CharField(
                label=_("Kode fra din godkendelsesapp"),
                required=False,
                max_length=6,
                help_text=_("Kræves for at tage sagerne med: den sekscifrede kode lige nu."),
                widget=forms.TextInput(
                    attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
                ),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, again = data.get("passphrase"), data.get("passphrase_again")
        if first and again and first != again:
            self.add_error("passphrase_again", _("De to adgangsfraser er ikke ens."))
        if data.get("include_cases") and not (data.get("code") or "").strip():
            self.add_error(
                "code", _("Skriv koden fra din godkendelsesapp for at tage sagerne med.")
            )
        return data
