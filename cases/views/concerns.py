"""Logging a concern, reading it, adding to it, and triage by the SSP consultant."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import identity, permissions, selectors, services, subjects, submissions, triage
from cases.forms import AddendumForm, ConcernForm, ResolveYoungPersonForm, TriageForm
from cases.forms.concern_people import OtherYoungPeopleFormSet
from cases.forms.concerns import chosen_municipality
from cases.models import Concern, SubjectKind
from cases.views import triage as triage_views
from cases.views.escalation import concern_escalation_context
from ssp.audit import audit_log, audit_shown
from ssp.forms import without_nul
from ssp.models import AuditAction
from ssp.pagination import keyset_list_page
from ssp.views.helpers import require, save_with_service

NOTIFICATION_FIELDS = ("notification_status", "notified_by", "notified_on")


def _submit(user, form: ConcernForm, people: OtherYoungPeopleFormSet) -> Concern:  # type: ignore[no-untyped-def]
    data = form.cleaned_data
    reported = None
    typed = [data[name] for name in ("full_name", "birth_date", "cpr_number", "school")]
    if data["subject_kind"] == SubjectKind.PERSON and not data["young_person"] and any(typed):
        reported = services.ReportedIdentity(
            full_name=data["full_name"],
            birth_date=data["birth_date"],
            cpr_number=data["cpr_number"],
            school=data["school"],
        )
    return services.concern_submit(
        author=user,
        municipality=data["municipality"],
        subject_kind=data["subject_kind"],
        young_person=data["young_person"],
        reported=reported,
        subject_description=data["subject_description"],
        category=data["category"],
        description=data["description"],
        observed_on=data["observed_on"],
        location=data["location"],
        urgency=data["urgency"],
        notification_status=data["notification_status"],
        notified_by=data["notified_by"],
        notified_on=data["notified_on"],
        submission_token=data["submission_token"],
        other_young_people=people.young_people(),
    )


def _sent(request: HttpRequest, concern: Concern) -> HttpResponse:
    """The confirmation: the same words whoever the young person turns out to be (the school
    team is the one of the school the reporter chose or of the young person they picked)."""
    messages.success(
        request,
        _("Tak. Bekymringen er sendt til SSP-konsulenten%(team)s.")
        % {"team": _(" og skolens SSP-team") if concern.school_team_id else ""},
    )
    return redirect(concern)


def _sent_form(request: HttpRequest) -> submissions.SentForm:
    def posted(name: str) -> str:
        return without_nul(request.POST.get(name, ""))

    try:
        token = uuid.UUID(posted("submission_token"))
    except ValueError:
        token = None
    return submissions.SentForm(
        submission_token=token,
        description=posted("description"),
        category_id=posted("category"),
        young_person_id=posted("young_person"),
        full_name=posted("full_name"),
        cpr_number=posted("cpr_number"),
        subject_description=posted("subject_description"),
    )


@login_required
def concern_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_log_concern(request.user):
        raise Http404
    rows_asked_for = request.method == "POST" and OtherYoungPeopleFormSet.asked_for(request.POST)
    if request.method == "POST" and not rows_asked_for:
        # Back + Send, a double click or a retry of a form already sent: its concern, even if
        # what the browser sends again is now incomplete (cases.submissions).
        sent = submissions.concern_already_sent(author=request.user, form=_sent_form(request))
        if sent is not None:
            return _sent(request, sent)
    form = ConcernForm(request.POST or None, user=request.user)
    people = OtherYoungPeopleFormSet.from_post(
        request.POST or None, municipality=form.municipality, schools=form.school_choices
    )
    concern = None
    if rows_asked_for:
        # Without JavaScript, "more young people" sent the form back for its rows: shown again
        # with them and with the input as typed, not judged yet (nothing is sent).
        form.errors.clear()
        if people.forms:
            people.forms[0].fields["full_name"].widget.attrs["autofocus"] = True
    elif request.method == "POST" and (not people.is_bound or people.is_valid()):
        concern = save_with_service(
            request, form, lambda _data: _submit(request.user, form, people)
        )
    elif request.method == "POST":
        form.is_valid()  # both forms' errors at once
    if concern is not None:
        return _sent(request, concern)
    refused = not rows_asked_for and (
        bool(form.errors) or (people.is_bound and not people.is_valid())
    )
    # Without JavaScript the question shows on the blank form (saying when to answer it);
    # with it, HTMX asks at once whether it applies.
    asked = not form.is_bound or form.notification_needed()
    asked = asked or any(
        form[name].value() or form.errors.get(name) for name in NOTIFICATION_FIELDS
    )
    return render(
        request,
        "cases/concern_form.html",
        {
            "form": form,
            "people": people,
            # The rows are on the page when the form comes back with them or asked for them;
            # else opening the section fetches them (concern_other_young_people).
            "rows_shown": people.is_bound or rows_asked_for,
            "rows_open": rows_asked_for
            or (people.is_bound and (people.has_changed() or people.total_error_count() > 0)),
            "notification_asked": asked,
        },
        status=422 if refused else 200,
    )


@login_required
@require_GET
def concern_other_young_people(request: HttpRequest) -> HttpResponse:
    """The concern form's "more young people" rows, fetched (HTMX) when the section is opened:
    blank, offering the schools of the municipality the form is filled in for, if it is one
    of the user's."""
    if not permissions.can_log_concern(request.user):
        raise Http404
    municipality = chosen_municipality(
        list(request.user.municipalities.order_by("name")), request.GET.get("municipality")
    )
    return render(
        request,
        "cases/partials/other_young_people_rows.html",
        {"people": OtherYoungPeopleFormSet(municipality=municipality)},
    )


