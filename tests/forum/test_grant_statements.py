"""The main menu's grant questions as statements of fixed text (`forum.permissions`): the same
answers as the querysets they stand in for, for every persona, with grants to groups, after a
revocation and for the platform operator; and on the next request after a role is taken away,
the menu no longer offers its pages (nothing is kept between requests)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from guardian.shortcuts import assign_perm

from cases import permissions as case_permissions
from forum import permissions, services
from forum.models import Affiliation, Municipality
from ssp.models import User
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    """The user as a new request loads it: nothing kept on the object."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_the_statements_answer_as_the_querysets(personas: Personas, name: str) -> None:
    user = personas[name]
    triaged = sorted(permissions.municipalities_triaged_by(user).values_list("pk", flat=True))
    administers = permissions.municipalities_administered_by(user).exists()

    assert permissions.triaged_municipality_pks(_fresh(user)) == triaged
    assert permissions.is_administrator_anywhere(_fresh(user)) is administers
    assert case_permissions.triages_anywhere(_fresh(user)) is bool(
        case_permissions.municipalities_triaged_by(user).exists()
    )


def test_the_cast_has_both_answers(personas: Personas) -> None:
    """So that the comparison above can fail both ways."""
    assert permissions.triaged_municipality_pks(personas.consultant)
    assert not permissions.triaged_municipality_pks(personas.police)
    assert permissions.is_administrator_anywhere(_fresh(personas.admin))
    assert not permissions.is_administrator_anywhere(_fresh(personas.consultant))


def test_an_administrators_grant_through_a_group_counts(personas: Personas) -> None:
    """As guardian's `get_objects_for_user`, which `municipalities_administered_by` uses."""
    user = personas.leader
    group = Group.objects.create(name="kommunens administratorer")
    user.groups.add(group)
    assert not permissions.is_administrator_anywhere(_fresh(user))

    assign_perm("forum.administer_municipality", group, Municipality.objects.get(code="165"))

    assert permissions.municipalities_administered_by(user).exists()
    assert permissions.is_administrator_anywhere(_fresh(user))


def test_the_platform_operator_administers_everywhere() -> None:
    operator = User.objects.create_superuser("drift@test.ssp", password="x" * 16)

    assert permissions.is_administrator_anywhere(operator)


def test_an_inactive_user_triages_nothing(personas: Personas) -> None:
    user = _fresh(personas.consultant)
    user.is_active = False

    assert permissions.triaged_municipality_pks(user) == []
    assert not case_permissions.triages_anywhere(user)


def test_a_revoked_consultant_role_leaves_the_menu_on_the_next_request(
    client: Client, personas: Personas
) -> None:
    user = personas.consultant
    client.force_login(user)
    audit = f'href="{reverse("cases:audit_search")}"'
    assert audit in _menu_links(client)
    affiliation = Affiliation.objects.get(user=user, is_ssp_consultant=True)

    services.affiliation_set(
        user=user, municipality=affiliation.municipality, is_ssp_consultant=False, by=None
    )

    assert permissions.triaged_municipality_pks(_fresh(user)) == []
    assert audit not in _menu_links(client)


def test_a_revoked_administrator_role_leaves_the_menu_on_the_next_request(
    client: Client, personas: Personas
) -> None:
    user = personas.admin
    client.force_login(user)
    retention = reverse("cases:retention_index")
    assert f'href="{retention}"' in _menu_links(client)

    for affiliation in Affiliation.objects.filter(user=user, is_administrator=True):
        services.affiliation_set(
            user=user, municipality=affiliation.municipality, is_administrator=False, by=None
        )

    assert not permissions.is_administrator_anywhere(_fresh(user))
    assert f'href="{retention}"' not in _menu_links(client)


def _menu_links(client: Client) -> str:
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('class="mainmenu"') : html.index("</nav>")]
