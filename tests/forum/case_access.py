"""Asking, after an organisation change, whether someone reads children's cases now: every
case page and the triage queue, as that user."""

from __future__ import annotations

from django.test import Client

from cases.models import Case
from cases.permissions import cases_visible_to
from ssp.models import User


def assert_reads_no_case(user: User) -> None:
    """404 on every case page and on the triage queue, and no case in any list."""
    client = Client()
    client.force_login(user)
    opened = {case.pk: client.get(f"/sager/{case.pk}/").status_code for case in Case.objects.all()}
    assert opened, "the demo has cases"
    assert set(opened.values()) == {404}, f"LEAK: {user.email} opens cases: {opened}"
    assert client.get("/bekymringer/visitation/").status_code == 404, (
        f"LEAK: {user.email} sees the triage queue"
    )
    assert not cases_visible_to(user).exists()
