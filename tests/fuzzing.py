"""Shared machinery of the form fuzzing tests (tests/<app>/test_form_fuzzing.py).

Every user-facing form is posted hostile strings: markup, SQL, template syntax, control
characters, strings at and past the field's length, and arbitrary Unicode. Whatever arrives,
the page must answer as it defines (never 500), a refused form must come back with its input
escaped, and an accepted one must store what was typed (escaping happens at output) and show
it escaped. The expected outcome is predicted from the field's declared rules, not read from
the form, so a field that accepts too much or too little fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ssp.models import User

# The classic payloads of the issue, and two long ones.
PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE cases_case; --",
    "\x00",
    "\u202e",
    "Titel\r\nBcc: alle@example.com",
    "{{ 7*7 }}",
    "{% debug %}",
    "%(x)s",
    "A" * 10_001,
    "<script>alert(1)</script>" * 500,
)
# What a payload looks like when a page renders it live instead of escaped.
LIVE_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
# An event handler attribute inside a tag, as it would survive a sloppy sanitiser.
HANDLER_IN_TAG = re.compile(r"<[^>]*\bon[a-z]+\s*=")

FUZZ_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _hostile_text(max_length: int | None) -> st.SearchStrategy[str]:
    """Payloads, arbitrary Unicode (surrogates cannot be encoded, so st.text leaves them out),
    payloads inside text, and payloads filled up to the field's limit and one past it."""
    strategies = [
        st.sampled_from(PAYLOADS),
        st.text(max_size=300),
        st.tuples(st.text(max_size=20), st.sampled_from(PAYLOADS), st.text(max_size=20)).map(
            "".join
        ),
    ]
    if max_length is not None:
        strategies.append(
            st.tuples(st.sampled_from(PAYLOADS[:3]), st.sampled_from((0, 1))).map(
                lambda pair: (pair[0] * (max_length // len(pair[0]) + 2))[: max_length + pair[1]]
            )
        )
    return st.one_of(*strategies)


@dataclass(frozen=True)
class Text:
    """A free-text field: accepted when the stripped value is within the limit, free of NUL,
    on one line unless the field is `multiline` (a textarea) and, if required, not empty;
    stored stripped and otherwise exactly as typed."""

    max_length: int | None
    required: bool = True
    multiline: bool = False

    def strategy(self) -> st.SearchStrategy[str]:
        return _hostile_text(self.max_length)

    def accepts(self, value: str) -> bool:
        stripped = value.strip()
        if "\x00" in stripped:
            return False
        if not self.multiline and ("\r" in stripped or "\n" in stripped):
            return False
        if self.max_length is not None and len(stripped) > self.max_length:
            return False
        return bool(stripped) or not self.required

    def stored_as(self, value: str) -> str:
        return value.strip()


def _not_a_typed_value(value: str) -> bool:
    """A hostile string that no date, time, number or choice could be: not blank (an optional
    field would take that) and not digits (a number or an id might be valid)."""
    stripped = value.strip()
    return bool(stripped) and not stripped.replace(".", "").replace("-", "").isdigit()


@dataclass(frozen=True)
class Refused:
    """A typed field (date, time, number, choice, email) or a password: no hostile string is
    a valid value, so every example must be refused."""

    def strategy(self) -> st.SearchStrategy[str]:
        return _hostile_text(None).filter(_not_a_typed_value)

    def accepts(self, value: str) -> bool:
        return False

    def stored_as(self, value: str) -> str:
        raise AssertionError("a refused value is never stored")


Rule = Text | Refused


@dataclass(frozen=True)
class Endpoint:
    """One form as its page posts it.

    Each callable takes the test file's `world` (the case, meeting or edition the form is
    about). `stored` reads back, after an accepted post, the value of each fuzzed text
    field; `rows` counts the rows a create adds, so a refusal that stored anyway is caught.
    """

    name: str
    persona: str | None
    url: Callable[[Any], str]
    fields: dict[str, Rule]
    base: Callable[[Any], dict[str, Any]] = lambda ctx: {}
    method: str = "POST"
    accepted_status: int = 302
    refused_status: int = 422
    stored: Callable[[Any], dict[str, str]] | None = None
    rows: Callable[[Any], int] | None = None
    # Rich-text fields sanitised on input: checked for script and handlers, not equality.
    sanitised: frozenset[str] = field(default_factory=frozenset)
    # Fields whose posted name holds an id (the minutes' "item_<pk>"): name -> posted name.
    posted_names: Callable[[Any], dict[str, str]] = lambda ctx: {}

    def values(self) -> st.SearchStrategy[dict[str, str]]:
        return st.fixed_dictionaries({name: rule.strategy() for name, rule in self.fields.items()})

    def __str__(self) -> str:
        return self.name


def _short(values: dict[str, str]) -> str:
    return repr(
        {
            name: value if len(value) < 80 else f"{value[:60]}…({len(value)})"
            for name, value in values.items()
        }
    )


def assert_not_live(response: HttpResponse, where: str) -> None:
    """The page shows no payload as markup: escaped, a payload is text on the screen."""
    html = response.content.decode(errors="replace")
    for markup in LIVE_MARKUP:
        assert markup not in html, f"{where} renders {markup!r} unescaped"


def sign_in(client: Client, personas: Any, endpoint: Endpoint) -> None:
    if endpoint.persona is not None:
        user: User = personas[endpoint.persona]
        client.force_login(user)


def post_and_check(client: Client, endpoint: Endpoint, ctx: Any, values: dict[str, str]) -> None:
    """Post one example, check status, page and storage, and roll the example back."""
    with transaction.atomic():
        _post_and_check(client, endpoint, ctx, values)
        transaction.set_rollback(True)


def _post_and_check(client: Client, endpoint: Endpoint, ctx: Any, values: dict[str, str]) -> None:
    url = endpoint.url(ctx)
    names = endpoint.posted_names(ctx)
    data = {**endpoint.base(ctx), **{names.get(name, name): v for name, v in values.items()}}
    before = endpoint.rows(ctx) if endpoint.rows else None
    send = client.get if endpoint.method == "GET" else client.post
    response = send(url, data)
    accepted = all(endpoint.fields[name].accepts(value) for name, value in values.items())
    expected = endpoint.accepted_status if accepted else endpoint.refused_status
    where = f"{endpoint.method} {url} with {_short(values)}"
    assert response.status_code == expected, (
        f"{where} answered {response.status_code}, expected {expected} "
        f"({'valid' if accepted else 'invalid'} input)"
    )
    assert_not_live(response, where)
    if response.status_code == 302:
        page = client.get(response.url)
        assert page.status_code == 200, f"{where} redirected to {response.url}: {page.status_code}"
        assert_not_live(page, f"{response.url} after {where}")
    if endpoint.rows is not None:
        added = endpoint.rows(ctx) - before
        assert added == (1 if accepted else 0), f"{where} added {added} rows"
    if accepted and endpoint.stored is not None:
        stored = endpoint.stored(ctx)
        for name, value in values.items():
            if name in endpoint.sanitised:
                assert_sanitised(stored[name], where)
                continue
            assert stored[name] == endpoint.fields[name].stored_as(value), (
                f"{where} stored {name} as {stored[name][:200]!r}, not as typed"
            )


def assert_sanitised(stored: str, where: str) -> None:
    """Rich text cleaned on input: no script element and no event handler attribute."""
    lowered = stored.lower()
    assert "<script" not in lowered, f"{where} stored a script element: {stored[:200]!r}"
    assert not HANDLER_IN_TAG.search(lowered), f"{where} stored an event handler: {stored[:200]!r}"