@login_required
@require_POST
def concern_notification_question(request: HttpRequest) -> HttpResponse:
    """The Barnets lov question, asked (HTMX) only once the form shows it applies."""
    if not permissions.can_log_concern(request.user):
        raise Http404
    filled_in = ConcernForm(request.POST, user=request.user)
    # Shown without errors: the form is still being filled in.
    shown = ConcernForm(
        user=request.user,
        initial={name: request.POST.get(name) for name in NOTIFICATION_FIELDS},
    )
    return render(
        request,
        "cases/partials/concern_notification.html",
        {"form": shown, "notification_asked": filled_in.notification_needed()},
    )


@login_required
@require_POST
def young_person_lookup(request: HttpRequest) -> HttpResponse:
    """The concern form's search for a young person (POST: names stay out of URLs and logs)."""
    form = ConcernForm(request.POST, user=request.user)
    query = without_nul(request.POST.get("lookup", ""))
    people = (
        selectors.young_people_matching(
            user=request.user, municipality=form.municipality, query=query
        )
        if form.municipality
        else []
    )
    if len(query.strip()) >= selectors.LOOKUP_MIN_LENGTH and form.municipality:
        # A search, with its term, even when it found no one.
        audit_shown(
            user=request.user,
            action=AuditAction.SEARCH,
            object_type="cases.youngperson",
            shown=[(person.municipality_id, person.pk) for person in people],
            search_term=query,
            searched_in=lambda: [form.municipality.pk],
        )
    return render(
        request,
        "cases/partials/young_person_matches.html",
        {"people": people, "query": query, "form": form},
    )


@login_required
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    concern = permissions.concern_for_user_or_404(request.user, pk)
    return _concern_page(request, concern)


def _concern_page(
    request: HttpRequest,
    concern: Concern,
    *,
    addendum_form: AddendumForm | None = None,
    triage_form: TriageForm | None = None,
    resolve_form: ResolveYoungPersonForm | None = None,
    person_form: tuple[int, ResolveYoungPersonForm] | None = None,
    **other_forms: Any,
) -> HttpResponse:
    shown = subjects.shown_concern_subjects(request.user, concern)
    # Shown again with a form's errors, the page is read again; of several young people, only
    # those shown.
    audit_log(
        user=request.user,
        action=AuditAction.VIEW,
        obj=concern,
        subject_id=concern.young_person_id,
        shown_subjects=shown.shown_ids,
    )
    can_triage, may_add = permissions.concern_abilities(request.user, concern)
    # The author who does not triage sees the young person as they reported them: whoever
    # the consultant settles it is, nothing of a registered child comes back to them.
    as_reported = concern.author_id == request.user.pk and not can_triage
    matches = identity.suggested_matches(user=request.user, concern=concern) if can_triage else []
    settle = can_triage and concern.has_reported_identity and concern.young_person_id is None
    context = {
        "concern": concern,
        "subject_label": concern.reported_label if as_reported else concern.subject_label,
        "as_reported": as_reported,
        "subjects": shown,
        "addenda": concern.addenda.select_related("author"),
        "addendum_form": addendum_form or (AddendumForm() if may_add else None),
        "triage_form": triage_form
        or (
            TriageForm(user=request.user, concern=concern)
            if can_triage and concern.status == "new"
            else None
        ),
        "matches": matches,
        "people_to_settle": [
            (subject.row, identity.suggested_matches(user=request.user, concern=subject.row))
            for subject in shown.subjects
            if can_triage and subject.row is not None
        ],
        # A refused answer for one typed-in young person: its errors by its row.
        "person_form": person_form,
        "resolve_form": resolve_form
        or (ResolveYoungPersonForm(matches=matches) if settle else None),
        "case_visible": concern.case_id is not None
        and permissions.cases_visible_to(request.user).filter(pk=concern.case_id).exists(),
        **triage_views.concern_page_extras(
            request.user, concern, triages=can_triage, may_correct=may_add, **other_forms
        ),
        **concern_escalation_context(request.user, concern, triages=can_triage),
    }
    forms = (
        addendum_form,
        triage_form,
        resolve_form,
        person_form[1] if person_form else None,
        *other_forms.values(),
    )
    refused = any(f is not None and f.errors for f in forms)
    return render(request, "cases/concern_detail.html", context, status=422 if refused else 200)


