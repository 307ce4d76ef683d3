"""The ActionCard's editorial pages (administrators) and its public pages (no login)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actioncard import changes, contacts, permissions, rendering, services, snapshot
from actioncard.forms import (
    ContactsForm,
    CorrectionForm,
    EditionStartForm,
    EditionTextsForm,
    GuideFormSet,
    guide_entries,
)
from actioncard.models import Edition, EditionStatus, RenderJob, RenderPurpose, RenderStatus
from ssp.navigation import crumbs
from ssp.views.helpers import require, save_with_service


def _edition_name(edition: Edition) -> str:
    return f"{edition.municipality.name} {edition.year}"


# Editorial pages -----------------------------------------------------------------------------


def _editions_page(
    request: HttpRequest, failed: tuple[int, EditionStartForm] | None = None
) -> HttpResponse:
    """The administrator's municipalities and their editions, with a start form each; a
    refused start form comes back with its errors and input."""
    require(permissions.can_edit_any(request.user))
    municipalities = list(
        permissions.municipalities_edited_by(request.user)
        .prefetch_related(
            Prefetch(
                "actioncard_editions",
                queryset=Edition.objects.order_by("-year", "-version"),
                to_attr="editions",
            )
        )
        .order_by("name")
    )
    this_year = timezone.localdate().year
    rows = []
    for municipality in municipalities:
        municipality.has_published = any(
            edition.status == EditionStatus.PUBLISHED for edition in municipality.editions
        )
        if failed is not None and failed[0] == municipality.pk:
            form = failed[1]
        else:
            form = EditionStartForm(
                initial={"year": _suggested_year(municipality.editions, this_year)},
                auto_id=f"id_%s_{municipality.pk}",
            )
        rows.append((municipality, form))
    status = 422 if failed is not None else 200
    return render(request, "actioncard/editions.html", {"rows": rows}, status=status)


@login_required
@require_GET
def editions(request: HttpRequest) -> HttpResponse:
    return _editions_page(request)


def _suggested_year(editions: list[Edition], this_year: int) -> int:
    taken = {edition.year for edition in editions}
    return this_year if this_year not in taken else max(taken) + 1


@login_required
@require_POST
def edition_start(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = permissions.municipality_for_editor_or_404(request.user, municipality_id)
    form = EditionStartForm(request.POST, auto_id=f"id_%s_{municipality.pk}")
    edition = save_with_service(
        request,
        form,
        lambda data: services.edition_start(
            municipality=municipality, year=data["year"], by=request.user
        ),
    )
    if edition is None:
        return _editions_page(request, failed=(municipality.pk, form))
    messages.success(
        request,
        _("Handlekortet for %(year)s er oprettet som kladde ud fra SSP-Forum.")
        % {"year": edition.year},
    )
    return redirect(edition)


def _previous_published(edition: Edition) -> Edition | None:
    return (
        Edition.objects.filter(
            municipality_id=edition.municipality_id,
            status__in=(EditionStatus.PUBLISHED, EditionStatus.SUPERSEDED),
        )
        .exclude(pk=edition.pk)
        .filter(year__lt=edition.year)
        .order_by("-year", "-version")
        .first()
    )


@login_required
@require_GET
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = permissions.edition_for_editor_or_404(request.user, pk)
    previous = _previous_published(edition)
    context = {
        **rendering.context(edition),
        "previous": previous,
        "changes": snapshot.compare(previous.contents, edition.contents) if previous else None,
        "problems": services.publish_problems(edition) if edition.is_draft else [],
        "warnings": contacts.warnings(edition.contents) if edition.is_draft else [],
        "jobs": edition.render_jobs.select_related("requested_by")[:5],
        "correction_form": CorrectionForm() if edition.status == EditionStatus.PUBLISHED else None,
        "breadcrumbs": crumbs(
            (_("SSP-handlekort"), reverse("actioncard:editions")), _edition_name(edition)
        ),
    }
    return render(request, "actioncard/edition_detail.html", context)


@login_required
def edition_texts(request: HttpRequest, pk: int) -> HttpResponse:
    edition = permissions.edition_for_editor_or_404(request.user, pk)
    if not edition.is_draft:
        messages.error(request, _("Et udgivet handlekort kan ikke ændres. Lav en rettelse."))
        return redirect(edition)
    initial = {
        "foreword": edition.foreword,
        "purpose": edition.purpose,
        "correction_note": edition.correction_note,
    }
    guide_initial = [
        {"situation": entry.situation, "advice": entry.advice} for entry in edition.guide.all()
    ]
    form = EditionTextsForm(request.POST or None, edition=edition, initial=initial)
    guide = GuideFormSet(request.POST or None, initial=guide_initial, prefix="guide")
    if request.method == "POST" and form.is_valid() and guide.is_valid():
        try:
            services.edition_texts_update(
                edition=edition,
                foreword=form.cleaned_data["foreword"],
                purpose=form.cleaned_data["purpose"],
                guide=guide_entries(guide),
                correction_note=form.cleaned_data.get("correction_note"),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Teksterne er gemt."))
            return redirect(edition)
    status = 422 if request.method == "POST" else 200
    context = {
        "edition": edition,
        "form": form,
        "guide": guide,
        "breadcrumbs": crumbs(
            (_("SSP-handlekort"), reverse("actioncard:editions")),
            (_edition_name(edition), edition.get_absolute_url()),
            _("Tekster"),
        ),
    }
    return render(request, "actioncard/edition_texts.html", context, status=status)


def _run(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Call a service for a button; its refusal becomes an error message on the page."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def edition_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    edition = permissions.edition_for_editor_or_404(request.user, pk)
    _run(
        request,
        lambda: services.edition_refresh(edition=edition),
        _("Kladden er opdateret med SSP-Forum, som det ser ud nu."),
    )
    return redirect(edition)


def _request_rendering(request: HttpRequest, pk: int, purpose: str, success: str) -> HttpResponse:
    edition = permissions.edition_for_editor_or_404(request.user, pk)
    _run(
        request,
        lambda: services.render_request(edition=edition, by=request.user, purpose=purpose),
        success,
    )
    return redirect(edition)


@login_required
@require_POST
def edition_render(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_rendering(
        request, pk, RenderPurpose.PREVIEW, _("PDF'en laves. Siden viser, når den er klar.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def edition_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation, with what changes since the last published edition and what
    page one lacks. POST (its button): publish, for good."""
    if request.method == "POST":
        return _request_rendering(
            request,
            pk,
            RenderPurpose.PUBLISH,
            _("Handlekortet udgives, så snart PDF'en er lavet."),
        )
    edition = permissions.edition_for_editor_or_404(request.user, pk)
    if not edition.is_draft:
        messages.error(request, _("Handlekortet er udgivet eller ved at blive udgivet."))
        return redirect(edition)
    previous = changes.last_published(edition)
    context = {
        "edition": edition,
        "previous": previous,
        "changes": changes.compare(previous, edition),
        "problems": services.publish_problems(edition),
        "warnings": contacts.warnings(edition.contents),
        "breadcrumbs": crumbs(
            (_("SSP-handlekort"), reverse("actioncard:editions")),
            (_edition_name(edition), edition.get_absolute_url()),
            _("Udgiv"),
        ),
    }
    return render(request, "actioncard/edition_publish.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edition_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """Page one's contacts: whom to call in each situation."""
    edition = permissions.edition_for_editor_or_404(request.user, pk)
    if not edition.is_draft:
        messages.error(request, _("Et udgivet handlekort kan ikke ændres. Lav en rettelse."))
        return redirect(edition)
    form = ContactsForm(
        request.POST or None,
        people=list(contacts.people_of(edition.municipality).order_by("full_name")),
        units=list(contacts.units_of(edition.municipality).order_by("name")),
        initial=ContactsForm.initial_from(edition.contact_choices, edition.page_per_school),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edition_contacts_update(
                edition=edition,
                choices=form.choices_data(),
                page_per_school=form.cleaned_data["page_per_school"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Kontakterne er gemt."))
            return redirect(edition)
    context = {
        "edition": edition,
        "form": form,
        "situations": rendering.situations(edition.contents),
        "breadcrumbs": crumbs(
            (_("SSP-handlekort"), reverse("actioncard:editions")),
            (_edition_name(edition), edition.get_absolute_url()),
            _("Hvem ringer jeg til"),
        ),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "actioncard/edition_contacts.html", context, status=status)


@login_required
@require_POST
def edition_correct(request: HttpRequest, pk: int) -> HttpResponse:
    edition = permissions.edition_for_editor_or_404(request.user, pk)
    form = CorrectionForm(request.POST)
    correction = save_with_service(
        request,
        form,
        lambda data: services.edition_correct(edition=edition, by=request.user, note=data["note"]),
    )
    if correction is None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(edition)
    messages.success(request, _("Rettelsen er oprettet som kladde."))
    return redirect(correction)


@login_required
@require_POST
def edition_discard(request: HttpRequest, pk: int) -> HttpResponse:
    edition = permissions.edition_for_editor_or_404(request.user, pk)
    if _run(
        request,
        lambda: services.edition_discard(edition=edition),
        _("Kladden er slettet."),
    ):
        return redirect("actioncard:editions")
    return redirect(edition)


def _job(request: HttpRequest, pk: int, job_id: int) -> RenderJob:
    edition = permissions.edition_for_editor_or_404(request.user, pk)
    return get_object_or_404(edition.render_jobs.select_related("edition"), pk=job_id)


@login_required
@require_GET
def render_job(request: HttpRequest, pk: int, job_id: int) -> HttpResponse:
    """A rendering's progress: polled by the edition page while it runs."""
    job = _job(request, pk, job_id)
    response = render(
        request,
        "actioncard/partials/render_job.html" if request.htmx else "actioncard/render_job.html",
        {"job": job, "edition": job.edition},
    )
    if request.htmx and job.purpose == RenderPurpose.PUBLISH and not job.is_pending:
        # The edition's whole page changes (published, or back to a draft): reload it.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def render_job_pdf(request: HttpRequest, pk: int, job_id: int) -> FileResponse:
    job = _job(request, pk, job_id)
    if job.status != RenderStatus.DONE or not job.pdf:
        raise Http404
    return _pdf_response(job.pdf.open("rb"), job.edition.pdf_filename())


def _pdf_response(file: object, filename: str) -> FileResponse:
    response = FileResponse(file, content_type="application/pdf", filename=filename)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# Public pages: no login ----------------------------------------------------------------------


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    current = (
        permissions.public_editions()
        .filter(status=EditionStatus.PUBLISHED)
        .order_by("municipality__name", "municipality_id", "-year")
        .distinct("municipality__name", "municipality_id")
    )
    context = {
        "editions": current,
        "can_edit": permissions.can_edit_any(request.user),
    }
    return render(request, "actioncard/public_index.html", context)


def _public_page(request: HttpRequest, edition: Edition, *, is_current: bool) -> HttpResponse:
    archive = permissions.public_editions().filter(municipality=edition.municipality)
    context = {
        **rendering.context(edition),
        "archive": archive.order_by("-year", "-version"),
        "is_current": is_current,
        "breadcrumbs": crumbs(
            (_("SSP-handlekort"), reverse("actioncard:public_index")), _edition_name(edition)
        ),
    }
    return render(request, "actioncard/public_edition.html", context)


@require_GET
def public_current(request: HttpRequest, code: str) -> HttpResponse:
    return _public_page(request, permissions.current_edition_or_404(code), is_current=True)


@require_GET
def public_current_pdf(request: HttpRequest, code: str) -> FileResponse:
    edition = permissions.current_edition_or_404(code)
    return _pdf_response(edition.pdf.open("rb"), edition.pdf_filename())


@require_GET
def public_edition(request: HttpRequest, code: str, year: int, version: int) -> HttpResponse:
    edition = permissions.public_edition_or_404(code, year, version)
    current = permissions.current_edition_or_404(code)
    return _public_page(request, edition, is_current=edition.pk == current.pk)


@require_GET
def public_edition_pdf(request: HttpRequest, code: str, year: int, version: int) -> FileResponse:
    edition = permissions.public_edition_or_404(code, year, version)
    return _pdf_response(edition.pdf.open("rb"), edition.pdf_filename())
