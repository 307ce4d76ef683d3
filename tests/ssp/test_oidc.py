"""Sign-in through an OpenID Connect identity provider, against a small provider run here
(tests/oidc_provider.py) over real HTTP: the code flow with PKCE, signature, nonce and audience
checks, matching existing accounts only, and the second factor when the provider did not
vouch for one."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import SplitResult, urlsplit

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, override_settings

from ssp.models import User
from ssp.two_factor import SECOND_FACTOR_SESSION_KEY
from tests.oidc_provider import Provider, _new_key, running_provider
from tests.personas import Personas
from tests.two_factor import code_for

pytestmark = pytest.mark.django_db

START = "/log-ind/organisation/"
REFUSED = "Du blev ikke logget ind via Testkommunens login"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@pytest.fixture
def provider() -> Iterator[Provider]:
    with running_provider() as provider:
        backends = [*settings.AUTHENTICATION_BACKENDS, "ssp.oidc.OIDCBackend"]
        with override_settings(**provider.settings(), AUTHENTICATION_BACKENDS=backends):
            yield provider


def _provider_answer(location: str) -> SplitResult:
    """Where the provider sends the browser back to (its 302, not followed)."""
    opener = urllib.request.build_opener(_NoRedirects)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(location, timeout=5)
    assert answer.value.code == 302, answer.value.code
    return urlsplit(answer.value.headers["Location"])


def _through_provider(client: Client, start: str = START):  # type: ignore[no-untyped-def]
    """Start at the app, let the provider answer as a browser would see it, and return the
    app's answer to the callback."""
    to_provider = client.get(start)
    assert to_provider.status_code == 302, to_provider.status_code
    back = _provider_answer(to_provider["Location"])
    assert back.path == "/log-ind/organisation/retur/"
    return client.get(f"{back.path}?{back.query}")


def test_the_login_page_offers_the_provider_when_it_is_on(provider: Provider) -> None:
    content = Client().get("/log-ind/?next=/moeder/").content.decode()

    assert "Log ind med Testkommunens login" in content
    assert f'href="{START}?next=/moeder/"' in content


def test_the_login_page_does_not_offer_a_provider_when_it_is_off() -> None:
    assert START not in Client().get("/log-ind/").content.decode()


@pytest.mark.parametrize("url", [START, "/log-ind/organisation/retur/?code=x&state=y"])
def test_the_provider_urls_do_not_exist_when_it_is_off(url: str) -> None:
    assert Client().get(url).status_code == 404


def test_the_request_to_the_provider_uses_pkce_and_a_nonce(provider: Provider) -> None:
    location = Client().get(START)["Location"]

    assert location.startswith(provider.endpoint("authorize") + "?")
    assert "code_challenge_method=S256" in location
    assert "nonce=" in location
    assert "scope=openid+email" in location


def test_a_provider_that_proved_two_factors_signs_the_user_in(
    provider: Provider, personas: Personas
) -> None:
    provider.email = personas.consultant.email.upper()
    client = Client()

    response = _through_provider(client, f"{START}?next=/moeder/")

    assert response.status_code == 302
    assert response["Location"] == "/moeder/"
    assert client.session["_auth_user_id"] == str(personas.consultant.pk)
    assert client.session[SECOND_FACTOR_SESSION_KEY] == "oidc"
    assert client.get("/sager/").status_code == 200


def test_without_the_providers_second_factor_the_apps_code_is_asked_for(
    provider: Provider, personas: Personas
) -> None:
    provider.email = personas.police.email
    provider.amr = ["pwd"]
    client = Client()

    response = _through_provider(client, f"{START}?next=/moeder/")

    assert response["Location"] == "/log-ind/kode/"
    assert "_auth_user_id" not in client.session
    done = client.post("/log-ind/kode/", {"code": code_for(personas.police)})
    assert done["Location"] == "/moeder/"
    assert client.session[SECOND_FACTOR_SESSION_KEY] == "totp"


@pytest.mark.parametrize("amr", [[], ["pwd", "otp"], ["mfa"]])
def test_the_amr_values_that_count_as_two_factors_are_configurable(
    provider: Provider, personas: Personas, amr: list[str]
) -> None:
    provider.email = personas.social.email
    provider.amr = amr
    with override_settings(OIDC_MFA_AMR_VALUES=["otp"]):
        response = _through_provider(Client())

    expected = "/" if "otp" in amr else "/log-ind/kode/"
    assert response["Location"] == expected


