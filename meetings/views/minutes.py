"""Minutes, decisions and tasks of a held meeting, the minutes PDF, and agenda attachments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meetings import minutes, permissions, selectors, services
from meetings.forms import (
    AttachmentForm,
    CaseDecisionForm,
    DecisionForm,
    MinutesForm,
)
from meetings.models import (
    AgendaAttachment,
    Meeting,
)
from meetings.views.common import (
    log_case_items,
    managed_meeting,
    meetings_trail,
    run_on_open_meeting,
)
from ssp.audit import audit_log
from ssp.models import AuditAction
from ssp.uploads import file_name_for_type
from ssp.views.forms import form_page
from ssp.views.helpers import require, save_with_service


@login_required
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    items = [item for item in selectors.agenda(meeting, request.user) if not item.redacted]
    form = MinutesForm(request.POST or None, items=items)
    response = form_page(
        request,
        form,
        trail=meetings_trail(),
        heading=_("Referat: %(title)s") % {"title": meeting.title},
        intro=_(
            "Skriv referatet punkt for punkt. Tom linje giver nyt afsnit. Referatet kan rettes, "
            "indtil det er godkendt."
        ),
        save=lambda data: services.minutes_write(
            meeting=meeting, texts=form.texts(), by=request.user
        ),
        done=_("Referatet er gemt."),
        back=meeting.get_absolute_url(),
    )
    if response.status_code != 302:
        log_case_items(request, meeting, items)
    return response


@login_required
@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    if run_on_open_meeting(
        request, lambda: services.minutes_approve(meeting=meeting, by=request.user)
    ):
        messages.success(
            request, _("Referatet er godkendt og låst, og deltagerne har fået besked.")
        )
    return redirect(meeting)


@login_required
def decision_add(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    item = permissions.agenda_item_for_user_or_404(request.user, meeting, item_id)
    form_class = CaseDecisionForm if item.case_id else DecisionForm
    form = form_class(request.POST or None, meeting=meeting)

    def save(data: dict) -> Meeting:
        services.decision_add(
            item=item,
            by=request.user,
            text=data["text"],
            task_title=data["task_title"],
            responsible=data["responsible"],
            due_on=data["due_on"],
            share_with_body=data.get("share_with_body"),
            share_with_user=data.get("share_with_user"),
            share_purpose=data.get("share_purpose", ""),
            criteria=form.criteria if item.case_id else None,
        )
        return meeting

    response = form_page(
        request,
        form,
        trail=meetings_trail(),
        heading=_("Beslutning under »%(title)s«") % {"title": item},
        save=save,
        done=_("Beslutningen er skrevet i referatet."),
        back=meeting.get_absolute_url(),
    )
    if response.status_code != 302:
        log_case_items(request, meeting, [item])
    return response


@login_required
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    task = permissions.task_for_user_or_404(request.user, task_id)
    require(permissions.can_close_task(request.user, task))
    meeting = task.decision.item.meeting
    services.task_mark_done(task=task, by=request.user)
    messages.success(request, _("Opgaven er markeret som løst."))
    if request.POST.get("next") == "dashboard":
        return redirect("dashboard")
    return redirect(meeting)


@login_required
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = permissions.meeting_for_user_or_404(request.user, pk)
    agenda = selectors.agenda(meeting, request.user)
    # The PDF names the young people of the items the reader may see.
    log_case_items(request, meeting, agenda)
    response = HttpResponse(
        minutes.minutes_pdf(meeting, request.user, agenda=agenda), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="referat-{meeting.pk}.pdf"'
    return response


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    item = permissions.agenda_item_for_user_or_404(request.user, meeting, item_id)
    form = AttachmentForm(request.POST, request.FILES)
    if save_with_service(
        request,
        form,
        lambda data: services.attachment_add(item=item, by=request.user, upload=data["file"]),
    ):
        messages.success(request, _("Filen er vedhæftet punktet."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(meeting)


def _attachment(request: HttpRequest, meeting: Meeting, attachment_id: int) -> AgendaAttachment:
    attachment = get_object_or_404(
        AgendaAttachment.objects.select_related("item"), pk=attachment_id, item__meeting=meeting
    )
    permissions.agenda_item_for_user_or_404(request.user, meeting, attachment.item_id)
    return attachment


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    meeting = permissions.meeting_for_user_or_404(request.user, pk)
    attachment = _attachment(request, meeting, attachment_id)
    if attachment.item.case_id is not None:
        audit_log(
            user=request.user,
            action=AuditAction.VIEW,
            obj=attachment.item.case,
            subject_id=attachment.item.case.young_person_id,
            purpose=_("Bilag til dagsorden: %(meeting)s") % {"meeting": meeting.title},
        )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        # Named by the type it is served as, also for files stored before names followed it.
        filename=file_name_for_type(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    attachment = _attachment(request, meeting, attachment_id)
    if run_on_open_meeting(
        request, lambda: services.attachment_remove(attachment=attachment, by=request.user)
    ):
        messages.success(request, _("Bilaget er fjernet."))
    return redirect(meeting)
