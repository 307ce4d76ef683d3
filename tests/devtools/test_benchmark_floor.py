"""`manage.py benchmark_floor` keeps working: over the demo's personas (the test database holds
the demo) it times both floor requests for each, every one answering as it should."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def _rows(output: str) -> set[tuple[str, str]]:
    rows = [line for line in output.splitlines() if line.startswith("| ") and "median" not in line]
    return {tuple(cell.strip() for cell in row.strip("|").split("|")[:2]) for row in rows}


def test_benchmark_floor_times_both_requests_for_each_demo_persona() -> None:
    out = io.StringIO()

    call_command("benchmark_floor", runs=2, stdout=out)

    personas = ("SSP consultant", "police officer", "school team chair", "administrator")
    requests = ("signed in, no page", "layout only")
    assert _rows(out.getvalue()) == {(p, r) for p in personas for r in requests}


def test_benchmark_floor_profiles_the_named_users_layout() -> None:
    out = io.StringIO()

    call_command("benchmark_floor", runs=2, users="politi@demo.ssp", profile=True, stdout=out)

    assert _rows(out.getvalue()) == {
        ("politi@demo.ssp", "signed in, no page"),
        ("politi@demo.ssp", "layout only"),
    }
    assert "### politi@demo.ssp: layout only, cProfile" in out.getvalue()
    assert "accessibility_statement" in out.getvalue()


def test_benchmark_floor_refuses_an_unknown_user() -> None:
    with pytest.raises(CommandError, match=r"ingen@demo\.ssp"):
        call_command("benchmark_floor", runs=2, users="ingen@demo.ssp", stdout=io.StringIO())
