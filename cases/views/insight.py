"""The insight report about one young person (`cases.insight`): a page, a CSV file and a PDF.

The page lists the log a page at a time; the CSV and the PDF hold all of it. Each is itself a
read of the young person's data and is logged (the page as read, the files as exported) with
the purpose "Indsigtsrapport". The page shows the log as it was before its own row; the files
leave their own row out.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases import insight
from ssp.audit import audit_log
from ssp.exports import csv_streaming_response
from ssp.models import AuditAction, AuditEvent
from ssp.pdf import render_pdf

INSIGHT_PAGE_SIZE = 50
CSV_CHUNK = 2000


def _purpose() -> str:
    return _("Indsigtsrapport")


def _log(request: HttpRequest, subject: insight.InsightSubject, action: AuditAction) -> AuditEvent:
    young_person = subject.young_person
    return audit_log(
        user=request.user,
        action=action,
        obj=young_person,
        subject_id=young_person.pk,
        municipality_id=young_person.municipality_id,
        purpose=_purpose(),
    )


def _context(
    request: HttpRequest, subject: insight.InsightSubject, events: QuerySet[AuditEvent]
) -> dict:
    young_person = subject.young_person
    cases = insight.insight_cases(young_person)
    concerns = insight.insight_concerns(young_person)
    return {
        "young_person": young_person,
        "shows_identity": subject.shows_identity,
        "municipality": young_person.municipality,
        "cases": cases,
        "concerns": concerns,
        "bases": insight.insight_bases(cases, concerns),
        "merges": insight.insight_merges(young_person),
        "summary": insight.insight_summary(events),
        "made_by": request.user,
        "made_at": timezone.now(),
    }


@login_required
@require_GET
def insight_report(request: HttpRequest, young_person_id: int) -> HttpResponse:
    subject = insight.insight_subject_or_404(request.user, young_person_id)
    ids = insight.subject_ids(young_person_id)
    events = insight.insight_events(ids)
    context = _context(request, subject, events)
    page_obj = Paginator(events, INSIGHT_PAGE_SIZE).get_page(request.GET.get("page"))
    page_obj.object_list = insight.annotate_events(list(page_obj.object_list), ids)
    # Read before the report is logged, so the page shows the log as it was.
    _log(request, subject, AuditAction.VIEW)
    context["page_obj"] = page_obj
    return render(request, "cases/insight_report.html", context)


@login_required
@require_GET
def insight_report_pdf(request: HttpRequest, young_person_id: int) -> HttpResponse:
    subject = insight.insight_subject_or_404(request.user, young_person_id)
    ids = insight.subject_ids(young_person_id)
    events = insight.insight_events(ids)
    context = _context(request, subject, events)
    rows = list(events)
    context["events"] = insight.annotate_events(rows, ids)
    context["LANGUAGE_CODE"] = translation.get_language()
    _log(request, subject, AuditAction.EXPORT)
    pdf = render_pdf(render_to_string("cases/insight_report_pdf.html", context))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="indsigt-ung-{young_person_id}.pdf"'
    return response


def _listed() -> str:
    return _("Vist i en liste eller søgning")


def _when(value: object) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _csv_rows(
    context: dict, events: QuerySet[AuditEvent], young_person_ids: list[int]
) -> Iterator[list]:
    """The report as sections of rows, each with its own heading row, a blank row between."""
    young_person, summary = context["young_person"], context["summary"]
    yield [_("Kommune"), context["municipality"].name]
    yield [_("Den unges id"), young_person.pk]
    if context["shows_identity"]:
        yield [_("Navn"), young_person.full_name]
        yield [_("CPR-nummer"), young_person.masked_cpr]
    for merge in context["merges"]:
        yield [
            _("Sammenlagt med ung nr."),
            merge.removed_id,
            _when(merge.merged_at),
            merge.merged_by.full_name,
            merge.reason,
        ]
    yield [_("Udarbejdet"), _when(context["made_at"])]
    yield [_("Udarbejdet af"), f"{context['made_by'].full_name} <{context['made_by'].email}>"]
    yield []
    yield [_("Opsummering")]
    yield [_("Hændelser i alt"), summary.events]
    yield [_("Læsninger"), summary.reads]
    yield [_("Ændringer"), summary.writes]
    yield [_("Personer, der har læst"), summary.readers]
    for sector, count in summary.readers_per_sector:
        yield [_("Personer, der har læst: %(sector)s") % {"sector": sector}, count]
    yield [_("Første adgang"), _when(summary.first_at)]
    yield [_("Seneste adgang"), _when(summary.last_at)]
    yield []
    yield [_("Sager"), _("Status"), _("Oprettet"), _("Lukket")]
    for case in context["cases"]:
        yield [case.pk, case.get_status_display(), _when(case.opened_at), _when(case.closed_at)]
    yield []
    yield [_("Bekymringer"), _("Status"), _("Modtaget"), _("Visiteret"), _("Sag")]
    for concern in context["concerns"]:
        yield [
            concern.pk,
            concern.get_status_display(),
            _when(concern.submitted_at),
            _when(concern.triaged_at),
            concern.case_id or "",
        ]
    yield []
    yield [
        _("Grundlag"),
        _("Gældende"),
        _("Sag"),
        _("Bekymring"),
        _("Modtager"),
        _("Hjemmel"),
        _("Givet ved"),
        _("Formål"),
        _("Givet af"),
        _("Givet"),
        _("Udløber"),
        _("Ophørt"),
        _("Ophørt af"),
        _("Ophørt fordi"),
    ]
    for basis in context["bases"]:
        yield [
            basis.pk,
            _("Ja") if basis.is_current else _("Nej"),
            basis.case_id or "",
            basis.concern_id or "",
            basis.recipient_label,
            basis.legal_ground or basis.get_ground_display(),
            basis.get_origin_display(),
            basis.purpose,
            basis.given_by.full_name,
            _when(basis.given_at),
            _when(basis.expires_at),
            _when(basis.ended_at),
            basis.ended_by.full_name if basis.ended_by else "",
            basis.get_end_reason_display(),
        ]
    yield []
    yield [
        _("Tidspunkt"),
        _("Bruger"),
        _("E-mail"),
        _("Handling"),
        _("Læst/ændret"),
        _("Objekttype"),
        _("Objekt-id"),
        _("Sammenhæng"),
        _("Formål"),
        _("IP-adresse"),
        _("Adresse"),
    ]
    known = insight.actors(set(events.values_list("user_id", flat=True).distinct()))
    for event in events.iterator(chunk_size=CSV_CHUNK):
        insight.annotate_events([event], young_person_ids, known)
        yield [
            _when(event.at),
            event.actor.name if event.actor else "",
            event.user_email,
            event.get_action_display(),
            _("Læst") if event.is_read else _("Ændret"),
            event.object_type,
            event.object_id,
            _listed() if event.shown_in_list else _("Den unges oplysninger"),
            event.purpose,
            event.ip_address or "",
            event.path,
        ]


@login_required
@require_GET
def insight_report_csv(request: HttpRequest, young_person_id: int) -> HttpResponse:
    subject = insight.insight_subject_or_404(request.user, young_person_id)
    ids = insight.subject_ids(young_person_id)
    events = insight.insight_events(ids)
    context = _context(request, subject, events)
    logged = _log(request, subject, AuditAction.EXPORT)
    # The summary was counted before the export was logged; the rows leave it out too.
    events = events.exclude(pk=logged.pk)
    return csv_streaming_response(
        filename=f"indsigt-ung-{young_person_id}.csv",
        header=[_("Indsigtsrapport"), _("Adgangslog, grundlag for adgang, sager og bekymringer")],
        rows=_csv_rows(context, events, ids),
        preamble=False,  # its first section says whose report it is and when it was made
    )
