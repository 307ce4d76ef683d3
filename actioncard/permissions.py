"""Who may do what with ActionCard editions.

Only the municipality's administrators create, edit and publish its ActionCard. Published
editions are public. Everyone else gets 404 for what they cannot see (drafts, another
municipality's editorial pages) and 403 for what they see but may not do (the editorial pages
of their own municipality, the editorial view of a published edition).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from actioncard.models import PUBLIC_STATUSES, Edition, EditionStatus
from forum import permissions as forum_permissions
from forum.models import Municipality
from ssp.models import User

AnyUser = User | AnonymousUser


def municipalities_edited_by(user: AnyUser) -> QuerySet[Municipality]:
    return forum_permissions.municipalities_administered_by(user)


def can_edit_any(user: AnyUser) -> bool:
    """The editorial pages: for the administrators of at least one municipality. Everyone
    else gets 403, since every user knows the pages exist."""
    return forum_permissions.is_administrator_anywhere(user)


def can_edit(user: AnyUser, municipality: Municipality) -> bool:
    return municipalities_edited_by(user).filter(pk=municipality.pk).exists()


def municipality_for_editor_or_404(user: AnyUser, pk: int) -> Municipality:
    municipality = get_object_or_404(Municipality, pk=pk)
    if can_edit(user, municipality):
        return municipality
    if forum_permissions.municipalities_visible_to(user).filter(pk=pk).exists():
        raise PermissionDenied
    raise Http404


def edition_for_editor_or_404(user: AnyUser, pk: int) -> Edition:
    edition = get_object_or_404(Edition.objects.select_related("municipality"), pk=pk)
    if can_edit(user, edition.municipality):
        return edition
    if edition.status in PUBLIC_STATUSES:
        raise PermissionDenied
    raise Http404


def public_editions() -> QuerySet[Edition]:
    return Edition.objects.filter(status__in=PUBLIC_STATUSES).select_related("municipality")


def current_edition_or_404(code: str) -> Edition:
    """The municipality's ActionCard now: its newest published (not superseded) edition."""
    edition = (
        public_editions()
        .filter(municipality__code=code, status=EditionStatus.PUBLISHED)
        .order_by("-year")
        .first()
    )
    if edition is None:
        raise Http404
    return edition


def public_edition_or_404(code: str, year: int, version: int) -> Edition:
    return get_object_or_404(public_editions(), municipality__code=code, year=year, version=version)
