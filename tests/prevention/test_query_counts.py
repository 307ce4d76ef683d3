"""The prevention pages ask the database a fixed number of questions, however many activities
a body logged: a body's year (a street round every week), a plan built from a whole year."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.models import Body
from prevention import services
from prevention.models import AnnualPlan
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_a_bodys_page_and_a_plan_do_not_grow_with_their_activities(
    client: Client, personas: Personas
) -> None:
    body = Body.objects.get(name="Aktivitetsgruppen")
    plan = AnnualPlan.objects.get(body__name="Lokalrådet i Glostrup")
    year = timezone.localdate().year
    client.force_login(personas.consultant)
    page, plan_page = f"/forebyggelse/organ/{body.pk}/?aar={year}", plan.get_absolute_url()
    client.get(page)  # the session's first request reads what later ones have cached
    before = (_queries(client, page), _queries(client, plan_page))

    for days in range(30):
        services.street_round_log(
            body=body,
            by=personas.club,
            planned_on=timezone.localdate() - timedelta(days=days),
            time_of_day=None,
            place=f"Sted {days}",
            young_people=days,
        )
    after = (_queries(client, page), _queries(client, plan_page))

    assert after == before, f"queries before/after 30 more rounds: {before} / {after}"
