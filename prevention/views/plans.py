"""Projects and annual plans of a body, their approval at a meeting, and the municipality's
teaching and activity plan (the school teams' year wheels, approved by the SSP-Følgegruppe)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.permissions import municipalities_visible_to
from meetings.models import school_year_label, school_year_of
from prevention import permissions, selectors, services
from prevention.forms import ApprovalForm, PlanForm, ProjectForm
from prevention.views.common import body_trail, led_body, prevention_trail
from ssp.navigation import crumbs
from ssp.views.forms import form_page
from ssp.views.helpers import require, save_with_service

MAX_SCHOOL_YEARS_AWAY = 10


@login_required
def project_create(request: HttpRequest, body_id: int) -> HttpResponse:
    body = led_body(request, body_id)
    today = timezone.localdate()
    form = ProjectForm(
        request.POST or None,
        initial={"starts_on": today, "ends_on": date(today.year, 12, 31)},
    )
    return form_page(
        request,
        form,
        trail=body_trail(body),
        heading=_("Nyt projekt"),
        save=lambda data: services.project_create(body=body, by=request.user, **data),
        done=_("Projektet er oprettet."),
        back=reverse("prevention:body", args=[body.pk]),
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = permissions.project_for_user_or_404(request.user, pk)
    activities = project.activities.select_related("school").order_by("planned_on", "pk")
    context = {
        "project": project,
        "activities": activities,
        "tally": selectors.tally(project.activities.all()),
        "can_lead": permissions.can_lead(request.user, project.body),
        "can_log": permissions.can_log_for(request.user, project.body),
        "breadcrumbs": crumbs(*body_trail(project.body), project.title),
    }
    return render(request, "prevention/project_detail.html", context)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = permissions.project_for_user_or_404(request.user, pk)
    require(permissions.can_lead(request.user, project.body))
    fields = ProjectForm.base_fields
    form = ProjectForm(
        request.POST or None, initial={name: getattr(project, name) for name in fields}
    )
    return form_page(
        request,
        form,
        trail=[*body_trail(project.body), (project.title, project.get_absolute_url())],
        heading=_("Ret projektet"),
        save=lambda data: services.project_update(project=project, by=request.user, **data),
        done=_("Projektet er rettet."),
        back=project.get_absolute_url(),
    )


@login_required
def plan_create(request: HttpRequest, body_id: int) -> HttpResponse:
    body = led_body(request, body_id)
    year = timezone.localdate().year + 1
    form = PlanForm(
        request.POST or None,
        body=body,
        initial={
            "title": _("Årsplan %(year)s for %(body)s") % {"year": year, "body": body.name},
            "starts_on": date(year, 1, 1),
            "ends_on": date(year, 12, 31),
        },
    )
    return form_page(
        request,
        form,
        trail=body_trail(body),
        heading=_("Ny årsplan"),
        intro=_(
            "Planen samler organets projekter og årets aktiviteter. Den godkendes på et af "
            "organets møder."
        ),
        save=lambda data: services.plan_create(body=body, by=request.user, **data),
        done=_("Årsplanen er oprettet."),
        back=reverse("prevention:body", args=[body.pk]),
    )


def _plan_page(
    request: HttpRequest, pk: int, form: ApprovalForm | None, status: int
) -> HttpResponse:
    plan = permissions.plan_for_user_or_404(request.user, pk)
    may_approve = not plan.is_approved and permissions.can_lead(request.user, plan.body)
    if may_approve and form is None:
        form = ApprovalForm(meetings=selectors.approval_meetings(plan))
    context = {
        "plan": plan,
        "covers": list(plan.covers.order_by("name")),
        "contents": selectors.plan_contents(plan),
        "form": form if may_approve else None,
        "breadcrumbs": crumbs(*body_trail(plan.body), plan.title),
    }
    return render(request, "prevention/plan_detail.html", context, status=status)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, pk, None, 200)


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the meeting at which the body approved its plan."""
    plan = permissions.plan_for_user_or_404(request.user, pk)
    require(permissions.can_lead(request.user, plan.body))
    if plan.is_approved:
        # A second click on the approval button: nothing more to do.
        messages.info(request, _("Planen er allerede godkendt."))
        return redirect(plan.get_absolute_url())
    form = ApprovalForm(request.POST, meetings=selectors.approval_meetings(plan))
    saved = save_with_service(
        request,
        form,
        lambda data: services.plan_approve(
            plan=plan, meeting=data["meeting"], by=request.user, note=data["note"]
        ),
    )
    if saved is None:
        return _plan_page(request, pk, form, 422)
    messages.success(request, _("Godkendelsen er registreret."))
    return redirect(plan.get_absolute_url())


def _school_year_param(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("aar", default))
    except ValueError:
        return default
    return year if abs(year - default) <= MAX_SCHOOL_YEARS_AWAY else default


@login_required
def activity_plan(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """The municipality's teaching and activity plan, built from the school teams' year
    wheels, and its approval by the SSP-Følgegruppe (an annual plan of the Følgegruppe)."""
    municipality = get_object_or_404(municipalities_visible_to(request.user), pk=municipality_id)
    if not permissions.can_see_activity_plan(request.user, municipality):
        raise Http404
    year = _school_year_param(request, school_year_of(timezone.localdate()))
    approval = selectors.activity_plan_approval(municipality, year)
    may_approve = permissions.can_approve_activity_plan(request.user, municipality)
    form = ApprovalForm(
        request.POST or None, meetings=selectors.foelgegruppe_meetings(municipality, year)
    )
    if request.method == "POST":
        require(may_approve)
        if approval is not None:
            messages.info(request, _("Planen er allerede godkendt."))
            return redirect(f"{request.path}?aar={year}")
        saved = save_with_service(
            request,
            form,
            lambda data: services.activity_plan_approve(
                municipality=municipality,
                school_year=year,
                meeting=data["meeting"],
                by=request.user,
                note=data["note"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Undervisnings- og aktivitetsplanen er godkendt."))
            return redirect(f"{request.path}?aar={year}")
    context = {
        "municipality": municipality,
        "school_year": year,
        "school_year_label": school_year_label(year),
        "previous_year": year - 1,
        "next_year": year + 1,
        "schools": selectors.municipal_activity_plan(municipality, year),
        "approval": approval,
        "form": form if approval is None and may_approve else None,
        "breadcrumbs": crumbs(
            *prevention_trail(),
            _("Undervisnings- og aktivitetsplan %(year)s") % {"year": school_year_label(year)},
        ),
    }
    return render(
        request, "prevention/activity_plan.html", context, status=422 if form.errors else 200
    )
