"""The access log for administrators: search per user and per young person, export as CSV.

Administrators see the log of the municipalities they administer, never the case content.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import permissions
from cases.forms import AuditSearchForm
from ssp.audit import audit_log
from ssp.exports import csv_streaming_response
from ssp.models import AuditAction, AuditEvent

AUDIT_PAGE_SIZE = 50


def _events(request: HttpRequest, form: AuditSearchForm) -> QuerySet[AuditEvent]:
    municipality_ids = permissions.audit_scope_or_404(request.user)
    events = AuditEvent.objects.filter(municipality_id__in=municipality_ids)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["user"]:
            events = events.filter(user_email__iexact=data["user"].strip())
        if data["subject"]:
            events = events.filter(subject_id=data["subject"])
        if data["date_from"]:
            events = events.filter(
                at__gte=timezone.make_aware(datetime.combine(data["date_from"], time.min))
            )
        if data["date_to"]:
            events = events.filter(
                at__lte=timezone.make_aware(datetime.combine(data["date_to"], time.max))
            )
    return events.order_by("-at", "-id")


@login_required
def audit_search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    events = _events(request, form)
    page_obj = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page_obj": page_obj, "querystring": query.urlencode()}
    return render(request, "cases/audit_search.html", context, status=422 if form.errors else 200)


@login_required
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered log as CSV, streamed, for an insight request (indsigtsanmodning)."""
    form = AuditSearchForm(request.GET or None)
    events = _events(request, form)
    audit_log(
        user=request.user,
        action=AuditAction.EXPORT,
        object_type="ssp.auditevent",
        subject_id=form.cleaned_data.get("subject") if form.is_valid() else None,
        purpose=_("Udtræk af adgangslog"),
    )
    header = [
        _("Tidspunkt"),
        _("Bruger"),
        _("Handling"),
        _("Objekttype"),
        _("Objekt-id"),
        _("Den unges id"),
        _("Formål"),
        _("IP-adresse"),
        _("Adresse"),
    ]
    rows = (
        [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            event.user_email,
            event.get_action_display(),
            event.object_type,
            event.object_id,
            event.subject_id or "",
            event.purpose,
            event.ip_address or "",
            event.path,
        ]
        for event in events.iterator(chunk_size=2000)
    )
    return csv_streaming_response(filename="adgangslog.csv", header=header, rows=rows)
