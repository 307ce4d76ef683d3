"""Who imports a municipality's organisation: its administrators and the platform operators.

An upload is its owner's alone, and only while they still administer its municipality: for
anyone else it is not there (404), so an administrator of one municipality never sees, nor
confirms, another's file. The templates (empty, per preset) hold no personal data: every
administrator and operator may download them.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from forum.permissions import can_use_organisation_admin, municipalities_administered_by
from orgimport.models import OrgImport
from ssp.models import User

AnyUser = User | AnonymousUser


def imports_visible_to(user: AnyUser) -> QuerySet[OrgImport]:
    if not user.is_authenticated or not user.is_active:
        return OrgImport.objects.none()
    return OrgImport.objects.filter(
        owner=user, municipality__in=municipalities_administered_by(user)
    )


def import_for_user_or_404(user: AnyUser, pk: int) -> OrgImport:
    try:
        return imports_visible_to(user).select_related("municipality").get(pk=pk)
    except OrgImport.DoesNotExist:
        raise Http404 from None


def can_download_templates(user: AnyUser) -> bool:
    return can_use_organisation_admin(user)
