"""Deletion that deletes: a case that was on a §115 group's agenda, had a decision with a task,
an attachment and a share, is erased when its period has run out, and afterwards no row of any
table and no stored file holds the young person's name or CPR number. The meeting and its
minutes stay readable, with a neutral placeholder where the case was. On legal hold, nothing
is erased.

The access log (`ssp_auditevent`) is the one table left out of the search: it holds ids, not
names, and has its own statutory retention; its rows about the young person are checked on
their own.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Case, CaseStatus, ConcernCategory, DeletionRecord, HoldScope, YoungPerson
from cases.tasks import apply_retention
from forum.models import Body, Municipality, Person
from meetings import services as meeting_services
from meetings.models import AgendaAttachment, AgendaItem, Decision, Meeting, Task
from ssp.models import AuditEvent, StoredFile
from tests.meetings.minutes_helpers import at_days, pdf_text
from tests.personas import Personas

pytestmark = pytest.mark.django_db

NAME = "Zenobia Quartzheim"
CPR = "070312-4321"
# Each on its own must be gone: the surname, the first name, the CPR number in both forms.
SECRETS = ("Quartzheim", "Zenobia", CPR, CPR.replace("-", ""))
PLACEHOLDER = "Sag slettet efter reglerne om opbevaring og sletning"
ALL_CRITERIA = dict.fromkeys(services.SHARE_CRITERIA, True)
ATTACHMENT = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    b"% Udtalelse om Zenobia Quartzheim, CPR 070312-4321\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
# Column types that can hold text; bytea is searched for the UTF-8 bytes.
TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _person(email: str) -> Person:
    return Person.objects.get(user__email=email, municipality__code="161")


@pytest.fixture
def stored_files() -> set[str]:
    """The names of the files stored during the test (rows of `StoredFile`: they roll back
    with the test)."""
    return set()


def _still_stored(names: set[str]) -> set[str]:
    return set(StoredFile.objects.filter(name__in=names).values_list("name", flat=True))


@pytest.fixture
def short_retention(settings) -> None:  # type: ignore[no-untyped-def]
    settings.RETENTION_CLOSED_CASE_DAYS = 60


def _case_on_the_agenda(personas: Personas, stored_files: set[str]) -> tuple[Case, Meeting]:
    """A concern about the young person becomes a case of the §115 group with notes, an action,
    a consent and a share; the case is discussed at the group's meeting (held yesterday), with
    an attachment, minutes and a decision with a task; then it is closed 61 days ago."""
    glostrup = _glostrup()
    consultant = personas.consultant
    concern = services.concern_submit(
        author=personas.leader,
        municipality=glostrup,
        subject_kind="person",
        category=ConcernCategory.objects.get(municipality=glostrup, name="Kriminalitet"),
        description=f"{NAME} er set med en kniv ved skolen.",
        observed_on=timezone.localdate(),
        reported=services.ReportedIdentity(full_name=NAME, cpr_number=CPR),
        location="Skolegården",
    )
    services.concern_add_addendum(
        concern=concern, author=personas.leader, text=f"{NAME} har selv fortalt det."
    )
    group_115 = Body.objects.get(municipality=glostrup, name="Mandagsgruppen (§115)")
    case = services.concern_open_case(
        concern=concern,
        by=consultant,
        responsible_body=group_115,
        level="individual",
        prevention_kind="reactive",
    )
    note = services.note_add(case=case, author=consultant, text=f"Talt med {NAME}s mor.")
    services.note_correct(note=note, author=consultant, text=f"Det var {NAME}s moster.")
    services.action_add(case=case, by=consultant, title=f"Samtale med {NAME}")
    services.consent_record(case=case, by=consultant, status="obtained", given_by=f"{NAME}s mor")
    services.case_share(
        case=case,
        by=consultant,
        purpose="Politiet følger op i nattelivet.",
        criteria=ALL_CRITERIA,
        user=personas.police2,
    )
    meeting = Meeting.objects.filter(body=group_115).order_by("starts_at").first()
    item = meeting_services.agenda_item_add(
        meeting=meeting,
        by=consultant,
        title=f"{NAME} – status",
        description=f"{NAME}, CPR {CPR}, går i 7. klasse.",
        case=case,
        purpose="Afklare næste skridt.",
        criteria=ALL_CRITERIA,
    )
    attachment = meeting_services.attachment_add(
        item=item,
        by=consultant,
        upload=SimpleUploadedFile(f"Quartzheim {CPR}.pdf", ATTACHMENT, "application/pdf"),
    )
    stored_files.add(attachment.file.name)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=at_days(-1, 13), ends_at=at_days(-1, 15))
    meeting.refresh_from_db()
    meeting_services.minutes_write(meeting=meeting, texts={item.pk: f"{NAME} var med på mødet."})
    meeting_services.decision_add(
        item=item,
        by=consultant,
        text=f"{NAME} tilbydes en mentor.",
        task_title=f"Find en mentor til {NAME}",
        responsible=_person("politi@demo.ssp"),
        due_on=timezone.localdate() + timedelta(days=14),
    )
    meeting_services.minutes_approve(meeting=meeting, by=consultant)
    services.case_change_status(
        case=case, status=CaseStatus.CLOSED, by=consultant, reason=f"{NAME} er flyttet."
    )
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=61))
    case.refresh_from_db()
    return case, meeting


def _columns() -> list[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name, c.data_type
            FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND (c.data_type = ANY(%s) OR c.data_type = 'bytea')
              AND c.table_name <> 'ssp_auditevent'
            ORDER BY 1, 2
            """,
            [list(TEXT_TYPES)],
        )
        return cursor.fetchall()


