"""Two-factor sign-in: the password alone signs nobody in; an authenticator code or a recovery
code completes it; first sign-in sets the app up; wrong codes count towards the lockout;
administrators reset a lost phone."""

from __future__ import annotations

import re
import smtplib
import time
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import login
from django.core.mail.backends.base import BaseEmailBackend
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
from tests.personas import DEMO_PASSWORD, Personas
from tests.two_factor import (
    code_for,
    emailed_setup_code,
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


@pytest.fixture
def newcomer(db) -> User:  # type: ignore[no-untyped-def]
    """An account signing in for the first time: no authenticator yet."""
    return User.objects.create_user(
        "ny@demo.ssp", password=DEMO_PASSWORD, full_name="Nina Nystartet"
    )


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


# Guided enrolment on first sign-in.


def test_first_sign_in_sets_up_the_app_then_shows_the_recovery_codes(newcomer: User) -> None:
    client = Client()

    step = password_step(client, newcomer.email)
    prove_email(client, newcomer.email)
    page = client.get(SETUP)
    device = TOTPDevice.objects.get(user=newcomer)
    confirmed = client.post(SETUP, {"code": totp_code(device)})
    codes_page = client.get(confirmed["Location"])

    assert step["Location"] == SETUP
    content = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in content
    assert "QR-kode" in content
    assert not device.confirmed, "the device counts only once a code confirmed it"
    assert confirmed.status_code == 302
    assert confirmed["Location"] == CODES
    assert _signed_in(client)
    device.refresh_from_db()
    assert device.confirmed
    assert codes_page.content.decode().count("<li><code>") == 10
    assert '<a class="button button-primary" href="/">' in codes_page.content.decode()
    assert AuditEvent.objects.filter(
        user_id=newcomer.pk, action=AuditAction.CREATE, object_type="otp_totp.totpdevice"
    ).exists()


def test_a_password_alone_never_sees_a_qr_code_the_mailbox_must_be_proven(
    newcomer: User, mailoutbox
) -> None:
    client = Client()
    password_step(client, newcomer.email)

    page = client.get(SETUP).content.decode()

    assert "vi har sendt en kode til ny@demo.ssp" in page
    assert "data:image/svg+xml" not in page
    assert not TOTPDevice.objects.filter(user=newcomer).exists(), "no secret made yet"
    assert [message.to for message in mailoutbox] == [["ny@demo.ssp"]]
    body = mailoutbox[0].body
    assert "Din kode til at sætte totrinslogin op" in mailoutbox[0].subject
    assert "Glemt adgangskode" in body, "what to do if it was not them"
    client.get(SETUP)
    assert len(mailoutbox) == 1, "a reload sends no second email"


def test_a_wrong_emailed_code_is_refused_and_counts_towards_the_lockout(
    newcomer: User, mailoutbox
) -> None:
    client = Client()
    password_step(client, newcomer.email)
    client.get(SETUP)
    right = emailed_setup_code(newcomer.email)
    wrong = f"{(int(right.replace(' ', '')) + 1) % 10**8:08d}"

    response = client.post(SETUP, {"code": wrong})
    letters = client.post(SETUP, {"code": "abcd efgh"})

    assert response.status_code == 422
    assert "Koden passer ikke. Brug koden fra den nyeste e-mail." in response.content.decode()
    assert letters.status_code == 422
    assert "otte cifre" in letters.content.decode()
    assert AccessAttempt.objects.get(username=newcomer.email).failures_since_start == 1
    assert "data:image/svg+xml" not in client.get(SETUP).content.decode()


def test_wrong_emailed_codes_lock_the_account(newcomer: User, mailoutbox) -> None:
    client = Client()
    password_step(client, newcomer.email)
    client.get(SETUP)

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(SETUP, {"code": "0000 0000"}).status_code == 422
    locked = client.post(SETUP, {"code": "0000 0000"})
    right = client.post(SETUP, {"code": emailed_setup_code(newcomer.email)})

    assert locked.status_code == 429
    assert right["Location"] == "/log-ind/", "the half-way state has ended"
    assert password_step(Client(), newcomer.email).status_code == 429


def test_a_code_emailed_to_another_sign_in_does_not_fit(newcomer: User, mailoutbox) -> None:
    first, second = Client(), Client()
    password_step(first, newcomer.email)
    first.get(SETUP)
    code_of_first = emailed_setup_code(newcomer.email)
    password_step(second, newcomer.email)
    second.get(SETUP)

    response = second.post(SETUP, {"code": code_of_first})

    assert len(mailoutbox) == 2
    assert response.status_code == 422


def test_a_new_emailed_code_waits_a_minute_and_replaces_the_old(newcomer: User, mailoutbox) -> None:
    client = Client()
    with time_machine.travel("2026-12-01 09:00:00+01:00", tick=False) as clock:
        password_step(client, newcomer.email)
        client.get(SETUP)
        old = emailed_setup_code(newcomer.email)

        too_soon = client.post(SETUP, {"action": "resend"}, follow=True)
        clock.shift(timedelta(seconds=61))
        again = client.post(SETUP, {"action": "resend"}, follow=True)
        new = emailed_setup_code(newcomer.email)
        refused = client.post(SETUP, {"code": old})
        accepted = client.post(SETUP, {"code": new})

    assert "Vent 60 sekunder, før du prøver igen." in too_soon.content.decode()
    assert "Vi har sendt en ny kode." in again.content.decode()
    assert len(mailoutbox) == 2
    assert refused.status_code == 422
    assert accepted["Location"] == SETUP


class _BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("the mail server went away")


def test_a_mail_server_that_fails_gives_a_message_and_a_way_to_try_again(
    newcomer: User,
    settings,
    mailoutbox,  # type: ignore[no-untyped-def]
) -> None:
    client = Client()
    password_step(client, newcomer.email)
    settings.EMAIL_BACKEND = f"{__name__}._BrokenMailServer"

    page = client.get(SETUP)

    assert page.status_code == 200
    assert "E-mailen med koden kunne ikke sendes. Prøv igen om lidt." in page.content.decode()
    assert "Send koden" in page.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(SETUP, {"action": "resend"})
    assert len(mailoutbox) == 1, "no wait after a failed send"


def test_a_reset_is_done_even_when_the_notice_cannot_be_emailed(
    personas: Personas,
    settings,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}._BrokenMailServer"
    admin = Client()
    admin.force_login(personas.admin)
    person = _person(personas.social)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/organisation/person/{person.pk}/nulstil-totrinslogin/")

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.social).exists()


