"""The school year: the school teams' planning meeting (in September, or later for a team
that missed it) and year plans, and the consultant's overview. Editing a laid plan's meetings
is `meetings.views.year_plan_edit`; the year wheel's activities and the municipality's
teaching and activity plan are the prevention app's pages."""

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
from django.utils.formats import date_format
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
    today = timezone.localdate()
    current = school_year_of(today)
    year = _school_year_param(request, current)
    plan = selectors.year_plan(body, year)
    planning = services.planning_meeting_of(body, year)
    year_over = services.school_year_bounds(year)[1] < today
    can_organise = permissions.can_organise(request.user, body) and not year_over
    september_passed = services.september_passed(year, today)
    context = {
        "body": body,
        "school_year": year,
        "school_year_label": school_year_label(year),
        "school_year_last": services.school_year_bounds(year)[1],
        "previous_year": year - 1,
        "next_year": year + 1,
        "planning_meeting": planning,
        "plan": plan,
        "plan_meetings": selectors.plan_meetings(request.user, plan) if plan else [],
        "activities": hooks.year_wheel().of_plan(plan) if plan else [],
        "wheel_edit_url": hooks.year_wheel().edit_url(plan) if plan else "",
        "year_over": year_over,
        "september_passed": september_passed,
        # After September a team without a plan plans what remains of the year.
        "mid_year": september_passed and not year_over and plan is None,
        "can_schedule_planning": can_organise and plan is None and planning is None,
        "can_lay_plan": can_organise and plan is None and (planning or september_passed),
        "can_edit_plan": can_organise and plan is not None,
        "minimum_meetings": services.minimum_meetings(year, today),
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
    today = timezone.localdate()
    september = date(year, services.PLANNING_MONTH, 1)
    label = school_year_label(year)
    if services.september_passed(year, today):
        # September is gone: a planning meeting for what remains, in the weeks ahead.
        heading = _("Planlæg et planlægningsmøde")
        intro = _(
            "Septembermødet blev ikke holdt. På et planlægningsmøde aftaler %(body)s resten af "
            "skoleårets møder og aktiviteter for %(year)s; mødet kan ligge på en hvilken som "
            "helst dag frem til %(last)s."
        ) % {
            "body": body.name,
            "year": label,
            "last": date_format(services.school_year_bounds(year)[1], "DATE_FORMAT"),
        }
        first = today + timedelta(days=1)
        period = (first, first + timedelta(days=30))
    else:
        heading = _("Planlæg septembermødet")
        intro = _(
            "På septembermødet aftaler %(body)s skoleårets møder og aktiviteter for %(year)s."
        ) % {"body": body.name, "year": label}
        first = max(september, today + timedelta(days=1))
        period = (september, september.replace(day=30))
    form = MeetingForm(
        request.POST or None,
        initial={"title": _("Planlægningsmøde %(year)s") % {"year": label}, "date": first},
    )
    back = _year_plan_url(body, year)
    return form_page(
        request,
        form,
        trail=meetings_trail((_("Årsplan %(year)s") % {"year": label}, back)),
        heading=heading,
        intro=intro,
        save=lambda data: services.planning_meeting_schedule(
            body=body,
            organiser=request.user,
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            location=data["location"],
            online_url=data["online_url"],
            school_year=year,
        ),
        done=_("Planlægningsmødet er planlagt, og teamet er inviteret."),
        back=back,
        next_url=back,
        submit=_("Planlæg og inviter teamet"),
        template="meetings/planning_meeting_form.html",
        context={
            "conflicts": services.member_conflicts(body, *period),
            "conflict_period": period,
            "in_september": period[0] == september,
        },
    )


@login_required
def year_plan_create(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    body = _school_team_or_404(organised_body(request, body_id))
    _check_year(year)
    today = timezone.localdate()
    planning = services.planning_meeting_of(body, year)
    start = (
        timezone.localdate(planning.starts_at) if planning else services.school_year_bounds(year)[0]
    )
    form = YearPlanForm(
        request.POST or None,
        initial={
            "title": body.name,
            "first_date": max(start + timedelta(weeks=2), today + timedelta(weeks=1)),
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
        "mid_year": services.september_passed(year, today),
        "minimum_meetings": services.minimum_meetings(year, today),
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
