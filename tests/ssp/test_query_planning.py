"""How the app's queries are planned (issue 18): no parallel workers, and server-side
prepared statements when `DATABASE_PREPARE_THRESHOLD` is set, working with the app's hot
queries (the case access check) through Django's own cursor."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, connection
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import Client

from cases import permissions
from cases.models import Case
from ssp.models import User
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


# The hot paths, as the demo's personas request them: the menu (on a page with only the
# layout), the front page, the case list, a case page (its access check) and their meetings.
HOT_PAGES = ("/tilgaengelighed/", "/", "/sager/", "CASE", "/moeder/")
CASE_LINK = re.compile(r"/sager/\d+/")


def _statements_of_hot_pages(user: User) -> list[tuple[str, tuple | dict]]:
    """Every statement (text and parameters, as Django hands them to the driver) the hot
    pages send for `user`, each page answering 200; the case page is the first case on the
    user's case list, as the load test opens it."""
    sent: list[tuple[str, tuple | dict]] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if not many:
            sent.append((sql, params if isinstance(params, dict) else tuple(params or ())))
        return execute(sql, params, many, context)

    client = Client()
    client.force_login(user)
    listed = CASE_LINK.search(client.get("/sager/").content.decode())
    case_url = listed.group(0) if listed else "/sager/"
    with connection.execute_wrapper(record):
        for page in HOT_PAGES:
            url = case_url if page == "CASE" else page
            assert client.get(url).status_code == 200, url
    return sent


def _run(wrapper: DatabaseWrapper, sql: str, params: tuple | dict, times: int) -> object:
    """A read's rows, "written" for a write (whose new ids differ between connections), or
    the error it raised; in a savepoint, so one refused statement leaves the connection's
    transaction usable for the next."""
    savepoint = wrapper.savepoint()
    reads = sql.lstrip().upper().startswith("SELECT")
    try:
        with wrapper.cursor() as cursor:
            for _ in range(times):
                cursor.execute(sql, params)
                answer = cursor.fetchall() if reads else "written"
    except DatabaseError as error:
        wrapper.savepoint_rollback(savepoint)
        return type(error)
    wrapper.savepoint_commit(savepoint)
    return answer


@pytest.mark.django_db
def test_the_hot_pages_statements_run_with_server_side_binding_and_prepared() -> None:
    """Each statement the hot pages send, for the demo's consultant, police officer, team
    chair and administrator, run as a prepared statement with server-side binding (PostgreSQL
    types every parameter itself; an untyped NULL, a list for `IN` or a parameter where
    PostgreSQL takes none fails there), answers as it does with the default client-side
    binding. Both run on connections of their own, which see the same committed demo and are
    rolled back, so the access log's INSERTs leave nothing behind."""
    users = [
        User.objects.get(email=f"{name}@demo.ssp")
        for name in ("konsulent", "politi", "leder", "admin")
    ]
    statements = [s for user in users for s in _statements_of_hot_pages(user)]
    plain_settings = copy.deepcopy(connection.settings_dict)
    prepared_settings = copy.deepcopy(connection.settings_dict)
    prepared_settings["OPTIONS"].update(server_side_binding=True, prepare_threshold=0)
    plain = DatabaseWrapper(plain_settings, alias=connection.alias)
    prepared = DatabaseWrapper(prepared_settings, alias=connection.alias)
    reads = 0
    try:
        for wrapper in (plain, prepared):
            wrapper.set_autocommit(False)
        for sql, params in statements:
            expected = _run(plain, sql, params, times=1)
            # Prepared on the first run, executed as the prepared statement on the second.
            assert _run(prepared, sql, params, times=2) == expected, sql
            reads += isinstance(expected, list)
        with prepared.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            kept = cursor.fetchone()[0]
        assert prepared.connection.prepare_threshold == 0
    finally:
        for wrapper in (plain, prepared):
            wrapper.rollback()
            wrapper.close()

    assert kept > 0, "nothing was prepared"
    assert reads >= 4 * len(HOT_PAGES), "the pages' reads were not compared"
