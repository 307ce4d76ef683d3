"""Emails about concerns carry no young person's name, text or school: only a link.

They are sent after the transaction commits, so the tests run the on-commit callbacks.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Concern, ConcernCategory
from forum.models import Body, Membership, Municipality, Unit
from tests.personas import Personas

pytestmark = pytest.mark.django_db

FREJA = "Demo-Freja Fantasisen"  # a new, untriaged concern by club, SSP-team Vestervang


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def test_the_new_concern_email_carries_no_name_only_a_link(
    personas: Personas, client: Client, django_capture_on_commit_callbacks
) -> None:
    glostrup = _glostrup()
    client.force_login(personas.club)
    data = {
        "municipality": glostrup.pk,
        "subject_kind": "person",
        "full_name": "Demo-Viktor Hemmeligsen",
        "birth_date": "2012-03-04",
        "school": Unit.objects.get(name="Glostrup Skole, afdeling Vestervang").pk,
        "category": ConcernCategory.objects.get(municipality=glostrup, name="Kriminalitet").pk,
        "description": "Viktor har vist en kniv frem i frikvarteret.",
        "observed_on": timezone.localdate().isoformat(),
        "location": "Skolegården",
        "urgency": "urgent",
        "notification_status": "not_relevant",
        "submission_token": "6c1f0e0a-3c56-4a43-9d7c-2a3f0d3c9b11",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/bekymringer/ny/", data)

    assert response.status_code == 302
    concern = Concern.objects.get(reported_name="Demo-Viktor Hemmeligsen")
    link = f"{settings.SSP_BASE_URL}/bekymringer/{concern.pk}/"
    recipients = sorted(address for message in mail.outbox for address in message.to)
    # The consultant, and SSP-team Vestervang's chair; the coordinator is the consultant.
    assert recipients == ["konsulent@demo.ssp", "leder@demo.ssp"]
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert link in message.body
        for secret in ("Viktor", "Hemmeligsen", "kniv", "Skolegården", "2012", "Vestervang"):
            assert secret not in text, f"LEAK: {secret!r} in the email to {message.to}"


def test_the_routed_concern_email_carries_no_name_only_a_link(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    freja = Concern.objects.get(young_person__full_name=FREJA)

    with django_capture_on_commit_callbacks(execute=True):
        services.concern_route(
            concern=freja,
            body=Body.objects.get(name="Mandagsgruppen (§115)"),
            by=personas.consultant,
        )

    expected = set(
        Membership.objects.filter(body__name="Mandagsgruppen (§115)", person__user__is_active=True)
        .exclude(person__user=personas.club)
        .values_list("person__user__email", flat=True)
    )
    assert {address for message in mail.outbox for address in message.to} == expected
    assert "politi@demo.ssp" in expected
    for message in mail.outbox:
        assert f"/bekymringer/{freja.pk}/" in message.body
        for secret in ("Freja", "Fantasisen", "spiser ikke"):
            assert secret not in f"{message.subject}\n{message.body}", (
                f"LEAK: {secret!r} in the routing email to {message.to}"
            )