def _columns_holding(secret: str) -> set[str]:
    """Every `table.column` of every table (but the access log) with a value holding the
    secret, case-insensitively."""
    found = set()
    with connection.cursor() as cursor:
        for table, column, data_type in _columns():
            quoted = f"{connection.ops.quote_name(table)}.{connection.ops.quote_name(column)}"
            if data_type == "bytea":
                condition = f"position(convert_to(%s, 'UTF8') in {quoted}) > 0"
                value = secret
            else:
                condition = f"{quoted}::text ILIKE %s"
                value = f"%{secret}%"
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM {connection.ops.quote_name(table)} "  # noqa: S608
                f"WHERE {condition})",
                [value],
            )
            if cursor.fetchone()[0]:
                found.add(f"{table}.{column}")
    return found


def _storage_roots() -> set[Path]:
    """Every folder a file could be left in on this node: the old private storage and, if
    one is configured, the public media folder (the app stores its files in the database)."""
    roots = {settings.PRIVATE_MEDIA_ROOT, settings.MEDIA_ROOT}
    return {Path(root).resolve() for root in roots if root}


def _files_holding(secret: str) -> set[str]:
    """The stored files (by name) whose name or content holds the secret, in the database's
    storage (`ssp.storage.DatabaseStorage`, read back through it) and on this node's disk."""
    needle = secret.encode()
    storage = AgendaAttachment._meta.get_field("file").storage
    found = {
        name
        for name in StoredFile.objects.values_list("name", flat=True)
        if secret in name or needle in storage.open(name).read()
    }
    found |= {
        str(path)
        for root in _storage_roots()
        if root.exists()
        for path in root.rglob("*")
        if path.is_file() and (needle in path.read_bytes() or secret in path.name)
    }
    return found


def _run_retention(django_capture_on_commit_callbacks) -> dict[str, int]:  # type: ignore[no-untyped-def]
    # Files are removed after the erasure commits: run the callbacks as a commit would.
    with django_capture_on_commit_callbacks(execute=True):
        return apply_retention.apply().get()


