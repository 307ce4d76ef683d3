"""Who sees Glostrup's statistics, and how much of them: the consultant all, other staff only
what they were given, outsiders nothing; and no export of the demo names anyone."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from cases import permissions as case_permissions
from cases import services as case_services
from cases.models import (
    Case,
    Concern,
    ConcernCategory,
    PreventionKind,
    PreventionLevel,
    SubjectKind,
    YoungPerson,
)
from forum.models import Body, Municipality
from tests.personas import Personas
from tests.reports.statistics_helpers import (
    get_ok,
    pdf_text,
    read_page,
    workbook_text,
)

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")

# Who sees what: Glostrup's demo data -------------------------------------------------------------


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _glostrup_url(suffix: str = "") -> str:
    return f"/statistik/{_glostrup().pk}/{suffix}"


def _this_year() -> dict[str, str]:
    """A year up to today: the demo data is seeded "now"."""
    today = datetime.now(CPH).date()
    return {"fra": (today - timedelta(days=365)).isoformat(), "til": today.isoformat()}


def _key_figures(client: Client) -> dict[str, str]:
    page = read_page(client, _glostrup_url(), _this_year())
    return {label: value for value, label in page.key_figures}


PARTIAL_NOTE = "Tallene bygger kun på de sager, bekymringer og møder, du har adgang til."


@pytest.mark.parametrize(
    ("persona", "status", "partial"),
    [
        ("consultant", 200, False),
        ("admin", 200, False),
        ("leader", 200, True),
        ("police", 200, True),
        ("police2", 200, True),
        ("social", 200, True),
        ("club", 200, True),
        ("neighbour", 404, None),
        ("outsider", 404, None),
    ],
)
def test_who_opens_glostrups_statistics_and_whether_they_see_all_of_it(
    client: Client, personas: Personas, persona: str, status: int, partial: bool | None
) -> None:
    client.force_login(personas[persona])

    responses = {
        suffix: client.get(_glostrup_url(suffix), _this_year())
        for suffix in ["", "statistik.csv", "statistik.xlsx", "aarsstatus.pdf"]
    }

    assert {suffix: r.status_code for suffix, r in responses.items()} == dict.fromkeys(
        responses, status
    )
    if partial is not None:
        assert (PARTIAL_NOTE in responses[""].content.decode()) is partial
        overview = workbook_text(responses["statistik.xlsx"].content)
        assert ("Kun de sager og bekymringer, du har adgang til" in overview) is partial


@pytest.mark.parametrize("suffix", ["", "statistik.csv", "statistik.xlsx", "aarsstatus.pdf"])
def test_an_anonymous_visitor_is_sent_to_log_in(client: Client, suffix: str) -> None:
    url = _glostrup_url(suffix)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/log-ind/?next={url}"


def test_the_statistics_menu_opens_the_only_municipality_or_lists_them(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.consultant)
    consultant = client.get("/statistik/")
    client.force_login(personas.police)
    police = client.get("/statistik/").content.decode()
    client.force_login(personas.outsider)
    outsider = client.get("/statistik/").content.decode()

    assert (consultant.status_code, consultant["Location"]) == (302, _glostrup_url())
    assert f'href="{_glostrup_url()}">Glostrup</a>' in police
    assert "Albertslund</a>" in police
    assert "Du er ikke tilknyttet en kommune." in outsider


def _more_glostrup_cases(personas: Personas) -> None:
    """Three more cases for SSP-team Vestervang, two for SSP-team Nordvang: enough that the
    police officer's count is no longer hidden as "<5"."""
    glostrup = _glostrup()
    crime = ConcernCategory.objects.get(municipality=glostrup, name="Kriminalitet")
    for index, team in enumerate(["Vestervang"] * 3 + ["Nordvang"] * 2):
        person = case_services.young_person_find_or_create(
            municipality=glostrup,
            full_name=f"Statistik-Ung {index}",
            birth_date=date(2011, 1, 1),
            created_by=personas.consultant,
        )
        concern = case_services.concern_submit(
            author=personas.consultant,
            municipality=glostrup,
            subject_kind=SubjectKind.PERSON,
            young_person=person,
            category=crime,
            description="Set og hørt.",
            observed_on=datetime.now(CPH).date(),
        )
        case_services.concern_open_case(
            concern=concern,
            by=personas.consultant,
            responsible_body=Body.objects.get(municipality=glostrup, name=f"SSP-team {team}"),
            level=PreventionLevel.INDIVIDUAL,
            prevention_kind=PreventionKind.REACTIVE,
            # Opened to the team's police officer too, under a §115 basis for the team.
            body_basis=case_services.BasisRequest(
                purpose="Politiet i teamet kender den unge.",
                criteria=dict.fromkeys(case_services.SHARE_CRITERIA, True),
            ),
        )


def test_the_police_officer_counts_only_the_cases_and_concerns_they_may_see(
    client: Client, personas: Personas
) -> None:
    _more_glostrup_cases(personas)
    glostrup_cases = Case.objects.filter(municipality=_glostrup())
    glostrup_concerns = Concern.objects.filter(municipality=_glostrup())
    police_cases = glostrup_cases.filter(
        pk__in=case_permissions.cases_visible_to(personas.police).values("pk")
    ).count()
    police_concerns = glostrup_concerns.filter(
        pk__in=case_permissions.concerns_visible_to(personas.police).values("pk")
    ).count()
    # Otherwise the test could not tell the two apart.
    assert 5 <= police_cases < glostrup_cases.count()
    assert 5 <= police_concerns < glostrup_concerns.count()

    client.force_login(personas.police)
    police = _key_figures(client)
    client.force_login(personas.consultant)
    consultant = _key_figures(client)

    assert (police["Nye sager"], police["Bekymringer"]) == (
        str(police_cases),
        str(police_concerns),
    )
    assert (consultant["Nye sager"], consultant["Bekymringer"]) == (
        str(glostrup_cases.count()),
        str(glostrup_concerns.count()),
    )


CPR_LIKE = re.compile(r"\d{6}-?\d{4}")


@pytest.mark.parametrize("persona", ["consultant", "police"])
def test_no_export_of_glostrup_shows_a_name_a_birth_date_or_a_cpr_number(
    client: Client, personas: Personas, persona: str
) -> None:
    young_people = list(YoungPerson.objects.filter(full_name__startswith="Demo-"))
    assert len(young_people) >= 8, "the demo young people are missing"
    client.force_login(personas[persona])

    exports = {
        "CSV": get_ok(client, _glostrup_url("statistik.csv"), _this_year()).decode("utf-8-sig"),
        "Excel": workbook_text(get_ok(client, _glostrup_url("statistik.xlsx"), _this_year())),
        "PDF": pdf_text(get_ok(client, _glostrup_url("aarsstatus.pdf"), _this_year())),
    }

    assert "Kriminalitet" in exports["CSV"], "the CSV holds no figures: nothing was checked"
    for export, text in exports.items():
        for young in young_people:
            assert young.full_name not in text, f"LEAK: {young.full_name} in the {export}"
            for born in [young.birth_date.isoformat(), young.birth_date.strftime("%d-%m-%Y")]:
                assert born not in text, f"LEAK: {young.full_name}'s birth date in the {export}"
        assert not CPR_LIKE.search(text), f"LEAK: a CPR-like number in the {export}"
