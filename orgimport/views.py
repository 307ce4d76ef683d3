"""The import pages: upload, preview, confirm; the templates and the demo's sample file."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from forum.models import Body, BodyKind, BodyType, Municipality
from forum.permissions import can_administer_municipality, municipality_for_user_or_404
from forum.presets import PRESETS
from orgimport import permissions, services
from orgimport.columns import SHEET_LABELS
from orgimport.forms import ImportUploadForm
from orgimport.models import OrgImport
from orgimport.plan import Plan
from orgimport.workbooks import sample_workbook, template_workbook
from ssp.navigation import crumbs
from ssp.views.helpers import require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _trail(municipality: Municipality, *rest: object) -> list:
    return crumbs(
        (_("Organisation"), reverse("forum:index")),
        (municipality.name, municipality.get_absolute_url()),
        *rest,
    )


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def import_start(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """Those who see the municipality but do not administer it are refused (403)."""
    municipality = municipality_for_user_or_404(request.user, municipality_id)
    require(can_administer_municipality(request.user, municipality))
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            saved = services.import_upload(
                municipality=municipality,
                owner=request.user,
                filename=upload.name,
                content=upload.read(),
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("orgimport:preview", pk=saved.pk)
    context = {
        "municipality": municipality,
        "form": form,
        # After the first-run set-up, its preset's template first (forum.setup_views).
        "chosen": PRESETS.get(request.GET.get("skabelon", "")),
        "presets": PRESETS.values(),
        "show_sample": not settings.PRODUCTION,
        "breadcrumbs": _trail(municipality, _("Importér organisation")),
    }
    return render(request, "orgimport/start.html", context, status=422 if form.errors else 200)


def _preview_page(request: HttpRequest, upload: OrgImport, plan: Plan, status: int) -> HttpResponse:
    context = {
        "upload": upload,
        "plan": plan,
        "municipality": upload.municipality,
        "breadcrumbs": _trail(
            upload.municipality,
            (_("Importér organisation"), reverse("orgimport:start", args=[upload.municipality_id])),
            upload.filename,
        ),
    }
    return render(request, "orgimport/preview.html", context, status=status)


@login_required
@require_GET
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    upload = permissions.import_for_user_or_404(request.user, pk)
    if upload.confirmed_at is not None:
        return render(
            request,
            "orgimport/done.html",
            {
                "upload": upload,
                "municipality": upload.municipality,
                "summary": [
                    (SHEET_LABELS.get(kind, kind), counts)
                    for kind, counts in upload.summary.items()
                ],
                "breadcrumbs": _trail(upload.municipality, upload.filename),
            },
        )
    plan = services.import_plan(upload=upload, by=request.user)
    return _preview_page(request, upload, plan, 200)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    upload = permissions.import_for_user_or_404(request.user, pk)
    try:
        plan = services.import_confirm(upload=upload, by=request.user)
    except services.AlreadyConfirmed:
        messages.info(request, _("Filen er allerede importeret."))
        return redirect("orgimport:preview", pk=upload.pk)
    except services.ImportRefused as refused:
        return _preview_page(request, upload, refused.plan, 422)
    counts = plan.summary()
    created = sum(sheet["create"] for sheet in counts.values())
    changed = sum(sheet["change"] for sheet in counts.values())
    messages.success(
        request,
        _("Importen er gennemført: %(created)s oprettet og %(changed)s ændret.")
        % {"created": created, "changed": changed},
    )
    return redirect("orgimport:preview", pk=upload.pk)


@login_required
@require_GET
def template_download(request: HttpRequest, preset: str) -> HttpResponse:
    require(permissions.can_download_templates(request.user))
    spec = PRESETS.get(preset)
    if spec is None:
        raise Http404
    return _xlsx(template_workbook(spec), f"ssp-import-skabelon-{spec.key}.xlsx")


@login_required
@require_GET
def sample_download(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """The demo's sample file, shaped to the municipality's own school-team type and the body
    its teams sit under. Not in production."""
    if settings.PRODUCTION:
        raise Http404
    municipality = municipality_for_user_or_404(request.user, municipality_id)
    require(can_administer_municipality(request.user, municipality))
    team_type = (
        BodyType.objects.filter(municipality=municipality, kind=BodyKind.SCHOOL_TEAM)
        .order_by("pk")
        .values_list("name", flat=True)
        .first()
    ) or str(BodyKind.SCHOOL_TEAM.label)
    parent = (
        Body.objects.filter(
            municipality=municipality, kind__in=(BodyKind.SSP_FORUM, BodyKind.SSP_UDVALG)
        )
        .order_by("kind", "pk")
        .values_list("name", flat=True)
        .first()
    ) or ""
    content = sample_workbook(team_type=team_type, parent=parent)
    return _xlsx(content, f"fiktivby-eksempel-{slugify(municipality.name)}.xlsx")
