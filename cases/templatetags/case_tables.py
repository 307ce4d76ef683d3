"""`{% case_rows %}`: the rows of the case list (templates/cases/partials/case_results.html)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus
from ssp.dates import date_format
from ssp.tables import address_of, labelled_rows

register = template.Library()


@register.simple_tag
def case_rows(cases: Iterable[Case]) -> SafeString:
    """A row per case: the case linked, who or what it is about, its status, the responsible
    body, the coordinator and when it last changed (ssp/tables.py says why not in the
    template)."""
    link = address_of("cases:case_detail")
    statuses = {value: str(label) for value, label in CaseStatus.choices}
    labels = [
        _("Sag"),
        _("Den unge"),
        _("Status"),
        _("Ansvarligt organ"),
        _("Tovholder"),
        _("Senest ændret"),
    ]
    return labelled_rows(
        labels,
        (
            [
                format_html('<a href="{}">{}</a>', link(case.pk), case),
                case.subject_label,
                # Not `get_status_display`: it hashes every choice's lazy label,
                # translating all of them, on each call.
                statuses[case.status],
                case.responsible_body.name,
                (case.coordinator.full_name if case.coordinator else "") or "–",
                date_format(localtime(case.updated_at), "ABBR_DATE_FORMAT"),
            ]
            for case in cases
        ),
    )
