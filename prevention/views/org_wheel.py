"""The organisation's year wheel and the consultant's readiness board."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Body, Municipality
from forum.permissions import municipality_for_user_or_404
from prevention import org_wheel as wheel
from prevention import permissions
from prevention.views.common import prevention_trail
from ssp.navigation import crumbs
from ssp.views.helpers import require

# How many years back or ahead the wheel goes.
MAX_YEARS_AWAY = 10


def _year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("aar", this_year))
    except ValueError:
        return this_year
    return year if abs(year - this_year) <= MAX_YEARS_AWAY else this_year


def _chosen_body(request: HttpRequest, bodies: list[Body]) -> Body | None:
    """The body the wheel is filtered by, if it is one of those offered; anything else shows
    the whole organisation."""
    wanted = request.GET.get("organ", "")
    return next((body for body in bodies if str(body.pk) == wanted), None)


def _municipality(request: HttpRequest, municipality_id: int) -> Municipality:
    """404 if the user does not see the municipality at all."""
    return municipality_for_user_or_404(request.user, municipality_id)


@login_required
def org_wheel(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """The municipality's SSP year, month by month: what the rhythm expects of each body and
    what the bodies have booked and done."""
    municipality = _municipality(request, municipality_id)
    require(permissions.can_see_org_wheel(request.user, municipality))
    year = _year(request)
    bodies = wheel.wheel_bodies(request.user, municipality)
    body = _chosen_body(request, bodies)
    context = {
        "municipality": municipality,
        "year": year,
        "previous_year": year - 1,
        "next_year": year + 1,
        "bodies": bodies,
        "body": body,
        "months": wheel.org_wheel(request.user, municipality, year, body=body),
        "today": timezone.localdate(),
        "can_see_board": permissions.can_see_readiness(request.user, municipality),
        "breadcrumbs": crumbs(*prevention_trail(), _("Årshjul")),
    }
    return render(request, "prevention/org_wheel.html", context)


@login_required
def readiness(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """The consultant's board: is each item of the coming year's rhythm ready?"""
    municipality = _municipality(request, municipality_id)
    require(permissions.can_see_readiness(request.user, municipality))
    today = timezone.localdate()
    lines = wheel.readiness_board(municipality, today)
    context = {
        "municipality": municipality,
        "lines": lines,
        "not_ready": [line for line in lines if not line.ready],
        "ready": [line for line in lines if line.ready],
        "today": today,
        "breadcrumbs": crumbs(
            *prevention_trail(
                (_("Årshjul"), reverse("prevention:org_wheel", args=[municipality.pk]))
            ),
            _("Parathed"),
        ),
    }
    return render(request, "prevention/readiness.html", context)
