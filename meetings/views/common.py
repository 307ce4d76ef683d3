"""Helpers the meeting views share: the meeting or body the user manages, and the trail."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from forum.models import Body
from forum.permissions import body_for_user_or_404
from meetings import permissions
from meetings.models import (
    AgendaItem,
    Meeting,
)
from ssp.audit import audit_shown
from ssp.views.helpers import require


def meetings_trail(*steps: tuple[object, str]) -> list[tuple[object, str]]:
    """The breadcrumbs above a meetings page: "Møder", then `steps` as `(label, url)`."""
    return [(_("Møder"), reverse("meetings:my_meetings")), *steps]


def organised_body(request: HttpRequest, body_id: int) -> Body:
    """A body the user plans meetings for: 404 if they cannot see it, 403 if they see it but
    do not organise its meetings."""
    body = body_for_user_or_404(request.user, body_id)
    require(permissions.can_organise(request.user, body))
    return body


def managed_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = permissions.meeting_for_user_or_404(request.user, pk)
    require(permissions.can_manage_meeting(request.user, meeting))
    return meeting


def agenda_item(request: HttpRequest, pk: int, item_id: int) -> tuple[Meeting, AgendaItem]:
    meeting = managed_meeting(request, pk)
    return meeting, get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)


def run_on_open_meeting(request: HttpRequest, change: Callable[[], object]) -> bool:
    """Run a one-click change; a refusal (e.g. the meeting was cancelled) becomes a message."""
    try:
        change()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    return True


def log_case_items(request: HttpRequest, meeting: Meeting, items: list[AgendaItem]) -> None:
    """A page (or PDF) that shows agenda items about cases names their young people: one
    access-log row per municipality names every one the reader was shown. Items the reader
    may not see are redacted (no case) and so are not counted."""
    audit_shown(
        user=request.user,
        obj=meeting,
        shown=[
            (item.case.municipality_id, item.case.young_person_id)
            for item in items
            if item.case is not None
        ],
        purpose=_("Dagsorden: %(meeting)s") % {"meeting": meeting.title},
    )
