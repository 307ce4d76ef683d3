"""The permission-table runner can fail, and says who got what where when it does."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.permission_table import ANONYMOUS, Row, Table, check, sign_in, statuses
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

KEEPALIVE = "/session/forlaeng/"


def test_a_wrong_status_fails_naming_the_persona_the_url_and_both_statuses(
    client: Client, personas: Personas
) -> None:
    row = Row("session_keepalive", "GET", lambda: KEEPALIVE, statuses(PERSONA_NAMES, 200))
    sign_in(client, "police", personas)

    with pytest.raises(
        AssertionError, match="police GET /session/forlaeng/: expected 200, got 405"
    ):
        check(client, row, "police", url=KEEPALIVE)


def test_an_anonymous_visitor_sent_anywhere_but_the_login_page_fails(client: Client) -> None:
    row = Row("logout", "POST", lambda: "/log-af/", {})

    with pytest.raises(AssertionError, match="anonymous /log-af/ went to /log-ind/"):
        check(client, row, ANONYMOUS, url="/log-af/")


def test_a_redirect_elsewhere_than_the_rows_location_fails(
    client: Client, personas: Personas
) -> None:
    row = Row("set_language", "POST", lambda: "/i18n/setlang/", {"police": 302})
    sign_in(client, "police", personas)

    with pytest.raises(AssertionError, match="redirected to /moeder/, expected /sager/"):
        check(
            client,
            row,
            "police",
            url="/i18n/setlang/",
            data={"language": "da", "next": "/moeder/"},
            location="/sager/",
        )


def test_a_table_has_a_case_per_row_and_persona_named_after_both() -> None:
    rows = [Row("a", "GET", lambda: "/a/", {}), Row("b", "POST", lambda: "/b/", {})]

    ids = [param.id for param in Table(namespace="", rows=rows, personas=("x", "y")).params()]

    assert ids == ["GET-a-0-x", "GET-a-0-y", "POST-b-1-x", "POST-b-1-y"]
