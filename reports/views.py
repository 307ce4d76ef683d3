"""The statistics page and its exports. The filters live in the URL; every export takes the
same filters, so what is downloaded is what was on the screen."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from forum.models import Municipality
from forum.permissions import municipalities_visible_to
from reports import exports, figures, permissions
from reports.forms import StatisticsFilterForm


def _report(
    request: HttpRequest, municipality_id: int
) -> tuple[Municipality, StatisticsFilterForm, figures.Report | None]:
    municipality, full = permissions.statistics_scope_or_404(request.user, municipality_id)
    form = StatisticsFilterForm(request.GET, municipality=municipality)
    if not form.is_valid():
        return municipality, form, None
    scope = figures.Scope(user=request.user, municipality=municipality, full=full)
    return municipality, form, figures.report(scope, form.filters())


@login_required
@require_GET
def statistics_index(request: HttpRequest) -> HttpResponse:
    municipalities = list(municipalities_visible_to(request.user).order_by("name"))
    if len(municipalities) == 1:
        return redirect("reports:statistics", municipality_id=municipalities[0].pk)
    return render(request, "reports/index.html", {"municipalities": municipalities})


@login_required
@require_GET
def statistics(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality, form, report = _report(request, municipality_id)
    tables = []
    if report is not None:
        tables = [
            # The charts escape every text they draw.
            (table, mark_safe(exports.chart_svg(table)) if table.chart else "")  # noqa: S308
            for table in report.tables
        ]
    context = {
        "municipality": municipality,
        "form": form,
        "report": report,
        "tables": tables,
        "query": request.GET.urlencode(),
        "filters": exports.filter_labels(report) if report else [],
    }
    return render(
        request,
        "reports/page.html",
        context,
        status=200 if report is not None else 422,
    )


def _download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _page_url(request: HttpRequest, municipality_id: int) -> str:
    url = reverse("reports:statistics", kwargs={"municipality_id": municipality_id})
    return f"{url}?{request.GET.urlencode()}"


def _filename(report: figures.Report, extension: str) -> str:
    filters = report.filters
    return (
        f"ssp-statistik-{report.municipality.code}-{filters.start.isoformat()}"
        f"-{filters.end.isoformat()}.{extension}"
    )


@login_required
@require_GET
def statistics_csv(request: HttpRequest, municipality_id: int) -> HttpResponse:
    _municipality, _form, report = _report(request, municipality_id)
    if report is None:  # the page says what is wrong with the filters
        return redirect(_page_url(request, municipality_id))
    return _download(exports.to_csv(report), "text/csv; charset=utf-8", _filename(report, "csv"))


@login_required
@require_GET
def statistics_xlsx(request: HttpRequest, municipality_id: int) -> HttpResponse:
    _municipality, _form, report = _report(request, municipality_id)
    if report is None:
        return redirect(_page_url(request, municipality_id))
    return _download(
        exports.to_xlsx(report),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _filename(report, "xlsx"),
    )


@login_required
@require_GET
def statistics_pdf(request: HttpRequest, municipality_id: int) -> HttpResponse:
    with translation.override("da"):
        _municipality, _form, report = _report(request, municipality_id)
        if report is None:
            return redirect(_page_url(request, municipality_id))
        pdf = exports.to_pdf(report)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(report, "pdf")}"'
    return response
