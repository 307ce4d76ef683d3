"""Who reads a case, and why: the notice every reader sees at the top of the case page, and
the page listing every reader and the history of bases for those who steer the case."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from cases import permissions, selectors
from cases.models import Basis, Case
from forum.models import Person
from ssp.audit import audit_log
from ssp.models import AuditAction, User
from ssp.navigation import crumbs
from ssp.views.helpers import require

# Why a handling-sector reader sees the case, one phrase per documented rule.
_RULE_REASONS = {
    permissions.R1.code: lambda: _("du er SSP-konsulent i sagens kommune"),
    permissions.R2.code: lambda: _("du er medlem af sagens ansvarlige organ eller ad hoc-gruppe"),
    permissions.R3.code: lambda: _("du er sagens tovholder"),
}


def access_notice(
    user: User, case: Case, *, bases: Iterable[Basis] | None = None
) -> dict[str, object]:
    """The case page's notice of how the user reads it.

    A reader outside the handling sectors (police, "other") reads only through a basis: they
    are told each basis (ground, origin, who gave it and when, purpose, until when) and the
    Retsplejeloven §115, stk. 2 limit on its use. A handling-sector reader gets one line
    naming the rule or basis that covers them. `bases`: the case's bases, if read already.
    """
    access = selectors.reader_bases(user, case, bases=bases)
    reasons = [_RULE_REASONS[rule.code]() for rule in access.rules]
    if access.bases:
        reasons.append(_("du har fået et grundlag for adgang"))
    return {
        "outside_handling": not permissions.in_handling_sector(user),
        "bases": access.bases,
        "reasons": get_text_list(reasons, _("og")),
    }


@login_required
def case_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Every current reader of the case with the rule or basis covering them, and every basis
    given and ended: for those who steer the case (its consultants and coordinator)."""
    case = permissions.case_for_user_or_404(request.user, pk)
    require(permissions.can_steer_case(request.user, case))
    audit_log(user=request.user, action=AuditAction.VIEW, obj=case, subject_id=case.young_person_id)
    readers = selectors.case_readers(case)
    units = {
        person.user_id: person.unit
        for person in Person.objects.filter(
            municipality_id=case.municipality_id,
            user__in=[reader.user.pk for reader in readers],
        ).select_related("unit")
    }
    rows = [(reader, units.get(reader.user.pk)) for reader in readers]
    context = {
        "case": case,
        "rows": rows,
        "bases": selectors.bases_for_case(case).select_related("ended_by"),
        "breadcrumbs": crumbs(
            (_("Sager"), reverse("cases:case_list")),
            (case, case.get_absolute_url()),
            _("Hvem kan se sagen"),
        ),
    }
    return render(request, "cases/case_access.html", context)
