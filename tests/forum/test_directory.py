"""The actor directory: search, filters and pages, through the test client."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from forum.models import Municipality, Person, Unit
from ssp.models import Sector
from tests.forum.page_helpers import error_summary, page_text, people_heading, units_heading

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _albertslund() -> Municipality:
    return Municipality.objects.get(code="165")


def _unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def _add_people(count: int, *, sector: str = Sector.LEISURE) -> list[Person]:
    unit = _unit("Klubberne")
    return [
        services.person_create(
            municipality=_glostrup(), full_name=f"Testperson {n:02}", sector=sector, unit=unit
        )
        for n in range(1, count + 1)
    ]


def test_searching_the_directory_by_name_finds_only_that_person(admin_client: Client) -> None:
    response = admin_client.get(reverse("forum:directory"), {"q": "gitte"})

    assert response.status_code == 200
    assert people_heading(response) == "1 person"
    assert "Gitte Gram" in page_text(response)
    assert "Henrik Holm" not in page_text(response)


def test_searching_the_directory_by_unit_finds_its_people_and_the_unit(
    admin_client: Client,
) -> None:
    response = admin_client.get(reverse("forum:directory"), {"q": "Varmeværket"})

    assert people_heading(response) == "1 person"
    assert "Kasper Krog" in page_text(response)
    assert units_heading(response) == "1 enhed"
    assert f'<a href="{_unit("Varmeværket").get_absolute_url()}">Varmeværket</a>' in (
        page_text(response)
    )


def test_filtering_the_directory_by_sector_shows_only_that_sector(admin_client: Client) -> None:
    response = admin_client.get(reverse("forum:directory"), {"sector": "police"})

    # Dorthe Dahl and Demo-Ida Indsendt (her login held, devtools/demo/heldlogins.py) in
    # Glostrup; Peter Poulsen and Pia Pedersen in both municipalities.
    assert people_heading(response) == "6 personer"
    assert units_heading(response) == "2 enheder"
    page = page_text(response)
    for name in (
        "Dorthe Dahl",
        "Demo-Ida Indsendt",
        "Peter Poulsen",
        "Pia Pedersen",
        "Albertslund Lokalpoliti",
    ):
        assert name in page
    for name in ("Gitte Gram", "Sara Skov", "Varmeværket"):
        assert name not in page, f"{name} is not police, yet the police filter shows them"


def test_filtering_the_directory_by_municipality_shows_only_that_municipality(
    admin_client: Client,
) -> None:
    response = admin_client.get(reverse("forum:directory"), {"municipality": _albertslund().pk})

    assert people_heading(response) == "6 personer"
    assert units_heading(response) == "5 enheder"
    assert "Nina Nielsen" in page_text(response)
    assert "Gitte Gram" not in page_text(response)


def test_an_htmx_directory_search_answers_only_the_results_partial(
    admin_client: Client,
) -> None:
    response = admin_client.get(reverse("forum:directory"), {"q": "Gitte"}, headers=HTMX)

    assert response.status_code == 200
    page = page_text(response)
    assert "<html" not in page
    assert 'role="search"' not in page
    assert people_heading(response) == "1 person"
    assert "Gitte Gram" in page


def _link(response, rel: str) -> str | None:  # type: ignore[no-untyped-def]
    found = re.search(rf'href="(\\?[^"]*)" rel="{rel}"', page_text(response))
    return reverse("forum:directory") + found.group(1).replace("&amp;", "&") if found else None


def test_the_directorys_page_links_keep_the_search_and_the_filters(
    admin_client: Client,
) -> None:
    _add_people(30)

    first = admin_client.get(reverse("forum:directory"), {"q": "Testperson", "sector": "leisure"})

    assert people_heading(first) == "30 personer"
    assert "Side 1" in page_text(first)
    assert "Testperson 25" in page_text(first)
    assert "Testperson 26" not in page_text(first)
    following = _link(first, "next")
    assert following is not None
    assert "q=Testperson&sector=leisure&" in following
    assert "side=2" in following

    second = admin_client.get(following)

    assert "Side 2" in page_text(second)
    assert "Testperson 26" in page_text(second)
    assert "Testperson 25" not in page_text(second)
    assert _link(second, "next") is None
    back = _link(second, "prev")
    assert back is not None
    assert "q=Testperson&sector=leisure&" in back
    assert "Testperson 25" in page_text(admin_client.get(back))


def test_next_walks_every_visible_person_once_in_order(admin_client: Client) -> None:
    _add_people(60)
    expected = list(
        Person.objects.filter(full_name__startswith="Testperson")
        .order_by("full_name", "pk")
        .values_list("full_name", flat=True)
    )
    names, address = [], reverse("forum:directory") + "?q=Testperson"
    while address:
        response = admin_client.get(address)
        assert response.status_code == 200
        names.append(re.findall(r">(Testperson \d+)</a>", page_text(response)))
        address = _link(response, "next")
    assert [name for page in names for name in page] == expected
    assert [len(page) for page in names] == [25, 25, 10]


@pytest.mark.parametrize(
    "params",
    [
        {"side": "999"},
        {"side": "x"},
        {"efter": "x"},
        {"efter": "Testperson 10~abc"},
        {"foer": "~~"},
        {"efter": "~5"},
        {"efter": "Testperson 10~99999999999999999999"},
        {"efter": "Testperson\x0010~5"},
        {"foer": "Testperson 10~0"},
    ],
    ids=lambda params: "&".join(f"{k}={v[:10]}" for k, v in params.items()),
)
def test_a_mangled_page_address_shows_the_first_page(
    admin_client: Client, params: dict[str, str]
) -> None:
    _add_people(30)

    response = admin_client.get(reverse("forum:directory"), {"q": "Testperson", **params})

    assert response.status_code == 200
    assert "Side 1" in page_text(response)
    assert "Testperson 01" in page_text(response)
    assert people_heading(response) == "30 personer"


@pytest.mark.parametrize(
    "params",
    [
        {"sector": "bogus"},
        {"municipality": "abc"},
        {"municipality": "999999"},
        {"unit": "abc"},
        {"page": "999"},
        {"page": "x"},
        {"q": "x" * 101},
    ],
    ids=lambda params: "&".join(f"{k}={v[:10]}" for k, v in params.items()),
)
def test_an_unknown_or_malformed_filter_shows_the_whole_directory(
    admin_client: Client, params: dict[str, str]
) -> None:
    visible = Person.objects.filter(municipality__in=[_glostrup(), _albertslund()]).count()

    response = admin_client.get(reverse("forum:directory"), params)

    assert response.status_code == 200
    assert people_heading(response) == f"{visible} personer"


@pytest.mark.parametrize(
    ("params", "error"),
    [
        (
            {"sector": "bogus"},
            "Sektor: Marker en gyldig valgmulighed. bogus er ikke en af de tilgængelige "
            "valgmuligheder.",
        ),
        ({"q": "x" * 101}, "Denne værdi må højst have 100 tegn (den har 101)."),
    ],
)
def test_a_malformed_filter_is_named_in_the_error_summary(
    admin_client: Client, params: dict[str, str], error: str
) -> None:
    response = admin_client.get(reverse("forum:directory"), params)

    assert response.status_code == 200
    assert any(line.endswith(error) for line in error_summary(response)), error_summary(response)


def test_a_malformed_filter_leaves_the_valid_search_in_force(admin_client: Client) -> None:
    response = admin_client.get(reverse("forum:directory"), {"q": "Gitte", "sector": "bogus"})

    assert response.status_code == 200
    assert people_heading(response) == "1 person"
    assert "Gitte Gram" in page_text(response)


def test_the_directory_counts_no_further_than_a_thousand(admin_client: Client) -> None:
    _add_people(3)
    admin_client.get(reverse("forum:directory"))

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse("forum:directory"))

    assert response.status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 2, "the people and the units say how many they are"
    for sql in counts:
        assert "LIMIT 1001" in sql, sql
