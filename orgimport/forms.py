from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from orgimport.models import ImportKind
from orgimport.reading import MAX_BYTES
from ssp.forms import DkfdsFormMixin


class ImportUploadForm(DkfdsFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Regneark eller CSV-fil"),
        help_text=_("Excel-projektmappe (.xlsx) med arkene fra skabelonen, eller én CSV-fil."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
    kind = forms.ChoiceField(
        label=_("Filen indeholder"),
        choices=[
            (
                ImportKind.WORKBOOK,
                _(
                    "Et regneark med ét eller flere ark (eller en CSV-fil, som "
                    "overskrifterne afgør)"
                ),
            ),
            (ImportKind.UNITS, _("Enheder (CSV)")),
            (ImportKind.PEOPLE, _("Personer (CSV)")),
            (ImportKind.MEMBERSHIPS, _("Medlemskaber og SSP-teams (CSV)")),
        ],
        initial=ImportKind.WORKBOOK,
        widget=forms.RadioSelect,
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Filen er for stor. Den må højst fylde 5 MB."))
        return upload
