"""Who gets what on the platform's own signed-in URLs (ssp.urls, outside any app namespace):
a table of (persona, URL, method, expected status).

These URLs belong to no municipality or object, so nothing is invisible (no 404): every
signed-in persona gets the same answer, and anonymous visitors are sent to the login page.
The dashboard is in the meetings table; the public pages (login, password reset, health, …)
are in the table of public URLs in tests/test_url_permission_coverage.py.
"""

from __future__ import annotations

import pytest
from django.test import Client

from ssp.models import User
from tests.passkeys import stored_passkey
from tests.permission_table import ANONYMOUS, Row, Table, check, sign_in, statuses
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

PERSONAS = PERSONA_NAMES


def _statuses(default: int, **overrides: int) -> dict[str, int]:
    return statuses(PERSONAS, default, **overrides)


def _leaders_passkey() -> int:
    return stored_passkey(User.objects.get(email="leder@demo.ssp")).pk


ROWS = [
    # "Bliv logget ind" on the session warning: any signed-in user, by POST only.
    Row("session_keepalive", "POST", lambda: "/session/forlaeng/", _statuses(204)),
    Row("session_keepalive", "GET", lambda: "/session/forlaeng/", _statuses(405)),
    # One's own sign-in security: status, and new recovery codes (shown once), which need a
    # code from the app: none given here, so the form is shown again.
    Row("two_factor_recovery_codes", "GET", lambda: "/konto/totrinslogin/", _statuses(200)),
    Row("two_factor_recovery_codes", "POST", lambda: "/konto/totrinslogin/", _statuses(422)),
    # Passkeys: a code from the app opens adding one (none given here: back to the page with
    # a message); a passkey is removed by its owner only, anyone else's is not there.
    Row(
        "passkey_enrolment_allow",
        "POST",
        lambda: "/konto/adgangsnoegler/tilfoej/",
        _statuses(302),
        location=lambda: "/konto/totrinslogin/#adgangsnoegler",
    ),
    Row("passkey_enrolment_allow", "GET", lambda: "/konto/adgangsnoegler/tilfoej/", _statuses(405)),
    Row(
        "passkey_remove",
        "POST",
        lambda: f"/konto/adgangsnoegler/{_leaders_passkey()}/fjern/",
        _statuses(404, leader=302),
    ),
    # One's own reminder settings (the core's page, under the meetings' path).
    Row("reminder_settings", "GET", lambda: "/moeder/paamindelser/", _statuses(200)),
    Row(
        "reminder_settings",
        "POST",
        lambda: "/moeder/paamindelser/",
        _statuses(302),
        lambda: {"meeting_offsets": ["1440"], "quiet_from": "18:00", "quiet_until": "07:00"},
    ),
]

# The URLs are fixed, and so is what a POST sends.
TABLE = Table(namespace="", rows=ROWS, personas=(*PERSONAS, ANONYMOUS))


@pytest.mark.parametrize(("row", "persona"), TABLE.params())
def test_permission_table(row: Row, persona: str, personas: Personas, client: Client) -> None:
    url = row.url()
    sign_in(client, persona, personas)

    check(
        client,
        row,
        persona,
        url=url,
        data=row.data() if row.data else None,
        location=row.location() if row.location else None,
    )
