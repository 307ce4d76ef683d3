"""Registration pages: the organiser's list (open, export, remove) and the public sign-up and
cancel pages, which need no login."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings import registration as services
from meetings.registration_forms import HONEYPOT, OpeningForm, SignUpForm
from meetings.registration_models import Registration, RegistrationOpening
from meetings.views.common import managed_meeting, meetings_trail
from ssp.audit import client_ip
from ssp.exports import csv_streaming_response
from ssp.navigation import crumbs
from ssp.views.helpers import save_with_service

# Sign-ups one address may post in RATE_WINDOW seconds before it is asked to wait.
RATE_LIMIT = 10
RATE_WINDOW = 600


@login_required
@require_http_methods(["GET", "POST"])
def registration_manage(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    opening = RegistrationOpening.objects.filter(meeting=meeting).first()
    form = OpeningForm(request.POST or None, initial=OpeningForm.initial_for(opening))
    saved = save_with_service(
        request,
        form,
        lambda data: services.registration_open(
            meeting=meeting, capacity=data["capacity"], deadline=form.deadline(), by=request.user
        ),
    )
    if saved is not None:
        messages.success(request, _("Tilmeldingen er gemt."))
        return redirect("meetings:registration_manage", pk=meeting.pk)
    registrations = (
        list(opening.registrations.order_by("created_at", "pk")) if opening is not None else []
    )
    public_url = (
        request.build_absolute_uri(reverse("meetings:register", kwargs={"token": opening.token}))
        if opening is not None
        else ""
    )
    context = {
        "meeting": meeting,
        "opening": opening,
        "form": form,
        "registrations": registrations,
        "public_url": public_url,
        "breadcrumbs": crumbs(
            *meetings_trail((meeting.title, meeting.get_absolute_url())), _("Tilmelding")
        ),
    }
    return render(
        request, "meetings/registration_manage.html", context, status=422 if form.errors else 200
    )


@login_required
@require_GET
def registration_export(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    opening = get_object_or_404(RegistrationOpening, meeting=meeting)
    rows = (
        (r.full_name, r.email, r.organisation, _("Nej") if r.is_outside else _("Ja"), r.created_at)
        for r in opening.registrations.order_by("full_name", "pk")
    )
    return csv_streaming_response(
        filename=f"tilmeldte-{meeting.pk}.csv",
        header=[_("Navn"), _("E-mail"), _("Organisation"), _("Har login"), _("Tilmeldt")],
        rows=rows,
    )


@login_required
@require_POST
def registration_remove(request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    registration = get_object_or_404(Registration, pk=registration_id, opening__meeting=meeting)
    services.registration_remove(registration=registration, by=request.user)
    messages.success(request, _("%(name)s er afmeldt.") % {"name": registration.full_name})
    return redirect("meetings:registration_manage", pk=meeting.pk)


# Public pages: no login ----------------------------------------------------------------------


def _rate_limited(request: HttpRequest) -> bool:
    """Count this address's sign-ups in the window (Redis, shared by every process). The
    address is the client's behind the trusted proxies, as the access log records it."""
    key = f"registration-rate:{client_ip(request) or ''}"
    cache.add(key, 0, RATE_WINDOW)
    try:
        return cache.incr(key) > RATE_LIMIT
    except ValueError:  # expired between add and incr
        return False


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, token: str) -> HttpResponse:
    opening = get_object_or_404(
        RegistrationOpening.objects.select_related("meeting", "meeting__body"), token=token
    )
    user = request.user if request.user.is_authenticated else None
    initial = {"full_name": user.full_name, "email": user.email} if user else {}
    form = SignUpForm(request.POST or None, initial=initial)
    context = {"opening": opening, "meeting": opening.meeting, "form": form, "honeypot": HONEYPOT}
    if request.method == "POST":
        if _rate_limited(request):
            context["error"] = _("Der er sendt mange tilmeldinger herfra. Prøv igen om lidt.")
            return render(request, "meetings/register.html", context, status=429)
        if form.is_robot:
            # Answer a robot as if it had registered, so it learns nothing.
            return render(request, "meetings/register_done.html", context)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.registration_add(
                    opening=opening,
                    full_name=data["full_name"],
                    email=user.email if user else data["email"],
                    organisation=data["organisation"],
                    user=user,
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                return render(request, "meetings/register_done.html", context)
    context.update(
        {"is_open": services.is_open(opening), "seats_left": services.seats_left(opening)}
    )
    return render(request, "meetings/register.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = services.registration_from_token(token)
    if registration is None:
        raise Http404
    meeting = registration.opening.meeting
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        return render(request, "meetings/registration_cancelled.html", {"meeting": meeting})
    return render(
        request,
        "meetings/registration_cancel.html",
        {"registration": registration, "meeting": meeting},
    )
