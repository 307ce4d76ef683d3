"""The data-protection pages of a municipality: legal holds, the deletion log, the retention
periods.

Administrators (the data-protection role) see all three; the SSP consultants the legal holds.
None of the pages shows a young person's name: a hold is listed by case number and the young
person's id, the deletion log by record type and id. Anyone else gets 404.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import oversight, permissions, selectors, services
from cases.erasure import record_type_choices, record_type_label
from cases.forms import DeletionLogForm, LegalHoldForm, LegalHoldReleaseForm, RetentionPolicyForm
from cases.models import DeletionRecord, LegalHold
from cases.retention import periods_of
from cases.services.retention import retention_limits
from forum.models import Municipality
from ssp.exports import csv_streaming_response, form_filters
from ssp.navigation import crumbs
from ssp.views.forms import form_page
from ssp.views.helpers import save_with_service

PAGE_SIZE = 50
RETENTION = gettext_lazy("Opbevaring og sletning")


def _index_trail() -> list[tuple[object, str]]:
    return [(RETENTION, reverse("cases:retention_index"))]


def _crumbs(municipality: Municipality, page: str) -> list:
    return crumbs((RETENTION, reverse("cases:retention_index")), municipality.name, page)


@login_required
def retention_index(request: HttpRequest) -> HttpResponse:
    """The municipalities whose holds, deletion log or periods the user manages."""
    municipalities = list(oversight.legal_hold_municipalities(request.user))
    if not municipalities:
        raise Http404
    administered = set(
        oversight.retention_municipalities(request.user).values_list("pk", flat=True)
    )
    rows = [(municipality, municipality.pk in administered) for municipality in municipalities]
    return render(request, "cases/retention_index.html", {"rows": rows})


def _holds_page(
    request: HttpRequest, municipality: Municipality, form: LegalHoldForm
) -> HttpResponse:
    holds = selectors.active_legal_holds(municipality)
    page_obj = Paginator(holds, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "municipality": municipality,
        "page_obj": page_obj,
        "released": selectors.released_legal_holds(municipality)[:20],
        "form": form,
        # Consultants read the cases of their municipality; administrators see numbers only.
        "links_to_cases": permissions.can_triage(request.user, municipality.pk),
        "breadcrumbs": _crumbs(municipality, _("Retlig tilbageholdelse")),
    }
    return render(request, "cases/legal_holds.html", context, status=422 if form.errors else 200)


@login_required
def legal_holds(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """The current holds and their history; a POST places a new hold."""
    municipality = oversight.legal_hold_municipality_or_404(request.user, municipality_id)
    form = LegalHoldForm(request.POST or None)
    hold = save_with_service(
        request,
        form,
        lambda data: services.legal_hold_place(municipality=municipality, by=request.user, **data),
    )
    if hold is not None:
        messages.success(request, _("Tilbageholdelsen er registreret."))
        return redirect("cases:legal_holds", municipality_id=municipality.pk)
    return _holds_page(request, municipality, form)


@login_required
def legal_hold_release(request: HttpRequest, municipality_id: int, hold_id: int) -> HttpResponse:
    municipality = oversight.legal_hold_municipality_or_404(request.user, municipality_id)
    hold = get_object_or_404(
        LegalHold.objects.select_related("case"),
        pk=hold_id,
        municipality=municipality,
        released_at__isnull=True,
    )
    holds_url = reverse("cases:legal_holds", kwargs={"municipality_id": municipality.pk})
    return form_page(
        request,
        LegalHoldReleaseForm(request.POST or None),
        trail=[*_index_trail(), (_("Retlig tilbageholdelse"), holds_url)],
        heading=_("Ophæv tilbageholdelse"),
        intro=str(hold),
        save=lambda data: services.legal_hold_release(hold=hold, by=request.user, **data),
        done=_("Tilbageholdelsen er ophævet."),
        back=holds_url,
        next_url=holds_url,
        submit=_("Ophæv"),
    )


def _deletions(municipality: Municipality, form: DeletionLogForm) -> QuerySet[DeletionRecord]:
    records = DeletionRecord.objects.filter(municipality=municipality)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["record_type"]:
            records = records.filter(record_type=data["record_type"])
        if data["date_from"]:
            records = records.filter(
                deleted_at__gte=timezone.make_aware(datetime.combine(data["date_from"], time.min))
            )
        if data["date_to"]:
            records = records.filter(
                deleted_at__lte=timezone.make_aware(datetime.combine(data["date_to"], time.max))
            )
    elif form.is_bound:
        records = records.none()
    return records.order_by("-deleted_at", "-id")


@login_required
def deletion_log(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = oversight.retention_municipality_or_404(request.user, municipality_id)
    form = DeletionLogForm(request.GET or None, record_types=record_type_choices())
    page_obj = Paginator(_deletions(municipality, form), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for record in page_obj.object_list:
        record.type_label = record_type_label(record.record_type)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "municipality": municipality,
        "form": form,
        "page_obj": page_obj,
        "querystring": query.urlencode(),
        "breadcrumbs": _crumbs(municipality, _("Sletningslog")),
    }
    return render(request, "cases/deletion_log.html", context, status=422 if form.errors else 200)


@login_required
def deletion_log_export(request: HttpRequest, municipality_id: int) -> StreamingHttpResponse:
    """The filtered deletion log as CSV: what went, when and by which rule, never the data."""
    municipality = oversight.retention_municipality_or_404(request.user, municipality_id)
    form = DeletionLogForm(request.GET or None, record_types=record_type_choices())
    records = _deletions(municipality, form)
    header = [
        _("Tidspunkt"),
        _("Posttype"),
        _("Id"),
        _("Udfald"),
        _("Årsag"),
        _("Regel"),
    ]
    rows = (
        [
            timezone.localtime(record.deleted_at).isoformat(timespec="seconds"),
            record_type_label(record.record_type),
            record.record_id,
            record.get_outcome_display(),
            record.get_cause_display(),
            record.rule,
        ]
        for record in records.iterator(chunk_size=2000)
    )
    filters = form_filters(form) if form.is_bound and form.is_valid() else []
    return csv_streaming_response(
        filename="sletningslog.csv",
        header=header,
        rows=rows,
        filters=[(_("Kommune"), municipality.name), *filters],
    )


@login_required
def retention_policy(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """The municipality's own retention periods, within the legal bounds."""
    municipality = oversight.retention_municipality_or_404(request.user, municipality_id)
    periods = periods_of(municipality)
    form = RetentionPolicyForm(
        request.POST or None, initial=asdict(periods), limits=retention_limits()
    )
    return form_page(
        request,
        form,
        trail=_index_trail(),
        heading=_("Opbevaringsperioder for %(name)s") % {"name": municipality.name},
        intro=_(
            "Hvor længe kommunen gemmer oplysninger, før de slettes automatisk. Sager og "
            "unge, der er retligt tilbageholdt, slettes ikke."
        ),
        save=lambda data: services.retention_policy_set(
            municipality=municipality, by=request.user, **data
        ),
        done=_("Opbevaringsperioderne er gemt."),
        back=reverse("cases:retention_index"),
        next_url=reverse("cases:retention_index"),
    )
