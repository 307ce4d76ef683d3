"""Correcting a concern (category, date, young person; logged old → new with a reason) and
joining a concern already triaged to an existing case. Refused input shows the concern page
again with the form's errors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import permissions, services
from cases.forms import CaseAttachForm, ConcernCorrectionForm
from cases.views.concerns import concern_page
from ssp.views.helpers import require, save_with_service


@login_required
@require_POST
def concern_correct(request: HttpRequest, pk: int) -> HttpResponse:
    concern = permissions.concern_for_user_or_404(request.user, pk)
    require(permissions.can_correct_concern(request.user, concern))
    form = ConcernCorrectionForm(request.POST, user=request.user, concern=concern)
    saved = save_with_service(
        request,
        form,
        lambda data: services.concern_correct(
            concern=concern,
            changed_by=request.user,
            reason=data["reason"],
            category=data["category"],
            observed_on=data["observed_on"],
            young_person=data.get("young_person"),
        ),
    )
    if saved is None:
        return concern_page(request, concern, correction_form=form)
    messages.success(request, _("Rettelsen er gemt. Den oprindelige bekymring kan stadig læses."))
    return redirect(concern)


@login_required
@require_POST
def concern_attach(request: HttpRequest, pk: int) -> HttpResponse:
    concern = permissions.concern_for_user_or_404(request.user, pk)
    require(permissions.can_triage(request.user, concern.municipality_id))
    form = CaseAttachForm(request.POST, user=request.user, concern=concern)
    saved = save_with_service(
        request,
        form,
        lambda data: services.concern_attach_to_case(
            concern=concern, case=data["case"], by=request.user, reason=data["reason"]
        ),
    )
    if saved is None:
        return concern_page(request, concern, attach_form=form)
    messages.success(request, _("Bekymringen er knyttet til sagen."))
    return redirect(saved.case)
