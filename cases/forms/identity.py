"""The consultant's answer to "who is the typed-in young person?" (cases.services.identity)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.identity import SuggestedMatch
from cases.models import YoungPerson
from ssp.forms import DkfdsFormMixin

REGISTER_NEW = "new"


class ResolveYoungPersonForm(DkfdsFormMixin, forms.Form):
    """One click: a button per suggested match (its id) and one to register the young person
    anew; only the matches the consultant was shown are accepted."""

    young_person = forms.ChoiceField(label=_("Hvem er den unge?"))

    def __init__(self, *args: Any, matches: list[SuggestedMatch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matches = {str(match.young_person.pk): match.young_person for match in matches}
        self.fields["young_person"].choices = [
            (REGISTER_NEW, _("Registrér som ny ung")),
            *((pk, person.full_name) for pk, person in self.matches.items()),
        ]

    def chosen(self) -> YoungPerson | None:
        """The registered young person chosen, or None for "register as new"."""
        return self.matches.get(self.cleaned_data["young_person"])
