"""The consultant's side after a concern is in: what triage shows on the concern page, and
finding and merging young people registered twice (corrections: `cases.views.corrections`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import duplicates, permissions, services, triage
from cases.forms import CaseAttachForm, ConcernCorrectionForm, MergeForm
from cases.models import Concern, ConcernStatus
from ssp.audit import audit_shown
from ssp.models import User
from ssp.views.helpers import save_with_service


def concern_page_extras(
    user: User,
    concern: Concern,
    *,
    triages: bool,
    may_correct: bool,
    correction_form: ConcernCorrectionForm | None = None,
    attach_form: CaseAttachForm | None = None,
) -> dict[str, Any]:
    """The concern page's triage facts (for those who triage it), its corrections old → new,
    and the forms to correct it and to join it to a case."""
    facts = triage.triage_facts(user=user, concern=concern) if triages else None
    if facts and facts.duplicates:
        # The suggestion names other records of the child: the page showed them.
        audit_shown(
            user=user,
            object_type="cases.youngperson",
            shown=[(concern.municipality_id, twin.person.pk) for twin in facts.duplicates],
        )
    may_attach = (
        triages
        and concern.case_id is None
        and concern.young_person_id is not None
        and concern.status in (ConcernStatus.ROUTED, ConcernStatus.CLOSED)
    )
    changes = concern.changes.select_related("changed_by")
    if concern.author_id == user.pk and not triages:
        # The author of a typed-in young person does not learn whom the consultant settled
        # it to be (cases.services.identity).
        changes = changes.exclude(field="young_person", old_value="")
    return {
        "facts": facts,
        "corrections": triage.corrections_of(user=user, changes=changes),
        "correction_form": correction_form
        or (ConcernCorrectionForm(user=user, concern=concern) if may_correct else None),
        "attach_form": attach_form
        or (CaseAttachForm(user=user, concern=concern) if may_attach else None),
    }


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """The suspected duplicates of the municipalities the consultant triages."""
    if not permissions.can_see_triage_queue(request.user):
        raise Http404
    groups = duplicates.duplicate_groups(user=request.user)
    people = [person for group in groups for person in group]
    records = {
        found.person.pk: found for found in duplicates.records_of(user=request.user, people=people)
    }
    audit_shown(
        user=request.user,
        object_type="cases.youngperson",
        shown=[(person.municipality_id, person.pk) for person in people],
    )
    return render(
        request,
        "cases/duplicate_list.html",
        {"groups": [[records[person.pk] for person in group] for group in groups]},
    )


@login_required
def young_person_merge(request: HttpRequest, first: int, second: int) -> HttpResponse:
    """Two records side by side with their concerns and cases; merging keeps the chosen one."""
    people = (
        duplicates.young_person_for_triager_or_404(request.user, first),
        duplicates.young_person_for_triager_or_404(request.user, second),
    )
    if people[0].municipality_id != people[1].municipality_id or first == second:
        raise Http404
    records = duplicates.records_of(user=request.user, people=list(people))
    # Offered to stay: the record with a CPR number, else with the most cases, else the older.
    likely = max(
        records, key=lambda found: (bool(found.person.cpr_hash), len(found.cases), -found.person.pk)
    )
    form = MergeForm(request.POST or None, people=people, initial={"keep": likely.person.pk})
    by_id = {person.pk: person for person in people}
    merge = save_with_service(
        request,
        form,
        lambda data: services.young_person_merge(
            keep=by_id[data["keep"]],
            remove=next(person for person in people if person.pk != data["keep"]),
            by=request.user,
            reason=data["reason"],
        ),
    )
    if merge is not None:
        messages.success(
            request,
            _("%(removed)s er lagt sammen med %(kept)s.")
            % {"removed": merge.removed_name, "kept": merge.kept.full_name},
        )
        return redirect("cases:duplicate_list")
    audit_shown(
        user=request.user,
        object_type="cases.youngperson",
        shown=[(person.municipality_id, person.pk) for person in people],
    )
    context = {
        "records": records,
        "form": form,
        "suspected": duplicates.are_suspected_duplicates(*people),
    }
    return render(
        request, "cases/young_person_merge.html", context, status=422 if form.errors else 200
    )
