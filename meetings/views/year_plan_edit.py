"""Editing a school team's laid year plan: its coming meetings (`services.year_plan_edit`)
and its coming activities' dates and responsible people (`services.year_plan_activities`).
Who organises the team's meetings edits its plan; anyone else who sees the team gets 403."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings import selectors, services
from meetings.forms import YearPlanEditForm, YearWheelEditForm
from meetings.models import SchoolYearPlan, school_year_label, school_year_of
from meetings.services import PlanChanges
from meetings.views.common import meetings_trail, organised_body
from meetings.views.school_year import MAX_SCHOOL_YEARS_AWAY
from ssp.navigation import crumbs
from ssp.views.forms import form_page
from ssp.views.helpers import save_with_service


def _done(changes: PlanChanges) -> str:
    if not changes:
        return _("Planen er gemt; ingen af de kommende møder blev ændret.")
    count = len(changes.changed) + len(changes.added) + len(changes.cancelled)
    return ngettext(
        "Planen er ændret: %(count)s møde er ændret, og teamet har fået besked.",
        "Planen er ændret: %(count)s møder er ændret, og teamet har fået besked.",
        count,
    ) % {"count": count}


def _organised_plan(request: HttpRequest, body_id: int, year: int) -> SchoolYearPlan:
    body = organised_body(request, body_id)
    if abs(year - school_year_of(timezone.localdate())) > MAX_SCHOOL_YEARS_AWAY:
        raise Http404
    plan = selectors.year_plan(body, year)
    if plan is None:
        raise Http404
    return plan


@login_required
def year_plan_edit(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    plan = _organised_plan(request, body_id, year)
    body = plan.body
    if plan.series is None:
        raise Http404
    series = plan.series
    upcoming = services.next_series_date(plan) or timezone.localdate() + timedelta(days=7)
    form = YearPlanEditForm(
        request.POST or None,
        initial={
            "title": series.title,
            "next_date": upcoming,
            "last_date": series.last_date,
            "interval_weeks": series.interval_weeks,
            "start_time": series.start_time,
            "end_time": series.end_time,
            "location": series.location,
        },
    )
    back = plan.get_absolute_url()
    label = school_year_label(year)
    return form_page(
        request,
        form,
        trail=meetings_trail(
            (body.name, reverse("meetings:body_meetings", args=[body.pk])),
            (_("Årsplan %(year)s") % {"year": label}, back),
        ),
        heading=_("Ret årsplanens møder"),
        intro=_(
            "Ændringerne gælder %(body)s' kommende møder i %(year)s. Et møde, der bliver, "
            "beholder sin plads i kalenderen; deltagerne får én mail om ændringen."
        )
        % {"body": body.name, "year": label},
        save=lambda data: services.year_plan_meetings_update(
            plan=plan,
            by=request.user,
            title=data["title"],
            next_date=data["next_date"],
            last_date=data["last_date"],
            interval_weeks=data["interval_weeks"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            location=data["location"],
        ),
        done=_done,
        back=back,
        next_url=back,
        submit=_("Gem og giv teamet besked"),
    )


@login_required
def year_wheel_edit(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    """The year wheel's coming activities: when, and who is responsible."""
    plan = _organised_plan(request, body_id, year)
    body = plan.body
    form = YearWheelEditForm(
        request.POST or None, body=body, activities=services.coming_activities(plan)
    )
    if request.method == "POST":
        saved = save_with_service(
            request,
            form,
            lambda data: services.year_plan_activities_update(
                plan=plan,
                by=request.user,
                changes=[
                    services.ActivityPlanning(activity, planned_on, responsible)
                    for activity, planned_on, responsible in form.changes()
                ],
            ),
        )
        if saved is not None:
            messages.success(
                request,
                ngettext(
                    "%(count)s aktivitet er ændret, og teamet har fået besked.",
                    "%(count)s aktiviteter er ændret, og teamet har fået besked.",
                    saved,
                )
                % {"count": saved}
                if saved
                else _("Ingen aktiviteter blev ændret."),
            )
            return redirect(plan.get_absolute_url())
    label = school_year_label(year)
    context = {
        "body": body,
        "plan": plan,
        "form": form,
        "back": plan.get_absolute_url(),
        "breadcrumbs": crumbs(
            *meetings_trail(
                (body.name, reverse("meetings:body_meetings", args=[body.pk])),
                (_("Årsplan %(year)s") % {"year": label}, plan.get_absolute_url()),
            ),
            _("Ret årshjulets aktiviteter"),
        ),
    }
    status = 422 if form.errors else 200
    return render(request, "meetings/year_wheel_form.html", context, status=status)
