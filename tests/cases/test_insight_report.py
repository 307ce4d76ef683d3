"""The insight report about one young person (GDPR art. 15) on a fixed, hand-computed scenario:
every basis and every read and write, on the page, in the CSV and in the PDF.

The scenario (Glostrup, times in Copenhagen), each step through the real services:
- 2 Mar 20:00 the school leader submits a concern about Insa, registering her
                                                                   (writes: young person and
                                                                    concern created)
- 3 Mar 09:00 the consultant opens her case under the §115 group     (write: case created)
- 3 Mar 09:30 the consultant records that consent was obtained        (write: consent created)
- 4 Mar 10:00 a §115 share with SSP-team Vestervang                   (write: shared)
- 4 Mar 10:15 a consent share with the second police officer          (write: shared)
- 5 Mar 08:00 the second police officer reads the case                (read)
- 6 Mar 12:00 the school leader reads the case                        (read)
- 6 Mar 12:05 the school leader reads another young person's case    (not in the report)
- 7 Mar 14:00 the social worker's list shows Insa and another child  (read, shown in a list)
- 10 Mar 11:00 the consultant revokes the §115 share                  (write: revoked)
"""

from __future__ import annotations

import csv
import io
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services
from cases.models import Basis, Case, ConcernCategory, SubjectKind, YoungPerson
from forum.models import Body, Municipality
from ssp.audit import audit_log, audit_shown
from ssp.models import AuditAction, AuditEvent
from tests.factories import AffiliationFactory, UserFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
NAME = "Insa Indsigtsen"
CPR = "020311-4128"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=CPH)


@dataclass(frozen=True)
class Scenario:
    young_person: YoungPerson
    case: Case
    share_115: Basis
    consent_share: Basis
    other_young_person: YoungPerson


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


@pytest.fixture
def scenario(personas: Personas) -> Scenario:
    glostrup = _glostrup()
    consultant, leader = personas.consultant, personas.leader
    with time_machine.travel(at(2, 20), tick=False):
        concern = services.concern_submit(
            author=leader,
            municipality=glostrup,
            subject_kind=SubjectKind.PERSON,
            category=ConcernCategory.objects.get(municipality=glostrup, name="Kriminalitet"),
            description="Set med en kniv i skolegården.",
            observed_on=at(2, 20).date(),
            reported=services.ReportedIdentity(full_name=NAME, cpr_number=CPR),
        )
    with time_machine.travel(at(3, 8), tick=False):
        # Typed in by the leader, registered when the consultant settles who it is; the
        # leader's concern was about no registered young person until then.
        services.concern_resolve_young_person(concern=concern, by=consultant)
    young_person = YoungPerson.objects.get(pk=concern.young_person_id)
    with time_machine.travel(at(3, 9), tick=False):
        case = services.case_open(
            municipality=glostrup,
            young_person=young_person,
            responsible_body=Body.objects.get(municipality=glostrup, name="Mandagsgruppen (§115)"),
            opened_by=consultant,
            level="individual",
            prevention_kind="reactive",
        )
    with time_machine.travel(at(3, 9, 30), tick=False):
        consent = services.consent_record(
            case=case, by=consultant, status="obtained", given_by="Forældremyndighedsindehaver"
        )
    with time_machine.travel(at(4, 10), tick=False):
        share_115 = services.case_share(
            case=case,
            by=consultant,
            purpose="Koordinere skolens indsats",
            criteria=dict.fromkeys(services.SHARE_CRITERIA, True),
            body=Body.objects.get(municipality=glostrup, name="SSP-team Vestervang"),
            expires_at=at(30, 12),
        )
    with time_machine.travel(at(4, 10, 15), tick=False):
        consent_share = services.case_share(
            case=case,
            by=consultant,
            purpose="Forebyggende samtale",
            user=personas.police2,
            ground="consent",
            consent=consent,
        )
    other = services.young_person_find_or_create(
        municipality=glostrup, full_name="Anden Ung", created_by=consultant
    )
    with time_machine.travel(at(5, 8), tick=False):
        audit_log(
            user=personas.police2, action=AuditAction.VIEW, obj=case, subject_id=young_person.pk
        )
    with time_machine.travel(at(6, 12), tick=False):
        audit_log(user=leader, action=AuditAction.VIEW, obj=case, subject_id=young_person.pk)
    with time_machine.travel(at(6, 12, 5), tick=False):
        audit_log(
            user=leader,
            action=AuditAction.VIEW,
            object_type="cases.case",
            subject_id=other.pk,
            municipality_id=glostrup.pk,
        )
    with time_machine.travel(at(7, 14), tick=False):
        audit_shown(
            user=personas.social,
            object_type="cases.case",
            shown=[(glostrup.pk, young_person.pk), (glostrup.pk, other.pk)],
        )
    with time_machine.travel(at(10, 11), tick=False):
        services.share_revoke(share=share_115, by=consultant)
    return Scenario(young_person, case, share_115, consent_share, other)


