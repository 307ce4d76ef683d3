"""Forms of the consultant's side after a concern is in: correcting it, joining it to a case,
merging two records of one young person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases import permissions, selectors
from cases.forms.common import DateInput
from cases.models import Case, Concern, ConcernCategory, YoungPerson
from ssp.forms import DkfdsFormMixin
from ssp.models import User


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Case) -> str:
        return _("%(case)s (%(status)s, oprettet %(opened)s)") % {
            "case": obj,
            "status": obj.get_status_display(),
            "opened": date_format(timezone.localtime(obj.opened_at), "ABBR_DATE_FORMAT"),
        }


class ConcernCorrectionForm(DkfdsFormMixin, forms.Form):
    """Category, date and young person of a concern, and why they change. The young person is
    chosen among those the user may see (the current one, suspected duplicates, a search)."""

    category = forms.ModelChoiceField(
        label=_("Kategori"), queryset=ConcernCategory.objects.none(), empty_label=None
    )
    observed_on = forms.DateField(label=_("Hvornår"), widget=DateInput())
    young_person = forms.ModelChoiceField(
        label=_("Den unge"),
        queryset=YoungPerson.objects.none(),
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Begrundelse"),
        max_length=500,
        help_text=_("Rettelsen vises med den gamle og den nye værdi; det oprindelige bevares."),
    )

    def __init__(self, *args: Any, user: User, concern: Concern, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "category": concern.category_id,
                "observed_on": concern.observed_on,
                "young_person": concern.young_person_id,
            },
        )
        super().__init__(*args, **kwargs)
        categories = ConcernCategory.objects.filter(municipality_id=concern.municipality_id)
        self.fields["category"].queryset = categories.filter(
            Q(pk__in=selectors.categories_for(concern.municipality).values("pk"))
            | Q(pk=concern.category_id)
        )
        if concern.young_person_id is None or (
            # The author of a typed-in young person is never shown whom it was settled to be.
            concern.has_reported_identity
            and concern.author_id == user.pk
            and not permissions.can_triage(user, concern.municipality_id)
        ):
            del self.fields["young_person"]
        elif self.is_bound and self.data.get("young_person"):
            # Checked against the ids the user may see only when a submission names one.
            self.fields["young_person"].queryset = permissions.young_people_visible_to(user).filter(
                municipality_id=concern.municipality_id
            )


class CaseAttachForm(DkfdsFormMixin, forms.Form):
    """Join a routed or closed concern to a case about its young person."""

    case = CaseChoiceField(label=_("Sag"), queryset=Case.objects.none(), empty_label=None)
    reason = forms.CharField(label=_("Begrundelse"), max_length=500)

    def __init__(self, *args: Any, user: User, concern: Concern, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = permissions.cases_visible_to(user).filter(
            municipality_id=concern.municipality_id, young_person_id=concern.young_person_id
        )


class MergeForm(DkfdsFormMixin, forms.Form):
    """Which of two records of one young person stays, and why they are one."""

    keep = forms.TypedChoiceField(
        label=_("Hvilken post skal blive?"), coerce=int, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Begrundelse"),
        max_length=500,
        help_text=_("Fx »Samme navn, fødselsdato og skole; bekræftet af skolen«."),
    )

    def __init__(self, *args: Any, people: tuple[YoungPerson, YoungPerson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (
                person.pk,
                _("%(name)s (nr. %(number)s)") % {"name": person.full_name, "number": person.pk},
            )
            for person in people
        ]
