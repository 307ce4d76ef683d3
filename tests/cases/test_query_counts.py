"""Pinned query counts for the case list, the case page and the front page.

Each page is measured with one row of everything and again with 25, for an SSP consultant and
for a police officer: the count must be the same number both times. A count that grows with
the rows is an N+1; a count that changes at all means the pinned number needs a look.
Every page is requested once before it is measured, so process-wide caches (content types)
are warm and the number does not depend on which test ran first.

Each count includes the one INSERT that logs what the page showed (one access-log row per
page, not per row), and for the consultant the menu's question whether they triage anywhere
(the access log is their page too; the front page's triage queue and the case list's parts
read the triaged municipalities anyway and answer it with the same query).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Case, ConsentStatus
from forum import services as forum_services
from forum.models import Body, Municipality, Person
from ssp.models import Sector, User
from tests.factories import CaseFactory, ConcernFactory, concern_category
from tests.html import without_cell_labels
from tests.personas import Personas

pytestmark = pytest.mark.django_db

GROUP_115 = "Mandagsgruppen (§115)"  # the consultant and the police officer both sit in it
CRITERIA = dict.fromkeys(services.SHARE_CRITERIA, True)
MANY = 25


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _group_115() -> Body:
    return Body.objects.get(municipality=_glostrup(), name=GROUP_115)


def _consultant() -> User:
    return User.objects.get(email="konsulent@demo.ssp")


def _person_of(user: User) -> Person:
    return Person.objects.get(municipality=_glostrup(), user=user)


def _open_case(name: str, *, coordinator: User | None = None) -> Case:
    """A case of the §115 group, opened with a §115 basis for it, so its police officer reads
    it too."""
    return CaseFactory(
        municipality=_glostrup(),
        young_person__full_name=name,
        responsible_body=_group_115(),
        opened_by=_consultant(),
        coordinator=coordinator,
        body_basis=services.BasisRequest(purpose="Drøftes i §115-gruppen.", criteria=CRITERIA),
    )


def _concern(author: User, case: Case | None = None, name: str = ""):  # type: ignore[no-untyped-def]
    """About the case's young person, or a new young person of that name."""
    about = {"young_person": case.young_person} if case else {"young_person__full_name": name}
    return ConcernFactory(
        author=author,
        municipality=_glostrup(),
        description="Set med ældre drenge ved stationen.",
        **about,
    )


def _get(client: Client, url: str, django_assert_num_queries, expected: int):  # type: ignore[no-untyped-def]
    client.get(url)  # warm the process-wide caches
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _table_rows(page: str) -> int:
    return len(re.findall(r"<tr><td>", without_cell_labels(page)))


# --- The case list ---------------------------------------------------------------------------


# The list is cut by keyset pages over the parts of the visibility rule
# (`permissions.visible_case_parts`, `ssp.pagination.keyset_list_page`): one query reads the
# user's groups as values, one the page's ids (each part cut to the page by its own index walk,
# merged by one UNION), one the capped count of the parts (one statement, `LIMIT 1001` per
# part), one the page's rows with their relations. The consultant's triaged municipalities
# (one part each) are one query more, which also answers the menu's question; the police
# officer, outside the handling sectors, has no such part and no such question. The rest: the
# session's user, the filter's body (checked, and listed in the form) and the access-log row.
@pytest.mark.parametrize(("persona", "expected"), [("consultant", 9), ("police", 8)])
def test_case_list_takes_the_same_queries_for_one_and_for_25_cases(
    client: Client, personas: Personas, django_assert_num_queries, persona: str, expected: int
) -> None:
    # Filtered to the §115 group, which has one seeded case (Demo-Jonas Fiktivsen).
    url = f"/sager/?body={_group_115().pk}"
    client.force_login(personas[persona])

    one = _get(client, url, django_assert_num_queries, expected)
    for number in range(MANY - 1):
        _open_case(f"Tælle-Ung {number}", coordinator=_consultant() if number % 2 else None)
    many = _get(client, url, django_assert_num_queries, expected)

    assert _table_rows(one) == 1
    assert "Demo-Jonas Fiktivsen" in one
    assert _table_rows(many) == MANY
    assert "Tælle-Ung 23" in many


