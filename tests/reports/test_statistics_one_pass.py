"""The cases' figures by status, level and kind are read in one pass (conditional aggregation,
issue 18): the same numbers as one GROUP BY per figure, for a whole municipality and for a
police officer's part of it, with and without filters."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from cases.models import CaseStatus, PreventionKind, PreventionLevel
from forum.models import Municipality
from reports import figures
from tests.personas import Personas
from tests.reports.tally import Tally

pytestmark = pytest.mark.django_db

FIELDS = {"status": CaseStatus, "level": PreventionLevel, "prevention_kind": PreventionKind}


def _one_query_per_figure(scope: figures.Scope, filters: figures.Filters) -> dict:
    cases = scope.cases(filters)
    counts: dict[str, dict[str, int]] = {"total": {"": cases.count()}}
    for field_name, choices in FIELDS.items():
        found = dict(cases.values_list(field_name).annotate(n=Count("pk")))
        counts[field_name] = {choice.value: found.get(choice.value, 0) for choice in choices}
    return counts


def test_one_pass_equals_one_query_per_figure_on_the_tally(tally: Tally) -> None:
    whole_year = figures.Filters(start=date(2025, 1, 1), end=date(2026, 12, 31))
    for filters in (
        whole_year,
        figures.Filters(start=whole_year.start, end=whole_year.end, body=tally.east_team),
        figures.Filters(start=whole_year.start, end=whole_year.end, school=tally.west),
        figures.Filters(start=whole_year.start, end=whole_year.end, category=tally.crime),
    ):
        scope = figures.Scope(user=tally.consultant, municipality=tally.municipality, full=True)
        one_pass = figures.case_counts(scope, filters)
        assert one_pass == _one_query_per_figure(scope, filters), filters
    assert figures.case_counts(scope, whole_year)["total"][""] > 0, "the tally has cases"


def test_one_pass_equals_one_query_per_figure_for_a_part_of_the_municipality(
    personas: Personas,
) -> None:
    glostrup = Municipality.objects.get(code="161")
    filters = figures.Filters(start=date(2000, 1, 1), end=date(2100, 1, 1))
    for user, full in ((personas.consultant, True), (personas.police, False)):
        scope = figures.Scope(user=user, municipality=glostrup, full=full)
        with CaptureQueriesContext(connection) as queries:
            one_pass = figures.case_counts(scope, filters)
        assert len(queries) == 1
        assert one_pass == _one_query_per_figure(scope, filters), user.email
    assert (
        one_pass["total"][""]
        < figures.case_counts(
            figures.Scope(user=personas.consultant, municipality=glostrup, full=True), filters
        )["total"][""]
    ), "the police officer's part is a part"
