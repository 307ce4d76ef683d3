"""The case's ad-hoc group and its coordinator, who coordinates the case too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import permissions, services
from cases.forms import AdhocGroupCreateForm, AdhocGroupForm, CoordinatorForm
from cases.views.cases import case_lead, case_trail, logged
from forum.models import Membership
from ssp.views.forms import form_page
from ssp.views.helpers import require


@login_required
def group_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Form the ad-hoc group with its coordinator, or add a member to it."""
    case = permissions.case_for_user_or_404(request.user, pk)
    require(permissions.can_steer_case(request.user, case))
    if case.adhoc_group_id is None:
        form: Form = AdhocGroupCreateForm(request.POST or None, case=case)
        heading, submit = _("Opret ad hoc-gruppe"), _("Opret gruppen")

        def save(data: dict) -> object:
            return services.adhoc_group_form(
                case=case, by=request.user, coordinator=data["coordinator"]
            )
    else:
        form = AdhocGroupForm(request.POST or None, case=case)
        heading, submit = _("Tilføj til ad hoc-gruppen"), ""

        def save(data: dict) -> object:
            return services.adhoc_member_add(
                case=case, by=request.user, person=data["person"], basis=form.member_basis()
            )

    response = form_page(
        request,
        form,
        trail=case_trail(case),
        heading=heading,
        intro=case_lead(case),
        save=save,
        submit=submit,
        done=_("Ad hoc-gruppen er opdateret."),
        back=case.get_absolute_url(),
        next_url=case.get_absolute_url(),
    )
    return logged(request, case, response)


@login_required
def coordinator_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the coordinator of the case and its ad-hoc group."""
    case = permissions.case_for_user_or_404(request.user, pk)
    require(permissions.can_steer_case(request.user, case))
    form = CoordinatorForm(
        request.POST or None, case=case, initial={"coordinator": case.coordinator_id}
    )
    response = form_page(
        request,
        form,
        trail=case_trail(case),
        heading=_("Skift tovholder"),
        intro=case_lead(case),
        save=lambda data: services.case_coordinator_change(
            case=case, by=request.user, coordinator=data["coordinator"]
        ),
        done=_("Tovholderen er skiftet."),
        back=case.get_absolute_url(),
        next_url=case.get_absolute_url(),
    )
    return logged(request, case, response)


@login_required
@require_POST
def group_remove(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    case = permissions.case_for_user_or_404(request.user, pk)
    require(permissions.can_steer_case(request.user, case))
    membership = get_object_or_404(Membership, pk=membership_id, body_id=case.adhoc_group_id)
    try:
        services.adhoc_member_remove(case=case, by=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Personen er fjernet fra ad hoc-gruppen."))
    return redirect(case)


@login_required
@require_POST
def group_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.case_for_user_or_404(request.user, pk)
    require(permissions.can_steer_case(request.user, case))
    try:
        services.adhoc_group_close(case=case, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Ad hoc-gruppen er lukket."))
    return redirect(case)
