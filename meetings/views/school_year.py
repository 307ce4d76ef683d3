"""The school year: the school teams' September planning meeting and year plans, and the
consultant's overview. The year wheel's activities and the municipality's teaching and
activity plan are the prevention app's pages."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Body, BodyKind
from forum.permissions import body_for_user_or_404
from meetings import hooks, permissions, selectors, services
from meetings.forms import (
    ActivityFormSet,
    MeetingForm,
    YearPlanForm,
)
from meetings.models import (
    school_year_label,
    school_year_of,
)
from meetings.views.common import (
    meetings_trail,
    organised_body,
)
from ssp.navigation import crumbs
from ssp.views.forms import form_page

# How many school years back or ahead the plan pages go.
MAX_SCHOOL_YEARS_AWAY = 10


def _school_team_or_404(body: Body) -> Body:
    if body.kind != BodyKind.SCHOOL_TEAM:
        raise Http404
    return body


def _check_year(year: int) -> None:
    if abs(year - school_year_of(timezone.localdate())) > MAX_SCHOOL_YEARS_AWAY:
        raise Http404


def _school_year_param(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("aar", default))
    except ValueError:
        return default
    return year if abs(year - default) <= MAX_SCHOOL_YEARS_AWAY else default


@login_required
def year_plan(request: HttpRequest, body_id: int) -> HttpResponse:
    body = _school_team_or_404(body_for_user_or_404(request.user, body_id))
    if not permissions.can_see_year_plans(request.user, body):
        raise Http404
    current = school_year_of(timezone.localdate())
    year = _school_year_param(request, current)
    plan = selectors.year_plan(body, year)
    context = {
        "body": body,
        "school_year": year,
        "school_year_label": school_year_label(year),
        "previous_year": year - 1,
        "next_year": year + 1,
        "planning_meeting": services.planning_meeting_of(body, year),
        "plan": plan,
        "plan_meetings": selectors.plan_meetings(request.user, plan) if plan else [],
        "activities": hooks.year_wheel().of_plan(plan) if plan else [],
        "can_organise": permissions.can_organise(request.user, body),
        "september_open": timezone.localdate() <= date(year, services.PLANNING_MONTH, 30),
        "breadcrumbs": crumbs(
            *meetings_trail((body.name, reverse("meetings:body_meetings", args=[body.pk]))),
            _("Årsplan %(year)s") % {"year": school_year_label(year)},
        ),
    }
    return render(request, "meetings/year_plan.html", context)


def _year_plan_url(body: Body, year: int) -> str:
    return f"{reverse('meetings:year_plan', args=[body.pk])}?aar={year}"


@login_required
def planning_meeting_create(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    body = _school_team_or_404(organised_body(request, body_id))
    _check_year(year)
    september = date(year, services.PLANNING_MONTH, 1)
    form = MeetingForm(
        request.POST or None,
        initial={
            "title": _("Planlægningsmøde %(year)s") % {"year": school_year_label(year)},
            "date": max(september, timezone.localdate() + timedelta(days=1)),
        },
    )
    label = school_year_label(year)
    back = _year_plan_url(body, year)
    return form_page(
        request,
        form,
        trail=meetings_trail((_("Årsplan %(year)s") % {"year": label}, back)),
        heading=_("Planlæg septembermødet"),
        intro=_("På septembermødet aftaler %(body)s skoleårets møder og aktiviteter for %(year)s.")
        % {"body": body.name, "year": label},
        save=lambda data: services.planning_meeting_schedule(
            body=body,
            organiser=request.user,
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            location=data["location"],
            online_url=data["online_url"],
        ),
        done=_("Planlægningsmødet er planlagt, og teamet er inviteret."),
        back=back,
        next_url=back,
        submit=_("Planlæg og inviter teamet"),
        template="meetings/planning_meeting_form.html",
        context={
            "conflicts": services.member_conflicts(body, september, september.replace(day=30))
        },
    )


@login_required
def year_plan_create(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    body = _school_team_or_404(organised_body(request, body_id))
    _check_year(year)
    planning = services.planning_meeting_of(body, year)
    start = (
        timezone.localdate(planning.starts_at) if planning else services.school_year_bounds(year)[0]
    )
    form = YearPlanForm(
        request.POST or None,
        initial={
            "title": body.name,
            "first_date": start + timedelta(weeks=2),
            "last_date": date(year + 1, 6, 15),
        },
    )
    activities = ActivityFormSet(
        request.POST or None, form_kwargs={"body": body}, prefix="activities"
    )
    if request.method == "POST" and form.is_valid() and activities.is_valid():
        try:
            services.year_plan_create(
                body=body,
                by=request.user,
                school_year=year,
                activities=[
                    services.NewActivity(**row.cleaned_data)
                    for row in activities
                    if row.has_changed() and row.cleaned_data
                ],
                **form.cleaned_data,
            )
        except ValidationError as error:
            _split_plan_errors(error, form, activities)
        else:
            messages.success(request, _("Skoleårets plan er lagt, og teamet har fået møderne."))
            return redirect(_year_plan_url(body, year))
    label = school_year_label(year)
    context = {
        "body": body,
        "form": form,
        "activities": activities,
        "school_year_label": label,
        "planning_meeting": planning,
        "back": _year_plan_url(body, year),
        "breadcrumbs": crumbs(
            *meetings_trail((_("Årsplan %(year)s") % {"year": label}, _year_plan_url(body, year))),
            _("Læg skoleårets plan"),
        ),
    }
    has_errors = bool(form.errors or activities.total_error_count())
    return render(
        request, "meetings/year_plan_form.html", context, status=422 if has_errors else 200
    )


def _split_plan_errors(error: ValidationError, form: Form, activities: BaseFormSet) -> None:
    """Put the service's errors about activities on the formset, the rest on the form."""
    if not hasattr(error, "error_dict"):
        form.add_service_error(error)
        return
    for field, messages_ in error.error_dict.items():
        if field == "activities":
            activities.non_form_errors().extend(m for e in messages_ for m in e.messages)
        else:
            form.add_service_error(ValidationError({field: messages_}))


@login_required
def school_year_overview(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """The SSP consultant's view of every school team: planning meeting and plan, or not."""
    municipality = get_object_or_404(
        permissions.municipalities_overseen_by(request.user), pk=municipality_id
    )
    year = _school_year_param(request, school_year_of(timezone.localdate()))
    context = {
        "municipality": municipality,
        "school_year": year,
        "school_year_label": school_year_label(year),
        "previous_year": year - 1,
        "next_year": year + 1,
        "rows": selectors.school_year_overview(municipality, year),
    }
    return render(request, "meetings/school_year_overview.html", context)
