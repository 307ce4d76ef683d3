"""The scale tooling keeps working: `seed_scale` writes raw SQL, so a new NOT NULL column on one
of its tables breaks it without any model code noticing (it did once: `User.session_generation`).
A tiny data set, then the page benchmark over it as its three users, signed in with both
factors, every page answering 200."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases import permissions
from cases.models import Case, Concern
from devtools.benchmark import scale_personas
from prevention.models import Activity, ActivityKind
from ssp.models import AuditEvent, User

# seed_scale commits each step (its temporary tables go ON COMMIT), as it does on a real database.
pytestmark = pytest.mark.django_db(transaction=True)


def seed(
    municipalities: int = 2, users: int = 300, cases: int = 2000, sized: str = "40,300"
) -> str:
    out = io.StringIO()
    call_command(
        "seed_scale",
        municipalities=municipalities,
        users=users,
        cases=cases,
        activities=3000,
        sized=sized,
        stdout=out,
    )
    return out.getvalue()


def test_seed_scale_fills_the_tables_it_names() -> None:
    out = seed()
    assert "Scale data is in place." in out
    assert "VACUUM ANALYZE" in out

    scale_users = User.objects.filter(email__endswith="@scale.ssp")
    # 300 and one consultant, police officer and team chair per sized municipality.
    assert scale_users.count() == 306
    assert not scale_users.exclude(session_generation=0).exists()
    assert Case.objects.filter(municipality__code__startswith="S").count() == 2340
    # The sized municipalities' consultants see every case of theirs, and nothing else.
    for code, size in (("SK1", 40), ("SK2", 300)):
        consultant = User.objects.get(
            affiliations__municipality__code=code, affiliations__is_ssp_consultant=True
        )
        visible = permissions.cases_visible_to(consultant)
        assert visible.count() == size
        assert set(visible.values_list("municipality__code", flat=True)) == {code}
    # New concerns wait in the triage queue; the access log has a row per case.
    assert 4 <= Concern.objects.filter(status="new", municipality__code="SK2").count() <= 8
    assert AuditEvent.objects.filter(user_email="scale1@scale.ssp").count() == 2340
    assert Concern.objects.filter(municipality__code__startswith="S").exists()
    activities = Activity.objects.filter(municipality__code__startswith="S")
    assert activities.count() == 3000
    # Spread over every municipality, kind and level, as the prevention account reads them.
    assert activities.values("municipality").distinct().count() == 2
    assert activities.values("kind").distinct().count() == len(ActivityKind)
    assert activities.values("level").distinct().count() == 3
    assert [label for label, _ in scale_personas()] == [
        "police officer",
        "SSP consultant",
        "school team leader",
    ]


def test_seed_scale_refuses_a_second_run() -> None:
    seed()
    with pytest.raises(CommandError, match="already holds scale data"):
        seed()


def test_benchmark_pages_runs_every_page_as_every_scale_user() -> None:
    seed()
    out = io.StringIO()

    call_command("benchmark_pages", runs=2, stdout=out)

    lines = out.getvalue().splitlines()
    rows = [line for line in lines if line.startswith("| ") and "median ms" not in line]
    pages = {tuple(cell.strip() for cell in row.strip("|").split("|")[:2]) for row in rows}
    users = ("police officer", "SSP consultant", "school team leader")
    names = ("front page", "case list", "case page", "concern form", "concern submitted")
    floors = {
        ("SSP consultant", "floor: signed in, no page"),
        ("SSP consultant", "floor: layout only"),
    }
    assert pages == {(user, page) for user in users for page in (*names, "my meetings")} | floors


def test_benchmark_lists_measures_every_list_at_every_size() -> None:
    seed()
    out = io.StringIO()

    call_command("benchmark_lists", runs=2, stdout=out)

    lines = out.getvalue().splitlines()
    sizes = [line for line in lines if line.startswith("| 40 |") and line.endswith("| 40 |")]
    assert sizes, "the smallest consultant: 40 cases and 40 rows of access log"
    pages = {line.split("|")[1].strip() for line in lines if line.count("|") == 6}
    assert {"case list, page 1", "case list, page 2", "triage queue", "access log"} <= pages
