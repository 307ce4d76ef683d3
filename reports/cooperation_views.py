"""The Kredsråd's samarbejdsplan: the list, a draft started from the data, its sections edited,
refreshed from the data, approved at a Kredsråd meeting, and printed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from prevention.forms import ApprovalForm
from reports import cooperation, permissions
from reports.forms import CooperationPlanCreateForm, CooperationPlanEditForm
from reports.models import CooperationPlan
from ssp.pdf import render_pdf
from ssp.views.helpers import require, save_with_service


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    kredsraads = list(
        permissions.kredsraads_readable_by(request.user)
        .select_related("police_district")
        .order_by("name")
    )
    editable = set(permissions.kredsraads_editable_by(request.user).values_list("pk", flat=True))
    plans = permissions.cooperation_plans_visible_to(request.user).select_related("kredsraad")
    by_kredsraad: dict[int, list[CooperationPlan]] = {k.pk: [] for k in kredsraads}
    for plan in plans:
        by_kredsraad[plan.kredsraad_id].append(plan)
    year = timezone.localdate().year + 1
    rows = [
        (
            kredsraad,
            by_kredsraad[kredsraad.pk],
            CooperationPlanCreateForm(initial={"year": year}, prefix=f"k{kredsraad.pk}")
            if kredsraad.pk in editable
            else None,
        )
        for kredsraad in kredsraads
    ]
    return render(request, "reports/cooperation_list.html", {"rows": rows})


@login_required
@require_POST
def plan_create(request: HttpRequest, kredsraad_id: int) -> HttpResponse:
    kredsraad = permissions.kredsraad_for_user_or_404(request.user, kredsraad_id)
    require(permissions.can_edit_cooperation_plans(request.user, kredsraad))
    form = CooperationPlanCreateForm(request.POST, prefix=f"k{kredsraad.pk}")
    plan = save_with_service(
        request,
        form,
        lambda data: cooperation.cooperation_plan_draft(
            kredsraad=kredsraad, year=data["year"], by=request.user
        ),
    )
    if plan is None:
        return render(
            request,
            "reports/cooperation_list.html",
            {"rows": [(kredsraad, list(kredsraad.cooperation_plans.all()), form)]},
            status=422,
        )
    messages.success(request, _("Udkastet er lavet ud fra kommunernes planer og tal."))
    return redirect(plan.get_absolute_url())


def _plan_page(
    request: HttpRequest,
    plan: CooperationPlan,
    *,
    edit_form: CooperationPlanEditForm | None = None,
    approval_form: ApprovalForm | None = None,
    status: int = 200,
) -> HttpResponse:
    sections = list(plan.sections.select_related("edited_by"))
    may_edit = permissions.can_edit_cooperation_plans(request.user, plan.kredsraad)
    if may_edit and not plan.is_approved:
        edit_form = edit_form or CooperationPlanEditForm(sections=sections)
        approval_form = approval_form or ApprovalForm(meetings=cooperation.approval_meetings(plan))
    else:
        edit_form = approval_form = None
    context = {
        "plan": plan,
        "sections": sections,
        "edit_form": edit_form,
        "approval_form": approval_form,
        "municipalities": cooperation.member_municipalities(plan.kredsraad),
    }
    return render(request, "reports/cooperation_plan.html", context, status=status)


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = permissions.cooperation_plan_for_user_or_404(request.user, pk)
    return _plan_page(request, plan)


def _editable_draft(request: HttpRequest, pk: int) -> CooperationPlan | HttpResponse:
    plan = permissions.cooperation_plan_for_user_or_404(request.user, pk)
    require(permissions.can_edit_cooperation_plans(request.user, plan.kredsraad))
    if plan.is_approved:
        # A form left open in another tab: nothing more to change.
        messages.info(request, _("Samarbejdsplanen er godkendt og kan ikke ændres."))
        return redirect(plan.get_absolute_url())
    return plan


@login_required
@require_POST
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_draft(request, pk)
    if isinstance(plan, HttpResponse):
        return plan
    form = CooperationPlanEditForm(request.POST, sections=list(plan.sections.all()))
    saved = save_with_service(
        request,
        form,
        lambda _data: cooperation.cooperation_plan_edit(
            plan=plan, texts=form.texts(), by=request.user
        ),
    )
    if saved is None:
        return _plan_page(request, plan, edit_form=form, status=422)
    messages.success(request, _("Dine ændringer er gemt."))
    return redirect(plan.get_absolute_url())


@login_required
@require_POST
def plan_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_draft(request, pk)
    if isinstance(plan, HttpResponse):
        return plan
    cooperation.cooperation_plan_refresh(plan=plan)
    messages.success(
        request, _("Tallene og planerne er hentet igen. Afsnit, I har rettet, er bevaret.")
    )
    return redirect(plan.get_absolute_url())


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_draft(request, pk)
    if isinstance(plan, HttpResponse):
        return plan
    form = ApprovalForm(request.POST, meetings=cooperation.approval_meetings(plan))
    saved = save_with_service(
        request,
        form,
        lambda data: cooperation.cooperation_plan_approve(
            plan=plan, meeting=data["meeting"], by=request.user, note=data["note"]
        ),
    )
    if saved is None:
        return _plan_page(request, plan, approval_form=form, status=422)
    messages.success(request, _("Godkendelsen er registreret."))
    return redirect(plan.get_absolute_url())


def _print_html(plan: CooperationPlan) -> str:
    with translation.override("da"):
        return render_to_string(
            "reports/cooperation_print.html",
            {
                "plan": plan,
                "sections": list(plan.sections.all()),
                "printed_at": timezone.now(),
            },
        )


@login_required
@require_GET
def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    plan = permissions.cooperation_plan_for_user_or_404(request.user, pk)
    return HttpResponse(_print_html(plan))


@login_required
@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = permissions.cooperation_plan_for_user_or_404(request.user, pk)
    response = HttpResponse(
        render_pdf(_print_html(plan), pdf_variant="pdf/ua-1"), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="samarbejdsplan-{plan.year}.pdf"'
    return response
