"""The organisation pages take as many queries however much the organisation grows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from forum.models import Body, BodyKind, MembershipRole, Municipality, Unit
from ssp.models import Sector
from tests.forum.page_helpers import page_text, people_heading, units_heading

pytestmark = pytest.mark.django_db


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _body(name: str) -> Body:
    return Body.objects.get(name=name)


def _unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def _grow_glostrup(count: int = 20) -> None:
    """Add units, people, working groups under SSP-Forum Glostrup, and their memberships."""
    glostrup = _glostrup()
    forum = _body("SSP-Forum Glostrup")
    for n in range(1, count + 1):
        unit = services.unit_create(
            municipality=glostrup,
            name=f"Vækstklub {n:02}",
            sector=Sector.LEISURE,
            parent=_unit("Klubberne"),
            phone="+45 43 23 62 00",
        )
        person = services.person_create(
            municipality=glostrup,
            full_name=f"Vækstperson {n:02}",
            job_title="Klubmedarbejder",
            sector=Sector.LEISURE,
            unit=unit,
            email=f"vaekst{n:02}@demo.ssp",
            phone="+45 43 23 62 01",
        )
        group = services.body_create(
            kind=BodyKind.WORKING_GROUP,
            name=f"Vækstgruppe {n:02}",
            municipality=glostrup,
            parent=forum,
            meeting_rhythm="Efter behov.",
        )
        services.membership_add(body=forum, person=person, role=MembershipRole.MEMBER, by=None)
        services.membership_add(body=group, person=person, role=MembershipRole.CHAIR, by=None)


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _assert_queries_stay_at(client: Client, url: str, expected: int) -> None:
    """The page takes `expected` queries, and as many again once Glostrup has grown."""
    client.get(url)  # Warm the per-process caches (content types), so both counts compare.
    before = _count_queries(client, url)

    _grow_glostrup()

    after = _count_queries(client, url)
    assert after == before, f"{url}: {before} queries before the growth, {after} after (N+1)"
    assert before == expected, f"{url}: {before} queries, pinned at {expected}"


def test_the_organisation_tree_takes_as_many_queries_with_twenty_more_bodies(
    admin_client: Client,
) -> None:
    url = reverse("forum:organisation", args=[_glostrup().pk])

    # User, municipality, the tree, two guardian permission checks, the police district, the
    # municipality's body types, and the menu's one question for an administrator (the
    # ActionCard editor, the access log).
    _assert_queries_stay_at(admin_client, url, expected=8)

    assert "Vækstgruppe 20" in page_text(admin_client.get(url))


def test_a_body_page_takes_as_many_queries_with_twenty_more_members_and_bodies_under_it(
    admin_client: Client,
) -> None:
    url = reverse("forum:body_detail", args=[_body("SSP-Forum Glostrup").pk])

    # User, body, two guardian permission checks, children, members, whether the body reads
    # cases the administrator cannot (then they are not offered themselves), the add form's
    # people, the municipalities it spans, the menu's one question for an administrator,
    # and the seats' history.
    _assert_queries_stay_at(admin_client, url, expected=11)

    page = page_text(admin_client.get(url))
    assert "Vækstperson 20" in page
    assert "Vækstgruppe 20" in page


def test_the_directory_takes_as_many_queries_with_twenty_more_people_and_units(
    admin_client: Client,
) -> None:
    url = reverse("forum:directory")

    # User, the municipality choices, the visible municipalities (one part of the people's
    # keyset page each), the page's ids, the people's capped count, the page of people, the
    # units' capped count, a page of units, and the menu's one question for an administrator.
    _assert_queries_stay_at(admin_client, url, expected=9)

    response = admin_client.get(url, {"q": "Vækst"})
    assert people_heading(response) == "20 personer"
    assert units_heading(response) == "20 enheder"
