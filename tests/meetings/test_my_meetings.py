"""The page "Mine møder": the bodies one may plan meetings for, grouped by kind in the order
of the organisation's tree, and a long group (a consultant's hundreds of ad-hoc groups) folded
away."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from forum import services
from forum.models import BodyKind
from meetings.permissions import ad_hoc_groups_organised_by_parts, bodies_organised_by
from meetings.views import meetings as meeting_views
from meetings.views.meetings import FOLD_BODIES_OVER, KIND_HEADINGS
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

PLAN = re.compile(r"<h2 id=\"planlaeg\">Planlæg møder</h2>(.*?)<h2>", re.DOTALL)


def _planning_section(client: Client) -> str:
    match = PLAN.search(client.get("/moeder/").content.decode())
    assert match, "no Planlæg møder section"
    return match.group(1)


def test_the_bodies_to_plan_for_are_grouped_by_kind_and_a_long_group_is_folded(
    personas: Personas,
) -> None:
    team = bodies_organised_by(personas.consultant).filter(kind=BodyKind.SCHOOL_TEAM).first()
    adhoc = [
        services.body_create(
            municipality=team.municipality,
            kind=BodyKind.AD_HOC,
            name=f"Ad hoc-gruppe om barn {n:02d}",
            parent=team,
        )
        for n in range(FOLD_BODIES_OVER + 1)
    ]
    client = Client()
    client.force_login(personas.consultant)

    section = _planning_section(client)

    headings = re.findall(r'<h3 class="h5">([^<]+)</h3>', section)
    assert headings.index("Skolernes SSP-teams") < headings.index("Ad hoc-grupper")
    folded = section.split('<h3 class="h5">Ad hoc-grupper</h3>', 1)[1]
    count = bodies_organised_by(personas.consultant).filter(kind=BodyKind.AD_HOC).count()
    assert folded.lstrip().startswith('<details class="details">')
    assert f"Vis alle {count}" in folded
    for body in adhoc:
        assert f'href="/moeder/organ/{body.pk}/"' in folded
    teams = section.split('<h3 class="h5">Skolernes SSP-teams</h3>', 1)[1].split("<h3", 1)[0]
    assert "<details" not in teams, "a short group is listed as it is"
    assert f'href="/moeder/organ/{team.pk}/"' in teams


def test_someone_who_plans_for_no_body_sees_no_planning_section(personas: Personas) -> None:
    assert not bodies_organised_by(personas.police).exists()
    client = Client()
    client.force_login(personas.police)

    assert "Planlæg møder" not in client.get("/moeder/").content.decode()


def test_the_kind_headings_are_translated(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.consultant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get("/moeder/").content.decode()

    assert '<h3 class="h5">The schools&#x27; SSP teams</h3>' in page
    assert '<h3 class="h5">§115 groups</h3>' in page
    assert "Skolernes SSP-teams" not in page


def test_every_kind_of_body_has_a_heading() -> None:
    assert set(KIND_HEADINGS) == set(BodyKind)


def test_a_kind_with_more_bodies_than_are_shown_lists_its_first_and_opens_on_its_own(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(meeting_views, "FOLDED_BODIES_SHOWN", FOLD_BODIES_OVER + 1)
    team = bodies_organised_by(personas.consultant).filter(kind=BodyKind.SCHOOL_TEAM).first()
    for n in range(FOLD_BODIES_OVER + 3):
        services.body_create(
            municipality=team.municipality,
            kind=BodyKind.AD_HOC,
            name=f"Ad hoc-gruppe om barn {n:02d}",
            parent=team,
        )
    every = list(
        bodies_organised_by(personas.consultant)
        .filter(kind=BodyKind.AD_HOC)
        .order_by("name")
        .values_list("pk", flat=True)
    )
    client = Client()
    client.force_login(personas.consultant)

    folded = _planning_section(client).split('<h3 class="h5">Ad hoc-grupper</h3>', 1)[1]
    shown = [int(pk) for pk in re.findall(r'href="/moeder/organ/(\d+)/"', folded.split("<h3")[0])]
    assert shown == every[: FOLD_BODIES_OVER + 1], "the first by name"
    assert f"Vis de første {FOLD_BODIES_OVER + 1}" in folded
    assert 'href="?organer=ad_hoc#planlaeg"' in folded

    page = client.get("/moeder/?organer=ad_hoc").content.decode()
    section = PLAN.search(page).group(1)
    listed = [int(pk) for pk in re.findall(r'href="/moeder/organ/(\d+)/"', section)]
    assert listed == every, "every ad-hoc group, and no other kind"
    assert '<details class="details" open>' in section
    assert "Vis alle slags organer" in section

    junk = client.get("/moeder/?organer=%3Cscript%3E")
    assert junk.status_code == 200
    assert "Skolernes SSP-teams" in junk.content.decode()


def test_the_ad_hoc_groups_by_parts_and_the_other_kinds_are_the_bodies_organised(
    personas: Personas,
) -> None:
    """ "Planlæg møder" reads the ad-hoc groups by parts (`ad_hoc_groups_organised_by_parts`)
    and the other kinds apart (`bodies_organised_by(but=…)`): together, for every persona,
    exactly the bodies the user organises."""
    for name in PERSONA_NAMES:
        user = personas[name]
        organised = bodies_organised_by(user)
        parts = ad_hoc_groups_organised_by_parts(user)
        ad_hoc = set().union(*(set(part.values_list("pk", flat=True)) for part in parts))
        others = set(bodies_organised_by(user, but=BodyKind.AD_HOC).values_list("pk", flat=True))
        assert ad_hoc == set(organised.filter(kind=BodyKind.AD_HOC).values_list("pk", flat=True)), (
            name
        )
        assert others == set(
            organised.exclude(kind=BodyKind.AD_HOC).values_list("pk", flat=True)
        ), name
    assert any(ad_hoc_groups_organised_by_parts(personas.consultant)[1:]), "a triaged part"