def test_an_erased_case_leaves_no_name_or_cpr_in_any_row_or_file(
    client: Client,
    personas: Personas,
    short_retention: None,
    stored_files: set[str],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    case, meeting = _case_on_the_agenda(personas, stored_files)
    young_person_id = case.young_person_id
    client.force_login(personas.consultant)
    assert client.get(f"/sager/{case.pk}/").status_code == 200
    item = AgendaItem.objects.get(case=case)
    decision = Decision.objects.get(item=item)
    # The search finds what it looks for: before the erasure, the secrets are everywhere.
    assert {
        "cases_youngperson.full_name",
        "cases_concern.description",
        "cases_note.text",
        "cases_action.title",
        # The timeline's values and field history (an action's title, here).
        "cases_caseevent.params",
        "meetings_agendaitem.title",
        "meetings_agendaitem.minutes",
        "meetings_decision.text",
        "meetings_task.title",
        "meetings_agendaattachment.original_name",
    } <= _columns_holding("Quartzheim")
    assert "meetings_agendaitem.description" in _columns_holding(CPR)
    assert _files_holding("Quartzheim") == stored_files

    deleted = _run_retention(django_capture_on_commit_callbacks)

    assert (deleted["case"], deleted["young_person"], deleted["agendaattachment"]) == (1, 1, 1)
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not YoungPerson.objects.filter(pk=young_person_id).exists()
    for secret in SECRETS:
        assert _columns_holding(secret) == set(), f"LEAK: {secret!r} survived the erasure"
        assert _files_holding(secret) == set(), f"LEAK: a stored file still holds {secret!r}"
    assert _still_stored(stored_files) == set()
    # The access log keeps who read and wrote, by ids: never the name or the CPR number.
    events = list(AuditEvent.objects.filter(subject_id=young_person_id))
    assert len(events) >= 5
    for event in events:
        text = " ".join([event.user_email, event.object_type, event.object_id, event.purpose])
        text += " " + event.path
        for secret in SECRETS:
            assert secret.lower() not in text.lower(), f"LEAK: the access log holds {secret!r}"
    # The meeting keeps its record of the item, decision and task, with the placeholder.
    item.refresh_from_db()
    assert (item.case_id, item.title, item.description, item.purpose, item.minutes) == (
        None,
        "",
        "",
        "",
        "",
    )
    assert item.case_erased_at is not None
    assert Decision.objects.get(pk=decision.pk).text == ""
    assert Task.objects.get(decision=decision).title == ""
    page = client.get(f"/moeder/{meeting.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count(PLACEHOLDER) == 3, "the item, its decision and its task show the placeholder"
    assert "Sagen og dens oplysninger blev slettet den" in html
    pdf = client.get(f"/moeder/{meeting.pk}/referat.pdf")
    assert pdf.status_code == 200
    assert PLACEHOLDER in pdf_text(pdf.content)
    # The deletion log says what went, per record type, without the data.
    logged = {
        (record.record_type, record.outcome)
        for record in DeletionRecord.objects.filter(cause="retention")
    }
    assert {
        ("case", "deleted"),
        ("young_person", "deleted"),
        ("concern", "deleted"),
        ("concernaddendum", "deleted"),
        ("note", "deleted"),
        ("action", "deleted"),
        ("consent", "deleted"),
        ("basis", "deleted"),
        ("caseevent", "deleted"),
        ("agendaattachment", "deleted"),
        ("agendaitem", "anonymised"),
        ("decision", "anonymised"),
        ("task", "anonymised"),
    } <= logged
    assert DeletionRecord.objects.filter(record_type="note").count() == 2


def test_a_case_on_legal_hold_is_not_erased_at_all(
    personas: Personas,
    short_retention: None,
    stored_files: set[str],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    case, meeting = _case_on_the_agenda(personas, stored_files)
    services.legal_hold_place(
        municipality=_glostrup(),
        by=personas.admin,
        case_number=case.pk,
        scope=HoldScope.CASE,
        reason="Politiets efterforskning kræver, at sagen bevares.",
    )
    columns_before = _columns_holding("Quartzheim")

    deleted = _run_retention(django_capture_on_commit_callbacks)

    assert "case" not in deleted
    assert Case.objects.filter(pk=case.pk).exists()
    item = AgendaItem.objects.get(meeting=meeting, case=case)
    assert (item.title, item.case_erased_at) == (f"{NAME} – status", None)
    assert AgendaAttachment.objects.filter(item=item).count() == 1
    assert _still_stored(stored_files) == stored_files
    assert _columns_holding("Quartzheim") == columns_before
    assert not DeletionRecord.objects.filter(record_type="case", record_id=case.pk).exists()


def test_erasing_a_case_removes_its_files_in_the_erasing_transaction(
    personas: Personas,
    stored_files: set[str],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    """The files are rows of the database: they go with the case, before any commit, and come
    back with it when the erasure rolls back."""
    case, _meeting = _case_on_the_agenda(personas, stored_files)
    assert len(_still_stored(stored_files)) == 1
    reason = "Anmodning om sletning fra forældrene."

    seen_inside: list[set[str]] = []

    def erase_then_fail() -> None:
        with transaction.atomic():
            services.case_erase(case=case, by=personas.admin, reason=reason)
            seen_inside.append(_still_stored(stored_files))
            raise RuntimeError("the erasure fails after the files went")

    with pytest.raises(RuntimeError):
        erase_then_fail()
    assert seen_inside == [set()]
    assert _still_stored(stored_files) == stored_files

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.case_erase(case=case, by=personas.admin, reason=reason)
    assert not Case.objects.filter(pk=case.pk).exists()
    assert _still_stored(stored_files) == set()
    assert not any("remove" in getattr(c, "__name__", "") for c in callbacks)


# --- Erasure on request (GDPR art. 17) -------------------------------------------------------


def _demo_case(name: str) -> Case:
    return Case.objects.select_related("young_person").get(young_person__full_name=name)


def test_a_case_is_erased_on_request_at_once_and_the_access_log_says_who_and_why(
    personas: Personas,
) -> None:
    mikkel = _demo_case("Demo-Mikkel Eksempelsen")  # open, on no agenda
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    deleted = services.case_erase(
        case=mikkel, by=personas.admin, reason="Anmodning om sletning fra forældrene."
    )

    assert (deleted["case"], deleted["young_person"]) == (1, 1)
    assert not Case.objects.filter(pk=mikkel.pk).exists()
    assert not YoungPerson.objects.filter(pk=mikkel.young_person_id).exists()
    event = AuditEvent.objects.get(id__gt=last)
    assert (event.user_email, event.action) == ("admin@demo.ssp", "delete")
    assert (event.object_type, event.object_id) == ("cases.case", str(mikkel.pk))
    assert (event.subject_id, event.municipality_id) == (mikkel.young_person_id, _glostrup().pk)
    assert event.purpose == "Anmodning om sletning fra forældrene."
    record = DeletionRecord.objects.get(record_type="case")
    assert (record.record_id, record.cause, record.rule) == (
        mikkel.pk,
        "request",
        "erased on request (GDPR art. 17)",
    )


def test_erasing_one_case_keeps_a_young_person_with_another(personas: Personas) -> None:
    mikkel = _demo_case("Demo-Mikkel Eksempelsen")
    other = services.case_open(
        municipality=_glostrup(),
        young_person=mikkel.young_person,
        responsible_body=mikkel.responsible_body,
        opened_by=personas.consultant,
        level="individual",
        prevention_kind="reactive",
    )

    deleted = services.case_erase(case=mikkel, by=personas.consultant, reason="Oprettet ved fejl.")

    assert "young_person" not in deleted
    assert Case.objects.get(pk=other.pk).young_person_id == mikkel.young_person_id


@pytest.mark.parametrize("held", ["case", "young_person", "concern"])
def test_erasure_on_request_is_refused_while_anything_is_on_legal_hold(
    personas: Personas, held: str
) -> None:
    mikkel = _demo_case("Demo-Mikkel Eksempelsen")
    if held == "case":
        Case.objects.filter(pk=mikkel.pk).update(legal_hold=True)
    elif held == "young_person":
        YoungPerson.objects.filter(pk=mikkel.young_person_id).update(legal_hold=True)
    else:
        mikkel.concerns.update(legal_hold=True)
    mikkel.refresh_from_db()
    mikkel.young_person.refresh_from_db()

    with pytest.raises(ValidationError, match="retligt tilbageholdt"):
        services.case_erase(case=mikkel, by=personas.admin, reason="Anmodning.")
    with pytest.raises(ValidationError, match="retligt tilbageholdt"):
        services.young_person_erase(
            young_person=mikkel.young_person, by=personas.admin, reason="Anmodning."
        )

    assert Case.objects.filter(pk=mikkel.pk).exists()
    assert not DeletionRecord.objects.exists()


def test_erasure_on_request_needs_a_reason(personas: Personas) -> None:
    mikkel = _demo_case("Demo-Mikkel Eksempelsen")

    with pytest.raises(ValidationError, match="Skriv en begrundelse"):
        services.case_erase(case=mikkel, by=personas.admin, reason=" ")

    assert Case.objects.filter(pk=mikkel.pk).exists()


def test_a_young_person_is_erased_on_request_with_every_case_and_concern(
    personas: Personas, stored_files: set[str], django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    case, meeting = _case_on_the_agenda(personas, stored_files)
    young_person = case.young_person
    services.concern_submit(
        author=personas.club,
        municipality=_glostrup(),
        subject_kind="person",
        category=ConcernCategory.objects.get(municipality=_glostrup(), name="Kriminalitet"),
        description=f"{NAME} var i klubben igen.",
        observed_on=timezone.localdate(),
        young_person=young_person,
    )
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    with django_capture_on_commit_callbacks(execute=True):
        deleted = services.young_person_erase(
            young_person=young_person, by=personas.admin, reason="Den unge har bedt om sletning."
        )

    assert (deleted["case"], deleted["concern"], deleted["young_person"]) == (1, 2, 1)
    for secret in SECRETS:
        assert _columns_holding(secret) == set(), f"LEAK: {secret!r} survived the erasure"
        assert _files_holding(secret) == set()
    event = AuditEvent.objects.get(id__gt=last)
    assert (event.action, event.object_type, event.subject_id) == (
        "delete",
        "cases.youngperson",
        young_person.pk,
    )
    assert AgendaItem.objects.get(meeting=meeting, case_erased_at__isnull=False).title == ""
    assert set(DeletionRecord.objects.values_list("cause", flat=True)) == {"request"}