def _expected_events(personas: Personas) -> list[tuple[datetime, str, str]]:
    """(when, who, action) of every row the report must list, newest first."""
    return [
        (at(10, 11), personas.consultant.email, AuditAction.REVOKE),
        (at(7, 14), personas.social.email, AuditAction.VIEW),
        (at(6, 12), personas.leader.email, AuditAction.VIEW),
        (at(5, 8), personas.police2.email, AuditAction.VIEW),
        (at(4, 10, 15), personas.consultant.email, AuditAction.SHARE),
        (at(4, 10), personas.consultant.email, AuditAction.SHARE),
        (at(3, 9, 30), personas.consultant.email, AuditAction.CREATE),
        (at(3, 9), personas.consultant.email, AuditAction.CREATE),
        (at(3, 8), personas.consultant.email, AuditAction.UPDATE),
        (at(3, 8), personas.consultant.email, AuditAction.CREATE),
    ]


def _report_url(scenario: Scenario, suffix: str = "") -> str:
    return f"/adgangslog/ung/{scenario.young_person.pk}/{suffix}"


def test_the_page_lists_every_basis_current_first_and_every_read_and_write_newest_first(
    scenario: Scenario, personas: Personas, client: Client
) -> None:
    client.force_login(personas.admin)

    response = client.get(_report_url(scenario))

    assert response.status_code == 200
    context = response.context
    assert [basis.pk for basis in context["bases"]] == [
        scenario.consent_share.pk,
        scenario.share_115.pk,
    ]
    assert [basis.is_current for basis in context["bases"]] == [True, False]
    ended = context["bases"][1]
    assert (ended.ended_at, ended.ended_by, ended.end_reason) == (
        at(10, 11),
        personas.consultant,
        "revoked",
    )
    events = list(context["page_obj"].object_list)
    assert [(e.at, e.user_email, e.action) for e in events] == _expected_events(personas)
    assert [e.shown_in_list for e in events] == [False, True, *[False] * 8]
    assert [e.object_type for e in events] == [
        "cases.case",
        "cases.case",
        "cases.case",
        "cases.case",
        "cases.case",
        "cases.case",
        "cases.consent",
        "cases.case",
        "cases.concern",
        "cases.youngperson",
    ]
    summary = context["summary"]
    assert (summary.events, summary.reads, summary.writes, summary.readers) == (10, 3, 7, 3)
    assert summary.readers_per_sector == [("Politi", 1), ("Skole", 1), ("Socialforvaltning", 1)]
    assert (summary.first_at, summary.last_at) == (at(3, 8), at(10, 11))
    assert [case.pk for case in context["cases"]] == [scenario.case.pk]
    assert len(context["concerns"]) == 1
    html = response.content.decode()
    assert "Koordinere skolens indsats" in html
    assert "Forebyggende samtale" in html


def test_an_administrator_sees_the_young_person_by_id_and_no_case_text(
    scenario: Scenario, personas: Personas, client: Client
) -> None:
    client.force_login(personas.admin)

    html = client.get(_report_url(scenario)).content.decode()

    assert f"Den unge med id {scenario.young_person.pk}" in html
    assert NAME not in html, "the administrator's report names the young person"
    assert "020311" not in html, "the administrator's report shows the CPR number"
    assert "kniv" not in html, "the report shows the concern's text"


def test_the_consultant_sees_the_young_persons_name_and_masked_cpr(
    scenario: Scenario, personas: Personas, client: Client
) -> None:
    client.force_login(personas.consultant)

    html = client.get(_report_url(scenario)).content.decode()

    assert f"{NAME}, 020311-XXXX" in html
    assert "kniv" not in html, "the report shows the concern's text"


def test_making_the_report_writes_its_own_row_to_the_access_log(
    scenario: Scenario, personas: Personas, client: Client
) -> None:
    client.force_login(personas.admin)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    client.get(_report_url(scenario))
    b"".join(client.get(_report_url(scenario, "indsigt.csv")).streaming_content)
    client.get(_report_url(scenario, "indsigt.pdf"))

    rows = AuditEvent.objects.filter(id__gt=before).order_by("id")
    assert [(r.user_id, r.action, r.subject_id, r.purpose) for r in rows] == [
        (personas.admin.pk, a, scenario.young_person.pk, "Indsigtsrapport")
        for a in (AuditAction.VIEW, AuditAction.EXPORT, AuditAction.EXPORT)
    ]
    assert {r.municipality_id for r in rows} == {_glostrup().pk}


def _csv_sections(content: bytes) -> list[list[list[str]]]:
    text = content.decode("utf-8").removeprefix("\ufeff")
    sections: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        if row:
            sections[-1].append(row)
        else:
            sections.append([])
    return sections


