"""Helpers for the benchmark commands (`benchmark_cases`, `benchmark_pages`, …)."""

from __future__ import annotations

from django.test import Client

from ssp.models import User
from ssp.two_factor import SECOND_FACTOR_SESSION_KEY, SecondFactor


def signed_in_client(user: User) -> Client:
    """A test client signed in as `user` with both factors, as a real sign-in leaves the
    session (without the second factor, `TwoFactorMiddleware` would sign it out)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = SecondFactor.TOTP.value
    session.save()
    return client
