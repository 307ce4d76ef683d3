"""The Django admin's user pages are for platform operators (superusers) only.

Municipal administrators are staff, for the organisation admin of their municipalities, but
they add and change people through the app, never through the user table.
"""

from __future__ import annotations

import pytest
from django.test import Client

from ssp.models import User
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db) -> User:  # type: ignore[no-untyped-def]
    return User.objects.create_superuser(
        "drift@test.ssp", password="Drift-Kodeord-2024", full_name="Dorte Drift"
    )


def _user_pages(personas: Personas) -> list[str]:
    return [
        "/admin/ssp/user/",
        "/admin/ssp/user/add/",
        f"/admin/ssp/user/{personas.consultant.pk}/change/",
        f"/admin/ssp/user/{personas.consultant.pk}/password/",
        f"/admin/ssp/user/{personas.consultant.pk}/delete/",
    ]


def test_the_admin_persona_is_staff_but_not_a_superuser(personas: Personas) -> None:
    assert personas.admin.is_staff
    assert not personas.admin.is_superuser


def test_municipal_administrator_gets_403_on_every_user_admin_page(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.admin)

    statuses = {url: client.get(url).status_code for url in _user_pages(personas)}

    assert statuses == dict.fromkeys(_user_pages(personas), 403)


def test_municipal_administrator_cannot_change_a_user_by_post(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.admin)
    target = personas.consultant

    response = client.post(
        f"/admin/ssp/user/{target.pk}/change/",
        {
            "email": target.email,
            "full_name": "Overtaget",
            "sector": target.sector,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )

    assert response.status_code == 403
    target.refresh_from_db()
    assert target.full_name != "Overtaget"
    assert not target.is_superuser, "a municipal administrator made a user superuser"


def test_admin_index_does_not_offer_users_to_a_municipal_administrator(
    personas: Personas,
) -> None:
    client = Client()
    client.force_login(personas.admin)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "/admin/ssp/user/" not in response.content.decode(), "the user table is offered"


def test_superuser_can_open_every_user_admin_page(personas: Personas, superuser: User) -> None:
    client = Client()
    client.force_login(superuser)

    statuses = {url: client.get(url).status_code for url in _user_pages(personas)}

    assert statuses == dict.fromkeys(_user_pages(personas), 200)


def test_superuser_sees_the_users_in_the_list(personas: Personas, superuser: User) -> None:
    client = Client()
    client.force_login(superuser)

    response = client.get("/admin/ssp/user/")

    content = response.content.decode()
    assert personas.consultant.email in content
    assert personas.admin.email in content
    assert "/admin/ssp/user/" in client.get("/admin/").content.decode()


@pytest.mark.parametrize("name", ["consultant", "police", "outsider"])
def test_users_who_are_not_staff_are_sent_to_the_admin_login(personas: Personas, name: str) -> None:
    client = Client()
    client.force_login(personas[name])

    response = client.get("/admin/ssp/user/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_visitors_are_sent_to_the_admin_login() -> None:
    response = Client().get("/admin/ssp/user/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/ssp/user/"
