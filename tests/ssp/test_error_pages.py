"""The 400, 403, 404 and 500 pages: in the design, in Danish and English, with a way back, and
for 500 a reference that is also in the log. Rendered through real requests with DEBUG off."""

from __future__ import annotations

import logging
import re

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from forum.models import Body
from ssp.views import errors
from tests.personas import Personas
from tests.ssp.error_urls import FAILING_PATH, PlantedBug

FRONT_PAGE_LINK = f'<a href="{reverse("dashboard")}" class="button button-primary">'
MENU = 'class="mainmenu"'
HEADINGS = {
    400: ("Forespørgslen kunne ikke behandles", "The request could not be processed"),
    403: ("Du har ikke adgang til at gøre dette", "You do not have permission to do this"),
    404: ("Siden findes ikke", "Page not found"),
    500: ("Der skete en fejl", "Something went wrong"),
}
WAY_BACK = {"da": "Gå til forsiden", "en": "Go to the front page"}
LANGUAGES = ["da", "en"]


@pytest.fixture(autouse=True)
def _production_errors(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False


def _client(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _assert_error_page(response, status: int, language: str) -> str:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    heading = HEADINGS[status][LANGUAGES.index(language)]
    assert response.status_code == status
    assert f'<html lang="{language}">' in page
    assert f"<h1>{heading}</h1>" in page, f"the {status} page is not in {language}"
    assert f"<title>{heading} – {settings.SSP_SITE_NAME}</title>" in page
    assert f"{FRONT_PAGE_LINK}{WAY_BACK[language]}</a>" in page, "no way back to the front page"
    assert "dkfds.min.css" in page, f"the {status} page is outside the design"
    return page


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_address_answers_the_404_page(language: str) -> None:
    page = _assert_error_page(_client(language).get("/findes-ikke/"), 404, language)
    assert MENU not in page, "a signed-out visitor has no menu"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_signed_in_user_keeps_the_menu_on_the_404_page(personas: Personas, language: str) -> None:
    client = _client(language)
    client.force_login(personas.consultant)
    page = _assert_error_page(client.get("/sager/999999999/"), 404, language)
    assert MENU in page
    assert {"da": "Du kan også finde videre med menuen", "en": "the menu at the top"}[
        language
    ] in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_one_may_see_but_not_change_answers_the_403_page(
    personas: Personas, language: str
) -> None:
    """The consultant sees Glostrup's school teams but may not edit them (the forum's
    permission table, GLOSTRUP_UPKEEP_GET)."""
    body = Body.objects.get(municipality__code="161", name="SSP-team Vestervang")
    client = _client(language)
    client.force_login(personas.consultant)
    page = _assert_error_page(client.get(f"/organisation/organ/{body.pk}/rediger/"), 403, language)
    assert MENU in page
    assert "403 Forbidden" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_request_for_a_foreign_host_answers_the_400_page(language: str) -> None:
    response = _client(language).get("/log-ind/", HTTP_HOST="angriber.example")
    _assert_error_page(response, 400, language)


@pytest.mark.django_db
@pytest.mark.urls("tests.ssp.error_urls")
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_failing_page_answers_the_500_page_with_the_reference_in_the_log(
    personas: Personas, language: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = _client(language)
    client.force_login(personas.consultant)
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger=errors.logger.name):
        response = client.get(FAILING_PATH)

    page = _assert_error_page(response, 500, language)
    assert MENU not in page, "the 500 page reads no user, so it has no menu"
    shown = re.search(r"data-error-reference>([0-9A-F]{8})</strong>", page)
    assert shown, "the 500 page shows no reference"
    logged = [r for r in caplog.records if getattr(r, "error_reference", None)]
    assert len(logged) == 1
    record = logged[0]
    assert record.error_reference == shown.group(1)
    assert shown.group(1) in record.getMessage()
    assert record.exc_info
    assert isinstance(record.exc_info[1], PlantedBug)


class _Untouchable:
    """A session or user the 500 page must not read: either may be what failed."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"the 500 page read .{name} of the session or the user")


def failing_context_processor(request) -> dict:  # type: ignore[no-untyped-def]
    raise AssertionError("the 500 page ran a context processor")


def test_the_500_page_needs_no_database_session_user_or_context_processor(settings) -> None:  # type: ignore[no-untyped-def]
    """No `django_db` mark: any query fails this test."""
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [f"{__name__}.failing_context_processor"],
            },
        }
    ]
    request = RequestFactory().get("/sager/1/")
    request.session = _Untouchable()
    request.user = _Untouchable()
    try:
        raise PlantedBug("the database is down")
    except PlantedBug:
        response = errors.server_error(request)

    assert response.status_code == 500
    assert "<h1>Der skete en fejl</h1>" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("da", "Formularen kunne ikke sendes"), ("en", "The form could not be sent")],
)
def test_a_form_without_its_csrf_token_answers_a_page_saying_why(
    personas: Personas, language: str, heading: str
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(personas.consultant)

    response = client.post(reverse("session_keepalive"))

    page = response.content.decode()
    assert response.status_code == 403
    assert f"<h1>{heading}</h1>" in page
    assert f"{FRONT_PAGE_LINK}{WAY_BACK[language]}</a>" in page
    assert "CSRF verification failed" not in page
