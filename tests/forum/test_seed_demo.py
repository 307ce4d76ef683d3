"""seed_demo: idempotent, and refused in production."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db.models import Model
from guardian.models import GroupObjectPermission, UserObjectPermission

from forum.models import Affiliation, Body, Membership, Municipality, Person, PoliceDistrict, Unit
from ssp.models import User

pytestmark = pytest.mark.django_db

SEEDED_MODELS: list[type[Model]] = [
    PoliceDistrict,
    Municipality,
    Unit,
    Body,
    Person,
    Membership,
    User,
    Affiliation,
    Group,
    User.groups.through,
    UserObjectPermission,
    GroupObjectPermission,
]


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in SEEDED_MODELS}


def test_seed_demo_run_again_and_again_leaves_the_same_rows() -> None:
    seeded = _row_counts()

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    assert _row_counts() == seeded
    assert seeded["forum.Body"] > 0, "the session's seed_demo should have built the demo"


def test_seed_demo_refuses_to_run_in_production_and_saves_nothing(settings) -> None:  # type: ignore[no-untyped-def]
    # Remove a seat that seed_demo would put back, so a run that writes would show.
    Membership.objects.get(
        body__name="SSP-team Vestervang", person__full_name="Gitte Gram"
    ).delete()
    before = _row_counts()
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=io.StringIO())

    assert _row_counts() == before
    settings.PRODUCTION = False
    call_command("seed_demo", stdout=io.StringIO())
    assert _row_counts()["forum.Membership"] == before["forum.Membership"] + 1
