"""The access log: search per user and per young person (by name, CPR or case number), export
as CSV.

Two roles read it, each for the municipalities that are theirs: the administrators (the
data-protection officer's role), who read who saw what, never the case content; and the SSP
consultants, who answer for the municipality's SSP cases. A search by name, CPR or case number
is resolved to the young people it means within those municipalities, and finds both the rows
about one of them (`subject_id`) and the lists and searches that showed them
(`shown_subjects`). The consultant sees whom the search found by name and CPR number; an
administrator sees their id and case numbers only, and the search terms people typed (which
may name a young person) are shown to the consultant only; an administrator sees that a search
was made and whom it showed. Searching and exporting the log are themselves logged.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import permissions, selectors
from cases.forms import AuditSearchForm
from cases.models import YoungPerson
from ssp.audit import audit_shown
from ssp.exports import csv_streaming_response
from ssp.models import AuditAction, AuditEvent

AUDIT_PAGE_SIZE = 50
# The shown young people listed in a row of the page; the CSV has them all.
SHOWN_ON_PAGE = 10


def _search_term_as_seen(event: AuditEvent, readable: set[int]) -> str:
    """The term as this reader may see it: in the clear for the consultant of the row's
    municipality, withheld from an administrator, who reads who saw what, not names."""
    if not event.search_term or event.municipality_id in readable:
        return event.search_term
    return _("(skjult for administratorer)")


def _subjects(form: AuditSearchForm, scope: list[int]) -> list[YoungPerson] | None:
    """The young people the search is about, or None when it names none."""
    if not form.is_bound or not form.is_valid():
        return None
    query, subject = form.cleaned_data["young_person"], form.cleaned_data["subject"]
    if not query.strip() and subject is None:
        return None
    return selectors.audit_subjects(municipality_ids=scope, query=query, young_person_id=subject)


def _events(
    form: AuditSearchForm, scope: list[int], subjects: list[YoungPerson] | None
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(municipality_id__in=scope)
    if not form.is_bound or not form.is_valid():
        return events.order_by("-at", "-id")
    data = form.cleaned_data
    if subjects is not None:
        ids = [person.pk for person in subjects]
        if not data["young_person"].strip():
            # An id finds the log of a young person who has since been erased, too.
            ids = [data["subject"]]
        events = events.filter(Q(subject_id__in=ids) | Q(shown_subjects__overlap=ids))
    if data["user"]:
        events = events.filter(user_email__iexact=data["user"].strip())
    if data["date_from"]:
        events = events.filter(
            at__gte=timezone.make_aware(datetime.combine(data["date_from"], time.min))
        )
    if data["date_to"]:
        events = events.filter(
            at__lte=timezone.make_aware(datetime.combine(data["date_to"], time.max))
        )
    return events.order_by("-at", "-id")


def _search_term(form: AuditSearchForm) -> str:
    if not form.is_bound or not form.is_valid():
        return ""
    data = form.cleaned_data
    return data["young_person"].strip() or (str(data["subject"]) if data["subject"] else "")


def _log(
    request: HttpRequest,
    action: AuditAction,
    form: AuditSearchForm,
    subjects: list[YoungPerson] | None,
    scope: list[int],
    purpose: str,
) -> list[AuditEvent]:
    """The search or export of the log, under the municipalities of the young people it
    found, or every municipality searched when it names none."""
    shown: list[tuple[int | None, int | None]] = [
        (person.municipality_id, person.pk) for person in subjects or ()
    ]
    subject = form.cleaned_data["subject"] if form.is_bound and form.is_valid() else None
    if not shown and subject is not None:
        # An id that no longer names anyone (erased): recorded under every municipality.
        shown = [(municipality_id, subject) for municipality_id in scope]
    if not shown and action == AuditAction.EXPORT:
        # An export of the whole log is logged whatever it holds.
        shown = [(municipality_id, None) for municipality_id in scope]
    return audit_shown(
        user=request.user,
        action=action,
        object_type="ssp.auditevent",
        shown=shown,
        search_term=_search_term(form),
        purpose=purpose,
        searched_in=lambda: scope,
    )


@login_required
def audit_search(request: HttpRequest) -> HttpResponse:
    scope = permissions.audit_scope_or_404(request.user)
    form = AuditSearchForm(request.GET or None)
    subjects = _subjects(form, scope)
    page_obj = Paginator(_events(form, scope, subjects), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Read before the search is logged, so the page shows the log as it was searched.
    page_obj.object_list = list(page_obj.object_list)
    if form.is_bound and form.is_valid() and any(form.cleaned_data.values()):
        _log(request, AuditAction.SEARCH, form, subjects, scope, _("Søgning i adgangslog"))
    readable = permissions.audit_readers_of_content(request.user, scope)
    for event in page_obj.object_list:
        event.search_term_as_seen = _search_term_as_seen(event, readable)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page_obj,
        "querystring": query.urlencode(),
        "subjects": subjects,
        # Whom the search found, as the reader may see them: a consultant by name and CPR
        # number, an administrator by id and case numbers.
        "named_subjects": [p for p in subjects or () if p.municipality_id in readable],
        "numbered_subjects": [p for p in subjects or () if p.municipality_id not in readable],
        "shown_on_page": SHOWN_ON_PAGE,
    }
    return render(request, "cases/audit_search.html", context, status=422 if form.errors else 200)


@login_required
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered log as CSV, streamed, for an insight request (indsigtsanmodning)."""
    scope = permissions.audit_scope_or_404(request.user)
    form = AuditSearchForm(request.GET or None)
    subjects = _subjects(form, scope)
    logged = _log(request, AuditAction.EXPORT, form, subjects, scope, _("Udtræk af adgangslog"))
    # The export is read after it is logged: it leaves out its own row.
    events = _events(form, scope, subjects).exclude(pk__in=[event.pk for event in logged])
    readable = permissions.audit_readers_of_content(request.user, scope)
    header = [
        _("Tidspunkt"),
        _("Bruger"),
        _("Handling"),
        _("Objekttype"),
        _("Objekt-id"),
        _("Den unges id"),
        _("Viste unges id'er"),
        _("Søgeord"),
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
            " ".join(str(pk) for pk in event.shown_subjects),
            _search_term_as_seen(event, readable),
            event.purpose,
            event.ip_address or "",
            event.path,
        ]
        for event in events.iterator(chunk_size=2000)
    )
    return csv_streaming_response(filename="adgangslog.csv", header=header, rows=rows)
