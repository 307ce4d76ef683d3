"""How the app's queries are planned (issue 18): no parallel workers, and server-side
prepared statements when `DATABASE_PREPARE_THRESHOLD` is set, working with the app's hot
queries (the case access check) through Django's own cursor."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper

from cases import permissions
from cases.models import Case
from tests.personas import Personas

PROJECT_DIR = Path(__file__).resolve().parents[2]
PRINT_OPTIONS = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
)


def _options(**env: str) -> dict:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "ssp.settings"}
    environment.pop("DATABASE_PREPARE_THRESHOLD", None)
    environment.pop("DATABASE_MAX_PARALLEL_WORKERS", None)
    environment.update(env)
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", PRINT_OPTIONS],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_by_default_no_parallel_workers_and_no_server_side_binding() -> None:
    options = _options()

    assert "-c max_parallel_workers_per_gather=0" in options["options"]
    assert "-c random_page_cost=1.1" in options["options"]
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


def test_a_prepare_threshold_turns_on_server_side_prepared_statements() -> None:
    options = _options(DATABASE_PREPARE_THRESHOLD="2")

    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 2


@pytest.mark.django_db
def test_the_case_access_check_runs_as_a_prepared_statement(personas: Personas) -> None:
    """The settings' options on a connection of their own: the access check answers as on
    the app's connection, and from its second run PostgreSQL keeps it prepared."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    settings_dict["OPTIONS"].update(server_side_binding=True, prepare_threshold=1)
    # Its own wrapper under the default alias (signal handlers look the alias up).
    prepared = DatabaseWrapper(settings_dict, alias=connection.alias)
    case = Case.objects.order_by("pk").first()
    checks = {
        user.pk: permissions.cases_visible_to(user).filter(pk=case.pk)
        for user in (personas.consultant, personas.outsider, personas.police)
    }
    try:
        answers = {}
        for user_pk, check in checks.items():
            sql, params = check.values("pk").query.sql_with_params()
            with prepared.cursor() as cursor:
                for _ in range(3):
                    cursor.execute(sql, params)
                    answers[user_pk] = [row[0] for row in cursor.fetchall()]
        with prepared.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            kept = cursor.fetchone()[0]
        assert prepared.connection.prepare_threshold == 1
    finally:
        prepared.close()

    assert kept >= 1, "the access check was not prepared"
    assert answers == {
        user_pk: list(check.values_list("pk", flat=True)) for user_pk, check in checks.items()
    }
    assert answers[personas.consultant.pk] == [case.pk]
    assert answers[personas.outsider.pk] == []
