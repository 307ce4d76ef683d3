"""Who may use Django admin's organisation pages, persona by persona, and what a platform
operator (superuser) is there. The admin's own tests check the rows; this pins the rule."""

from __future__ import annotations

import pytest

from forum import permissions
from ssp.models import User
from ssp.permissions import is_platform_operator
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db


def test_only_administrators_and_operators_use_the_organisation_admin(
    personas: Personas,
) -> None:
    answers = {
        name: permissions.can_use_organisation_admin(personas[name]) for name in PERSONA_NAMES
    }
    assert answers == {name: name == "admin" for name in PERSONA_NAMES}
    root = User.objects.create_superuser("root@test.ssp", password="x", full_name="Rod")
    assert permissions.can_use_organisation_admin(root)


def test_a_deactivated_operator_does_not_use_the_admin() -> None:
    root = User.objects.create_superuser("root@test.ssp", password="x", full_name="Rod")
    root.is_active = False
    assert not permissions.can_use_organisation_admin(root)


def test_no_persona_is_a_platform_operator(personas: Personas) -> None:
    assert not any(is_platform_operator(personas[name]) for name in PERSONA_NAMES)
    root = User.objects.create_superuser("root@test.ssp", password="x", full_name="Rod")
    assert is_platform_operator(root)
