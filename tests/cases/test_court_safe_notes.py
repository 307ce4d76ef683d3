"""Notes and actions are court-safe in the database, like concerns: a note is never changed or
deleted (raw SQL included), an action only marked done; only retention and erasure delete
them. A mistake in a note is corrected by a new note shown under the original."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from cases import services
from cases.models import Action, Case, Note
from ssp.models import AuditAction, AuditEvent
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MIKKEL = "Demo-Mikkel Eksempelsen"


def _case(name: str = MIKKEL) -> Case:
    return Case.objects.select_related("young_person").get(young_person__full_name=name)


def _sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _note(personas: Personas, text: str = "Mor ringede i dag.") -> Note:
    return services.note_add(case=_case(), author=personas.consultant, text=text)


def _action(personas: Personas) -> Action:
    return services.action_add(case=_case(), by=personas.consultant, title="Hjemmebesøg")


# --- Notes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cases_note SET text = 'Omskrevet' WHERE id = %s",
        "UPDATE cases_note SET created_at = now() - interval '1 year' WHERE id = %s",
        "UPDATE cases_note SET restricted_to_sector = '' WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_a_note(personas: Personas, statement: str) -> None:
    note = _note(personas)

    with pytest.raises(DatabaseError, match="A note cannot be changed"), transaction.atomic():
        _sql(statement, note.pk)

    assert Note.objects.get(pk=note.pk).text == "Mor ringede i dag."


def test_the_database_refuses_to_delete_a_note(personas: Personas) -> None:
    note = _note(personas)

    with pytest.raises(DatabaseError, match="A note cannot be deleted"), transaction.atomic():
        _sql("DELETE FROM cases_note WHERE id = %s", note.pk)
    with pytest.raises(DatabaseError, match="A note cannot be deleted"), transaction.atomic():
        Note.objects.filter(pk=note.pk).delete()

    assert Note.objects.filter(pk=note.pk).exists()


def test_retention_and_erasure_may_delete_a_note(personas: Personas) -> None:
    note = _note(personas)

    with transaction.atomic():
        _sql("SET LOCAL ssp.retention = 'on'")
        _sql("DELETE FROM cases_note WHERE id = %s", note.pk)

    assert not Note.objects.filter(pk=note.pk).exists()


# --- Actions ---------------------------------------------------------------------------------


def test_an_action_can_be_marked_done_once(personas: Personas) -> None:
    action = _action(personas)

    services.action_complete(action=action, by=personas.consultant, done_on=date(2026, 5, 4))

    assert Action.objects.get(pk=action.pk).done_on == date(2026, 5, 4)


@pytest.mark.parametrize(
    ("statement", "done"),
    [
        ("UPDATE cases_action SET title = 'Noget andet' WHERE id = %s", False),
        ("UPDATE cases_action SET due_on = '2030-01-01' WHERE id = %s", False),
        ("UPDATE cases_action SET done_on = '2026-01-01', title = 'Snydt' WHERE id = %s", False),
        ("UPDATE cases_action SET done_on = NULL WHERE id = %s", True),
        ("UPDATE cases_action SET done_on = '2026-06-01' WHERE id = %s", True),
        ("UPDATE cases_action SET title = 'Omskrevet' WHERE id = %s", True),
    ],
)
def test_the_database_refuses_every_other_change_to_an_action(
    personas: Personas, statement: str, done: bool
) -> None:
    action = _action(personas)
    if done:
        services.action_complete(action=action, by=personas.consultant, done_on=date(2026, 5, 4))

    with (
        pytest.raises(DatabaseError, match="An action can only be marked done"),
        transaction.atomic(),
    ):
        _sql(statement, action.pk)

    action.refresh_from_db()
    assert (action.title, action.due_on) == ("Hjemmebesøg", None)
    assert action.done_on == (date(2026, 5, 4) if done else None)


def test_the_database_refuses_to_delete_an_action(personas: Personas) -> None:
    action = _action(personas)

    with pytest.raises(DatabaseError, match="An action cannot be deleted"), transaction.atomic():
        _sql("DELETE FROM cases_action WHERE id = %s", action.pk)

    assert Action.objects.filter(pk=action.pk).exists()


# --- Corrections as addenda ------------------------------------------------------------------


def test_a_correction_is_a_new_note_under_the_original(client: Client, personas: Personas) -> None:
    original = _note(personas, "Mor ringede mandag.")
    client.force_login(personas.consultant)
    url = f"/sager/{_case().pk}/notat/{original.pk}/ret/"

    form = client.get(url)
    response = client.post(url, {"text": "Det var tirsdag, ikke mandag."})

    assert form.status_code == 200
    assert "Mor ringede mandag." in form.content.decode(), "the original is shown by the form"
    assert response.status_code == 302
    correction = Note.objects.get(corrects=original)
    assert (correction.text, correction.author) == (
        "Det var tirsdag, ikke mandag.",
        personas.consultant,
    )
    assert Note.objects.get(pk=original.pk).text == "Mor ringede mandag."
    page = client.get(f"/sager/{_case().pk}/").content.decode()
    original_at = page.index("Mor ringede mandag.")
    correction_at = page.index("Det var tirsdag, ikke mandag.")
    next_entry = page.find("<li", original_at)
    assert original_at < correction_at < next_entry, "the correction is not under the original"
    assert page.count("Det var tirsdag, ikke mandag.") == 1, "shown once, not also on its own"


def test_a_correction_of_a_correction_corrects_the_original_and_keeps_its_restriction(
    personas: Personas,
) -> None:
    original = services.note_add(
        case=_case(),
        author=personas.social,
        text="Kendt i familieafsnittet.",
        restricted_to_sector=True,
    )
    first = services.note_correct(note=original, author=personas.social, text="Siden 2024.")

    second = services.note_correct(note=first, author=personas.consultant, text="Siden 2023.")

    assert (first.corrects, second.corrects) == (original, original)
    assert {first.restricted_to_sector, second.restricted_to_sector} == {"social"}


def test_an_empty_correction_is_refused_with_a_danish_message(
    client: Client, personas: Personas
) -> None:
    original = _note(personas)
    client.force_login(personas.consultant)

    response = client.post(f"/sager/{_case().pk}/notat/{original.pk}/ret/", {"text": "  "})

    assert response.status_code == 422
    assert "Skriv rettelsen." in response.content.decode()
    assert not Note.objects.filter(corrects=original).exists()


def test_a_correction_is_in_the_access_log(client: Client, personas: Personas) -> None:
    original = _note(personas)
    client.force_login(personas.consultant)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    client.post(f"/sager/{_case().pk}/notat/{original.pk}/ret/", {"text": "Rettet."})

    event = AuditEvent.objects.get(id__gt=last)
    correction = Note.objects.get(corrects=original)
    assert (event.action, event.object_type, event.object_id) == (
        AuditAction.CREATE,
        "cases.note",
        str(correction.pk),
    )
    assert (event.subject_id, event.municipality_id) == (
        _case().young_person_id,
        _case().municipality_id,
    )


def test_the_case_page_offers_to_correct_only_what_the_reader_may_correct(
    client: Client, personas: Personas
) -> None:
    case = _case()
    by_police = services.note_add(case=case, author=personas.police, text="Set ved stationen.")
    by_consultant = _note(personas)

    def offered(user) -> set[int]:  # type: ignore[no-untyped-def]
        client.force_login(user)
        page = client.get(f"/sager/{case.pk}/").content.decode()
        return {note.pk for note in (by_police, by_consultant) if f"/notat/{note.pk}/ret/" in page}

    assert offered(personas.consultant) == {by_police.pk, by_consultant.pk}
    assert offered(personas.police) == {by_police.pk}
    assert offered(personas.leader) == set()


def test_a_restricted_note_cannot_be_corrected_by_another_sector(
    client: Client, personas: Personas
) -> None:
    restricted = services.note_add(
        case=_case(),
        author=personas.social,
        text="Kun for socialforvaltningen.",
        restricted_to_sector=True,
    )
    client.force_login(personas.police)

    response = client.get(f"/sager/{_case().pk}/notat/{restricted.pk}/ret/")

    assert response.status_code == 404