@login_required
@require_POST
def concern_resolve_young_person(
    request: HttpRequest, pk: int, person_pk: int | None = None
) -> HttpResponse:
    """The consultant settles who a typed-in young person is: a suggested match, or new; with
    `person_pk`, one typed-in young person of a concern about several."""
    concern = permissions.concern_for_user_or_404(request.user, pk)
    require(permissions.can_triage(request.user, concern.municipality_id))
    person = None
    if person_pk is not None:
        person = concern.people.filter(pk=person_pk).first()
        if person is None:
            raise Http404
    matches = identity.suggested_matches(user=request.user, concern=person or concern)
    form = ResolveYoungPersonForm(request.POST, matches=matches)
    saved = save_with_service(
        request,
        form,
        lambda _data: services.concern_resolve_young_person(
            concern=concern, by=request.user, young_person=form.chosen(), person=person
        ),
    )
    if saved is None:
        if person is not None:
            return _concern_page(request, concern, person_form=(person.pk, form))
        return _concern_page(request, concern, resolve_form=form)
    messages.success(request, _("Den unge er gemt på bekymringen."))
    return redirect(concern)


@login_required
@require_POST
def concern_addendum(request: HttpRequest, pk: int) -> HttpResponse:
    concern = permissions.concern_for_user_or_404(request.user, pk)
    require(permissions.can_add_addendum(request.user, concern))
    form = AddendumForm(request.POST)
    saved = save_with_service(
        request,
        form,
        lambda data: services.concern_add_addendum(
            concern=concern, author=request.user, text=data["text"]
        ),
    )
    if saved is None:
        return _concern_page(request, concern, addendum_form=form)
    messages.success(request, _("Tilføjelsen er gemt."))
    return redirect(concern)


def _triage(user, concern: Concern, form: TriageForm) -> object:  # type: ignore[no-untyped-def]
    data = form.cleaned_data
    decision = data["decision"]
    if decision == "open_case":
        return services.concern_open_case(
            concern=concern,
            by=user,
            responsible_body=data["body"],
            level=data["level"],
            prevention_kind=data["prevention_kind"],
            body_basis=form.basis_request(),
        )
    if decision == "open_group_case":
        return services.concern_open_group_case(
            concern=concern,
            by=user,
            responsible_body=data["body"],
            prevention_kind=data["prevention_kind"],
            subject_description=data["group_description"],
            body_basis=form.basis_request(),
        )
    if decision == "link_case":
        return services.concern_link_to_case(concern=concern, case=data["case"], by=user).case
    if decision == "route":
        return services.concern_route(
            concern=concern, body=data["body"], by=user, body_basis=form.basis_request()
        )
    return services.concern_close(concern=concern, by=user, reason=data["reason"])


@login_required
@require_POST
def concern_triage(request: HttpRequest, pk: int) -> HttpResponse:
    concern = permissions.concern_for_user_or_404(request.user, pk)
    require(permissions.can_triage(request.user, concern.municipality_id))
    form = TriageForm(request.POST, user=request.user, concern=concern)
    result = save_with_service(request, form, lambda data: _triage(request.user, concern, form))
    if result is None:
        return _concern_page(request, concern, triage_form=form)
    messages.success(request, _("Bekymringen er visiteret."))
    return redirect(result)


TRIAGE_PAGE_SIZE = 25


@login_required
def triage_queue(request: HttpRequest) -> HttpResponse:
    triaged = permissions.triaged_municipality_pks(request.user)
    if not triaged:  # `can_see_triage_queue`, read with the municipalities
        raise Http404
    if request.GET.get("vis") == "afsluttede":
        page = keyset_list_page(
            request,
            selectors.closed_concern_parts(triaged),
            order=selectors.CLOSED_ORDER,
            per_page=TRIAGE_PAGE_SIZE,
        )
        page.object_list = list(
            selectors.closed_concerns(user=request.user, municipality_ids=triaged).filter(
                pk__in=page.object_list
            )
        )
        _log_shown(request, page.object_list)
        return render(request, "cases/closed_concerns.html", {"page_obj": page})
    # A page at a time, most urgent first: the consultant works the queue from the top, and
    # "Næste" shows the rest (a page's cost does not grow with the queue).
    page = keyset_list_page(
        request,
        selectors.triage_queue_parts(triaged),
        order=selectors.TRIAGE_ORDER,
        per_page=TRIAGE_PAGE_SIZE,
    )
    page.object_list = triage.with_ages(
        triage.triage_queue_rows(user=request.user, ids=page.object_list, municipality_ids=triaged)
    )
    _log_shown(request, page.object_list)
    return render(request, "cases/triage_queue.html", {"page_obj": page})


@login_required
def my_concerns(request: HttpRequest) -> HttpResponse:
    context = {
        "mine": list(selectors.concerns_by_author(user=request.user)[:50]),
        "for_my_teams": list(selectors.concerns_for_my_teams(user=request.user)[:50]),
    }
    _log_shown(request, [*context["mine"], *context["for_my_teams"]])
    return render(request, "cases/my_concerns.html", context)


def _log_shown(request: HttpRequest, concerns: list[Concern]) -> None:
    """A list of concerns names the young people they are about: one log row per page."""
    audit_shown(
        user=request.user,
        object_type="cases.concern",
        shown=[(concern.municipality_id, concern.young_person_id) for concern in concerns],
    )


# The page other views of the concern show again with their form's errors.
concern_page = _concern_page
