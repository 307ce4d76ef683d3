"""An ad-hoc group belongs to its case: only the case's readers see it, on its own page, under
the body it sits in and on its members' pages. Before this rule the organisation pages named
"Ad hoc-gruppe, sag 4" and its members to anyone of the municipality, telling them that a
case existed. (Its statuses, persona by persona, are rows of test_permission_table.py.)
"""

from __future__ import annotations

import pytest
from django.test import Client

from cases.models import Case
from forum import services
from forum.models import Body, BodyKind, Person
from forum.permissions import bodies_visible_to
from tests.forum.page_helpers import page_text
from tests.personas import Personas

pytestmark = pytest.mark.django_db

READERS = ("consultant", "police", "social")
OTHERS = ("leader", "police2", "club", "admin", "neighbour", "outsider")


def _adhoc() -> Body:
    return Body.objects.get(kind=BodyKind.AD_HOC)


def _page(client: Client, user, url: str) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, f"{user.email} {url}: {response.status_code}"
    return page_text(response)


@pytest.mark.parametrize("persona", READERS + OTHERS)
def test_the_ad_hoc_group_page_answers_only_the_readers_of_its_case(
    client: Client, personas: Personas, persona: str
) -> None:
    group = _adhoc()
    client.force_login(personas[persona])

    response = client.get(group.get_absolute_url())

    if persona in READERS:
        assert response.status_code == 200
        assert "Sara Skov" in page_text(response)
    else:
        assert response.status_code == 404, f"LEAK: {persona} sees {group.name}"
        assert group.name not in page_text(response)


@pytest.mark.parametrize("persona", ["consultant", "leader", "admin"])
def test_the_body_above_names_the_ad_hoc_group_only_to_its_cases_readers(
    client: Client, personas: Personas, persona: str
) -> None:
    group = _adhoc()

    page = _page(client, personas[persona], group.parent.get_absolute_url())

    assert "Gitte Gram" in page, "the school team's page itself is shown"
    if persona == "consultant":
        assert group.name in page
    else:
        assert group.name not in page, f"LEAK: {persona} sees {group.name} under its team"


@pytest.mark.parametrize("persona", ["consultant", "leader", "admin"])
def test_a_members_page_names_the_ad_hoc_group_only_to_its_cases_readers(
    client: Client, personas: Personas, persona: str
) -> None:
    sara = Person.objects.get(full_name="Sara Skov")

    page = _page(client, personas[persona], sara.get_absolute_url())

    assert "SSP-team Vestervang" in page, "Sara's other bodies are listed"
    if persona == "consultant":
        assert _adhoc().name in page
    else:
        assert _adhoc().name not in page, f"LEAK: {persona} sees Sara's ad-hoc group"


def test_an_ad_hoc_group_whose_case_is_gone_is_seen_by_its_members_only(
    client: Client, personas: Personas
) -> None:
    # As when a case is erased and its group stays for its meetings' sake.
    team = Body.objects.get(name="SSP-team Vestervang")
    orphan = services.body_create(
        kind=BodyKind.AD_HOC,
        name="Ad hoc-gruppe, sag 999",
        municipality=team.municipality,
        parent=team,
    )
    services.membership_add(body=orphan, person=Person.objects.get(user=personas.leader), by=None)
    assert not Case.objects.filter(adhoc_group=orphan).exists()

    assert "Lars Lund" in _page(client, personas.leader, orphan.get_absolute_url())
    client.force_login(personas.consultant)
    assert client.get(orphan.get_absolute_url()).status_code == 404


def test_which_ad_hoc_groups_a_user_sees_is_one_query(
    personas: Personas, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        seen = list(bodies_visible_to(personas.consultant).filter(kind=BodyKind.AD_HOC))
    with django_assert_num_queries(1):
        hidden = list(bodies_visible_to(personas.admin).filter(kind=BodyKind.AD_HOC))

    assert seen == [_adhoc()]
    assert hidden == []
