"""Each municipality keeps its data for its own periods, set by its administrators within the
legal bounds, and the retention job honours them; the deletion log lists what went, per
municipality, record type and date, as a page and as CSV, never with the data itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import (
    Case,
    CaseStatus,
    DeletionCause,
    DeletionOutcome,
    DeletionRecord,
    RetentionPolicy,
)
from cases.tasks import apply_retention
from forum import services as forum_services
from forum.models import Municipality
from ssp.models import AuditAction, AuditEvent
from tests.csv_export import read_export
from tests.html import without_cell_labels
from tests.personas import Personas

pytestmark = pytest.mark.django_db

CSV_HEADER = ["Tidspunkt", "Posttype", "Id", "Udfald", "Årsag", "Regel"]
PERIODS = {
    "concern_without_case_days": "200",
    "closed_case_days": "300",
    "note_days": "400",
    "audit_log_days": "500",
}


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _albertslund() -> Municipality:
    return Municipality.objects.get(code="165")


def _case(name: str) -> Case:
    return Case.objects.select_related("young_person").get(young_person__full_name=name)


def _closed_days_ago(case: Case, days: int) -> None:
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_at=timezone.now() - timedelta(days=days)
    )


def _policy_url(municipality: Municipality) -> str:
    return f"/opbevaring/{municipality.pk}/perioder/"


def _log_url(municipality: Municipality, suffix: str = "sletningslog/") -> str:
    return f"/opbevaring/{municipality.pk}/{suffix}"


# --- The periods page ------------------------------------------------------------------------


def test_the_page_starts_from_the_installations_periods(
    client: Client, personas: Personas, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.RETENTION_NOTE_DAYS = 1234
    client.force_login(personas.admin)

    response = client.get(_policy_url(_glostrup()))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="note_days" value="1234"' in html
    assert "Mellem 180 og 3650 dage." in html
    assert "Mellem 183 og 3650 dage." in html


def test_periods_outside_the_legal_bounds_are_refused_in_danish_with_the_input_kept(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)

    response = client.post(
        _policy_url(_glostrup()),
        {**PERIODS, "concern_without_case_days": "10", "audit_log_days": "100"},
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "Vælg mellem 30 og 730 dage." in html
    assert "Vælg mellem 183 og 3650 dage." in html
    assert 'name="concern_without_case_days" value="10"' in html
    assert 'name="closed_case_days" value="300"' in html
    assert not RetentionPolicy.objects.exists()


def test_an_administrator_sets_the_municipalitys_own_periods(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)

    response = client.post(_policy_url(_glostrup()), PERIODS)

    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(municipality=_glostrup())
    assert (
        policy.concern_without_case_days,
        policy.closed_case_days,
        policy.note_days,
        policy.audit_log_days,
        policy.updated_by,
    ) == (200, 300, 400, 500, personas.admin)
    event = AuditEvent.objects.filter(object_type="cases.retentionpolicy").get()
    assert (event.action, event.municipality_id) == (AuditAction.UPDATE, _glostrup().pk)
    assert (
        'name="audit_log_days" value="500"' in client.get(_policy_url(_glostrup())).content.decode()
    )


def test_retention_uses_each_municipalitys_own_periods(
    client: Client, personas: Personas, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.RETENTION_CLOSED_CASE_DAYS = 5 * 365
    settings.RETENTION_AUDIT_LOG_DAYS = 2 * 365
    client.force_login(personas.admin)
    assert client.post(_policy_url(_glostrup()), PERIODS).status_code == 302
    emma, noah = _case("Demo-Emma Eksempeldatter"), _case("Demo-Noah Nulsen")
    _closed_days_ago(emma, 301)  # Glostrup keeps closed cases 300 days
    _closed_days_ago(noah, 301)  # Albertslund keeps the default five years
    old = timezone.now() - timedelta(days=501)
    glostrup_event = AuditEvent.objects.create(
        at=old, action=AuditAction.VIEW, object_type="cases.case", municipality_id=_glostrup().pk
    )
    albertslund_event = AuditEvent.objects.create(
        at=old,
        action=AuditAction.VIEW,
        object_type="cases.case",
        municipality_id=_albertslund().pk,
    )
    nowhere_event = AuditEvent.objects.create(at=old, action=AuditAction.VIEW, object_type="x")

    deleted = apply_retention.apply().get()

    assert not Case.objects.filter(pk=emma.pk).exists()
    assert Case.objects.filter(pk=noah.pk).exists(), "Albertslund's case went by Glostrup's rule"
    assert deleted["case"] == 1
    assert deleted["audit_event"] == 1
    assert not AuditEvent.objects.filter(pk=glostrup_event.pk).exists()
    assert AuditEvent.objects.filter(pk__in=[albertslund_event.pk, nowhere_event.pk]).count() == 2
    assert DeletionRecord.objects.get(record_type="case").rule == (
        "case closed more than 300 days ago"
    )


# --- The deletion log ------------------------------------------------------------------------


@pytest.fixture
def erased(settings) -> Case:  # type: ignore[no-untyped-def]
    """Emma's case (Glostrup) and Noah's (Albertslund) erased by retention."""
    settings.RETENTION_CLOSED_CASE_DAYS = 60
    emma, noah = _case("Demo-Emma Eksempeldatter"), _case("Demo-Noah Nulsen")
    _closed_days_ago(emma, 61)
    _closed_days_ago(noah, 61)
    apply_retention.apply().get()
    return emma


def test_the_log_lists_the_municipalitys_deletions_without_names(
    client: Client, personas: Personas, erased: Case
) -> None:
    client.force_login(personas.admin)

    response = client.get(_log_url(_glostrup()))

    assert response.status_code == 200
    listed = list(response.context["page_obj"].object_list)
    expected = DeletionRecord.objects.filter(municipality=_glostrup())
    assert {r.pk for r in listed} == set(expected.values_list("pk", flat=True))
    html = without_cell_labels(response.content.decode())
    assert f"<td>Sag</td><td>{erased.pk}</td><td>Slettet</td>" in html
    assert "Opbevaringsperioden er udløbet" in html
    assert "Emma" not in html
    assert "Noah" not in html


def test_the_log_filters_by_record_type_and_date(
    client: Client, personas: Personas, erased: Case
) -> None:
    client.force_login(personas.admin)
    today = timezone.localdate()

    cases = client.get(_log_url(_glostrup()), {"record_type": "case"})
    tomorrow = client.get(_log_url(_glostrup()), {"date_from": str(today + timedelta(days=1))})
    today_only = client.get(_log_url(_glostrup()), {"date_from": str(today), "date_to": str(today)})
    bad_date = client.get(_log_url(_glostrup()), {"date_from": "31-02-2026"})

    assert [(r.record_type, r.record_id) for r in cases.context["page_obj"]] == [
        ("case", erased.pk)
    ]
    assert tomorrow.context["page_obj"].paginator.count == 0
    assert today_only.context["page_obj"].paginator.count == (
        DeletionRecord.objects.filter(municipality=_glostrup()).count()
    )
    assert bad_date.status_code == 422
    assert bad_date.context["page_obj"].paginator.count == 0


def test_the_log_is_paginated(client: Client, personas: Personas) -> None:
    DeletionRecord.objects.bulk_create(
        DeletionRecord(
            record_type="note", record_id=n, municipality=_glostrup(), rule="note older than 1 days"
        )
        for n in range(1, 61)
    )
    client.force_login(personas.admin)

    first = client.get(_log_url(_glostrup()))
    second = client.get(_log_url(_glostrup()), {"page": 2})

    assert len(first.context["page_obj"].object_list) == 50
    assert len(second.context["page_obj"].object_list) == 10
    assert "Side 1 af 2" in first.content.decode()


def _csv_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sletningslog.csv"'
    _preamble, rows = read_export(response)
    return rows


def test_the_log_exports_as_csv_with_the_same_filter(
    client: Client, personas: Personas, erased: Case
) -> None:
    client.force_login(personas.admin)

    rows = _csv_rows(client.get(_log_url(_glostrup(), "sletningslog.csv"), {"record_type": "case"}))

    record = DeletionRecord.objects.get(record_type="case", municipality=_glostrup())
    assert rows == [
        CSV_HEADER,
        [
            timezone.localtime(record.deleted_at).isoformat(timespec="seconds"),
            "Sag",
            str(erased.pk),
            "Slettet",
            "Opbevaringsperioden er udløbet",
            "case closed more than 60 days ago",
        ],
    ]


def test_erasure_on_request_and_anonymised_rows_are_told_apart(
    client: Client, personas: Personas
) -> None:
    DeletionRecord.objects.create(
        record_type="agendaitem",
        record_id=7,
        municipality=_glostrup(),
        rule="erased on request (GDPR art. 17)",
        cause=DeletionCause.REQUEST,
        outcome=DeletionOutcome.ANONYMISED,
    )
    client.force_login(personas.admin)

    rows = _csv_rows(client.get(_log_url(_glostrup(), "sletningslog.csv")))

    assert rows[1][1:5] == ["Dagsordenspunkt", "7", "Anonymiseret", "Slettet efter anmodning"]


def test_an_administrator_of_another_municipality_sees_none_of_its_log_or_periods(
    client: Client, personas: Personas, erased: Case
) -> None:
    forum_services.affiliation_set(
        user=personas.neighbour, municipality=_albertslund(), is_administrator=True, by=None
    )
    client.force_login(personas.neighbour)

    glostrup_log = client.get(_log_url(_glostrup()))
    glostrup_csv = client.get(_log_url(_glostrup(), "sletningslog.csv"))
    glostrup_policy = client.post(_policy_url(_glostrup()), PERIODS)
    own_log = client.get(_log_url(_albertslund()))
    own_csv = _csv_rows(client.get(_log_url(_albertslund(), "sletningslog.csv")))

    assert (glostrup_log.status_code, glostrup_csv.status_code) == (404, 404)
    assert glostrup_policy.status_code == 404
    assert not RetentionPolicy.objects.exists()
    listed = list(own_log.context["page_obj"].object_list)
    assert listed, "Albertslund's own deletions should be listed"
    assert {r.municipality_id for r in listed} == {_albertslund().pk}
    assert str(erased.pk) not in {row[2] for row in own_csv if row[1] == "Sag"}, (
        "LEAK: Albertslund's export lists Glostrup's case"
    )
