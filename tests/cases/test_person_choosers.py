"""The person choosers of a case's forms (share, ad-hoc group, coordinator, action owner): each
person with sector and unit, grouped by sector, and never an administrator without a case
role (`cases.choosers`)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cases import choosers
from cases.models import Action, Case
from forum import services as forum_services
from forum.models import Body, Person
from ssp.models import User
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MIKKEL = "Demo-Mikkel Eksempelsen"  # SSP-team Vestervang, no ad-hoc group
AMALIE = "Demo-Amalie Tænktsen"  # has an ad-hoc group and an action nobody owns
ANNE = "Anne Andersen"  # administrator of Glostrup, no case role


def _case(name: str) -> Case:
    return Case.objects.get(young_person__full_name=name)


def _anne_seated_in(body_name: str, personas: Personas) -> None:
    forum_services.membership_add(
        body=Body.objects.get(municipality__code="161", name=body_name),
        person=Person.objects.get(municipality__code="161", user=personas.admin),
        by=None,
    )


def _chooser_pages(client: Client, personas: Personas) -> dict[str, str]:
    """Every page of a case with a person chooser, as the consultant sees it."""
    mikkel, amalie = _case(MIKKEL), _case(AMALIE)
    unowned = Action.objects.get(case=amalie, responsible__isnull=True)
    urls = {
        "share": f"/sager/{mikkel.pk}/del/",
        "new group": f"/sager/{mikkel.pk}/gruppe/",
        "group member": f"/sager/{amalie.pk}/gruppe/",
        "case details": f"/sager/{mikkel.pk}/rediger/",
        "coordinator": f"/sager/{amalie.pk}/tovholder/",
        "action": f"/sager/{mikkel.pk}/indsats/",
        "action owner": f"/sager/{amalie.pk}/indsats/{unowned.pk}/ansvarlig/",
    }
    client.force_login(personas.consultant)
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        pages[name] = response.content.decode()
    return pages


def test_every_chooser_shows_sector_and_unit_and_no_administrator_without_a_case_role(
    client: Client, personas: Personas
) -> None:
    pages = _chooser_pages(client, personas)

    for name, page in pages.items():
        assert ANNE not in page, f"the {name} chooser offers the administrator"
        assert "Sara Skov — Socialforvaltning, Familieafsnittet" in page or name in (
            "group member",  # Sara Skov is in Amalie's group already
        ), f"the {name} chooser does not show sector and unit"
    assert "Lars Lund — Skole, Glostrup Skole, afdeling Vestervang" in pages["coordinator"]
    assert "Pia Pedersen — Politi, Glostrup Lokalpoliti" in pages["share"]
    assert "Pia Pedersen" not in pages["coordinator"], "a police officer offered as coordinator"
    assert "Pia Pedersen" not in pages["new group"], "a police officer offered as coordinator"


def test_the_choosers_group_people_by_sector_in_the_order_of_the_sectors(
    client: Client, personas: Personas
) -> None:
    share = _chooser_pages(client, personas)["share"]
    select = re.search(r'<select name="user".*?</select>', share, re.DOTALL)
    assert select is not None

    groups = re.findall(r'<optgroup label="([^"]+)">', select.group(0))
    assert groups == ["Skole", "Socialforvaltning", "Politi", "Fritid og klub", "SSP-sekretariat"]
    police = re.search(r'<optgroup label="Politi">(.*?)</optgroup>', select.group(0), re.DOTALL)
    assert police is not None
    assert re.findall(r">([^<>]+) — Politi", police.group(1)) == ["Peter Poulsen", "Pia Pedersen"]


def test_an_administrator_with_a_seat_in_a_case_handling_body_is_offered(
    client: Client, personas: Personas
) -> None:
    _anne_seated_in("SSP-team Vestervang", personas)

    pages = _chooser_pages(client, personas)

    assert f"{ANNE} — Andet, Center for Familie og Forebyggelse" in pages["share"]
    assert f"{ANNE} — Andet" in pages["action"]
    assert ANNE not in pages["coordinator"], "the 'other' sector may not coordinate (R3)"


def test_a_seat_in_a_council_is_not_a_case_role(client: Client, personas: Personas) -> None:
    _anne_seated_in("Lokalrådet i Glostrup", personas)
    case = _case(MIKKEL)

    offered = choosers.share_recipients(case).filter(pk=personas.admin.pk).exists()

    assert not offered, "a seat in the Lokalråd made the administrator a share recipient"
    assert ANNE not in _chooser_pages(client, personas)["action"]


def test_a_superuser_without_a_case_role_is_never_offered(personas: Personas) -> None:
    operator = User.objects.create_superuser(
        "drift@test.ssp", full_name="Dorte Drift", sector="ssp"
    )
    forum_services.affiliation_set(user=operator, municipality=_case(MIKKEL).municipality, by=None)
    case = _case(MIKKEL)

    assert (
        choosers.administrators_without_case_role(case.municipality_id)
        .filter(pk=operator.pk)
        .exists()
    )
    assert not choosers.share_recipients(case).filter(pk=operator.pk).exists()
    assert not choosers.coordinator_candidates(case).filter(pk=operator.pk).exists()


def test_the_consultant_role_and_coordinating_a_case_are_case_roles(personas: Personas) -> None:
    case = _case(MIKKEL)
    municipality = case.municipality
    forum_services.affiliation_set(
        user=personas.consultant,
        municipality=municipality,
        is_ssp_consultant=True,
        is_administrator=True,
        by=None,
    )
    it_teacher = User.objects.create_user(
        "it-laerer@test.ssp", full_name="Ib IT-lærer", sector="school"
    )
    forum_services.affiliation_set(
        user=it_teacher, municipality=municipality, is_administrator=True, by=None
    )
    excluded = choosers.administrators_without_case_role(municipality.pk)
    assert excluded.filter(pk=it_teacher.pk).exists()

    Case.objects.filter(pk=case.pk).update(coordinator=it_teacher)

    assert not excluded.filter(pk=personas.consultant.pk).exists()
    assert not excluded.filter(pk=it_teacher.pk).exists()
    assert excluded.filter(pk=personas.admin.pk).exists()
