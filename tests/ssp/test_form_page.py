"""The one form page every app's create and edit pages use (ssp/views/forms.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.test import RequestFactory

from ssp.forms import DkfdsFormMixin
from ssp.views.forms import form_page
from tests.personas import Personas

pytestmark = pytest.mark.django_db


class NameForm(DkfdsFormMixin, forms.Form):
    name = forms.CharField(label="Navn", max_length=20)
    note = forms.CharField(label="Note", required=False)


@dataclass
class Saved:
    name: str

    def get_absolute_url(self) -> str:
        return f"/saved/{self.name}/"


def _request(personas: Personas, data: dict | None = None) -> HttpRequest:
    factory = RequestFactory()
    request = factory.post("/form/", data) if data is not None else factory.get("/form/")
    request.user = personas.consultant
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _page(request: HttpRequest, save=lambda data: Saved(data["name"]), **options):  # type: ignore[no-untyped-def]
    form = NameForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        heading="Opret ting",
        save=save,
        back="/tilbage/",
        **{"done": lambda saved: f"{saved.name} er oprettet.", **options},
    )


def test_the_page_shows_heading_trail_submit_and_cancel(personas: Personas) -> None:
    response = _page(_request(personas), trail=[("Ting", "/ting/")], intro="Om tingene.")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Opret ting – " in page
    assert "<h1>Opret ting</h1>" in page
    assert '<p class="font-lead">Om tingene.</p>' in page
    assert '<a href="/ting/" class="breadcrumbs__link">Ting</a>' in page
    assert '<li class="breadcrumbs__list-item" aria-current="page">Opret ting</li>' in page
    assert '<button type="submit" class="button button-primary">Gem</button>' in page
    assert '<a class="button button-tertiary" href="/tilbage/">Annuller</a>' in page


def test_a_page_without_a_trail_has_no_breadcrumbs_and_may_have_its_own_title(
    personas: Personas,
) -> None:
    page = _page(_request(personas), title="Fanen", submit="Opret").content.decode()
    assert 'class="breadcrumbs"' not in page
    assert "<title>Fanen – " in page
    assert '<button type="submit" class="button button-primary">Opret</button>' in page


def test_a_form_with_errors_answers_422_and_keeps_the_input(personas: Personas) -> None:
    saved = []
    response = _page(_request(personas, {"name": "x" * 21, "note": "min note"}), save=saved.append)
    page = response.content.decode()
    assert response.status_code == 422
    assert saved == [], "a refused form reached the service"
    assert 'value="min note"' in page
    assert f'value="{"x" * 21}"' in page
    assert 'aria-invalid="true"' in page


def test_a_refusal_by_the_service_answers_422_with_its_message_on_the_form(
    personas: Personas,
) -> None:
    def refuse(data: dict) -> Saved:
        raise ValidationError({"name": "Navnet er taget."})

    response = _page(_request(personas, {"name": "Anna", "note": "min note"}), save=refuse)
    page = response.content.decode()
    assert response.status_code == 422
    assert "Navnet er taget." in page
    assert 'value="Anna"' in page
    assert 'value="min note"' in page


def test_a_saved_form_goes_to_the_saved_object_with_the_done_message(personas: Personas) -> None:
    request = _request(personas, {"name": "Anna"})
    response = _page(request)
    assert response.status_code == 302
    assert response["Location"] == "/saved/Anna/"
    assert [str(message) for message in get_messages(request)] == ["Anna er oprettet."]


def test_a_saved_form_goes_to_next_url_or_else_back(personas: Personas) -> None:
    response = _page(_request(personas, {"name": "Anna"}), next_url="/videre/")
    assert response["Location"] == "/videre/"
    response = _page(_request(personas, {"name": "Anna"}), save=lambda data: True, done="Gemt.")
    assert response["Location"] == "/tilbage/"
