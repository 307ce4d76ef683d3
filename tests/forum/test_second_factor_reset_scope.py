"""Who may reset someone's second factor (and so end all their sessions).

Before: an administrator of any one municipality the account belonged to could, so an
administrator of Glostrup could lock out or take over staff that Albertslund shares with
Glostrup. Now: an administrator of every municipality the account belongs to, or a platform
operator; never one's own account. The refusals answer 403 (the person is visible).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from forum import services
from forum.models import Municipality, Person
from ssp.models import User
from tests.personas import Personas
from tests.two_factor import sign_in

pytestmark = pytest.mark.django_db


def _glostrup_person(user: User) -> Person:
    return Person.objects.get(user=user, municipality__code="161")


def _reset(by: User, whom: User) -> int:
    client = Client()
    client.force_login(by)
    url = f"/organisation/person/{_glostrup_person(whom).pk}/nulstil-totrinslogin/"
    return client.post(url).status_code


def _make_operator(user: User) -> User:
    User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
    return User.objects.get(pk=user.pk)


def _glostrup_only_administrator() -> User:
    admin = User.objects.create_user(
        "glostrup.admin@test.ssp", password="x", full_name="Gorm Glostrup", sector="other"
    )
    services.affiliation_set(
        user=admin,
        municipality=Municipality.objects.get(code="161"),
        is_administrator=True,
        by=None,
    )
    return admin


def test_an_administrator_of_one_of_the_accounts_municipalities_may_not_reset_it(
    personas: Personas,
) -> None:
    # The police officer works in Glostrup and Albertslund; this administrator only in Glostrup.
    admin = _glostrup_only_administrator()
    session = Client()
    sign_in(session, personas.police.email)
    page = Client()
    page.force_login(admin)
    person_page = page.get(f"/organisation/person/{_glostrup_person(personas.police).pk}/")

    status = _reset(admin, personas.police)

    assert status == 403
    assert "Nulstil totrinslogin" not in person_page.content.decode()
    assert TOTPDevice.objects.filter(user=personas.police, confirmed=True).exists()
    assert session.get("/sager/").status_code == 200, "the officer's session must go on"


def test_an_administrator_of_every_one_of_the_accounts_municipalities_may_reset_it(
    personas: Personas,
) -> None:
    # The demo administrator administers both Glostrup and Albertslund.
    assert _reset(_glostrup_only_administrator(), personas.social) == 302
    assert _reset(personas.admin, personas.police) == 302
    assert not TOTPDevice.objects.filter(user=personas.police).exists()


def test_a_platform_operator_may_reset_any_account_but_their_own(personas: Personas) -> None:
    operator = _make_operator(personas.consultant)

    own = _reset(operator, operator)
    other = _reset(operator, personas.police)

    assert own == 403
    assert TOTPDevice.objects.filter(user=operator, confirmed=True).exists()
    assert other == 302
    assert not TOTPDevice.objects.filter(user=personas.police).exists()


def test_an_administrator_of_every_municipality_still_may_not_reset_a_platform_operator(
    personas: Personas,
) -> None:
    operator = _make_operator(personas.social)

    assert _reset(personas.admin, operator) == 403
    assert TOTPDevice.objects.filter(user=operator, confirmed=True).exists()
