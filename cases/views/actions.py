"""Actions on a case: added, given a responsible person, marked done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import permissions, services
from cases.forms import ActionAssignForm, ActionForm
from cases.views.cases import case_lead, case_trail, logged
from ssp.views.forms import form_page
from ssp.views.helpers import require


@login_required
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    # Its own page: the choices are too long to render on every case page.
    case = permissions.case_for_user_or_404(request.user, pk)
    require(permissions.can_work_on_case(request.user, case))
    response = form_page(
        request,
        ActionForm(request.POST or None, case=case),
        trail=case_trail(case),
        heading=_("Tilføj indsats"),
        intro=case_lead(case),
        save=lambda data: services.action_add(case=case, by=request.user, **data),
        done=_("Indsatsen er tilføjet."),
        back=case.get_absolute_url(),
        next_url=case.get_absolute_url(),
    )
    return logged(request, case, response)


@login_required
def action_assign(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    """Name the person responsible for an action that has none (the coordinator's list)."""
    case = permissions.case_for_user_or_404(request.user, pk)
    require(permissions.can_work_on_case(request.user, case))
    action = get_object_or_404(case.actions, pk=action_id, responsible__isnull=True)
    response = form_page(
        request,
        ActionAssignForm(request.POST or None, case=case),
        trail=case_trail(case),
        heading=_("Vælg ansvarlig"),
        intro=f"{case_lead(case)} · »{action.title}«",
        save=lambda data: services.action_assign(
            action=action, by=request.user, responsible=data["responsible"]
        ),
        done=_("Indsatsen har fået en ansvarlig."),
        back=case.get_absolute_url(),
        next_url=case.get_absolute_url(),
    )
    return logged(request, case, response)


@login_required
@require_POST
def action_complete(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    case = permissions.case_for_user_or_404(request.user, pk)
    require(permissions.can_work_on_case(request.user, case))
    action = get_object_or_404(case.actions, pk=action_id)
    try:
        services.action_complete(action=action, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Indsatsen er markeret som udført."))
    return redirect(case)
