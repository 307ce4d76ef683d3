"""Pinned query counts for "Mine møder": the same number with one upcoming meeting and one body
to plan for as with 25 of each, for the SSP consultant (who plans for every body of the
municipality), the police officer and an administrator.

Each count is the signed-in user's row, the question whether the user administers a
municipality (asked once per request; the meetings' visibility leaves out the administrators'
part for everyone else), the upcoming and the past meetings (each a page of ids off the
invitations' time index, then the rows of both in one query: three), the bodies to plan for
(every kind but the ad-hoc groups in one query; the ad-hoc groups, one per case, by parts off
their index: the municipalities the user triages, then the first of them by name: two) and the
municipalities whose school teams' planning the user oversees; for the consultant also the
menu's question whether they triage, and for the administrator nothing more (the menu's
administrator question is the same one, kept for the request).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from forum import services
from forum.models import Body, BodyKind, Municipality
from meetings.permissions import bodies_organised_by
from tests.factories import MeetingFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MANY = 25
EXPECTED = {"consultant": 11, "police": 10, "admin": 9}


def _group_115() -> Body:
    return Body.objects.get(municipality__code="161", name="Mandagsgruppen (§115)")


def _add(count: int, personas: Personas, offset: int) -> None:
    """Meetings of the §115 group (the consultant and the police officer sit in it) and ad-hoc
    groups of the consultant's municipality, which the consultant plans for."""
    group = _group_115()
    team = bodies_organised_by(personas.consultant).filter(kind=BodyKind.SCHOOL_TEAM).first()
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    for n in range(offset, offset + count):
        MeetingFactory(
            body=group,
            organiser=personas.consultant,
            title=f"Tællemøde {n}",
            starts_at=start + timedelta(days=n + 1),
            ends_at=start + timedelta(days=n + 1, hours=1),
        )
        services.body_create(
            municipality=Municipality.objects.get(code="161"),
            kind=BodyKind.AD_HOC,
            name=f"Tællegruppe {n:02d}",
            parent=team,
        )


def _page(client: Client, django_assert_num_queries, expected: int) -> str:  # type: ignore[no-untyped-def]
    client.get("/moeder/")  # warm the process-wide caches
    with django_assert_num_queries(expected):
        response = client.get("/moeder/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_my_meetings_takes_the_same_queries_for_one_and_for_25_meetings_and_bodies(
    client: Client,
    personas: Personas,
    django_assert_num_queries,
    persona: str,
    expected: int,
) -> None:
    client.force_login(personas[persona])

    _add(1, personas, offset=0)
    one = _page(client, django_assert_num_queries, expected)
    _add(MANY - 1, personas, offset=1)
    many = _page(client, django_assert_num_queries, expected)

    if persona in {"consultant", "police"}:
        # The upcoming meetings come a page of 25 at a time, the soonest first: the demo's
        # own meetings share the first page with the earliest of these.
        assert "Tællemøde 0</a>" in one
        assert "Tællemøde 0</a>" in many
        assert "Næste" in many
    if persona == "consultant":
        for body in Body.objects.filter(name__startswith="Tællegruppe"):
            assert f'<li class="mb-2"><a href="/moeder/organ/{body.pk}/">{body.name}</a></li>' in (
                many
            )
