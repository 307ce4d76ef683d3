"""Municipalities the organisation tests build from scratch, beside the demo's."""

from __future__ import annotations

import pytest

from forum.models import Municipality, PoliceDistrict


@pytest.fixture
def brondby() -> Municipality:
    """A municipality in the demo police district with no bodies yet."""
    return Municipality.objects.create(
        name="Brøndby",
        code="153",
        police_district=Municipality.objects.get(code="161").police_district,
    )


@pytest.fixture
def odense() -> Municipality:
    """A municipality in another police district."""
    fyn = PoliceDistrict.objects.create(name="Fyns Politi")
    return Municipality.objects.create(name="Odense", code="461", police_district=fyn)
