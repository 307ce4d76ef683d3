"""Two-factor sign-in: the password alone signs nobody in; an authenticator code or a recovery
code completes it; wrong codes count towards the lockout; administrators reset a lost phone.
The first sign-in's set-up and the emails about one's sign-in: test_two_factor_enrolment.py."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from forum.models import Person
from ssp.models import AuditAction, AuditEvent, User
from ssp.two_factor import (
    SECOND_FACTOR_SESSION_KEY,
    recovery_codes_replace,
    second_factor_reset,
)
from tests.personas import Personas
from tests.two_factor import (
    code_for,
    password_step,
    prove_email,
    sign_in,
    totp_code,
)

pytestmark = pytest.mark.django_db

VERIFY = "/log-ind/kode/"
SETUP = "/log-ind/opsaet-app/"
CODES = "/konto/totrinslogin/"
WRONG_CODE = "Koden er forkert eller udløbet"
SECRET = re.compile(r'<code class="two-factor-secret">([A-Z2-7 ]+)</code>')


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _wrong_code(user: User) -> str:
    right = code_for(user)
    return f"{(int(right) + 1) % 1_000_000:06d}"


@pytest.fixture
def no_throttle(settings) -> None:  # type: ignore[no-untyped-def]
    """django-otp's own delay after a wrong code (1, 2, 4 … s) off, to count axes failures."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


# The password step.


def test_the_right_password_alone_signs_nobody_in(personas: Personas) -> None:
    client = Client()

    response = password_step(client, personas.consultant.email)

    assert response.status_code == 302
    assert response["Location"] == VERIFY
    assert not _signed_in(client)
    assert client.get("/sager/")["Location"].startswith("/log-ind/?next=")


def test_the_code_page_without_a_password_step_sends_back_to_the_login_page() -> None:
    response = Client().get(VERIFY, follow=True)

    assert response.redirect_chain[-1][0] == "/log-ind/"
    assert "Log ind igen" in response.content.decode()


def test_the_code_page_asks_for_the_apps_code_in_danish(personas: Personas) -> None:
    client = Client()
    password_step(client, personas.police.email)

    response = client.get(VERIFY)

    content = response.content.decode()
    assert response.status_code == 200
    assert 'autocomplete="one-time-code"' in content
    assert "godkendelsesappen" in content
    assert personas.police.email in content


# The second step.


def test_the_apps_code_completes_the_sign_in_and_marks_the_session(personas: Personas) -> None:
    client = Client()

    response = sign_in(client, personas.consultant.email)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(personas.consultant.pk)
    assert client.session[SECOND_FACTOR_SESSION_KEY] == "totp"
    assert client.get("/sager/").status_code == 200


def test_a_wrong_code_is_refused_in_danish_and_signs_nobody_in(personas: Personas) -> None:
    client = Client()
    password_step(client, personas.consultant.email)

    response = client.post(VERIFY, {"code": _wrong_code(personas.consultant)})

    assert response.status_code == 422
    assert WRONG_CODE in response.content.decode()
    assert not _signed_in(client)


@pytest.mark.parametrize("code", ["", "   ", "<script>alert(1)</script>", "x" * 500, "12\x0034"])
def test_malformed_codes_are_answered_without_an_error(personas: Personas, code: str) -> None:
    client = Client()
    password_step(client, personas.consultant.email)

    response = client.post(VERIFY, {"code": code})

    assert response.status_code == 422
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not _signed_in(client)


def test_a_code_cannot_be_used_twice(personas: Personas) -> None:
    device = TOTPDevice.objects.get(user=personas.social, confirmed=True)
    code = totp_code(device)
    first, second = Client(), Client()
    password_step(first, personas.social.email)
    password_step(second, personas.social.email)

    assert first.post(VERIFY, {"code": code}).status_code == 302
    replay = second.post(VERIFY, {"code": code})

    assert replay.status_code == 422
    assert not _signed_in(second)


def test_a_quick_second_try_after_a_wrong_code_is_asked_to_wait(personas: Personas) -> None:
    client = Client()
    password_step(client, personas.club.email)
    client.post(VERIFY, {"code": _wrong_code(personas.club)})

    response = client.post(VERIFY, {"code": code_for(personas.club)})

    assert response.status_code == 422
    assert "Vent 1 sekund, før du prøver igen" in response.content.decode()
    assert not _signed_in(client)


def test_the_next_url_survives_both_steps(personas: Personas) -> None:
    response = sign_in(Client(), personas.consultant.email, next="/moeder/")

    assert response["Location"] == "/moeder/"


def test_the_half_way_state_expires(personas: Personas) -> None:
    client = Client()
    password_step(client, personas.consultant.email)

    later = time.time() + settings.TWO_FACTOR_PENDING_SECONDS + 5
    with time_machine.travel(later, tick=False):
        response = client.post(VERIFY, {"code": code_for(personas.consultant)})

    assert response.status_code == 302
    assert response["Location"] == "/log-ind/"
    assert not _signed_in(client)


