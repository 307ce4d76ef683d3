"""Logins held back until the administrator sends the invitations.

`login_hold` records that a directory person is to have a login with the roles given, without
creating an account or sending anything (an import calls it for every row with a login). The
invitations go out only when an administrator says so.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forum.login_models import HeldLogin
from forum.models import Person
from ssp.models import User


@transaction.atomic
def login_hold(
    *, person: Person, is_ssp_consultant: bool = False, is_administrator: bool = False, by: User
) -> HeldLogin:
    """Record (or update) the login `person` is to get. Refused for someone without a work
    email or who already has a login in the municipality."""
    if not person.email:
        raise ValidationError({"email": _("En person med login skal have en arbejdsmail.")})
    if person.user_id is not None:
        raise ValidationError({"email": _("Personen har allerede et login.")})
    held, _created = HeldLogin.objects.update_or_create(
        person=person,
        defaults={
            "is_ssp_consultant": is_ssp_consultant,
            "is_administrator": is_administrator,
            "created_by": by,
        },
    )
    return held
