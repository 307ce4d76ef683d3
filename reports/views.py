"""The statistics page and its exports. The filters live in the URL; every export takes the
same filters, so what is downloaded is what was on the screen."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from forum.models import Municipality
from forum.permissions import municipalities_visible_to
from reports import account_exports, exports, figures, permissions, prevention_account, services
from reports.forms import StatisticsFilterForm, StatusCommentaryForm


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


def _with_charts(tables: Iterable[Any]) -> list[tuple[Any, str]]:
    """Each table with its SVG chart (or "" when it has none) for the page."""
    return [
        # The charts escape every text they draw.
        (table, mark_safe(exports.chart_svg(table)) if table.chart else "")  # noqa: S308
        for table in tables
    ]


@login_required
@require_GET
def statistics(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality, form, report = _report(request, municipality_id)
    tables = _with_charts(report.tables) if report is not None else []
    context = {
        "municipality": municipality,
        "form": form,
        "report": report,
        "tables": tables,
        "query": request.GET.urlencode(),
        "filters": exports.filter_labels(report) if report else [],
        "may_comment": permissions.may_comment_status(request.user, municipality),
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
@require_http_methods(["GET", "POST"])
def statistics_status(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """The yearly status's cover: the consultant writes the commentary for the period, then
    downloads the PDF that carries it."""
    municipality, _filter_form, report = _report(request, municipality_id)
    if report is None:
        return redirect(_page_url(request, municipality_id))
    if not permissions.may_comment_status(request.user, municipality):
        raise PermissionDenied
    period = {
        "municipality": municipality,
        "start": report.filters.start,
        "end": report.filters.end,
    }
    if request.method == "POST":
        form = StatusCommentaryForm(request.POST)
        if form.is_valid():
            services.status_commentary_save(
                **period, text=form.cleaned_data["kommentar"], user=request.user
            )
            url = reverse("reports:statistics_pdf", kwargs={"municipality_id": municipality.pk})
            return redirect(f"{url}?{request.GET.urlencode()}")
    else:
        form = StatusCommentaryForm(
            initial={"kommentar": services.status_commentary_text(**period)}
        )
    context = {
        "municipality": municipality,
        "report": report,
        "form": form,
        "filters": exports.filter_labels(report),
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/status_cover.html", context, status=422 if form.errors else 200)


@login_required
@require_GET
def statistics_pdf(request: HttpRequest, municipality_id: int) -> HttpResponse:
    with translation.override("da"):
        _municipality, _form, report = _report(request, municipality_id)
        if report is None:
            return redirect(_page_url(request, municipality_id))
        scope = figures.Scope(
            user=request.user, municipality=report.municipality, full=report.full_scope
        )
        # The commentary is the consultant's word on the whole municipality: a status made of
        # only what one reader may see does not carry it.
        commentary = (
            services.status_commentary_text(
                municipality=report.municipality,
                start=report.filters.start,
                end=report.filters.end,
            )
            if report.full_scope
            else ""
        )
        pdf = exports.to_pdf(
            report, prevention_account.account(scope, report.filters), commentary=commentary
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(report, "pdf")}"'
    return response


# The prevention account ---------------------------------------------------------------------


def _account(
    request: HttpRequest, municipality_id: int
) -> tuple[Municipality, StatisticsFilterForm, prevention_account.Account | None]:
    municipality, full = permissions.statistics_scope_or_404(request.user, municipality_id)
    form = StatisticsFilterForm(request.GET, municipality=municipality)
    if not form.is_valid():
        return municipality, form, None
    scope = figures.Scope(user=request.user, municipality=municipality, full=full)
    return municipality, form, prevention_account.account(scope, form.filters())


def _account_url(request: HttpRequest, municipality_id: int) -> str:
    url = reverse("reports:prevention_account", kwargs={"municipality_id": municipality_id})
    return f"{url}?{request.GET.urlencode()}"


def _account_filename(account: prevention_account.Account, extension: str) -> str:
    filters = account.filters
    return (
        f"forebyggelsesregnskab-{account.municipality.code}-{filters.start.isoformat()}"
        f"-{filters.end.isoformat()}.{extension}"
    )


@login_required
@require_GET
def account_page(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality, form, account = _account(request, municipality_id)
    tables = _with_charts(account.tables) if account is not None else []
    context = {
        "municipality": municipality,
        "form": form,
        "account": account,
        "tables": tables,
        "query": request.GET.urlencode(),
        "filters": account_exports.filter_labels(account) if account else [],
    }
    return render(
        request,
        "reports/prevention_account.html",
        context,
        status=200 if account is not None else 422,
    )


@login_required
@require_GET
def account_csv(request: HttpRequest, municipality_id: int) -> HttpResponse:
    _municipality, _form, account = _account(request, municipality_id)
    if account is None:  # the page says what is wrong with the filters
        return redirect(_account_url(request, municipality_id))
    return _download(
        account_exports.to_csv(account),
        "text/csv; charset=utf-8",
        _account_filename(account, "csv"),
    )


@login_required
@require_GET
def account_xlsx(request: HttpRequest, municipality_id: int) -> HttpResponse:
    _municipality, _form, account = _account(request, municipality_id)
    if account is None:
        return redirect(_account_url(request, municipality_id))
    return _download(
        account_exports.to_xlsx(account),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _account_filename(account, "xlsx"),
    )
