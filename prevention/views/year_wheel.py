"""Editing the coming activities of a school team's laid year plan: when, and who is
responsible. Who organises the team's meetings edits its year wheel; anyone else who sees the
team gets 403 (`meetings.views.common.organised_body`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings import selectors as meeting_selectors
from meetings.models import school_year_label, school_year_of
from meetings.views.common import meetings_trail, organised_body
from meetings.views.school_year import MAX_SCHOOL_YEARS_AWAY
from prevention import services
from prevention.forms import YearWheelEditForm
from ssp.navigation import crumbs
from ssp.views.helpers import save_with_service


@login_required
def year_wheel_edit(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    body = organised_body(request, body_id)
    if abs(year - school_year_of(timezone.localdate())) > MAX_SCHOOL_YEARS_AWAY:
        raise Http404
    plan = meeting_selectors.year_plan(body, year)
    if plan is None:
        raise Http404
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
    return render(request, "prevention/year_wheel_form.html", context, status=status)
