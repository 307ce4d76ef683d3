"""The case search by parts (issue 18, `cases.search`): whichever way each part is read (its
matches by the indexes, or walked in date order when the term is common), the pages and the
count are those of the one-query search, and nothing outside what the user may see."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases import search, selectors
from cases.models import Case
from forum.models import Body, Municipality
from tests.factories import CaseFactory
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db


def _reference(user, query: str) -> list[int]:  # type: ignore[no-untyped-def]
    filters = selectors.CaseFilters(query=query)
    return list(selectors.case_list(user=user, filters=filters).values_list("pk", flat=True))


def _searched(user, query: str) -> tuple[set[int], search.SearchParts]:  # type: ignore[no-untyped-def]
    found = selectors.case_list_parts(user=user, filters=selectors.CaseFilters(query=query))
    ids = set().union(*(set(part.values_list("pk", flat=True)) for part in found.parts))
    return ids, found


def _terms(personas: Personas) -> list[str]:
    """A common term, names (one misspelled), the concern text, a group's description, a case
    number, a birth date and a term that matches nothing."""
    case = Case.objects.filter(young_person__isnull=False).order_by("pk").first()
    assert case is not None
    born = case.young_person.birth_date
    return [
        "Demo",
        "mikkel",
        "Mikel Eksempelsen",
        "knive",
        "drenge ved",
        str(case.pk),
        born.strftime("%d-%m-%Y"),
        "Zebulon Ingensteds",
    ]


def test_the_parts_find_what_the_one_query_search_finds_for_every_persona(
    personas: Personas,
) -> None:
    for name in PERSONA_NAMES:
        user = personas[name]
        for query in _terms(personas):
            expected = _reference(user, query)
            ids, found = _searched(user, query)
            assert ids == set(expected), (name, query)
            assert found.count == len(expected), (name, query)
            assert not found.count_is_capped


def test_the_search_finds_a_group_case_by_its_description_and_not_by_its_names(
    personas: Personas,
) -> None:
    ids, _found = _searched(personas.consultant, "drenge ved")
    group_cases = Case.objects.filter(subject_description="Ældre drenge ved stationen")
    assert ids == set(group_cases.values_list("pk", flat=True))
    assert ids, "the demo has the group case"


@pytest.mark.parametrize("cap", [2, 5])
def test_a_common_term_is_walked_and_counted_as_more_than_the_cap(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    monkeypatch.setattr(search, "COUNT_CAP", cap)
    expected = _reference(personas.consultant, "Demo")
    assert len(expected) > cap
    ids, found = _searched(personas.consultant, "Demo")

    assert ids == set(expected)
    assert (found.count, found.count_is_capped) == (cap, True)
    # The triaged municipality was walked (its condition, not a list of ids).
    assert any("LIKE" in str(part.query) for part in found.parts)


def test_a_rare_term_is_read_off_the_indexes_with_an_exact_count(personas: Personas) -> None:
    ids, found = _searched(personas.consultant, "mikkel")

    assert (found.count, found.count_is_capped) == (len(ids), False)
    assert found.parts, "the match is a part of ids"
    assert all("LIKE" not in str(part.query) for part in found.parts)


def _many_cases(personas: Personas, count: int, name: str) -> list[Case]:
    glostrup = Municipality.objects.get(code="161")
    vestervang = Body.objects.get(name="SSP-team Vestervang")
    return [
        CaseFactory(
            municipality=glostrup,
            young_person__full_name=f"{name} {number:02}",
            responsible_body=vestervang,
            opened_by=personas.consultant,
        )
        for number in range(count)
    ]


def _rows(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return [int(pk) for pk in re.findall(r'href="/sager/(\d+)/"', response.content.decode())]


def _next(response) -> str | None:  # type: ignore[no-untyped-def]
    found = re.search(r'href="(\?[^"]*)" rel="next"', response.content.decode())
    return "/sager/" + found.group(1).replace("&amp;", "&") if found else None


@pytest.mark.parametrize("cap", [1000, 10])
@pytest.mark.parametrize("persona", ["consultant", "leader", "police"])
def test_the_pages_of_a_search_walk_every_match_once_in_order(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch, cap: int, persona: str
) -> None:
    """With the cap at 10 the term is common in the consultant's municipality (walked, the
    grant parts walked without a probe), at 1,000 it is read off the indexes; the team leader
    and the police officer see the cases through grants only."""
    monkeypatch.setattr(search, "COUNT_CAP", cap)
    _many_cases(personas, 30, "Søgeside")
    user = personas[persona]
    expected = _reference(user, "Søgeside")
    client.force_login(user)

    pages, address = [], "/sager/?q=S%C3%B8geside"
    while address:
        response = client.get(address)
        pages.append(_rows(response))
        address = _next(response)

    assert [pk for page in pages for pk in page] == expected
    assert len(pages) == max(1, -(-len(expected) // 25))
    first = client.get("/sager/", {"q": "Søgeside"}).content.decode()
    if len(expected) > cap:
        assert f"Mere end {cap}" in first.replace(".", "")
    else:
        assert f"{len(expected)} sag" in first


def _probes(client: Client, query: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/sager/", {"q": query})
    assert response.status_code == 200
    return [query["sql"] for query in captured if "UNION ALL" in query["sql"]]


def test_a_rare_term_probes_the_municipality_then_the_grants_each_branch_limited(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.consultant)
    probes = _probes(client, "mikkel")
    assert len(probes) == 2
    # Each part has at least three branches (name, description, concern text), each cut.
    assert all(probe.count(f"LIMIT {search.COUNT_CAP + 1}") >= 3 for probe in probes)


def test_a_term_common_in_the_municipality_leaves_the_grants_unprobed(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    client.force_login(personas.consultant)
    probes = _probes(client, "Demo")
    assert len(probes) == 1
    assert "LIMIT 3" in probes[0]
