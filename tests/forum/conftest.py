"""The organisation tests' fixtures: the administrator's client, and municipalities built
from scratch beside the demo's."""

from __future__ import annotations

import pytest
from django.test import Client

from forum.models import Municipality
from tests.factories import MunicipalityFactory
from tests.personas import Personas


@pytest.fixture
def admin_client(client: Client, personas: Personas) -> Client:
    """Signed in as the administrator of Glostrup and Albertslund."""
    client.force_login(personas.admin)
    return client


@pytest.fixture
def brondby() -> Municipality:
    """A municipality in the demo police district with no bodies yet."""
    glostrup = Municipality.objects.get(code="161")
    return MunicipalityFactory(name="Brøndby", code="153", police_district=glostrup.police_district)


@pytest.fixture
def odense() -> Municipality:
    """A municipality in another police district."""
    return MunicipalityFactory(name="Odense", code="461", police_district__name="Fyns Politi")
