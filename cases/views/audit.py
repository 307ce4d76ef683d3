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

The search form is posted, so a CPR number never stands in an address (browser history, proxy
logs); the links to further pages and to the export name the young people it found by id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import duplicates, oversight, selectors
from cases.forms import AuditSearchForm
from cases.models import YoungPerson
from ssp.audit import audit_shown
from ssp.exports import csv_streaming_response, form_filters
from ssp.models import AuditAction, AuditEvent
from ssp.pagination import CappedPaginator

AUDIT_PAGE_SIZE = 50
# The shown young people listed in a row of the page; the CSV has them all.
SHOWN_ON_PAGE = 10
_IDS = re.compile(r"\d{1,18}(?:,\d{1,18}){0,99}")


@dataclass(frozen=True)
class _Search:
    form: AuditSearchForm
    scope: list[int]  # the municipalities whose log the user reads
    ids: list[int] | None  # the young people searched for; None: no young-person filter
    subjects: list[YoungPerson] | None  # those of them still registered, to show who they are
    term: str  # as the user typed it (masked when logged)


def _linked_ids(value: str | None) -> list[int] | None:
    """The ids a link from an earlier search carries; an id list nobody could have been
    given (edited by hand) finds no one."""
    if value is None:
        return None
    return [int(pk) for pk in value.split(",")] if _IDS.fullmatch(value) else [0]


def _search(request: HttpRequest) -> _Search:
    scope = oversight.audit_scope_or_404(request.user)
    posted = request.method == "POST"
    form = AuditSearchForm(request.POST if posted else (request.GET or None), in_address=not posted)
    if not form.is_bound or not form.is_valid():
        return _Search(form, scope, None, None, "")
    query, subject = form.cleaned_data["young_person"].strip(), form.cleaned_data["subject"]
    linked = None if posted else _linked_ids(request.GET.get("subjects"))
    if query:
        found = selectors.audit_subjects(
            municipality_ids=scope, query=query, young_person_id=subject
        )
        return _Search(form, scope, [person.pk for person in found], found, query)
    if linked is not None or subject is not None:
        # Ids find the log of a young person who has since been erased, too.
        ids = linked if linked is not None else [subject]
        found = selectors.audit_subjects(municipality_ids=scope, young_person_ids=ids)
        return _Search(form, scope, ids, found, ", ".join(str(pk) for pk in ids))
    return _Search(form, scope, None, None, "")


def _events(search: _Search) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(municipality_id__in=search.scope)
    if search.form.errors:
        return events.none()
    if not search.form.is_bound:
        return events.order_by("-at", "-id")
    data = search.form.cleaned_data
    if search.ids is not None:
        # The log is append-only: rows from before a merge name the merged record's id.
        ids = duplicates.with_merged_ids(search.ids)
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


def _log(
    request: HttpRequest, search: _Search, action: AuditAction, purpose: str
) -> list[AuditEvent]:
    """The search or export of the log, under the municipalities of the young people it
    found; when it names no one still registered, under every municipality searched."""
    shown: list[tuple[int | None, int | None]] = [
        (person.municipality_id, person.pk) for person in search.subjects or ()
    ]
    if not shown and search.ids:
        shown = [
            (municipality_id, pk) for municipality_id in search.scope for pk in search.ids if pk
        ]
    if not shown and action == AuditAction.EXPORT:
        # An export of the whole log is logged whatever it holds.
        shown = [(municipality_id, None) for municipality_id in search.scope]
    return audit_shown(
        user=request.user,
        action=action,
        object_type="ssp.auditevent",
        shown=shown,
        search_term=search.term,
        purpose=purpose,
        searched_in=lambda: search.scope,
    )


def _link_query(request: HttpRequest, search: _Search) -> str:
    """The search as the query of its further pages and its export: a CPR number is replaced
    by the ids of the young people it found."""
    query = (request.POST if request.method == "POST" else request.GET).copy()
    for key in ("page", "csrfmiddlewaretoken"):
        query.pop(key, None)
    if selectors.looks_like_cpr(query.get("young_person", "")):
        query.pop("young_person")
        query["subjects"] = ",".join(str(pk) for pk in search.ids or ()) or "0"
    return query.urlencode()


def _search_term_as_seen(event: AuditEvent, readable: set[int]) -> str:
    """The term as this reader may see it: in the clear for the consultant of the row's
    municipality, withheld from an administrator, who reads who saw what, not names."""
    if not event.search_term or event.municipality_id in readable:
        return event.search_term
    return _("(skjult for administratorer)")


def _page(request: HttpRequest, search: _Search) -> HttpResponse:
    # Counted no further than 1,000 events: a municipality's log grows without end.
    page_obj = CappedPaginator(_events(search), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    # Read before the search is logged, so the page shows the log as it was searched.
    page_obj.object_list = list(page_obj.object_list)
    form = search.form
    if form.is_bound and form.is_valid() and any(form.cleaned_data.values()):
        _log(request, search, AuditAction.SEARCH, _("Søgning i adgangslog"))
    readable = oversight.audit_readers_of_content(request.user, search.scope)
    for event in page_obj.object_list:
        event.search_term_as_seen = _search_term_as_seen(event, readable)
    subjects = search.subjects
    context = {
        "form": form,
        "page_obj": page_obj,
        "querystring": _link_query(request, search),
        "subjects": subjects,
        # Whom the search found, as the reader may see them: a consultant by name and CPR
        # number, an administrator by id and case numbers.
        "named_subjects": [p for p in subjects or () if p.municipality_id in readable],
        "numbered_subjects": [p for p in subjects or () if p.municipality_id not in readable],
        "shown_on_page": SHOWN_ON_PAGE,
    }
    return render(request, "cases/audit_search.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def audit_search(request: HttpRequest) -> HttpResponse:
    return _page(request, _search(request))


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV, streamed, for an insight request (indsigtsanmodning)."""
    search = _search(request)
    if search.form.errors:
        return _page(request, search)
    logged = _log(request, search, AuditAction.EXPORT, _("Udtræk af adgangslog"))
    # The export is read after it is logged: it leaves out its own row.
    events = _events(search).exclude(pk__in=[event.pk for event in logged])
    readable = oversight.audit_readers_of_content(request.user, search.scope)
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
    filters = form_filters(search.form) if search.form.is_bound else []
    return csv_streaming_response(
        filename="adgangslog.csv", header=header, rows=rows, filters=filters
    )
