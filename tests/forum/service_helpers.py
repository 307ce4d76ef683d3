"""Reading the organisation back in the service tests: a body's group, row counts (a refused
write saves nothing), a refusal's field messages, and a user's municipal permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from forum.models import (
    Affiliation,
    Body,
    BodyType,
    Membership,
    Municipality,
    Person,
    PoliceDistrict,
    Unit,
)
from forum.permissions import MUNICIPALITY_ROLE_PERMISSIONS
from ssp.models import User

ALL_MUNICIPAL_PERMS = tuple(p for perms in MUNICIPALITY_ROLE_PERMISSIONS.values() for p in perms)


def group_users(body: Body) -> set[str]:
    """The emails of the users in the body's auth group, read afresh from the database."""
    return set(Group.objects.get(pk=body.group_id).user_set.values_list("email", flat=True))


def row_counts() -> dict[str, int]:
    models = (Body, Group, Membership, Person, Unit, User, Affiliation)
    models += (BodyType, Municipality, PoliceDistrict)
    return {model.__name__: model.objects.count() for model in models}


def field_errors(excinfo: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    return [str(message) for message in excinfo.value.message_dict[field]]


def municipal_perms(user: User, municipality: Municipality) -> set[str]:
    """The municipal role permissions the user holds on the municipality, with no cache."""
    fresh = User.objects.get(pk=user.pk)
    return {perm for perm in ALL_MUNICIPAL_PERMS if fresh.has_perm(perm, municipality)}
