"""The front page's "Mine organer": one's own bodies and no others, the standing bodies listed,
the ad-hoc groups around one child each after them, and folded away when there are many (a
police officer at scale is in a hundred)."""

from __future__ import annotations

import re
from html import escape

import pytest
from django.test import Client

from forum import services
from forum.models import Body, BodyKind, Membership, Person
from meetings.views.meetings import FOLD_BODIES_OVER
from ssp.models import User
from tests.personas import Personas
from tests.two_factor import sign_in

pytestmark = pytest.mark.django_db

SECTION = re.compile(r"<h2>Mine organer</h2>(.*?)</div>", re.DOTALL)


def _bodies_section(user: User) -> str:
    client = Client()
    client.force_login(user)
    match = SECTION.search(client.get("/").content.decode())
    assert match, "no Mine organer section"
    return match.group(1)


def _ad_hoc_groups_for(user: User, count: int) -> list[int]:
    person = Person.objects.filter(user=user).first()
    team = Membership.objects.filter(person=person, body__kind=BodyKind.SCHOOL_TEAM).first().body
    bodies = []
    for n in range(count):
        body = services.body_create(
            municipality=team.municipality,
            kind=BodyKind.AD_HOC,
            name=f"Gruppe om barn {n:02d}",
            parent=team,
        )
        services.membership_add(body=body, person=person, by=None)
        bodies.append(body.pk)
    return bodies


def test_many_ad_hoc_groups_are_folded_after_the_standing_bodies(personas: Personas) -> None:
    standing = list(
        Membership.objects.filter(person__user=personas.leader)
        .exclude(body__kind=BodyKind.AD_HOC)
        .values_list("body_id", flat=True)
    )
    groups = _ad_hoc_groups_for(personas.leader, FOLD_BODIES_OVER + 1)

    section = _bodies_section(personas.leader)

    before, folded = section.split('<details class="details">', 1)
    assert '<h3 class="h5">Ad hoc-grupper</h3>' in before
    ad_hoc = Membership.objects.filter(person__user=personas.leader, body__kind=BodyKind.AD_HOC)
    assert f"Vis alle {ad_hoc.count()}" in folded
    for pk in standing:
        assert f'href="/organisation/organ/{pk}/"' in before
    for pk in groups:
        assert f'href="/organisation/organ/{pk}/"' in folded


def test_a_few_ad_hoc_groups_are_simply_listed(personas: Personas) -> None:
    groups = _ad_hoc_groups_for(personas.leader, 2)

    section = _bodies_section(personas.leader)

    assert "<details" not in section
    for pk in groups:
        assert f'href="/organisation/organ/{pk}/"' in section


def test_no_bodies_says_so(personas: Personas) -> None:
    assert "Du er ikke medlem af noget organ endnu." in _bodies_section(personas.outsider)


def test_dashboard_shows_the_users_name_and_only_their_bodies(personas: Personas) -> None:
    client = Client()
    sign_in(client, personas.leader.email)
    own_bodies = set(
        Membership.objects.filter(person__user=personas.leader).values_list("body__name", flat=True)
    )
    other_bodies = set(Body.objects.values_list("name", flat=True)) - own_bodies
    assert own_bodies, "the demo leader should sit in at least one body"
    assert other_bodies, "the demo should have bodies the leader does not sit in"

    response = client.get("/")

    assert response.status_code == 200
    content = response.content.decode()
    assert escape(personas.leader.full_name) in content
    for name in own_bodies:
        assert escape(name) in content, f"the dashboard does not list the user's body {name!r}"
    leaked = {name for name in other_bodies if f">{escape(name)}</a>" in content}
    assert not leaked, f"the dashboard lists bodies the user is not a member of: {leaked}"
