"""Fixtures shared by the core's tests."""

from __future__ import annotations

import pytest

from ssp.models import User
from tests.personas import DEMO_PASSWORD


@pytest.fixture
def newcomer(db) -> User:  # type: ignore[no-untyped-def]
    """An account signing in for the first time: no authenticator yet."""
    return User.objects.create_user(
        "ny@demo.ssp", password=DEMO_PASSWORD, full_name="Nina Nystartet"
    )
