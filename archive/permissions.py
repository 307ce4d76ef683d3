"""Who may export a municipality's data, and who may take its cases along.

- The organisation, meetings, ActionCards, prevention work and statistics: the municipality's
  own administrators (an affiliation with the administrator role). A platform operator is not
  one: the host processes the data for the municipality and does not take it out on its own.
- Cases with their event log, consents, notes and bases: only the data controller, i.e. the
  municipality acting through an administrator it has named for it (`ControllerRepresentative`,
  recorded by a platform operator from the municipality's written instruction), with a fresh
  code from their authenticator app and a stated purpose (docs/legal.md, "Export of a
  municipality's data"). Being an administrator alone never opens a case.
- An export's status and its download: the person who asked for it, nobody else (404).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from archive.models import ArchiveExport, ControllerRepresentative
from forum.models import Affiliation, Municipality
from forum.permissions import is_administrator_anywhere
from ssp.models import Sector, User
from ssp.permissions import is_platform_operator


def municipalities_exportable_by(user: User) -> QuerySet[Municipality]:
    if not user.is_authenticated or not user.is_active:
        return Municipality.objects.none()
    return Municipality.objects.filter(
        affiliations__user=user, affiliations__is_administrator=True
    ).order_by("name")


def can_export_municipality(user: User, municipality: Municipality) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return Affiliation.objects.filter(
        user=user, municipality=municipality, is_administrator=True
    ).exists()


def can_export_anywhere(user: User) -> bool:
    return municipalities_exportable_by(user).exists()


def offered_exports(user: User) -> bool:
    """Whether the menu offers the export, without a query of its own (the menu asks the
    administrators' question once per request): a municipality's administrator who is not a
    platform operator. An operator who also holds an administrator's affiliation still opens
    the page by its address."""
    return is_administrator_anywhere(user) and not is_platform_operator(user)


def can_export_cases(user: User, municipality: Municipality) -> bool:
    """The data controller's representative, who is also one of its administrators."""
    return (
        user.sector != Sector.POLICE
        and can_export_municipality(user, municipality)
        and ControllerRepresentative.objects.filter(user=user, municipality=municipality).exists()
    )


def exports_visible_to(user: User, municipality: Municipality) -> QuerySet[ArchiveExport]:
    """The record of every export of the municipality, for its administrators."""
    if not can_export_municipality(user, municipality):
        return ArchiveExport.objects.none()
    return ArchiveExport.objects.filter(municipality=municipality).select_related("requested_by")


def export_for_user_or_404(user: User, pk: int) -> ArchiveExport:
    """An export its requester follows and downloads; anyone else's is not there."""
    export = (
        ArchiveExport.objects.filter(pk=pk, requested_by=user)
        .select_related("municipality")
        .first()
    )
    if export is None or not can_export_municipality(user, export.municipality):
        raise Http404
    return export