# A search probes the parts of the visibility rule (`cases.search`): the user's groups, one
# statement for the triaged municipality's matches and, the term being rare there, one for the
# grants' (the police officer has grants only); then one query reads the page's ids and one
# the page's rows with their relations. The probes count, so there is no count query.
@pytest.mark.parametrize(("persona", "expected"), [("consultant", 9), ("police", 7)])
def test_case_search_takes_the_same_queries_for_one_and_for_25_hits(
    client: Client, personas: Personas, django_assert_num_queries, persona: str, expected: int
) -> None:
    url = "/sager/?q=Tælle-Ung"
    client.force_login(personas[persona])

    _open_case("Tælle-Ung 0")
    one = _get(client, url, django_assert_num_queries, expected)
    for number in range(1, MANY):
        _open_case(f"Tælle-Ung {number}", coordinator=_consultant() if number % 2 else None)
    many = _get(client, url, django_assert_num_queries, expected)

    assert _table_rows(one) == 1
    assert _table_rows(many) == MANY


# --- The case page ---------------------------------------------------------------------------


def _extra_people(count: int) -> list[Person]:
    return [
        forum_services.person_create(
            municipality=_glostrup(), full_name=f"Tælle-Person {number}", sector=Sector.OTHER
        )
        for number in range(count)
    ]


def _case_with(entries: int, personas: Personas) -> Case:
    """A §115-group case with `entries` of every kind the case page lists."""
    consultant, police = personas.consultant, personas.police
    case = _open_case(f"Tælle-Sag med {entries}")
    services.consent_record(
        case=case, by=consultant, status=ConsentStatus.OBTAINED, given_by="Forældre"
    )
    services.adhoc_group_form(case=case, by=consultant, coordinator=_person_of(consultant))
    people = _extra_people(entries)
    bodies = list(Body.objects.filter(municipality=_glostrup()).exclude(kind="ad_hoc"))
    for number in range(entries):
        author = (consultant, police)[number % 2]
        services.note_add(case=case, author=author, text=f"Notat {number}")
        services.action_add(
            case=case, by=author, title=f"Indsats {number}", responsible=people[number]
        )
        concern = _concern(author, case)
        services.concern_link_to_case(concern=concern, case=case, by=consultant)
        services.concern_add_addendum(concern=concern, author=author, text="Tilføjelse.")
        services.concern_correct(
            concern=concern,
            changed_by=consultant,
            reason="Forkert kategori.",
            category=concern_category(_glostrup(), "Vold"),
        )
        services.adhoc_member_add(case=case, by=consultant, person=people[number])
        body = bodies[number % len(bodies)]
        for earlier in case.bases.filter(body=body, ended_at__isnull=True):
            services.share_revoke(share=earlier, by=consultant)  # one active share per body
        share = services.case_share(
            case=case, by=consultant, purpose=f"Deling {number}", criteria=CRITERIA, body=body
        )
        if number % 2:
            services.share_revoke(share=share, by=consultant)
    return case


# The police officer is asked fewer questions: outside the handling sectors there is no triage
# or membership to test for the forms they will never be shown. Four queries of each count tell
# the reader why they see the case (`reader_bases`: the active bases with their givers, the
# bodies' groups, whether the reader is one of the municipality's consultants, and the reader's
# groups), however many bases, readers or entries the case has; for the consultant, who steers
# the case and is shown every basis, the bases are read once for both. One query of each count
# reads the corrections of the case's concerns (shown old → new under each concern).
@pytest.mark.parametrize(("persona", "expected"), [("consultant", 18), ("police", 16)])
def test_case_page_takes_the_same_queries_for_one_and_for_25_entries(
    client: Client, personas: Personas, django_assert_num_queries, persona: str, expected: int
) -> None:
    small, large = _case_with(1, personas), _case_with(MANY, personas)
    client.force_login(personas[persona])

    one = _get(client, f"/sager/{small.pk}/", django_assert_num_queries, expected)
    many = _get(client, f"/sager/{large.pk}/", django_assert_num_queries, expected)

    assert one.count("Notat af ") == 1
    assert many.count("Notat af ") == MANY
    assert many.count("Tilføjelse (") == MANY
    assert "Indsats 24" in many
    assert "Tælle-Person 24" in many