def test_a_session_signed_in_without_the_second_factor_is_ended(personas: Personas) -> None:
    """Any way around the two steps (Django admin's own form, a careless view) is closed."""
    client = Client()
    request = HttpRequest()
    request.session = client.session
    login(request, personas.consultant, backend="django.contrib.auth.backends.ModelBackend")
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key

    response = client.get("/sager/")

    assert response.status_code == 302
    assert response["Location"] == "/log-ind/?next=%2Fsager%2F"
    assert not _signed_in(client)


def test_django_admins_login_form_leads_to_the_two_step_sign_in() -> None:
    response = Client().get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/log-ind/?next=%2Fadmin%2F"


# Recovery codes.


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(personas: Personas) -> None:
    codes = recovery_codes_replace(user=personas.leader)
    client = Client()
    password_step(client, personas.leader.email)

    response = client.post(VERIFY, {"code": codes[0].upper()}, follow=True)

    assert _signed_in(client)
    assert client.session[SECOND_FACTOR_SESSION_KEY] == "recovery"
    assert "Du har 9 tilbage" in response.content.decode()
    again = Client()
    password_step(again, personas.leader.email)
    reuse = again.post(VERIFY, {"code": codes[0]})
    assert reuse.status_code == 422
    assert not _signed_in(again)


def test_new_recovery_codes_are_shown_once_and_replace_the_old(personas: Personas) -> None:
    old = recovery_codes_replace(user=personas.police)
    client = Client()
    client.force_login(personas.police)

    shown = client.post(CODES, {"code": code_for(personas.police)}, follow=True).content.decode()
    new_codes = [token.token for token in StaticToken.objects.filter(device__user=personas.police)]

    assert len(new_codes) == 10
    for code in new_codes:
        assert f"{code[:4]}-{code[4:]}" in shown
    assert not {code.replace("-", "") for code in old} & set(new_codes)
    assert new_codes[0][:4] + "-" not in client.get(CODES).content.decode(), "shown twice"


def _recovery_tokens(user: User) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


@pytest.mark.parametrize("code", ["", "abcdef", "wrong"])
def test_new_recovery_codes_need_a_code_from_the_app(personas: Personas, code: str) -> None:
    recovery_codes_replace(user=personas.police)
    before = _recovery_tokens(personas.police)
    client = Client()
    client.force_login(personas.police)

    response = client.post(
        CODES, {"code": _wrong_code(personas.police) if code == "wrong" else code}
    )

    assert response.status_code == 422
    assert "<li><code>" not in response.content.decode()
    assert _recovery_tokens(personas.police) == before
    assert _signed_in(client)


def test_a_recovery_code_does_not_stand_in_for_the_app_when_making_new_ones(
    personas: Personas,
) -> None:
    codes = recovery_codes_replace(user=personas.police)
    before = _recovery_tokens(personas.police)
    client = Client()
    client.force_login(personas.police)

    response = client.post(CODES, {"code": codes[0]})

    assert response.status_code == 422
    assert _recovery_tokens(personas.police) == before


def test_wrong_codes_for_new_recovery_codes_lock_the_account_and_sign_out(
    personas: Personas, no_throttle: None
) -> None:
    client = Client()
    client.force_login(personas.police)

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(CODES, {"code": _wrong_code(personas.police)}).status_code == 422
    locked = client.post(CODES, {"code": _wrong_code(personas.police)})

    assert locked.status_code == 429
    assert not _signed_in(client)
    assert AccessAttempt.objects.get(username=personas.police.email).failures_since_start == 5
    after = password_step(Client(), personas.police.email)
    assert after.status_code == 429, "locked for the password step too"


def test_without_an_app_there_are_no_recovery_codes_to_make(personas: Personas) -> None:
    TOTPDevice.objects.filter(user=personas.social).delete()
    client = Client()
    client.force_login(personas.social)

    page = client.get(CODES).content.decode()
    response = client.post(CODES, {"code": "123456"})

    assert "Lav nye gendannelseskoder" not in page
    assert response.status_code == 422
    assert "Sæt en godkendelsesapp op, før du laver gendannelseskoder." in response.content.decode()
    assert not _recovery_tokens(personas.social)


# The lockout covers the second factor.


