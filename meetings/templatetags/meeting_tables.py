"""`{% meeting_rows %}`: the rows of templates/meetings/partials/meeting_table.html."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from meetings.models import Meeting
from ssp.dates import date_format
from ssp.tables import address_of, labelled_rows

register = template.Library()


@register.simple_tag
def meeting_rows(meetings: Iterable[Meeting], show_body: bool = False) -> SafeString:
    """A row per meeting: when, the title linked to the meeting (with "Aflyst" when it is
    cancelled), its body if `show_body`, and where (ssp/tables.py says why not in the
    template). Empty when there are no meetings, for the table's own empty row."""
    link = address_of("meetings:meeting_detail")
    cancelled = format_html(' <span class="badge badge-large">{}</span>', _("Aflyst"))
    labels = [_("Tid"), _("Møde"), *([_("Organ")] if show_body else []), _("Sted")]

    def cells(meeting: Meeting) -> list[str]:
        when = "{}–{}".format(
            date_format(localtime(meeting.starts_at), "WEEKDAY_ABBR_DATETIME_FORMAT"),
            date_format(localtime(meeting.ends_at), "H:i"),
        )
        title = format_html(
            '<a href="{}">{}</a>{}',
            link(meeting.pk),
            meeting.title,
            cancelled if meeting.is_cancelled else "",
        )
        body = [meeting.body.name] if show_body else []
        return [when, title, *body, meeting.location or "–"]

    return labelled_rows(labels, (cells(meeting) for meeting in meetings))
