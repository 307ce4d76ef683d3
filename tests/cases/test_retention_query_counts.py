"""Pinned query counts for the legal-hold list and the deletion log: the same number of
queries for one row and for 25 (an N+1 fails here), for each persona who opens them."""

from __future__ import annotations

import pytest
from django.test import Client

from cases import services
from cases.models import DeletionRecord, HoldScope
from forum.models import Body, Municipality
from tests.factories import CaseFactory
from tests.html import without_cell_labels
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MANY = 25


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _count(client: Client, url: str, django_assert_num_queries, expected: int) -> str:  # type: ignore[no-untyped-def]
    client.get(url)  # warm the process-wide caches
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _hold_new_case(personas: Personas, number: int) -> None:
    case = CaseFactory(
        municipality=_glostrup(),
        young_person__full_name=f"Tælle-Ung {number}",
        responsible_body=Body.objects.get(municipality=_glostrup(), name="Mandagsgruppen (§115)"),
        opened_by=personas.consultant,
    )
    services.legal_hold_place(
        municipality=_glostrup(),
        by=personas.admin if number % 2 else personas.consultant,
        case_number=case.pk,
        scope=HoldScope.YOUNG_PERSON if number % 3 else HoldScope.CASE,
        reason=f"Retssag {number}",
    )


# The consultant pays one query more: the menu asks whether to show them the access log.
@pytest.mark.parametrize(("persona", "expected"), [("admin", 6), ("consultant", 7)])
def test_the_hold_list_takes_the_same_queries_for_one_and_for_25_holds(
    client: Client, personas: Personas, django_assert_num_queries, persona: str, expected: int
) -> None:
    url = f"/opbevaring/{_glostrup().pk}/tilbageholdelse/"
    client.force_login(personas[persona])
    _hold_new_case(personas, 0)

    one = _count(client, url, django_assert_num_queries, expected)
    for number in range(1, MANY):
        _hold_new_case(personas, number)
    many = _count(client, url, django_assert_num_queries, expected)

    assert one.count("Retssag ") == 1
    assert many.count("Retssag ") == MANY


def test_the_deletion_log_takes_the_same_queries_for_one_and_for_25_rows(
    client: Client, personas: Personas, django_assert_num_queries
) -> None:
    url = f"/opbevaring/{_glostrup().pk}/sletningslog/"
    client.force_login(personas.admin)

    def record(number: int) -> DeletionRecord:
        return DeletionRecord(
            record_type="note", record_id=number, municipality=_glostrup(), rule="note"
        )

    DeletionRecord.objects.create(
        record_type="case", record_id=1, municipality=_glostrup(), rule="x"
    )
    one = _count(client, url, django_assert_num_queries, 5)
    DeletionRecord.objects.bulk_create(record(number) for number in range(2, MANY + 1))
    many = _count(client, url, django_assert_num_queries, 5)

    assert without_cell_labels(one).count("<tr><td>") == 1
    assert without_cell_labels(many).count("<tr><td>") == MANY
