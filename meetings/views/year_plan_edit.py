"""Editing a school team's laid year plan's coming meetings (`services.year_plan_edit`); its
activities are edited on the prevention app's page. Who organises the team's meetings edits
its plan; anyone else who sees the team gets 403."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings import selectors, services
from meetings.forms import YearPlanEditForm
from meetings.models import SchoolYearPlan, school_year_label, school_year_of
from meetings.services import PlanChanges
from meetings.views.common import meetings_trail, organised_body
from meetings.views.school_year import MAX_SCHOOL_YEARS_AWAY
from ssp.views.forms import form_page


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
