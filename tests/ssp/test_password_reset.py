"""Forgotten password: a single-use link by email, the same answer for unknown addresses."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from forum.models import Affiliation
from ssp.models import User
from ssp.services import user_invite
from tests.personas import Personas
from tests.two_factor import sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kaffekande-Regnbue-47"
CHECK_YOUR_MAIL = "Tjek din mail"
LINK = re.compile(r"https?://[^\s]+/ny-adgangskode/[^\s/]+/[^\s/]+/")


def _request_reset(client: Client, email: str):  # type: ignore[no-untyped-def]
    return client.post("/glemt-adgangskode/", {"email": email}, follow=True)


def _reset_link(message) -> str:  # type: ignore[no-untyped-def]
    links = LINK.findall(message.body)
    assert len(links) == 1, f"expected one reset link in the email, found {links}"
    return links[0]


def _open_set_password_form(client: Client, link: str):  # type: ignore[no-untyped-def]
    path = link.split("://", 1)[1].split("/", 1)[1]
    return client.get(f"/{path}", follow=True)


def test_reset_form_is_shown_to_anonymous_visitors() -> None:
    response = Client().get("/glemt-adgangskode/")

    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_known_email_gets_exactly_one_email_with_a_reset_link(
    personas: Personas, mailoutbox
) -> None:
    response = _request_reset(Client(), personas.social.email)

    assert response.status_code == 200
    assert response.redirect_chain == [("/glemt-adgangskode/sendt/", 302)]
    assert CHECK_YOUR_MAIL in response.content.decode()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [personas.social.email]
    assert "SSP-samarbejde" in message.subject
    assert _reset_link(message)


def test_reset_link_leads_to_a_form_where_a_new_password_can_be_set_and_used(
    personas: Personas, mailoutbox
) -> None:
    user = personas.social
    client = Client()
    _request_reset(client, user.email)
    link = _reset_link(mailoutbox[0])

    form_page = _open_set_password_form(client, link)
    assert form_page.status_code == 200
    form_content = form_page.content.decode()
    assert 'name="new_password1"' in form_content
    assert 'name="new_password2"' in form_content
    set_password_url = form_page.redirect_chain[-1][0]

    response = client.post(
        set_password_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/ny-adgangskode/faerdig/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    fresh = Client()
    login = sign_in(fresh, user.email, NEW_PASSWORD)
    assert login.status_code == 302
    assert fresh.session["_auth_user_id"] == str(user.pk)


def test_reset_link_works_only_once(personas: Personas, mailoutbox) -> None:
    client = Client()
    _request_reset(client, personas.social.email)
    link = _reset_link(mailoutbox[0])
    form_page = _open_set_password_form(client, link)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    again = _open_set_password_form(Client(), link)

    assert again.status_code == 200
    content = again.content.decode()
    assert "Linket er ugyldigt" in content
    assert 'name="new_password1"' not in content


def test_unknown_email_gets_the_same_answer_and_no_email(personas: Personas, mailoutbox) -> None:
    known = _request_reset(Client(), personas.social.email)
    mailoutbox.clear()

    unknown = _request_reset(Client(), "findes-ikke@demo.ssp")

    assert unknown.status_code == 200
    assert unknown.redirect_chain == known.redirect_chain
    assert CHECK_YOUR_MAIL in unknown.content.decode()
    assert unknown.content.decode() == known.content.decode().replace(
        # The only difference allowed is the per-request CSRF token in the page.
        _csrf_token(known.content.decode()),
        _csrf_token(unknown.content.decode()),
    )
    assert mailoutbox == []


def _csrf_token(content: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    assert match, "the page has no CSRF token"
    return match.group(1)


def test_too_short_new_password_gives_a_danish_error_summary(
    personas: Personas, mailoutbox
) -> None:
    user = personas.social
    client = Client()
    _request_reset(client, user.email)
    form_page = _open_set_password_form(client, _reset_link(mailoutbox[0]))

    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "kort1", "new_password2": "kort1"}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "alert alert-error" in content, "the DKFDS error summary is missing"
    assert "Der er problemer på siden" in content
    assert "Denne adgangskode er for kort. Den skal indeholde mindst 12 tegn." in content
    assert "This password is too short" not in content
    user.refresh_from_db()
    assert not user.check_password("kort1")


def test_common_new_password_gives_a_danish_error_summary(personas: Personas, mailoutbox) -> None:
    client = Client()
    _request_reset(client, personas.social.email)
    form_page = _open_set_password_form(client, _reset_link(mailoutbox[0]))
    common = "password1234"

    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": common, "new_password2": common}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "alert alert-error" in content, "the DKFDS error summary is missing"
    assert "Denne adgangskode er for almindelig." in content
    assert "This password is too common" not in content


def test_invalid_token_shows_that_the_link_is_invalid(personas: Personas) -> None:
    response = Client().get("/ny-adgangskode/MQ/ugyldig-token/", follow=True)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Linket er ugyldigt" in content
    assert 'name="new_password1"' not in content


def test_reset_email_names_the_service_and_link_but_no_case_data(
    personas: Personas, mailoutbox
) -> None:
    user = personas.police
    _request_reset(Client(), user.email)

    message = mailoutbox[0]
    body = message.body
    assert settings.SSP_SITE_NAME in body
    assert _reset_link(message) in body
    municipalities = list(
        Affiliation.objects.filter(user=user).values_list("municipality__name", flat=True)
    )
    assert municipalities
    text = f"{message.subject}\n{body}"
    leaks = [m for m in municipalities if m in text]
    assert not leaks, f"the reset email names the user's municipalities {leaks}"
    assert str(user.get_sector_display()) not in text, "the reset email names the user's sector"
    assert user.full_name not in text, "the reset email names the user"


def test_an_invited_user_goes_from_choosing_a_password_straight_to_setting_up_the_app(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    """The invitation link proved the mailbox and the password was chosen in this browser: the
    QR code follows without an emailed code, and without signing in first."""
    user = User.objects.create_user("inviteret@demo.ssp", full_name="Ida Inviteret")
    with django_capture_on_commit_callbacks(execute=True):
        user_invite(user=user)
    client = Client()
    set_password_url = _open_set_password_form(client, _reset_link(mailoutbox[0])).redirect_chain[
        -1
    ][0]

    response = client.post(
        set_password_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    content = response.content.decode()
    assert response.redirect_chain[-1][0] == "/log-ind/opsaet-app/"
    assert "Din adgangskode er gemt." in content
    assert 'src="data:image/svg+xml;base64,' in content, "the QR code, no emailed code first"
    assert len(mailoutbox) == 1
    assert "_auth_user_id" not in client.session
