"""The welcome package page, the leader's checklist and the consultants' overview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onboarding import permissions, selectors, services
from onboarding.forms import OverviewFilterForm
from onboarding.package import package_for
from onboarding.permissions import leader_memberships
from ssp.navigation import crumbs
from ssp.views.helpers import require

OVERVIEW_PAGE_SIZE = 50


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in newcomer's own package (the first, if they work in several places)."""
    onboarding = selectors.own_onboardings(request.user).order_by("started_at").first()
    if onboarding is None:
        raise Http404
    return redirect("onboarding:detail", pk=onboarding.pk)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    onboarding = permissions.onboarding_for_user_or_404(request.user, pk)
    package = package_for(onboarding.person, onboarding)
    context = {
        "onboarding": onboarding,
        "package": package,
        "leaders": leader_memberships(onboarding.person_id),
        "can_tick": permissions.can_tick(request.user, onboarding),
        "is_own": onboarding.person.user_id == request.user.pk,
        "breadcrumbs": crumbs(_("Velkommen"), onboarding.person.full_name),
    }
    template = "onboarding/partials/checklist.html" if request.htmx else "onboarding/detail.html"
    return render(request, template, context)


@login_required
@require_POST
def tick(request: HttpRequest, pk: int) -> HttpResponse:
    onboarding = permissions.onboarding_for_user_or_404(request.user, pk)
    require(permissions.can_tick(request.user, onboarding))
    try:
        services.onboarding_tick(
            onboarding=onboarding,
            item=request.POST.get("item", ""),
            done=request.POST.get("done") == "1",
            by=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    if request.htmx:
        context = {
            "onboarding": onboarding,
            "package": package_for(onboarding.person, onboarding),
            "can_tick": True,
        }
        return render(request, "onboarding/partials/checklist.html", context)
    return redirect("onboarding:detail", pk=onboarding.pk)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_overview(request.user):
        raise Http404
    form = OverviewFilterForm(
        request.GET or None,
        bodies=selectors.filter_bodies(request.user),
        units=selectors.filter_units(request.user),
    )
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = form.cleaned_data
    rows = selectors.unfinished(request.user, body=filters.get("body"), unit=filters.get("unit"))
    page = Paginator(rows, OVERVIEW_PAGE_SIZE).get_page(request.GET.get("side"))
    query_string = request.GET.copy()
    query_string.pop("side", None)
    context = {
        "form": form,
        "page": page,
        "query_string": query_string.urlencode(),
        "breadcrumbs": crumbs(_("Introduktion af nye")),
        "overview_url": reverse("onboarding:overview"),
    }
    return render(request, "onboarding/overview.html", context)
