"""The persona × URL permission tables: the row type and the runner every app's table uses.

An app's table is a list of `Row`s (a URL by its URL name, a method, and the status each
persona gets) wrapped in a `Table` that says which namespace the names are in and which
personas are its columns. The module's own test builds each row's URL and POST data from
whatever the rows need (the demo data, a `world` fixture, the signed-in user) and hands them
to `check`, which sends the request as the persona and asserts the row's status. Every
`Table` is listed in tests/test_url_permission_coverage.py, which fails when a URL of the
project has no row in any of them.

Unless a row says otherwise, an anonymous visitor is sent to the login page (302).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from _pytest.mark import ParameterSet
from django.http import HttpResponse
from django.test import Client
from django.urls import URLResolver, get_resolver

from ssp.models import User
from tests.personas import Personas

ANONYMOUS = "anonymous"
LOGIN_REDIRECT = "/log-ind/?next="


@dataclass(frozen=True)
class Row:
    """One line of a table. `url`, `data` and `location` are called by the table's own test
    with what that table's rows take (nothing, the signed-in user, or a `world`)."""

    name: str  # the URL name, within the table's namespace
    method: str
    url: Callable[..., str]
    expected: Mapping[str, int]
    data: Callable[..., dict] | None = None
    # Where a signed-in user's 302 must lead (a regular expression): tells a service that
    # did its work from one that refused and sent the user back.
    location: Callable[..., str] | None = None


@dataclass(frozen=True)
class Table:
    """An app's rows and the personas they are run for, as the coverage test finds them."""

    namespace: str  # the URL namespace the rows' names are in; "" for the root
    rows: Sequence[Row]
    personas: Sequence[str]  # the columns, ANONYMOUS included when the table runs it

    def params(self) -> list[ParameterSet]:
        """A test case per row and persona, named after both."""
        return [
            pytest.param(row, persona, id=f"{row.method}-{row.name}-{index}-{persona}")
            for index, row in enumerate(self.rows)
            for persona in self.personas
        ]


def statuses(personas: Sequence[str], default: int, **overrides: int) -> dict[str, int]:
    """Expected statuses: `default` for every persona not named."""
    expected = dict.fromkeys(personas, default)
    expected.update(overrides)
    return expected


def url_names(namespace: str) -> set[str]:
    """The URL names of one app's namespace, as its urls.py declares them."""
    app = next(
        pattern
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and pattern.namespace == namespace
    )
    return {pattern.name for pattern in app.url_patterns}


def sign_in(client: Client, persona: str, personas: Personas, **others: User) -> User | None:
    """Sign the persona in on the client (both sign-in steps, see tests/conftest.py); an
    anonymous visitor stays signed out. `others` are a table's extra personas by name."""
    if persona == ANONYMOUS:
        return None
    user = others[persona] if persona in others else personas[persona]
    client.force_login(user)
    return user


def send(client: Client, method: str, url: str, data: dict | None = None) -> HttpResponse:
    response = client.post(url, data or {}) if method == "POST" else client.get(url)
    if response.streaming:
        # Reading a file response to the end closes it; response.close() would also close
        # the test's database connection.
        b"".join(response.streaming_content)
    return response


def check(
    client: Client,
    row: Row,
    persona: str,
    *,
    url: str,
    data: dict[str, Any] | None = None,
    location: str | None = None,
) -> None:
    """Send the row's request as the (already signed-in) persona and assert its status; a
    302 must lead to the login page for an anonymous visitor and to `location` if given."""
    expected = row.expected.get(persona, 302) if persona == ANONYMOUS else row.expected[persona]

    response = send(client, row.method, url, data)

    assert response.status_code == expected, (
        f"{persona} {row.method} {url}: expected {expected}, got {response.status_code}"
    )
    if response.status_code != 302:
        return
    went_to = response["Location"]
    if persona == ANONYMOUS:
        assert went_to.startswith(LOGIN_REDIRECT), f"anonymous {url} went to {went_to}"
    elif location is not None:
        assert re.fullmatch(location, went_to), (
            f"{persona} {row.method} {url}: redirected to {went_to}, expected {location}"
        )
