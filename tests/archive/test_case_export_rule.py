"""Cases leave only with the data controller: its named representative, an administrator of
the municipality. Everyone else is refused, and the case export is in the access log with
every young person of the municipality (docs/legal.md, "Export of a municipality's data")."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from archive import services
from archive.models import ArchiveExport, ControllerRepresentative
from archive.permissions import can_export_cases
from cases.models import YoungPerson
from forum import services as forum_services
from forum.models import Municipality
from ssp.models import AuditAction, AuditEvent
from tests.archive.helpers import PASSPHRASE
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_worker():  # type: ignore[no-untyped-def]
    with mock.patch.object(services, "_enqueue"):
        yield


def _ask(user, municipality, *, cases: bool):  # type: ignore[no-untyped-def]
    return services.archive_export_request(
        municipality=municipality,
        by=user,
        purpose="Tilsyn",
        passphrase=PASSPHRASE,
        include_cases=cases,
    )


@pytest.mark.parametrize("name", ["admin", "consultant", "leader", "police", "social", "outsider"])
def test_the_case_export_is_refused_to_all_but_the_data_controller(
    personas: Personas, name: str
) -> None:
    glostrup = Municipality.objects.get(code="161")
    with pytest.raises(ValidationError):
        _ask(personas[name], glostrup, cases=True)
    assert not ArchiveExport.objects.filter(include_cases=True).exists()


def test_the_representative_exports_cases_and_the_access_log_names_every_young_person(
    personas: Personas,
) -> None:
    glostrup = Municipality.objects.get(code="161")
    ControllerRepresentative.objects.create(
        municipality=glostrup, user=personas.admin, instruction="J.nr. 2026-123"
    )

    export = _ask(personas.admin, glostrup, cases=True)

    logged = AuditEvent.objects.get(
        user_id=personas.admin.pk, action=AuditAction.EXPORT, object_type="cases.case"
    )
    assert export.include_cases
    assert logged.municipality_id == glostrup.pk
    assert logged.purpose == "Eksport af kommunens sager: Tilsyn"
    assert set(logged.shown_subjects) == set(
        YoungPerson.objects.filter(municipality=glostrup).values_list("pk", flat=True)
    )
    assert logged.shown_subjects, "the demo has young people in Glostrup"


def test_the_representative_of_one_municipality_cannot_export_anothers_cases(
    personas: Personas,
) -> None:
    glostrup, albertslund = Municipality.objects.filter(code__in=["161", "165"]).order_by("code")
    ControllerRepresentative.objects.create(
        municipality=glostrup, user=personas.admin, instruction="J.nr. 2026-123"
    )
    with pytest.raises(ValidationError):
        _ask(personas.admin, albertslund, cases=True)


def test_only_administrators_export_at_all_and_every_export_is_logged(
    personas: Personas,
) -> None:
    glostrup = Municipality.objects.get(code="161")
    with pytest.raises(ValidationError):
        _ask(personas.consultant, glostrup, cases=False)
    export = _ask(personas.admin, glostrup, cases=False)
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, object_type="archive.archiveexport", object_id=str(export.pk)
    ).exists()


@pytest.mark.parametrize("passphrase", ["kort", "aaaaaaaaaaaaaaaa"])
def test_a_weak_passphrase_is_refused(personas: Personas, passphrase: str) -> None:
    glostrup = Municipality.objects.get(code="161")
    with pytest.raises(ValidationError) as refused:
        services.archive_export_request(
            municipality=glostrup, by=personas.admin, purpose="Tilsyn", passphrase=passphrase
        )
    assert "passphrase" in refused.value.message_dict


def test_a_police_officer_cannot_be_named_to_take_the_cases_out(personas: Personas) -> None:
    """Even one who is also the municipality's administrator: the police read a case only
    through a recorded basis and never take cases out in bulk (DESIGN §115 stk. 2)."""
    glostrup = Municipality.objects.get(code="161")
    forum_services.affiliation_set(
        user=personas.police, municipality=glostrup, is_administrator=True, by=None
    )

    with pytest.raises(ValidationError) as refused:
        services.controller_representative_name(
            municipality=glostrup, user=personas.police, instruction="J.nr. 1", by=personas.admin
        )

    assert refused.value.messages == ["Politiet kan ikke være den dataansvarliges repræsentant."]
    assert not can_export_cases(personas.police, glostrup)
