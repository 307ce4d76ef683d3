"""A date no case work has (year 9999, or before 1900 where old dates make sense) is refused by
the case forms with a Danish message naming the range, never a 500 and never saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import Action, Basis, Case, Concern, ConcernCategory, SubjectKind
from forum.models import Body, Municipality
from tests.personas import Personas

pytestmark = pytest.mark.django_db

PLANNING_RANGE = "Skriv en dato fra 01.01.2000 til 31.12.2100."
# A concern's dates have their own plausible ranges and wording (cases/concern_dates.py).
CONCERN_OBSERVED = {
    "9999-12-31": "Datoen kan ikke ligge i fremtiden.",
    "1850-01-01": "Datoen kan højst ligge 3 år tilbage",
}
CONCERN_BIRTH = {
    "9999-12-31": "Fødselsdatoen kan ikke ligge i fremtiden.",
    "1850-01-01": "SSP arbejder med børn og unge. Tjek årstallet.",
}


def _case() -> Case:
    return Case.objects.get(young_person__full_name="Demo-Mikkel Eksempelsen")


def _concern_form() -> dict[str, Any]:
    glostrup = Municipality.objects.get(code="161")
    return {
        "municipality": glostrup.pk,
        "subject_kind": SubjectKind.PERSON,
        "full_name": "Fie Fiktiv",
        "category": ConcernCategory.objects.get(municipality=glostrup, name="Kriminalitet").pk,
        "description": "Uro om aftenen.",
        "observed_on": timezone.localdate().isoformat(),
        "urgency": "normal",
        "notification_status": "not_relevant",
        "submission_token": "6f1c7a52-8f4e-4a53-9a0c-0b7c3d1e2f41",
    }


def _case_edit_form() -> dict[str, Any]:
    case = _case()
    return {
        "level": case.level,
        "prevention_kind": case.prevention_kind,
        "responsible_body": case.responsible_body_id,
    }


def _share_form() -> dict[str, Any]:
    return {
        "body": Body.objects.get(name="Mandagsgruppen (§115)").pk,
        "purpose": "Forebyggelse",
        "part_of_ssp": "on",
        "relevant": "on",
        "necessary": "on",
    }


def _follow_up() -> Any:
    return Case.objects.get(pk=_case().pk).follow_up_on


# (persona, url, the form without the date, the dated field, message, what a save changes)
PAGES: dict[str, tuple[str, Callable[[], str], Callable[[], dict], str, Any, Callable[[], Any]]] = {
    "action_deadline": (
        "consultant",
        lambda: f"/sager/{_case().pk}/indsats/",
        lambda: {"title": "Samtale med familien"},
        "due_on",
        PLANNING_RANGE,
        lambda: Action.objects.count(),
    ),
    "case_follow_up": (
        "consultant",
        lambda: f"/sager/{_case().pk}/rediger/",
        _case_edit_form,
        "follow_up_on",
        PLANNING_RANGE,
        _follow_up,
    ),
    "share_expiry": (
        "consultant",
        lambda: f"/sager/{_case().pk}/del/",
        _share_form,
        "expires_on",
        PLANNING_RANGE,
        lambda: Basis.objects.count(),
    ),
    "concern_observed_on": (
        "police",
        lambda: "/bekymringer/ny/",
        _concern_form,
        "observed_on",
        CONCERN_OBSERVED,
        lambda: Concern.objects.count(),
    ),
    "concern_birth_date": (
        "police",
        lambda: "/bekymringer/ny/",
        _concern_form,
        "birth_date",
        CONCERN_BIRTH,
        lambda: Concern.objects.count(),
    ),
}


@pytest.mark.parametrize("day", ["9999-12-31", "1850-01-01"])
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_date_out_of_range_is_refused_with_the_range_and_nothing_is_saved(
    client: Client, personas: Personas, page: str, day: str
) -> None:
    persona, url, form, field, message, state = PAGES[page]
    client.force_login(personas[persona])
    before = state()

    response = client.post(url(), {**form(), field: day})
    if isinstance(message, dict):
        message = message[day]

    assert response.status_code == 422, f"{page} on {day} answered {response.status_code}"
    assert message in response.content.decode(), f"{page} on {day} did not say why"
    assert state() == before, f"{page} on {day} saved anyway"