def test_after_a_reset_the_next_sign_in_proves_the_mailbox_before_a_new_app(
    personas: Personas, mailoutbox
) -> None:
    second_factor_reset(user=personas.club, by=personas.admin)
    client = Client()

    step = password_step(client, personas.club.email)
    page = client.get(SETUP).content.decode()

    assert step["Location"] == SETUP
    assert "data:image/svg+xml" not in page
    assert emailed_setup_code(personas.club.email)


# Emails about changes to one's sign-in.


def _notices(mailoutbox, user: User) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        m.body for m in mailoutbox if user.email in m.to and "Ændring af dit login" in m.subject
    ]


def test_setting_up_the_app_is_confirmed_by_email(
    newcomer: User, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    password_step(client, newcomer.email)
    prove_email(client, newcomer.email)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=newcomer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(SETUP, {"code": totp_code(device)})

    (notice,) = _notices(mailoutbox, newcomer)
    assert "blev der sat en godkendelsesapp op til totrinslogin på din konto" in notice
    assert "Var det ikke dig" in notice


def test_a_reset_new_recovery_codes_and_a_recovery_sign_in_are_told_by_email(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    client.force_login(personas.leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CODES, {"code": code_for(personas.leader)})
    codes = recovery_codes_replace(user=personas.leader)
    with django_capture_on_commit_callbacks(execute=True):
        password_step(Client(), personas.leader.email)
        recovery = Client()
        password_step(recovery, personas.leader.email)
        recovery.post(VERIFY, {"code": codes[0]})
    with django_capture_on_commit_callbacks(execute=True):
        second_factor_reset(user=personas.leader, by=personas.admin)

    renewed, signed_in, reset = _notices(mailoutbox, personas.leader)
    assert "fik din konto nye gendannelseskoder" in renewed
    assert "loggede nogen ind på din konto med en af dine gendannelseskoder" in signed_in
    assert f"nulstillede {personas.admin.full_name} totrinslogin på din konto" in reset
    for body in (renewed, signed_in, reset):
        assert codes[1] not in body, "never a code in a notice"


def test_the_setup_page_keeps_the_same_secret_on_reload(newcomer: User) -> None:
    client = Client()
    password_step(client, newcomer.email)
    prove_email(client, newcomer.email)

    first = SECRET.search(client.get(SETUP).content.decode()).group(1)
    second = SECRET.search(client.get(SETUP).content.decode()).group(1)

    assert TOTPDevice.objects.filter(user=newcomer).count() == 1
    assert first == second


def test_a_wrong_setup_code_keeps_the_app_unconfirmed_and_the_user_signed_out(
    newcomer: User,
) -> None:
    client = Client()
    password_step(client, newcomer.email)
    prove_email(client, newcomer.email)
    client.get(SETUP)

    response = client.post(SETUP, {"code": "000000"})
    letters = client.post(SETUP, {"code": "abcdef"})

    assert response.status_code == 422
    assert "Koden passer ikke" in response.content.decode()
    assert letters.status_code == 422
    assert "seks cifre" in letters.content.decode()
    assert not TOTPDevice.objects.get(user=newcomer).confirmed
    assert not _signed_in(client)


def test_a_quick_second_try_at_setting_up_is_asked_to_wait(newcomer: User) -> None:
    client = Client()
    password_step(client, newcomer.email)
    prove_email(client, newcomer.email)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=newcomer)
    client.post(SETUP, {"code": f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"})

    response = client.post(SETUP, {"code": totp_code(device)})

    assert response.status_code == 422
    assert "Vent 1 sekund, før du prøver igen" in response.content.decode()
    assert "Koden passer ikke" not in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not _signed_in(client)


def test_a_user_with_an_app_cannot_set_up_another_on_the_setup_page(personas: Personas) -> None:
    client = Client()
    password_step(client, personas.consultant.email)

    response = client.get(SETUP)

    assert response["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=personas.consultant).count() == 1


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
