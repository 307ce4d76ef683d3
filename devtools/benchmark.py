"""Helpers for the benchmark commands (`benchmark_cases`, `benchmark_pages`, …)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandError
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from forum.models import Membership
from ssp.models import User
from ssp.two_factor import SECOND_FACTOR_SESSION_KEY, SecondFactor


def keepalive(client: Client) -> HttpResponse:
    """The cheapest signed-in request (the session kept alive): the floor under every page."""
    response = client.post(reverse("session_keepalive"))
    if response.status_code != 204:
        raise CommandError(f"The session keep-alive answered {response.status_code}")
    return response


def signed_in_client(user: User) -> Client:
    """A test client signed in as `user` with both factors, as a real sign-in leaves the
    session (without the second factor, `TwoFactorMiddleware` would sign it out)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = SecondFactor.TOTP.value
    session.save()
    return client


def scale_personas() -> list[tuple[str, User]]:
    """The three users every scale benchmark measures: a police officer, an SSP consultant
    who sees a whole municipality, and a school team leader."""
    scale = User.objects.filter(email__endswith="@scale.ssp")
    police = scale.filter(sector="police").order_by("pk").first()
    consultant = scale.filter(affiliations__is_ssp_consultant=True).order_by("pk").first()
    leader = (
        Membership.objects.filter(role="chair", person__user__in=scale)
        .order_by("pk")
        .values_list("person__user", flat=True)
        .first()
    )
    if police is None or consultant is None or leader is None:
        raise CommandError("No scale data: run `manage.py seed_scale` on this database first.")
    return [
        ("police officer", police),
        ("SSP consultant", consultant),
        ("school team leader", User.objects.get(pk=leader)),
    ]


class QueryTimer:
    """Times each query as the driver runs it, for `connection.execute_wrapper`: the page's
    SQL time (planning, execution and the round trip) next to its server time."""

    def __init__(self) -> None:
        self.total = 0.0
        self.count = 0

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.total += time.perf_counter() - started
            self.count += 1
