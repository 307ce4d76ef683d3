"""The case list and search, the case page with its timeline, and the work done on a case."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import permissions, selectors, services, subjects, triage
from cases.forms import (
    CaseDetailsForm,
    CaseSearchForm,
    ConsentForm,
    NoteCorrectionForm,
    NoteForm,
    ShareForm,
    StatusForm,
    end_of,
)
from cases.models import Case
from cases.search import SearchParts
from cases.views.access import access_notice
from ssp.audit import audit_log, audit_shown
from ssp.models import AuditAction
from ssp.navigation import crumbs
from ssp.pagination import keyset_list_page
from ssp.views.forms import form_page
from ssp.views.helpers import require, save_with_service

CASE_PAGE_SIZE = 25


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    bodies = selectors.handling_bodies_of(request.user)
    form = CaseSearchForm(request.GET or None, bodies=bodies)
    filters = selectors.CaseFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.CaseFilters(
            query=data["q"],
            status=data["status"],
            body=data["body"].pk if data["body"] else None,
            mine=data["mine"],
        )
    # A refused search shows its message, not every case the user may see.
    found = (
        SearchParts([], 0, False)
        if form.errors
        else selectors.case_list_parts(user=request.user, filters=filters)
    )
    page_obj = keyset_list_page(
        request,
        found.parts,
        key="updated_at",
        per_page=CASE_PAGE_SIZE,
        count=found.count is None,
    )
    if found.count is not None:
        page_obj.count, page_obj.count_is_capped = found.count, found.count_is_capped
    page_obj.object_list = list(selectors.case_list_rows(page_obj.object_list))
    # The list shows young people's names: one row per page (and municipality) names them,
    # a search as a search with its term.
    audit_shown(
        user=request.user,
        action=AuditAction.SEARCH if filters.query else AuditAction.VIEW,
        object_type="cases.case",
        shown=[(case.municipality_id, case.young_person_id) for case in page_obj.object_list],
        search_term=filters.query,
        purpose=_("Søgning i sager") if filters.query else "",
        searched_in=lambda: request.user.municipalities.values_list("pk", flat=True),
    )
    context = {"form": form, "page_obj": page_obj}
    template = "cases/partials/case_results.html" if request.htmx else "cases/case_list.html"
    return render(request, template, context, status=422 if form.errors else 200)


def _case_page(request: HttpRequest, case: Case, **forms: Form) -> HttpResponse:
    user = request.user
    shown = subjects.shown_case_subjects(user, case)
    # Shown again with a form's errors, the page is read again; of a group, only those shown.
    audit_log(
        user=user,
        action=AuditAction.VIEW,
        obj=case,
        subject_id=case.young_person_id,
        shown_subjects=shown.shown_ids,
    )
    abilities = permissions.case_abilities(user, case)
    actions = list(selectors.case_actions(case))
    # Those who steer the case see every basis; read once, they also tell the notice why the
    # reader reads it.
    bases = list(selectors.bases_for_case(case)) if abilities.steer else None
    context = {
        "case": case,
        "subjects": shown,
        "timeline": triage.with_corrections(
            user,
            selectors.case_timeline(
                user=user, case=case, corrects_others=abilities.correct_others_notes
            ),
        ),
        "actions": actions,
        "overdue_count": sum(action.is_overdue for action in actions),
        # The coordinator (or, with none, the consultant who steers the case) is asked to
        # name who is responsible for what nobody owns.
        "unassigned_count": sum(action.is_unassigned for action in actions)
        if case.coordinator_id == user.pk or (case.coordinator_id is None and abilities.steer)
        else 0,
        "consent": selectors.case_consent(case),
        "bases": bases,
        "group_members": selectors.case_group_members(case),
        "abilities": abilities,
        "access": access_notice(user, case, bases=bases),
        "note_form": forms.get("note_form") or (NoteForm() if abilities.add_note else None),
        # Shown in closed sections, fetched when opened; on the page only when sent back
        # with errors.
        "consent_form": forms.get("consent_form"),
        "status_form": forms.get("status_form"),
        "breadcrumbs": crumbs((_("Sager"), reverse("cases:case_list")), case),
    }
    refused = any(form.errors for form in forms.values())
    return render(request, "cases/case_detail.html", context, status=422 if refused else 200)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.case_for_user_or_404(request.user, pk)
    return _case_page(request, case)


def _case_post(
    request: HttpRequest,
    pk: int,
    *,
    form_name: str,
    make_form: Callable[[Case], Form],
    save: Callable[[Case, dict], object],
    done: str,
    allowed: Callable[..., bool],
) -> HttpResponse:
    """Every form on the case page: check, call the service, redirect or show the errors."""
    case = permissions.case_for_user_or_404(request.user, pk)
    require(allowed(request.user, case))
    form = make_form(case)
    if save_with_service(request, form, lambda data: save(case, data)) is None:
        return _case_page(request, case, **{form_name: form})
    messages.success(request, done)
    return redirect(case)


def case_trail(case: Case) -> list[tuple[object, str]]:
    """The breadcrumbs above a page about one case."""
    return [(_("Sager"), reverse("cases:case_list")), (case, case.get_absolute_url())]


def case_lead(case: Case) -> str:
    """Which case a form on a page of its own is about."""
    return f"{case}: {case.subject_label}"


def logged(request: HttpRequest, case: Case, response: HttpResponse) -> HttpResponse:
    """A form page about the case that was shown (not a redirect after saving, which the
    service logged) showed the young person: log it like the case page."""
    if response.status_code != 302:
        audit_log(
            user=request.user, action=AuditAction.VIEW, obj=case, subject_id=case.young_person_id
        )
    return response


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_post(
        request,
        pk,
        form_name="note_form",
        make_form=lambda case: NoteForm(request.POST),
        save=lambda case, data: services.note_add(
            case=case,
            author=request.user,
            text=data["text"],
            restricted_to_sector=data["restricted"],
        ),
        done=_("Notatet er gemt."),
        # Every reader adds their own notes, police included.
        allowed=permissions.can_add_note,
    )


def _case_form(
    request: HttpRequest, pk: int, form: Form, *, allowed: Callable[..., bool], heading: str
) -> HttpResponse:
    """One of the case page's forms asked for on its own: fetched (HTMX) when its section of the
    page is opened, else (without JavaScript) a page of its own. Either posts where the case
    page's form does."""
    case = permissions.case_for_user_or_404(request.user, pk)
    require(allowed(request.user, case))
    if request.htmx:
        return render(
            request,
            "cases/partials/case_section_form.html",
            {"form": form, "action": request.path, "submit": heading},
        )
    # The fetched form names nobody; its page of its own names the young person, as a form
    # page about the case does, and is logged like one.
    response = form_page(
        request,
        form,
        heading=heading,
        submit=heading,
        save=lambda _data: None,  # a GET: the form is posted to `_case_post`
        done="",
        back=case.get_absolute_url(),
        trail=case_trail(case),
        intro=case_lead(case),
    )
    return logged(request, case, response)


