"""Every page that shows a young person writes an access-log row with them and their
municipality, and the log's search finds that row by the young person's name, CPR number and
case number. Lists and searches write one row per page (and municipality) naming everyone
they showed, with the search term, a CPR number masked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services
from forum.models import Body
from ssp.models import AuditAction, AuditEvent
from tests.cases.access_log_helpers import (
    CPR,
    GROUP_115,
    HTMX,
    MASKED_CPR,
    NAME,
    REFUSED,
    World,
    events_about,
    glostrup,
    last_event_id,
    log_search,
    world_with_cleanup,
)
from tests.factories import CaseFactory, ConcernFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: Personas) -> Iterator[World]:
    yield from world_with_cleanup(personas)


@dataclass(frozen=True)
class Page:
    """A page that shows the young person, as the consultant opens it."""

    name: str
    url: Callable[[World], str]
    status: int = 200
    method: str = "GET"
    data: Callable[[World], dict] | None = None
    headers: dict = field(default_factory=dict)


def _case(suffix: str = "") -> Callable[[World], str]:
    return lambda world: f"/sager/{world.case.pk}/{suffix}"


def _meeting(suffix: str = "") -> Callable[[World], str]:
    return lambda world: f"/moeder/{world.meeting.pk}/{suffix}"


PAGES = [
    Page("the front page", lambda world: "/"),
    Page("the case list", lambda world: "/sager/"),
    Page("the case search", lambda world: "/sager/", data=lambda world: {"q": "Logbar"}),
    Page(
        "the case search's HTMX results",
        lambda world: "/sager/",
        data=lambda world: {"q": "Testesen"},
        headers=HTMX,
    ),
    Page("the concern list", lambda world: "/bekymringer/mine/"),
    Page("the triage queue", lambda world: "/bekymringer/visitation/"),
    Page(
        "the young-person lookup",
        lambda world: "/bekymringer/find-ung/",
        method="POST",
        data=lambda world: {"lookup": "Logbar", "municipality": glostrup().pk},
        headers=HTMX,
    ),
    Page("the case page", _case()),
    Page("the case page shown again by a refused note", _case("notat/"), 422, "POST"),
    Page(
        "the status form shown again",
        _case("status/"),
        422,
        "POST",
        lambda world: {"status": "nonsense"},
    ),
    Page("the consent form shown again", _case("samtykke/"), 422, "POST"),
    Page("the status form on its own page", _case("status/")),
    Page("the consent form on its own page", _case("samtykke/")),
    Page("the case edit page", _case("rediger/")),
    Page("the case edit page shown again", _case("rediger/"), 422, "POST"),
    Page("the action form", _case("indsats/")),
    Page("the action form shown again", _case("indsats/"), 422, "POST"),
    Page("the ad-hoc group form", _case("gruppe/")),
    Page("the ad-hoc group form shown again", _case("gruppe/"), 422, "POST"),
    Page("the share form", _case("del/")),
    Page("the share form shown again", _case("del/"), 422, "POST"),
    Page("the concern page", lambda world: f"/bekymringer/{world.new_concern.pk}/"),
    Page(
        "the concern page shown again by a refused addendum",
        lambda world: f"/bekymringer/{world.new_concern.pk}/tilfoejelse/",
        422,
        "POST",
    ),
    Page(
        "the concern page shown again by a refused triage",
        lambda world: f"/bekymringer/{world.new_concern.pk}/visiter/",
        422,
        "POST",
    ),
    Page("the meeting page", _meeting()),
    Page(
        "the meeting's agenda (HTMX)",
        _meeting(),
        data=lambda world: {"part": "agenda"},
        headers=HTMX,
    ),
    Page(
        "the agenda after moving an item (HTMX)",
        lambda world: f"/moeder/{world.meeting.pk}/dagsorden/{world.item.pk}/flyt/",
        method="POST",
        data=lambda world: {"direction": "up"},
        headers=HTMX,
    ),
    Page("the new agenda item form", _meeting("dagsorden/")),
    Page("the new agenda item form shown again", _meeting("dagsorden/"), 422, "POST"),
    Page("the minutes page", _meeting("referat/")),
    Page(
        "the decision form",
        lambda world: f"/moeder/{world.meeting.pk}/dagsorden/{world.item.pk}/beslutning/",
    ),
    Page(
        "the decision form shown again",
        lambda world: f"/moeder/{world.meeting.pk}/dagsorden/{world.item.pk}/beslutning/",
        422,
        "POST",
    ),
    Page("the minutes PDF", _meeting("referat.pdf")),
    Page(
        "an agenda attachment",
        lambda world: f"/moeder/{world.meeting.pk}/bilag/{world.attachment.pk}/",
    ),
]


def _visit(client: Client, page: Page, world: World) -> int:
    url = page.url(world)
    if page.data is not None:
        data = page.data(world)
    else:
        # A posted form is refused for want of its required fields (an empty POST would be
        # read as no form at all).
        data = {"submitted": "1"} if page.method == "POST" else {}
    if page.method == "POST":
        response = client.post(url, data, **page.headers)
    else:
        response = client.get(url, data, **page.headers)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_page_that_shows_a_young_person_writes_a_row_found_by_name_cpr_and_case_number(
    page: Page, world: World, personas: Personas, client: Client
) -> None:
    client.force_login(personas.consultant)
    before = last_event_id()

    status = _visit(client, page, world)

    assert status == page.status, f"{page.name}: answered {status}"
    logged = events_about(world.young_person.pk, before)
    assert logged, f"{page.name} showed {NAME} and wrote no access-log row about them"
    assert {event.municipality_id for event in logged} == {glostrup().pk}, (
        f"{page.name}: a row without Glostrup is invisible to its administrator"
    )
    assert {event.user_id for event in logged} == {personas.consultant.pk}
    client.force_login(personas.admin)
    for term in (NAME, "logbar", CPR, CPR.replace("-", ""), str(world.case.pk), str(world.case)):
        found_status, found = log_search(client, young_person=term)
        assert found_status == 200
        missing = {event.pk for event in logged} - {event.pk for event in found}
        assert not missing, f"{page.name}: the log search for {term!r} misses rows {missing}"


def test_the_calendar_download_names_no_young_person_and_so_logs_no_read(
    world: World, personas: Personas, client: Client
) -> None:
    client.force_login(personas.consultant)
    before = last_event_id()

    response = client.get(f"/moeder/{world.meeting.pk}/moede.ics")

    assert response.status_code == 200
    assert NAME not in response.content.decode()
    assert events_about(world.young_person.pk, before) == []


# --- Lists and searches: what they showed, the search term, one INSERT ------------------


def test_a_case_search_records_every_young_person_it_showed_and_its_term(
    world: World, personas: Personas, client: Client
) -> None:
    client.force_login(personas.consultant)
    before = last_event_id()

    response = client.get("/sager/", {"q": "Demo"})

    assert response.status_code == 200
    listed = {case.young_person_id for case in response.context["page_obj"].object_list}
    event = AuditEvent.objects.get(id__gt=before)
    assert (event.action, event.search_term, event.purpose) == (
        AuditAction.SEARCH,
        "Demo",
        "Søgning i sager",
    )
    assert set(event.shown_subjects) == listed
    assert len(listed) >= 5, "the search should list the demo cases"
    assert world.young_person.pk not in event.shown_subjects, "Logbar was not shown"


def test_a_cpr_number_typed_into_a_search_is_kept_masked(
    world: World, personas: Personas, client: Client
) -> None:
    client.force_login(personas.consultant)
    before = last_event_id()

    client.post(
        "/bekymringer/find-ung/",
        {"lookup": f"Logbar {CPR}", "municipality": glostrup().pk},
        **HTMX,
    )
    client.post("/bekymringer/find-ung/", {"lookup": CPR, "municipality": glostrup().pk}, **HTMX)
    client.post("/adgangslog/", {"young_person": CPR.replace("-", "")})

    terms = list(
        AuditEvent.objects.filter(id__gt=before)
        .order_by("id")
        .values_list("search_term", flat=True)
    )
    assert terms == [f"Logbar {MASKED_CPR}", MASKED_CPR, MASKED_CPR]
    assert not AuditEvent.objects.filter(search_term__contains="4123").exists(), (
        "LEAK: a CPR number's last four digits are in the access log"
    )


def test_a_search_that_found_no_one_is_still_logged_with_its_term_under_the_municipality(
    personas: Personas, client: Client
) -> None:
    client.force_login(personas.consultant)
    before = last_event_id()

    response = client.get("/sager/", {"q": "Ingen-Hedder-Sådan"})

    assert response.status_code == 200
    event = AuditEvent.objects.get(id__gt=before)
    assert (event.action, event.search_term, event.shown_subjects) == (
        AuditAction.SEARCH,
        "Ingen-Hedder-Sådan",
        [],
    )
    assert event.municipality_id == glostrup().pk


def test_a_page_showing_two_municipalities_writes_a_row_for_each_in_one_insert(
    personas: Personas, client: Client
) -> None:
    """police2 reads Oliver's case in Glostrup (a share) and Noah's in Albertslund."""
    client.force_login(personas.police2)
    before = last_event_id()

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sager/")

    assert response.status_code == 200
    events = list(AuditEvent.objects.filter(id__gt=before).order_by("municipality_id"))
    cases = {case.young_person_id: case for case in response.context["page_obj"].object_list}
    by_municipality = {event.municipality_id: set(event.shown_subjects) for event in events}
    expected: dict[int, set[int]] = {}
    for young_person_id, case in cases.items():
        expected.setdefault(case.municipality_id, set()).add(young_person_id)
    assert len(expected) == 2, "police2 should see cases in Glostrup and Albertslund"
    assert by_municipality == expected
    assert _audit_inserts(queries) == 1


def _audit_inserts(queries: CaptureQueriesContext) -> int:
    return sum(
        1
        for query in queries.captured_queries
        if query["sql"].startswith('INSERT INTO "ssp_auditevent"')
    )


def _more_rows(count: int, personas: Personas, offset: int) -> None:
    """Cases with a follow-up due (front page, case list) and new concerns (triage queue)."""
    group_115 = Body.objects.get(municipality=glostrup(), name=GROUP_115)
    for number in range(offset, offset + count):
        case = CaseFactory(
            municipality=glostrup(),
            young_person__full_name=f"Tælle-Ung {number}",
            opened_by=personas.consultant,
            responsible_body=group_115,
        )
        services.case_update_details(
            case=case,
            by=personas.consultant,
            level=case.level,
            prevention_kind=case.prevention_kind,
            responsible_body=group_115,
            coordinator=None,
            follow_up_on=timezone.localdate() + timedelta(days=3),
        )
        ConcernFactory(
            municipality=glostrup(),
            author=personas.club,
            young_person__full_name=f"Tælle-Ny {number}",
        )


@pytest.mark.parametrize("url", ["/sager/", "/sager/?q=Tælle", "/", "/bekymringer/visitation/"])
def test_a_list_page_writes_one_insert_however_many_young_people_it_shows(
    personas: Personas, client: Client, url: str
) -> None:
    client.force_login(personas.consultant)
    _more_rows(1, personas, offset=0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _more_rows(24, personas, offset=1)
    before = last_event_id()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    assert _audit_inserts(few) == 1, f"{url}: one row per page"
    assert _audit_inserts(many) == 1, f"{url}: one row per page, not one per row shown"
    shown = AuditEvent.objects.get(id__gt=before).shown_subjects
    assert len(shown) >= 10, f"{url}: the row names too few of the young people shown"


# --- The log itself is append-only, its new columns too --------------------------------


def test_the_database_refuses_to_change_what_a_page_showed(
    world: World, personas: Personas, client: Client
) -> None:
    client.force_login(personas.consultant)
    before = last_event_id()
    client.get("/sager/", {"q": "Logbar"})
    event = AuditEvent.objects.get(id__gt=before)

    with pytest.raises(DatabaseError, match=REFUSED["UPDATE"]), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(shown_subjects=[], search_term="")
    with pytest.raises(DatabaseError, match=REFUSED["DELETE"]), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()

    event.refresh_from_db()
    assert (event.shown_subjects, event.search_term) == ([world.young_person.pk], "Logbar")