# --- The front page --------------------------------------------------------------------------


def _dashboard_rows(count: int, personas: Personas, offset: int) -> None:
    """Follow-ups due, open actions for both personas, an action without a responsible person
    on a case the consultant coordinates, new concerns and routed concerns."""
    consultant, police = personas.consultant, personas.police
    for number in range(offset, offset + count):
        case = _open_case(f"Tælle-Opfølgning {number}")
        services.case_update_details(
            case=case,
            by=consultant,
            level=case.level,
            prevention_kind=case.prevention_kind,
            responsible_body=case.responsible_body,
            coordinator=consultant,
            follow_up_on=timezone.localdate() + timedelta(days=3),
        )
        for user in (consultant, police):
            # Due tomorrow: listed before the seeded actions (due next week and later).
            services.action_add(
                case=case,
                by=consultant,
                title=f"Opgave {number}",
                responsible=_person_of(user),
                due_on=timezone.localdate() + timedelta(days=1),
            )
        services.action_add(
            case=case,
            by=consultant,
            title=f"Ufordelt {number}",
            due_on=timezone.localdate() + timedelta(days=1),
        )
        _concern(personas.club, name=f"Tælle-Ny {number}")
        routed = _concern(personas.club, name=f"Tælle-Sendt {number}")
        services.concern_route(
            concern=routed,
            body=_group_115(),
            by=consultant,
            body_basis=services.BasisRequest(purpose="Drøftes i §115-gruppen.", criteria=CRITERIA),
        )


# (persona, queries, new concerns listed, routed concerns listed, unassigned actions listed).
# The consultant's triage queue holds ten concerns, most urgent and oldest first: the six
# seeded new concerns (the urgent one of the escalation demo first, and the club worker's
# typed-in Karla) and four of ours. One query
# of each count lists the user's open tasks from meeting decisions, one their notifications to
# record, one the actions without a responsible person on the cases they coordinate, and one
# logs what the page showed. The upcoming meetings are three: the user's people, the ids of
# the soonest five off the invitations' time index, and their rows (a page of "Mine møder").
# One asks whether the user administers a municipality, once per request
# (`forum.permissions.is_administrator_anywhere`): the meetings' visibility leaves out the
# administrators' part for everyone else instead of composing it (guardian's query and the
# ad-hoc groups' case visibility cost more Python than the query costs the database).
FRONT_PAGE = [("consultant", 18, 4, 0, 10), ("police", 16, 0, 10, 0)]


@pytest.mark.parametrize(
    ("persona", "expected", "new_listed", "routed_listed", "unassigned_listed"), FRONT_PAGE
)
def test_front_page_takes_the_same_queries_for_one_and_for_25_rows(
    client: Client,
    personas: Personas,
    django_assert_num_queries,
    persona: str,
    expected: int,
    new_listed: int,
    routed_listed: int,
    unassigned_listed: int,
) -> None:
    client.force_login(personas[persona])

    _dashboard_rows(1, personas, offset=0)
    one = _get(client, "/", django_assert_num_queries, expected)
    _dashboard_rows(MANY - 1, personas, offset=1)
    many = _get(client, "/", django_assert_num_queries, expected)

    assert "Tælle-Opfølgning 0</a>" in one
    assert "Opgave 0</a>" in one
    follow_ups = re.findall(r"Tælle-Opfølgning \d+</a> <span", many)
    assert len(follow_ups) == 10, "the front page lists ten follow-ups"
    assert len(re.findall(r"Opgave \d+</a>", many)) == 10, "the front page lists ten actions"
    concern_links = re.findall(r'href="/bekymringer/\d+/">Bekymring \d+</a> – ', many)
    assert len(concern_links) == 10, "the front page lists ten concerns"
    assert len(re.findall(r"Tælle-Ny \d+", many)) == new_listed
    assert len(re.findall(r"Tælle-Sendt \d+", many)) == routed_listed
    assert len(re.findall(r"Ufordelt \d+</a>", many)) == unassigned_listed
