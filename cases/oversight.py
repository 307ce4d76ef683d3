"""Who oversees a municipality's data protection: its access log, retention periods, legal
holds and deletion log, and the insight report per young person.

These pages show who read what and what was erased, never case content. Their readers are the
municipality's administrators (the data-protection officer's role) and, for the access log and
legal holds, its SSP consultants. The rules of who reads a case are in `cases.permissions`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404

from cases.permissions import AnyUser, municipalities_triaged_by, triages_anywhere
from forum.models import Municipality
from forum.permissions import (
    is_administrator_anywhere,
    municipalities_administered_by,
    triaged_municipality_ids,
)
from ssp.models import Sector

# --- The access log ---------------------------------------------------------------------------


def audited_municipalities(user: AnyUser) -> QuerySet[Municipality]:
    """The municipalities whose access log the user may search and export: those they
    administer (the data-protection officer's role: they read who saw what, never the case
    content itself) and those whose cases they triage as SSP consultant (who answer for the
    municipality's SSP cases and may see every one of them anyway)."""
    return Municipality.objects.filter(
        Q(pk__in=municipalities_administered_by(user).values("pk"))
        | Q(pk__in=municipalities_triaged_by(user).values("pk"))
    )


def can_search_audit(user: AnyUser) -> bool:
    """The menu's rule for the access log. An administrator's answer is kept per request (the
    ActionCard item asks the same); a consultant's is asked only of the SSP secretariat's
    staff, so that the menu costs no query on the pages of everyone else. A consultant of
    another sector reaches the log from the triage queue, which only consultants see."""
    if user.is_staff and is_administrator_anywhere(user):
        return True
    return getattr(user, "sector", "") == Sector.SSP_SECRETARIAT and triages_anywhere(user)


def audit_scope_or_404(user: AnyUser) -> list[int]:
    """The ids of `audited_municipalities`, for the log's search and export; 404 for anyone
    who neither administers nor triages a municipality, to whom the log does not exist."""
    municipality_ids = list(audited_municipalities(user).values_list("pk", flat=True))
    if not municipality_ids:
        raise Http404
    return municipality_ids


def audit_readers_of_content(user: AnyUser, municipality_ids: Iterable[int]) -> set[int]:
    """Of the municipalities whose log the user searches, those where the log may show who
    a young person is (name and CPR number): the ones the user triages. An administrator who
    is not also the consultant there sees the young person's id and case numbers only."""
    return set(
        municipalities_triaged_by(user)
        .filter(pk__in=list(municipality_ids))
        .values_list("pk", flat=True)
    )


# Retention, legal hold and the deletion log: the data-protection side of a municipality.
# Its administrators set the retention periods and read the deletion log (which holds no
# personal data); legal holds are placed and released by its administrators and by its SSP
# consultants, who know when a case must be kept for the courts. Nobody else sees these pages.


def retention_municipalities(user: AnyUser) -> QuerySet[Municipality]:
    """The municipalities whose retention periods and deletion log the user manages."""
    return municipalities_administered_by(user)


def legal_hold_municipalities(user: AnyUser) -> QuerySet[Municipality]:
    """The municipalities whose legal holds the user places and releases."""
    if not user.is_authenticated or not user.is_active:
        return Municipality.objects.none()
    return Municipality.objects.filter(
        Q(pk__in=municipalities_administered_by(user).values("pk"))
        | Q(pk__in=triaged_municipality_ids(user))
    ).order_by("name")


def can_administer_retention(user: AnyUser) -> bool:
    """The main menu's rule for the retention pages (asked of staff only)."""
    return is_administrator_anywhere(user)


def retention_municipality_or_404(user: AnyUser, pk: int) -> Municipality:
    municipality = retention_municipalities(user).filter(pk=pk).first()
    if municipality is None:
        raise Http404
    return municipality


def legal_hold_municipality_or_404(user: AnyUser, pk: int) -> Municipality:
    municipality = legal_hold_municipalities(user).filter(pk=pk).first()
    if municipality is None:
        raise Http404
    return municipality
