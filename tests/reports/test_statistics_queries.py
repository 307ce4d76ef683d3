"""Pinned query counts for the statistics page: every figure is a fixed number of aggregate
queries, so the count is the same for a handful of concerns and cases as for many more."""

from __future__ import annotations

import pytest
from django.test import Client

from cases import services
from cases.models import (
    ConcernCategory,
    NotificationStatus,
    PreventionKind,
    PreventionLevel,
    SubjectKind,
)
from forum.models import Body, Municipality
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MORE = 30
# (persona, queries): the police officer's scope adds the permission subqueries' lookups; the
# consultant's menu asks once whether they triage (the access log is their page too). The
# cases' figures by status, level and kind and their total are one query (issue 18); the page
# asks once whether the reader writes the yearly status's commentary. The meetings' figures ask
# once whether the reader administers a municipality (`forum.permissions.
# is_administrator_anywhere`, kept for the request), so that the meetings' visibility leaves
# out the administrators' part for everyone else instead of composing it (the police officer's
# scope reads meetings through that rule; the consultant's count did not change).
PAGES = [("consultant", 24), ("police", 25)]


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _more_concerns_and_cases(personas: Personas) -> None:
    """Concerns about new young people in several categories, each opening a case of the §115
    group (which the police officer sits in)."""
    glostrup = _glostrup()
    categories = list(ConcernCategory.objects.filter(municipality=glostrup))
    group = Body.objects.get(municipality=glostrup, name="Mandagsgruppen (§115)")
    for number in range(MORE):
        young_person = services.young_person_find_or_create(
            municipality=glostrup, full_name=f"Tælle-Ung {number}", created_by=personas.club
        )
        concern = services.concern_submit(
            author=personas.club,
            municipality=glostrup,
            subject_kind=SubjectKind.PERSON,
            young_person=young_person,
            category=categories[number % len(categories)],
            description="Set ved stationen.",
            observed_on=young_person.created_at.date(),
            notification_status=NotificationStatus.NOT_NEEDED,
        )
        services.concern_open_case(
            concern=concern,
            by=personas.consultant,
            responsible_body=group,
            level=PreventionLevel.INDIVIDUAL,
            prevention_kind=PreventionKind.REACTIVE,
        )


@pytest.mark.parametrize(("persona", "expected"), PAGES)
def test_the_statistics_page_takes_the_same_queries_for_few_and_many_rows(
    client: Client,
    personas: Personas,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
    persona: str,
    expected: int,
) -> None:
    client.force_login(personas[persona])
    url = f"/statistik/{_glostrup().pk}/"
    client.get(url)  # warm the process-wide caches

    with django_assert_num_queries(expected):
        few = client.get(url)
    _more_concerns_and_cases(personas)
    with django_assert_num_queries(expected):
        many = client.get(url)

    assert few.status_code == many.status_code == 200
    assert few.content != many.content, "the new concerns and cases must show in the figures"