def test_the_csv_holds_the_same_bases_and_events_and_leaves_out_its_own_row(
    scenario: Scenario, personas: Personas, client: Client
) -> None:
    client.force_login(personas.admin)

    response = client.get(_report_url(scenario, "indsigt.csv"))

    assert response.status_code == 200
    head, summary, cases, concerns, bases, events = _csv_sections(
        b"".join(response.streaming_content)
    )
    assert ["Den unges id", str(scenario.young_person.pk)] in head
    assert not any(row[0] == "Navn" for row in head), "the administrator's CSV names the child"
    assert ["Læsninger", "3"] in summary
    assert ["Ændringer", "7"] in summary
    assert ["Personer, der har læst", "3"] in summary
    assert [row[0] for row in cases[1:]] == [str(scenario.case.pk)]
    assert len(concerns) == 2
    assert [(row[0], row[1], row[5], row[13]) for row in bases[1:]] == [
        (str(scenario.consent_share.pk), "Ja", "Samtykke", ""),
        (str(scenario.share_115.pk), "Nej", "Retsplejelovens §115", "Tilbagekaldt"),
    ]
    assert [(row[0], row[2], row[3]) for row in events[1:]] == [
        (when.isoformat(timespec="seconds"), email, AuditAction(action).label)
        for when, email, action in _expected_events(personas)
    ]
    assert events[2][7] == "Vist i en liste eller søgning"
    assert events[4][1] == personas.police2.full_name


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(content)
    return subprocess.run(  # noqa: S603
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_the_pdf_names_the_municipality_the_maker_every_basis_and_every_event_in_order(
    scenario: Scenario, personas: Personas, client: Client, tmp_path: Path
) -> None:
    client.force_login(personas.admin)

    response = client.get(_report_url(scenario, "indsigt.pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert "Indsigtsrapport" in text
    assert "Glostrup" in text
    assert f"af {personas.admin.full_name}" in text
    assert f"Den unge med id {scenario.young_person.pk}" in text
    assert NAME not in text
    assert "Side 1 /" in text
    # Each purpose twice, in its basis and in its share's log row (a cell may wrap a line).
    assert text.count("Forebyggende") == 2
    assert text.count("Koordinere skolens") == 2
    assert "Tilbagekaldt" in text
    events = text[text.index("Læsninger og ændringer") :]
    emails = [
        word for line in events.splitlines() for word in line.split() if word.endswith("@demo.ssp")
    ]
    assert emails == [email for _when, email, _action in _expected_events(personas)]
    assert "Vist i en liste eller" in events


def test_an_administrator_of_another_municipality_cannot_reach_the_report_by_id(
    scenario: Scenario, client: Client
) -> None:
    albertslund_admin = AffiliationFactory(
        municipality=Municipality.objects.get(code="165"), is_administrator=True
    ).user
    client.force_login(albertslund_admin)

    for suffix in ("", "indsigt.csv", "indsigt.pdf"):
        response = client.get(_report_url(scenario, suffix))
        assert response.status_code == 404, f"another municipality's administrator got {suffix!r}"
    assert not AuditEvent.objects.filter(user_id=albertslund_admin.pk).exists()


def test_the_report_of_an_id_that_does_not_exist_is_not_found(
    personas: Personas, client: Client
) -> None:
    client.force_login(personas.admin)

    assert client.get("/adgangslog/ung/999999999/").status_code == 404


def test_the_access_log_links_each_young_person_it_found_to_their_report(
    scenario: Scenario, personas: Personas, client: Client
) -> None:
    client.force_login(personas.admin)

    response = client.post("/adgangslog/", {"young_person": CPR})

    assert response.status_code == 200
    assert f'href="/adgangslog/ung/{scenario.young_person.pk}/"' in response.content.decode()


def test_the_report_shows_nothing_of_other_young_people(
    scenario: Scenario, personas: Personas, client: Client
) -> None:
    client.force_login(personas.consultant)

    response = client.get(_report_url(scenario))

    assert "Anden Ung" not in response.content.decode()
    assert at(6, 12, 5) not in [e.at for e in response.context["page_obj"].object_list]
    assert timezone.is_aware(response.context["made_at"])


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_takes_the_same_queries_however_many_people_read(
    scenario: Scenario, personas: Personas, client: Client
) -> None:
    client.force_login(personas.admin)
    url = _report_url(scenario)
    _queries(client, url)  # the session and the menu's answers settle on the first request
    few = _queries(client, url)
    for _reader in range(29):
        audit_log(
            user=UserFactory(),
            action=AuditAction.VIEW,
            obj=scenario.case,
            subject_id=scenario.young_person.pk,
        )

    many = _queries(client, url)

    assert many == few, f"{few} queries before 29 more readers, {many} after (an N+1?)"