@login_required
@require_http_methods(["GET", "POST"])
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        return _case_form(
            request,
            pk,
            ConsentForm(),
            allowed=permissions.can_record_consent,
            heading=_("Registrer samtykke"),
        )
    return _case_post(
        request,
        pk,
        form_name="consent_form",
        make_form=lambda case: ConsentForm(request.POST),
        save=lambda case, data: services.consent_record(case=case, by=request.user, **data),
        done=_("Samtykket er registreret."),
        allowed=permissions.can_record_consent,
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        return _case_form(
            request,
            pk,
            StatusForm(),
            allowed=permissions.can_change_status,
            heading=_("Skift status"),
        )
    return _case_post(
        request,
        pk,
        form_name="status_form",
        make_form=lambda case: StatusForm(request.POST),
        save=lambda case, data: services.case_change_status(case=case, by=request.user, **data),
        done=_("Sagens status er ændret."),
        # Reopening a closed case is for the consultant or the coordinator only.
        allowed=permissions.can_change_status,
    )


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.case_for_user_or_404(request.user, pk)
    require(permissions.can_steer_case(request.user, case))
    initial = {
        "level": case.level,
        "prevention_kind": case.prevention_kind,
        "responsible_body": case.responsible_body_id,
        "coordinator": case.coordinator_id,
        "follow_up_on": case.follow_up_on,
    }
    form = CaseDetailsForm(request.POST or None, case=case, initial=initial)
    response = form_page(
        request,
        form,
        title=_("Rediger sagen"),
        heading=_("Rediger %(case)s") % {"case": case},
        save=lambda data: services.case_update_details(
            case=case,
            by=request.user,
            level=data["level"],
            prevention_kind=data["prevention_kind"],
            responsible_body=data["responsible_body"],
            coordinator=data["coordinator"],
            follow_up_on=data["follow_up_on"],
            body_basis=form.basis_request(),
        ),
        done=_("Ændringerne er gemt."),
        back=case.get_absolute_url(),
        next_url=case.get_absolute_url(),
    )
    return logged(request, case, response)


def _share(case: Case, user, form: ShareForm) -> object:  # type: ignore[no-untyped-def]
    data = form.cleaned_data
    return services.case_share(
        case=case,
        by=user,
        purpose=data["purpose"],
        criteria=form.criteria,
        body=data["body"],
        user=data["user"],
        expires_at=end_of(data["expires_on"]),
    )


@login_required
def share_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.case_for_user_or_404(request.user, pk)
    require(permissions.can_steer_case(request.user, case))
    form = ShareForm(request.POST or None, case=case)
    response = form_page(
        request,
        form,
        trail=case_trail(case),
        heading=_("Del sagen efter §115"),
        intro=case_lead(case),
        save=lambda data: _share(case, request.user, form),
        done=_("Sagen er delt efter §115."),
        back=case.get_absolute_url(),
        next_url=case.get_absolute_url(),
    )
    return logged(request, case, response)


@login_required
@require_POST
def share_revoke(request: HttpRequest, pk: int, share_id: int) -> HttpResponse:
    case = permissions.case_for_user_or_404(request.user, pk)
    require(permissions.can_steer_case(request.user, case))
    share = get_object_or_404(case.bases.select_related("case", "body", "user"), pk=share_id)
    try:
        services.share_revoke(share=share, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Delingen er tilbagekaldt."))
    return redirect(case)


@login_required
def note_correct(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    """Correct a note with a new one shown under it; the original is never changed."""
    case = permissions.case_for_user_or_404(request.user, pk)
    notes = permissions.notes_visible_to(request.user, case).select_related("author", "corrects")
    note = get_object_or_404(notes, pk=note_id)
    require(permissions.can_correct_note(request.user, case, note))
    original = note.corrects or note
    if request.method == "GET":
        audit_log(
            user=request.user,
            action=AuditAction.VIEW,
            obj=original,
            subject_id=case.young_person_id,
            municipality_id=case.municipality_id,
        )
    return form_page(
        request,
        NoteCorrectionForm(request.POST or None),
        trail=case_trail(case),
        heading=_("Ret notat"),
        intro=case_lead(case),
        save=lambda data: services.note_correct(note=note, author=request.user, text=data["text"]),
        done=_("Rettelsen er gemt under notatet."),
        back=case.get_absolute_url(),
        next_url=case.get_absolute_url(),
        template="cases/note_correct.html",
        context={"note": original},
    )
