"""A municipality's escalation settings (the ladder, the SMS gateway, absences and stand-ins,
routing rules by category) and the notification follow-through on a concern.

Who may open what is in `cases.escalation_access`: the consultants and administrators of the
municipality run the settings page; only the consultants make routing rules. Anyone else gets
404. The page shows no case content, and never the gateway's token.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import escalation_access, permissions, services
from cases.forms import (
    AbsenceForm,
    EscalationStepForm,
    NotificationRecordForm,
    RoutingRuleForm,
    SmsGatewayForm,
)
from cases.models import (
    BasisOrigin,
    EscalationSettings,
    EscalationStep,
    NotificationTask,
    RoutingRule,
)
from forum import absences
from forum.models import Absence, Municipality
from ssp.forms import DkfdsFormMixin
from ssp.navigation import crumbs
from ssp.views.forms import form_page
from ssp.views.helpers import require, save_with_service


def _settings_url(municipality: Municipality) -> str:
    return reverse("cases:escalation_settings", kwargs={"municipality_id": municipality.pk})


def _settings_page(
    request: HttpRequest, municipality: Municipality, **forms: DkfdsFormMixin
) -> HttpResponse:
    """The settings page, with a refused form (and its errors) in place of the blank one."""
    routes = escalation_access.can_manage_routing(request.user, municipality)
    config = (
        EscalationSettings.objects.filter(municipality=municipality)
        .select_related("sms_gateway")
        .first()
    )
    context = {
        "municipality": municipality,
        "steps": EscalationStep.objects.filter(municipality=municipality),
        "gateway": config.sms_gateway if config else None,
        "absences": absences.absences_of(municipality),
        "rules": RoutingRule.objects.filter(municipality=municipality).select_related(
            "category", "user", "body"
        )
        if routes
        else None,
        "step_form": forms.get("step_form") or EscalationStepForm(),
        "absence_form": forms.get("absence_form") or AbsenceForm(municipality=municipality),
        "rule_form": (forms.get("rule_form") or RoutingRuleForm(municipality=municipality))
        if routes
        else None,
        "breadcrumbs": crumbs(municipality.name, _("Eskalering og stedfortrædere")),
    }
    refused = any(form.errors for form in forms.values())
    return render(
        request, "cases/escalation_settings.html", context, status=422 if refused else 200
    )


@login_required
def escalation_settings(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = escalation_access.escalation_municipality_or_404(request.user, municipality_id)
    return _settings_page(request, municipality)


@login_required
@require_POST
def escalation_step_add(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = escalation_access.escalation_municipality_or_404(request.user, municipality_id)
    form = EscalationStepForm(request.POST)
    step = save_with_service(
        request,
        form,
        lambda data: services.escalation_step_add(
            municipality=municipality, by=request.user, **data
        ),
    )
    if step is None:
        return _settings_page(request, municipality, step_form=form)
    messages.success(request, _("Trinnet er tilføjet."))
    return redirect(_settings_url(municipality))


@login_required
@require_POST
def escalation_step_delete(request: HttpRequest, municipality_id: int, pk: int) -> HttpResponse:
    municipality = escalation_access.escalation_municipality_or_404(request.user, municipality_id)
    step = get_object_or_404(EscalationStep, pk=pk, municipality=municipality)
    services.escalation_step_delete(step=step)
    messages.success(request, _("Trinnet er fjernet."))
    return redirect(_settings_url(municipality))


@login_required
def sms_gateway_edit(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = escalation_access.escalation_municipality_or_404(request.user, municipality_id)
    gateway = services.sms_gateway_of(municipality) or getattr(
        EscalationSettings.objects.filter(municipality=municipality).first(), "sms_gateway", None
    )
    initial = (
        {"url": gateway.url, "sender": gateway.sender, "is_active": gateway.is_active}
        if gateway
        else {"is_active": True}
    )
    back = _settings_url(municipality)
    return form_page(
        request,
        SmsGatewayForm(request.POST or None, initial=initial),
        trail=[(municipality.name, back)],
        heading=_("SMS-gateway"),
        intro=_(
            "Beskeder om bekymringer, der haster, kan sendes som SMS gennem kommunens egen "
            "SMS-leverandør. Beskeden sendes som JSON med nøglen som bearer token og indeholder "
            "aldrig navne, kun et link."
        ),
        save=lambda data: services.escalation_sms_gateway_set(
            municipality=municipality, by=request.user, **data
        ),
        done=_("SMS-gatewayen er gemt."),
        back=back,
        next_url=back,
    )


@login_required
@require_POST
def absence_add(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = escalation_access.escalation_municipality_or_404(request.user, municipality_id)
    form = AbsenceForm(request.POST, municipality=municipality)
    absence = save_with_service(
        request,
        form,
        lambda data: absences.absence_add(municipality=municipality, by=request.user, **data),
    )
    if absence is None:
        return _settings_page(request, municipality, absence_form=form)
    messages.success(request, _("Fraværet er registreret."))
    return redirect(_settings_url(municipality))


@login_required
@require_POST
def absence_delete(request: HttpRequest, municipality_id: int, pk: int) -> HttpResponse:
    municipality = escalation_access.escalation_municipality_or_404(request.user, municipality_id)
    absence = get_object_or_404(Absence, pk=pk, municipality=municipality)
    absences.absence_delete(absence=absence)
    messages.success(request, _("Fraværet er slettet."))
    return redirect(_settings_url(municipality))


@login_required
@require_POST
def routing_rule_add(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = escalation_access.escalation_municipality_or_404(request.user, municipality_id)
    require(escalation_access.can_manage_routing(request.user, municipality))
    form = RoutingRuleForm(request.POST, municipality=municipality)
    rule = save_with_service(
        request,
        form,
        lambda data: services.routing_rule_add(municipality=municipality, by=request.user, **data),
    )
    if rule is None:
        return _settings_page(request, municipality, rule_form=form)
    messages.success(request, _("Reglen er gemt."))
    return redirect(_settings_url(municipality))


@login_required
@require_POST
def routing_rule_delete(request: HttpRequest, municipality_id: int, pk: int) -> HttpResponse:
    municipality = escalation_access.escalation_municipality_or_404(request.user, municipality_id)
    require(escalation_access.can_manage_routing(request.user, municipality))
    rule = get_object_or_404(RoutingRule, pk=pk, municipality=municipality)
    services.routing_rule_delete(rule=rule, by=request.user)
    messages.success(request, _("Reglen er slettet."))
    return redirect(_settings_url(municipality))


# --- On the concern page ---------------------------------------------------------------------


def can_record_notification(user, concern, task: NotificationTask | None) -> bool:  # type: ignore[no-untyped-def]
    """Record that the notification was sent: the task's responsible person, the reporter, and
    the consultants who triage the concern."""
    if task is None or not task.is_open:
        return False
    return user.pk in (task.responsible_id, concern.author_id) or permissions.can_triage(
        user, concern.municipality_id
    )


def concern_escalation_context(user, concern, *, triages: bool) -> dict:  # type: ignore[no-untyped-def]
    """What the concern page shows of this module: the notification task (and its form for
    whoever may record it) and, for the consultants, the routing rules and escalation steps
    that have reached others."""
    task = NotificationTask.objects.filter(concern=concern).select_related("recorded_by").first()
    may_record = (
        task is not None
        and task.is_open
        and (triages or user.pk in (task.responsible_id, concern.author_id))
    )
    return {
        "notification_task": task,
        "notification_form": NotificationRecordForm() if may_record else None,
        "routed_by_rules": list(
            concern.bases.filter(origin=BasisOrigin.ROUTING_RULE).select_related("user", "body")
        )
        if triages
        else [],
        "escalations": list(concern.escalations.all()) if triages else [],
    }


@login_required
def concern_notification_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record when and by whom the notification under Barnets lov was sent."""
    concern = permissions.concern_for_user_or_404(request.user, pk)
    task = NotificationTask.objects.filter(concern=concern).first()
    require(can_record_notification(request.user, concern, task))
    back = concern.get_absolute_url()
    return form_page(
        request,
        NotificationRecordForm(request.POST or None),
        trail=[(str(concern), back)],
        heading=_("Registrér, at underretningen er sendt"),
        intro=_(
            "Systemet sender ikke selv underretningen. Her registrerer du, hvornår og af hvem "
            "den blev sendt til kommunen, så påmindelserne stopper."
        ),
        save=lambda data: services.concern_notification_record(
            concern=concern, by=request.user, **data
        ),
        done=_("Det er registreret, at underretningen er sendt."),
        back=back,
        next_url=back,
    )
