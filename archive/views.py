"""The administrator's "Eksport af kommunens data" pages: ask for an export, follow it while
the worker builds it, download it once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from archive import permissions, services
from archive.forms import ExportForm
from archive.models import ExportStatus
from forum.models import Municipality
from ssp.navigation import crumbs
from ssp.two_factor import Verification, second_factor_verify
from ssp.views.helpers import require, save_with_service


@login_required
def index(request: HttpRequest) -> HttpResponse:
    municipalities = list(permissions.municipalities_exportable_by(request.user))
    require(bool(municipalities))
    if len(municipalities) == 1:
        return redirect("archive:export", municipality_id=municipalities[0].pk)
    return render(
        request,
        "archive/index.html",
        {"municipalities": municipalities, "breadcrumbs": crumbs(_("Eksport af kommunens data"))},
    )


@never_cache
@login_required
def export_page(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = get_object_or_404(Municipality, pk=municipality_id)
    require(permissions.can_export_municipality(request.user, municipality))
    may_cases = permissions.can_export_cases(request.user, municipality)
    form = ExportForm(request.POST or None, may_export_cases=may_cases)

    def save(data: dict) -> object:
        if data.get("include_cases"):
            verified = second_factor_verify(
                request, user=request.user, token=data["code"], recovery_codes=False
            )
            if verified.outcome is not Verification.ACCEPTED:
                raise ValidationError({"code": _("Koden er forkert eller udløbet. Prøv igen.")})
        return services.archive_export_request(
            municipality=municipality,
            by=request.user,
            purpose=data["purpose"],
            passphrase=data["passphrase"],
            include_cases=bool(data.get("include_cases")),
        )

    export = save_with_service(request, form, save)
    if export is not None:
        messages.success(request, _("Eksporten er sat i gang. Siden viser, når arkivet er klar."))
        return redirect("archive:status", pk=export.pk)
    context = {
        "municipality": municipality,
        "form": form,
        "may_export_cases": may_cases,
        "exports": permissions.exports_visible_to(request.user, municipality)[:20],
        "breadcrumbs": crumbs(_("Eksport af kommunens data")),
    }
    return render(request, "archive/export.html", context, status=422 if form.errors else 200)


@never_cache
@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    export = permissions.export_for_user_or_404(request.user, pk)
    template = "archive/partials/status.html" if request.htmx else "archive/status.html"
    return render(
        request,
        template,
        {
            "export": export,
            "breadcrumbs": crumbs(
                (_("Eksport af kommunens data"), f"/eksport/{export.municipality_id}/"),
                _("Arkiv"),
            ),
        },
    )


@never_cache
@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    export = permissions.export_for_user_or_404(request.user, pk)
    if export.status != ExportStatus.READY:
        return render(request, "archive/gone.html", {"export": export}, status=410)
    try:
        archive = services.archive_download(export=export, by=request.user)
    except ValidationError:
        return render(request, "archive/gone.html", {"export": export}, status=410)
    name = f"ssp-{export.municipality.code}-{export.requested_at:%Y%m%d-%H%M}.zip"
    return FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")