def test_wrong_codes_lock_the_account_like_wrong_passwords(
    personas: Personas, no_throttle: None
) -> None:
    email = personas.consultant.email
    client = Client()
    password_step(client, email)

    statuses = [
        client.post(VERIFY, {"code": _wrong_code(personas.consultant)}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    after = password_step(Client(), email)

    assert statuses == [422] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert after.status_code == 429, "the password step must refuse a locked account"
    assert not _signed_in(client)


def test_a_correct_password_does_not_reset_the_count_of_wrong_codes(
    personas: Personas, no_throttle: None
) -> None:
    email = personas.consultant.email
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client = Client()
        assert password_step(client, email).status_code == 302, f"attempt {attempt}"
        last = client.post(VERIFY, {"code": _wrong_code(personas.consultant)})

    assert last.status_code == 429
    assert password_step(Client(), email).status_code == 429


def test_a_locked_account_is_refused_even_the_right_code(
    personas: Personas, no_throttle: None
) -> None:
    email = personas.consultant.email
    client = Client()
    password_step(client, email)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(VERIFY, {"code": _wrong_code(personas.consultant)})
    for _ in range(2):
        password_step(Client(), email, "forkert-kodeord")  # the limit is reached here

    response = client.post(VERIFY, {"code": code_for(personas.consultant)})

    assert response.status_code == 429
    assert not _signed_in(client)


def test_signing_in_with_both_factors_resets_the_count(
    personas: Personas, no_throttle: None
) -> None:
    email = personas.consultant.email
    client = Client()
    password_step(client, email)
    client.post(VERIFY, {"code": _wrong_code(personas.consultant)})

    sign_in(Client(), email)

    assert not AccessAttempt.objects.filter(username=email).exists()


# Administrators reset a lost phone.


def _person(user: User) -> Person:
    return Person.objects.filter(user=user).select_related("municipality").first()


def test_an_administrator_resets_a_lost_phone_and_ends_the_users_sessions(
    personas: Personas,
) -> None:
    victim = Client()
    sign_in(victim, personas.social.email)
    admin = Client()
    admin.force_login(personas.admin)
    person = _person(personas.social)
    page = admin.get(f"/organisation/person/{person.pk}/").content.decode()

    response = admin.post(f"/organisation/person/{person.pk}/nulstil-totrinslogin/", follow=True)

    assert "Nulstil totrinslogin for" in page
    assert response.status_code == 200
    assert "er nulstillet" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=personas.social).exists()
    assert not StaticToken.objects.filter(device__user=personas.social).exists()
    assert victim.get("/sager/").status_code == 302, "the user's session must end"
    assert password_step(Client(), personas.social.email)["Location"] == SETUP
    assert AuditEvent.objects.filter(
        user_id=personas.admin.pk,
        action=AuditAction.DELETE,
        object_type="ssp.user",
        object_id=str(personas.social.pk),
        purpose="Totrinslogin nulstillet",
    ).exists()


@pytest.mark.parametrize(("persona", "status"), [("consultant", 403), ("outsider", 404)])
def test_only_administrators_may_reset_a_second_factor(
    personas: Personas, persona: str, status: int
) -> None:
    client = Client()
    client.force_login(personas[persona])
    person = _person(personas.social)

    response = client.post(f"/organisation/person/{person.pk}/nulstil-totrinslogin/")
    page = client.get(f"/organisation/person/{person.pk}/").content.decode()

    assert response.status_code == status
    assert "Nulstil totrinslogin" not in page
    assert TOTPDevice.objects.filter(user=personas.social, confirmed=True).exists()


def test_an_administrator_cannot_reset_their_own_second_factor(personas: Personas) -> None:
    person = _person(personas.admin)
    client = Client()
    client.force_login(personas.admin)

    page = client.get(f"/organisation/person/{person.pk}/").content.decode()
    response = client.post(f"/organisation/person/{person.pk}/nulstil-totrinslogin/")

    assert "Nulstil totrinslogin" not in page
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=personas.admin, confirmed=True).exists()
    assert _signed_in(client)


def test_a_platform_operators_second_factor_is_not_reset_from_the_person_page(
    personas: Personas,
) -> None:
    operator = _person(personas.social)
    User.objects.filter(pk=personas.social.pk).update(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(personas.admin)

    page = client.get(f"/organisation/person/{operator.pk}/").content.decode()
    response = client.post(f"/organisation/person/{operator.pk}/nulstil-totrinslogin/")

    assert "Nulstil totrinslogin" not in page
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=personas.social, confirmed=True).exists()


def test_the_pending_window_is_ten_minutes_by_default() -> None:
    assert timedelta(seconds=settings.TWO_FACTOR_PENDING_SECONDS) == timedelta(minutes=10)


def test_a_set_up_page_someone_else_abandoned_never_gives_the_user_its_secret(
    newcomer: User,
) -> None:
    intruder, owner = Client(), Client()
    password_step(intruder, newcomer.email)
    prove_email(intruder, newcomer.email)
    seen = SECRET.search(intruder.get(SETUP).content.decode()).group(1)
    password_step(owner, newcomer.email)
    prove_email(owner, newcomer.email)

    shown = SECRET.search(owner.get(SETUP).content.decode()).group(1)

    assert shown != seen
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1


def test_a_reset_meanwhile_ends_the_half_way_state(personas: Personas) -> None:
    client = Client()
    password_step(client, personas.club.email)
    code = code_for(personas.club)
    second_factor_reset(user=personas.club, by=personas.admin)

    response = client.post(VERIFY, {"code": code})

    assert response["Location"] == "/log-ind/"
    assert client.get(SETUP)["Location"] == "/log-ind/", "no set-up after a reset mid-way"
    assert not _signed_in(client)


def test_a_session_with_a_made_up_second_factor_is_ended(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.consultant)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = "made-up"
    session.save()

    assert client.get("/sager/").status_code == 302
    assert not _signed_in(client)


def test_a_signed_in_non_staff_user_sent_to_the_admin_login_is_refused_not_looped(
    personas: Personas,
) -> None:
    client = Client()
    client.force_login(personas.leader)

    assert client.get("/admin/login/?next=/admin/").status_code == 403