@pytest.mark.parametrize("amr", [["mfa"], ["pwd"]])
def test_a_locked_account_is_not_signed_in_through_the_provider(
    provider: Provider, personas: Personas, amr: list[str]
) -> None:
    """Wrong passwords lock the account; proving the person at the provider does not lift it
    (the password reset link does)."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            "/log-ind/", {"username": personas.consultant.email, "password": "forkert-kodeord"}
        )
    provider.email = personas.consultant.email
    provider.amr = amr
    client = Client()

    response = _through_provider(client)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/log-ind/kode/")["Location"] == "/log-ind/"


def _assert_refused(response, client: Client) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 302
    assert response["Location"] == "/log-ind/"
    assert "_auth_user_id" not in client.session
    assert REFUSED in client.get("/log-ind/").content.decode()


def test_an_email_without_an_account_is_refused_and_no_account_is_made(
    provider: Provider, personas: Personas
) -> None:
    provider.email = "ukendt@kommune.dk"
    client = Client()
    users_before = User.objects.count()

    _assert_refused(_through_provider(client), client)
    assert User.objects.count() == users_before


def test_a_deactivated_account_is_refused(provider: Provider, personas: Personas) -> None:
    personas.club.is_active = False
    personas.club.save(update_fields=["is_active"])
    provider.email = personas.club.email
    client = Client()

    _assert_refused(_through_provider(client), client)


def test_a_token_issued_to_another_application_is_refused(
    provider: Provider, personas: Personas
) -> None:
    provider.email = personas.consultant.email
    provider.audience = "another-application"
    client = Client()

    _assert_refused(_through_provider(client), client)


def test_a_token_signed_with_a_foreign_key_is_refused(
    provider: Provider, personas: Personas
) -> None:
    provider.email = personas.consultant.email
    provider.published_key = _new_key()
    client = Client()

    _assert_refused(_through_provider(client), client)


def test_an_unreachable_provider_is_a_clear_message_not_an_error(
    provider: Provider, personas: Personas
) -> None:
    provider.email = personas.consultant.email
    client = Client()
    to_provider = client.get(START)
    state = dict(part.split("=", 1) for part in urlsplit(to_provider["Location"]).query.split("&"))[
        "state"
    ]
    with override_settings(OIDC_OP_TOKEN_ENDPOINT="http://127.0.0.1:9/token"):
        response = client.get(f"/log-ind/organisation/retur/?code=abc&state={state}")

    _assert_refused(response, client)


def test_a_callback_with_an_unknown_state_is_refused(provider: Provider) -> None:
    client = Client()
    client.get(START)

    response = client.get("/log-ind/organisation/retur/?code=abc&state=forged")

    _assert_refused(response, client)
    assert provider.token_requests == 0


def test_a_callback_cannot_be_replayed(provider: Provider, personas: Personas) -> None:
    provider.email = personas.consultant.email
    client = Client()
    back = _provider_answer(client.get(START)["Location"])
    client.get(f"{back.path}?{back.query}")
    client.post("/log-af/")

    replay = client.get(f"{back.path}?{back.query}")

    _assert_refused(replay, client)


def test_a_token_from_another_issuer_is_refused(provider: Provider, personas: Personas) -> None:
    provider.email = personas.consultant.email
    provider.issuer = "https://login.example/another-tenant"
    client = Client()

    _assert_refused(_through_provider(client), client)


def test_userinfo_about_another_subject_is_refused(provider: Provider, personas: Personas) -> None:
    provider.email = personas.consultant.email
    provider.userinfo_subject = "someone-else"
    client = Client()

    _assert_refused(_through_provider(client), client)


@pytest.mark.parametrize("verified", [None, False])
def test_an_email_the_provider_has_not_verified_is_refused(
    provider: Provider, personas: Personas, verified: bool | None
) -> None:
    provider.email = personas.consultant.email
    provider.email_verified = verified
    client = Client()

    _assert_refused(_through_provider(client), client)


def test_the_organisations_own_email_domains_need_no_verified_flag(
    provider: Provider, personas: Personas
) -> None:
    provider.email = personas.consultant.email
    provider.email_verified = None  # as Entra ID sends it
    client = Client()
    with override_settings(OIDC_EMAIL_DOMAINS=["demo.ssp"]):
        response = _through_provider(client)

    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(personas.consultant.pk)


def test_a_password_form_with_a_code_in_its_address_never_asks_the_provider(
    provider: Provider, personas: Personas
) -> None:
    """A wrong password stays a counted failure: the provider is not asked on that path."""
    response = Client().post(
        "/log-ind/?code=abc&state=xyz",
        {"username": personas.consultant.email, "password": "forkert-kodeord"},
    )

    assert response.status_code == 200
    assert provider.token_requests == 0
    assert AccessAttempt.objects.filter(username=personas.consultant.email).exists()


def test_a_hostile_next_through_the_provider_leads_home(
    provider: Provider, personas: Personas
) -> None:
    provider.email = personas.consultant.email

    response = _through_provider(Client(), f"{START}?next=https://evil.example/")

    assert response["Location"] == "/"
