"""The prevention pages of a body and its activities: the overview, a body's year of work,
logging and changing an activity, marking it done, and the quick street-level and
counselling logs made for the phone."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.models import Body
from meetings.permissions import municipalities_overseen_by
from prevention import permissions, selectors, services
from prevention.forms import ActivityForm, CounsellingForm, DoneForm, StreetRoundForm
from prevention.models import Activity, CounsellingOutcome
from prevention.services import ActivityData
from prevention.views.common import (
    body_trail,
    prevention_trail,
    readable_body,
    safe_next,
    writable_body,
)
from ssp.navigation import crumbs
from ssp.views.forms import form_page
from ssp.views.helpers import require, save_with_service

# How many years back or ahead a body's page goes.
MAX_YEARS_AWAY = 10
PAGE_SIZE = 100


def _year_param(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("aar", this_year))
    except ValueError:
        return this_year
    return year if abs(year - this_year) <= MAX_YEARS_AWAY else this_year


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Where prevention work starts: the quick logs, the user's bodies and their last entries."""
    user = request.user
    readable = list(
        permissions.bodies_readable_by(user).select_related("municipality").order_by("name")
    )
    context = {
        "writable": list(selectors.writable_bodies(user)),
        "readable": readable,
        # The year wheel of each municipality the user reads a body of.
        "wheels": sorted({b.municipality for b in readable}, key=lambda m: m.name),
        "recent": list(selectors.recent_by(user)),
        "overseen": list(municipalities_overseen_by(user).order_by("name")),
    }
    return render(request, "prevention/index.html", context)


@login_required
def body(request: HttpRequest, body_id: int) -> HttpResponse:
    """A body's year of prevention work: its activities with their reach, projects, plans."""
    body = readable_body(request, body_id)
    year = _year_param(request)
    activities = selectors.activities_of(body, date(year, 1, 1), date(year, 12, 31))
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("side"))
    context = {
        "body": body,
        "year": year,
        "previous_year": year - 1,
        "next_year": year + 1,
        "page": page,
        "tally": selectors.tally(activities),
        "projects": list(selectors.projects_of(body)),
        "plans": list(selectors.plans_of(body)),
        "can_log": permissions.can_log_for(request.user, body),
        "can_lead": permissions.can_lead(request.user, body),
        "breadcrumbs": crumbs(*prevention_trail(), body.name),
    }
    return render(request, "prevention/body.html", context)


@login_required
def activity_create(request: HttpRequest, body_id: int) -> HttpResponse:
    body = writable_body(request, body_id)
    initial = {"planned_on": timezone.localdate()}
    project = request.GET.get("projekt", "")
    if project.isdigit():
        initial["project"] = body.prevention_projects.filter(pk=int(project)).first()
    form = ActivityForm(request.POST or None, body=body, initial=initial)
    return form_page(
        request,
        form,
        trail=body_trail(body),
        heading=_("Ny aktivitet"),
        intro=_("Tæl hvor mange I nåede; skriv ingen navne på børn og unge."),
        save=lambda data: services.activity_create(
            body=body, by=request.user, data=ActivityData.of(data), done=data["done"]
        ),
        done=_("Aktiviteten er gemt."),
        back=reverse("prevention:body", args=[body.pk]),
    )


def _detail_context(request: HttpRequest, activity: Activity, done_form: DoneForm) -> dict:
    user = request.user
    return {
        "activity": activity,
        "people": list(activity.people.order_by("full_name")),
        "partner_bodies": list(activity.partner_bodies.order_by("name")),
        "can_edit": permissions.can_edit_activity(user, activity),
        "can_mark_done": permissions.can_mark_done(user, activity) and not activity.is_done,
        "done_form": done_form,
        "became_concern": activity.outcome == CounsellingOutcome.CONCERN,
        "breadcrumbs": crumbs(*body_trail(activity.body), activity.title),
    }


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = permissions.activity_for_user_or_404(request.user, pk)
    context = _detail_context(request, activity, DoneForm())
    return render(request, "prevention/activity_detail.html", context)


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = permissions.activity_for_user_or_404(request.user, pk)
    require(permissions.can_edit_activity(request.user, activity))
    form = ActivityForm(
        request.POST or None,
        body=activity.body,
        editing=True,
        initial=ActivityForm.initial_for(activity),
    )
    return form_page(
        request,
        form,
        trail=[*body_trail(activity.body), (activity.title, activity.get_absolute_url())],
        heading=_("Ret aktiviteten"),
        save=lambda data: services.activity_update(
            activity=activity, by=request.user, data=ActivityData.of(data)
        ),
        done=_("Aktiviteten er rettet."),
        back=activity.get_absolute_url(),
    )


@login_required
@require_POST
def activity_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an activity done (from its page with its reach, or from the year plan)."""
    activity = permissions.activity_for_user_or_404(request.user, pk)
    require(permissions.can_mark_done(request.user, activity))
    form = DoneForm(request.POST)
    saved = save_with_service(
        request,
        form,
        lambda data: services.activity_mark_done(activity=activity, by=request.user, reach=data),
    )
    if saved is None:
        context = _detail_context(request, activity, form)
        return render(request, "prevention/activity_detail.html", context, status=422)
    messages.success(request, _("Aktiviteten er markeret som gennemført."))
    return redirect(safe_next(request, activity.get_absolute_url()))


def _log_bodies(request: HttpRequest) -> QuerySet[Body]:
    bodies = selectors.writable_bodies(request.user)
    require(bodies.exists())
    return bodies


@login_required
def street_round(request: HttpRequest) -> HttpResponse:
    """The street-level log (gadeplan), for a phone: saved, it is ready for the next round."""
    bodies = _log_bodies(request)
    form = StreetRoundForm(request.POST or None, bodies=bodies)
    saved = save_with_service(
        request,
        form,
        lambda data: services.street_round_log(
            body=data["body"],
            by=request.user,
            planned_on=data["planned_on"],
            time_of_day=data["time_of_day"],
            place=data["place"],
            young_people=data["young_people"],
            mood=data["mood"],
            issues=data["issues"],
            description=data["description"],
        ),
    )
    if saved is not None:
        messages.success(
            request,
            _("Runden ved %(place)s er gemt. Klar til den næste.") % {"place": saved.place},
        )
        return redirect(request.path)
    context = {
        "form": form,
        "recent_places": selectors.recent_places(request.user),
        "breadcrumbs": crumbs(*prevention_trail(), _("Gadeplan")),
    }
    return render(
        request, "prevention/street_round.html", context, status=422 if form.errors else 200
    )


@login_required
def counselling(request: HttpRequest) -> HttpResponse:
    """The counselling log: who asked and about what. One that became a concern leads on
    to the concern form, where names belong."""
    bodies = _log_bodies(request)
    form = CounsellingForm(request.POST or None, bodies=bodies)
    saved = save_with_service(
        request,
        form,
        lambda data: services.counselling_log(
            body=data["body"],
            by=request.user,
            planned_on=data["planned_on"],
            asked_by=data["asked_by"],
            topic=data["topic"],
            outcome=data["outcome"],
            description=data["description"],
        ),
    )
    if saved is not None:
        messages.success(request, _("Rådgivningen er gemt."))
        if saved.outcome == CounsellingOutcome.CONCERN:
            return redirect(saved.get_absolute_url())
        return redirect(request.path)
    context = {"form": form, "breadcrumbs": crumbs(*prevention_trail(), _("Rådgivning"))}
    return render(
        request, "prevention/counselling.html", context, status=422 if form.errors else 200
    )
