"""The access log is append-only (only the retention purge deletes, and only old events),
records every read and write of case data, and is searchable and exportable by administrators
of the municipality only. Retention of case data is in test_retention.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import (
    Case,
    Concern,
    Note,
)
from forum import services as forum_services
from forum.models import Municipality
from ssp.audit import audit_log, audit_purge
from ssp.models import AuditAction, AuditEvent
from tests.cases.access_log_helpers import REFUSED
from tests.csv_export import read_export
from tests.personas import Personas

pytestmark = pytest.mark.django_db

CLIENT_IP = "198.51.100.23"
ALL_CRITERIA = dict.fromkeys(services.SHARE_CRITERIA, True)
CSV_HEADER = [
    "Tidspunkt",
    "Bruger",
    "Handling",
    "Objekttype",
    "Objekt-id",
    "Den unges id",
    "Viste unges id'er",
    "Søgeord",
    "Formål",
    "IP-adresse",
    "Adresse",
]


def _case(young_person: str) -> Case:
    return Case.objects.select_related("young_person").get(young_person__full_name=young_person)


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _albertslund() -> Municipality:
    return Municipality.objects.get(code="165")


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _events_after(event_id: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=event_id).order_by("id"))


def _only_event_after(event_id: int) -> AuditEvent:
    events = _events_after(event_id)
    assert len(events) == 1, f"expected exactly one audit event, got {events}"
    return events[0]


def _old_event(days: int) -> AuditEvent:
    """An event as if logged `days` ago: inserting is the one write the log allows."""
    return AuditEvent.objects.create(
        at=timezone.now() - timedelta(days=days),
        action=AuditAction.VIEW,
        object_type="cases.case",
        municipality_id=_glostrup().pk,
    )


# --- The log is append-only in the database ------------------------------------------------


def test_the_database_refuses_to_update_an_audit_event(personas: Personas) -> None:
    event = audit_log(
        user=personas.consultant, action=AuditAction.VIEW, obj=_case("Demo-Mikkel Eksempelsen")
    )

    with pytest.raises(DatabaseError, match=REFUSED["UPDATE"]), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(user_email="someone@else.dk")

    event.refresh_from_db()
    assert event.user_email == personas.consultant.email


def test_the_database_refuses_to_delete_an_audit_event(personas: Personas) -> None:
    event = audit_log(
        user=personas.consultant, action=AuditAction.VIEW, obj=_case("Demo-Mikkel Eksempelsen")
    )

    with pytest.raises(DatabaseError, match=REFUSED["DELETE"]), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_even_an_old_event_cannot_be_deleted_outside_the_purge() -> None:
    old = _old_event(days=400)

    with pytest.raises(DatabaseError, match=REFUSED["DELETE"]), transaction.atomic():
        old.delete()

    assert AuditEvent.objects.filter(pk=old.pk).exists()


def test_the_purge_deletes_only_events_past_the_retention_period() -> None:
    old = _old_event(days=400)
    recent = _old_event(days=200)
    before = AuditEvent.objects.count()

    deleted = audit_purge(older_than_days=365)

    assert deleted == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    assert AuditEvent.objects.count() == before - 1


def test_the_database_keeps_six_months_even_if_the_purge_asks_for_less() -> None:
    young = _old_event(days=100)

    with pytest.raises(DatabaseError, match="append-only: DELETE refused"):
        audit_purge(older_than_days=30)

    assert AuditEvent.objects.filter(pk=young.pk).exists()


# --- Every read and write of case data is logged -------------------------------------------


@pytest.fixture
def consultant_client(personas: Personas) -> Client:
    client = Client(REMOTE_ADDR=CLIENT_IP)
    client.force_login(personas.consultant)
    return client


def test_viewing_a_case_logs_who_what_whose_and_from_where(
    consultant_client: Client, personas: Personas
) -> None:
    case = _case("Demo-Mikkel Eksempelsen")
    last = _last_event_id()

    response = consultant_client.get(f"/sager/{case.pk}/")

    assert response.status_code == 200
    event = _only_event_after(last)
    assert (event.user_id, event.user_email) == (personas.consultant.pk, "konsulent@demo.ssp")
    assert event.action == AuditAction.VIEW
    assert (event.object_type, event.object_id) == ("cases.case", str(case.pk))
    assert event.subject_id == case.young_person_id
    assert event.municipality_id == _glostrup().pk
    assert event.ip_address == CLIENT_IP
    assert event.path == f"/sager/{case.pk}/"
    assert event.purpose == ""


def test_viewing_a_concern_logs_the_concern_and_its_young_person(
    consultant_client: Client, personas: Personas
) -> None:
    concern = Concern.objects.get(young_person__full_name="Demo-Freja Fantasisen")
    last = _last_event_id()

    response = consultant_client.get(f"/bekymringer/{concern.pk}/")

    assert response.status_code == 200
    event = _only_event_after(last)
    assert (event.user_id, event.action) == (personas.consultant.pk, AuditAction.VIEW)
    assert (event.object_type, event.object_id) == ("cases.concern", str(concern.pk))
    assert event.subject_id == concern.young_person_id
    assert event.municipality_id == _glostrup().pk
    assert (event.ip_address, event.path) == (CLIENT_IP, f"/bekymringer/{concern.pk}/")


def test_reading_the_case_list_is_logged_with_the_young_people_it_showed(
    consultant_client: Client, personas: Personas
) -> None:
    last = _last_event_id()

    response = consultant_client.get("/sager/")

    assert response.status_code == 200
    listed = response.context["page_obj"].object_list
    event = _only_event_after(last)
    assert (event.user_id, event.action, event.object_type) == (
        personas.consultant.pk,
        AuditAction.VIEW,
        "cases.case",
    )
    # A group or place case is listed by its description, never by names: it shows no one.
    assert event.shown_subjects == sorted(
        {case.young_person_id for case in listed if case.young_person_id is not None}
    )
    assert event.municipality_id == _glostrup().pk
    assert (event.search_term, event.subject_id) == ("", None)
    assert (event.ip_address, event.path) == (CLIENT_IP, "/sager/")


def test_searching_the_case_list_is_logged_as_a_search(
    consultant_client: Client, personas: Personas
) -> None:
    last = _last_event_id()

    response = consultant_client.get("/sager/", {"q": "Mikkel"})

    assert response.status_code == 200
    event = _only_event_after(last)
    assert (event.user_id, event.action, event.purpose) == (
        personas.consultant.pk,
        AuditAction.SEARCH,
        "Søgning i sager",
    )
    assert event.search_term == "Mikkel"
    assert event.shown_subjects == [_case("Demo-Mikkel Eksempelsen").young_person_id]


def test_writing_a_note_is_logged_against_the_young_person(
    consultant_client: Client, personas: Personas
) -> None:
    case = _case("Demo-Mikkel Eksempelsen")
    last = _last_event_id()

    response = consultant_client.post(f"/sager/{case.pk}/notat/", {"text": "Talt med mor."})

    assert response.status_code == 302
    note = Note.objects.get(case=case, text="Talt med mor.")
    event = _only_event_after(last)
    assert (event.user_id, event.action) == (personas.consultant.pk, AuditAction.CREATE)
    assert (event.object_type, event.object_id) == ("cases.note", str(note.pk))
    assert event.subject_id == case.young_person_id
    assert event.municipality_id == _glostrup().pk
    assert (event.ip_address, event.path) == (CLIENT_IP, f"/sager/{case.pk}/notat/")


@pytest.mark.parametrize(
    ("path", "data", "object_type"),
    [
        ("samtykke", {"status": "refused", "given_by": "Far"}, "cases.consent"),
        ("indsats", {"title": "Samtale med klubben"}, "cases.action"),
        ("status", {"status": "follow_up"}, "cases.case"),
    ],
)
def test_every_write_on_the_case_page_is_findable_under_the_municipality(
    consultant_client: Client, path: str, data: dict, object_type: str
) -> None:
    case = _case("Demo-Mikkel Eksempelsen")
    last = _last_event_id()
    url = f"/sager/{case.pk}/{path}/"

    response = consultant_client.post(url, data)

    assert response.status_code == 302
    event = _only_event_after(last)
    assert event.object_type == object_type
    assert event.subject_id == case.young_person_id
    assert event.municipality_id == _glostrup().pk, "the administrator's search cannot find it"
    assert (event.ip_address, event.path) == (CLIENT_IP, url)


def test_sharing_logs_the_purpose(consultant_client: Client, personas: Personas) -> None:
    case = _case("Demo-Mikkel Eksempelsen")
    last = _last_event_id()

    response = consultant_client.post(
        f"/sager/{case.pk}/del/",
        {
            "user": personas.police2.pk,
            "purpose": "Politiet skal med på næste møde.",
            **dict.fromkeys(services.SHARE_CRITERIA, "on"),
        },
    )

    assert response.status_code == 302
    event = _only_event_after(last)
    assert (event.user_id, event.action) == (personas.consultant.pk, AuditAction.SHARE)
    assert (event.object_type, event.object_id) == ("cases.case", str(case.pk))
    assert event.subject_id == case.young_person_id
    assert event.municipality_id == _glostrup().pk
    assert event.purpose == "Politiet skal med på næste møde."
    assert (event.ip_address, event.path) == (CLIENT_IP, f"/sager/{case.pk}/del/")


# --- Administrators search and export the log ----------------------------------------------


def _listed(response) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return list(response.context["page_obj"].object_list)


def _csv_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="adgangslog.csv"'
    _preamble, rows = read_export(response)
    return rows


def _view_case_as(user, case: Case) -> None:  # type: ignore[no-untyped-def]
    client = Client(REMOTE_ADDR=CLIENT_IP)
    client.force_login(user)
    assert client.get(f"/sager/{case.pk}/").status_code == 200


def test_an_administrator_finds_every_access_to_one_young_person(
    client: Client, personas: Personas
) -> None:
    case = _case("Demo-Mikkel Eksempelsen")
    _view_case_as(personas.leader, case)
    _view_case_as(personas.police, case)
    client.force_login(personas.admin)

    events = _listed(client.get("/adgangslog/", {"subject": case.young_person_id}))

    expected = AuditEvent.objects.filter(subject_id=case.young_person_id)
    assert {e.pk for e in events} == set(expected.values_list("pk", flat=True))
    assert {e.subject_id for e in events} == {case.young_person_id}
    viewers = {e.user_email for e in events if e.action == AuditAction.VIEW}
    assert viewers == {"leder@demo.ssp", "politi@demo.ssp"}


def test_an_administrator_finds_everything_one_user_did(client: Client, personas: Personas) -> None:
    mikkel, jonas = _case("Demo-Mikkel Eksempelsen"), _case("Demo-Jonas Fiktivsen")
    _view_case_as(personas.police, mikkel)
    _view_case_as(personas.police, jonas)
    _view_case_as(personas.social, jonas)
    client.force_login(personas.admin)

    events = _listed(client.get("/adgangslog/", {"user": "POLITI@demo.ssp"}))

    assert {e.user_email for e in events} == {"politi@demo.ssp"}
    viewed = {e.object_id for e in events if e.action == AuditAction.VIEW}
    assert viewed == {str(mikkel.pk), str(jonas.pk)}


@pytest.mark.parametrize("persona", ["leader", "police", "social", "outsider"])
def test_the_log_is_not_found_for_anyone_but_an_administrator_or_a_consultant(
    client: Client, personas: Personas, persona: str
) -> None:
    client.force_login(personas[persona])

    assert client.get("/adgangslog/").status_code == 404
    assert client.get("/adgangslog/eksport.csv").status_code == 404


def test_the_log_asks_an_anonymous_visitor_to_sign_in(client: Client) -> None:
    response = client.get("/adgangslog/eksport.csv")

    assert response.status_code == 302
    assert response["Location"].startswith("/log-ind/")


def test_an_administrator_of_another_municipality_sees_none_of_its_events(
    client: Client, personas: Personas
) -> None:
    forum_services.affiliation_set(
        user=personas.neighbour,
        municipality=_albertslund(),
        is_administrator=True,
        by=None,
    )
    mikkel, noah = _case("Demo-Mikkel Eksempelsen"), _case("Demo-Noah Nulsen")
    _view_case_as(personas.consultant, mikkel)
    _view_case_as(personas.police2, noah)
    client.force_login(personas.neighbour)

    events = _listed(client.get("/adgangslog/"))
    exported = _csv_rows(client.get("/adgangslog/eksport.csv", {"subject": mikkel.young_person_id}))

    assert events, "the Albertslund administrator should see Albertslund's events"
    assert {e.municipality_id for e in events} == {_albertslund().pk}
    assert str(noah.pk) in {e.object_id for e in events if e.object_type == "cases.case"}
    assert mikkel.young_person_id not in {e.subject_id for e in events}, (
        "LEAK: an Albertslund administrator sees who read a Glostrup case"
    )
    assert exported == [CSV_HEADER], "LEAK: the export of a Glostrup young person has rows"


def test_the_export_lists_the_young_persons_events_as_csv(
    client: Client, personas: Personas
) -> None:
    case = _case("Demo-Mikkel Eksempelsen")
    _view_case_as(personas.police, case)
    client.force_login(personas.admin)
    expected = list(
        AuditEvent.objects.filter(
            Q(subject_id=case.young_person_id) | Q(shown_subjects__contains=[case.young_person_id]),
            municipality_id=_glostrup().pk,
        ).order_by("-at", "-id")
    )

    # The export leaves out its own row, which is logged as it starts.
    rows = _csv_rows(client.get("/adgangslog/eksport.csv", {"subject": case.young_person_id}))

    assert rows[0] == CSV_HEADER
    assert len(rows) == 1 + len(expected)
    newest = expected[0]
    assert rows[1] == [
        timezone.localtime(newest.at).isoformat(timespec="seconds"),
        "politi@demo.ssp",
        "Læst",
        "cases.case",
        str(case.pk),
        str(case.young_person_id),
        "",
        "",
        "",
        CLIENT_IP,
        f"/sager/{case.pk}/",
    ]
    assert all(
        row[5] == str(case.young_person_id) or str(case.young_person_id) in row[6].split()
        for row in rows[1:]
    )


def test_the_export_itself_is_logged(client: Client, personas: Personas) -> None:
    case = _case("Demo-Mikkel Eksempelsen")
    client.force_login(personas.admin)
    last = _last_event_id()

    response = client.get(
        "/adgangslog/eksport.csv", {"subject": case.young_person_id}, REMOTE_ADDR=CLIENT_IP
    )
    _csv_rows(response)

    event = _only_event_after(last)
    assert (event.user_email, event.action) == ("admin@demo.ssp", AuditAction.EXPORT)
    assert event.object_type == "ssp.auditevent"
    assert (event.subject_id, event.shown_subjects) == (None, [case.young_person_id])
    assert event.municipality_id == _glostrup().pk, "the export must be findable in the log"
    assert event.search_term == str(case.young_person_id)
    assert event.purpose == "Udtræk af adgangslog"
    assert (event.ip_address, event.path) == (CLIENT_IP, "/adgangslog/eksport.csv")
