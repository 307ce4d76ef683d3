"""Actions and follow-ups as planning: no deadline or follow-up in the past or more than two
years ahead; overdue actions flagged on the case page and in "Mine opgaver"; actions nobody is
responsible for listed for the case's coordinator, who names someone.

The demo seeds Amalie's case (coordinated by the SSP consultant through its ad-hoc group) with
an action on time, one overdue (Sara Skov's) and one nobody is responsible for.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Action, Case, CaseEvent, CaseEventKind
from devtools.demo import actions as demo
from forum.models import Person
from tests.personas import Personas

pytestmark = pytest.mark.django_db

AMALIE = "Demo-Amalie Tænktsen"
MIKKEL = "Demo-Mikkel Eksempelsen"
PAST = "Fristen kan ikke ligge før i dag."
TOO_FAR = "Fristen kan højst ligge to år frem."


def _case(name: str) -> Case:
    return Case.objects.get(young_person__full_name=name)


def _person(name: str) -> Person:
    return Person.objects.get(municipality__code="161", full_name=name)


def _page(client: Client, user, url: str) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    """The page's text with tags dropped and white space squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- Deadlines and follow-ups are planned from today -----------------------------------------


@pytest.mark.parametrize(
    ("days", "message"),
    [(-1, PAST), (-400, PAST), (2 * 366 + 1, TOO_FAR)],
    ids=["yesterday", "last-year", "three-years-ahead"],
)
def test_the_service_refuses_a_deadline_outside_today_to_two_years_and_saves_nothing(
    personas: Personas, days: int, message: str
) -> None:
    case = _case(MIKKEL)
    before = (Action.objects.count(), CaseEvent.objects.filter(case=case).count())

    with pytest.raises(ValidationError) as refused:
        services.action_add(
            case=case,
            by=personas.consultant,
            title="Hjemmebesøg",
            due_on=timezone.localdate() + timedelta(days=days),
        )

    assert list(refused.value.message_dict) == ["due_on"]
    assert refused.value.message_dict["due_on"][0].startswith(message)
    assert (Action.objects.count(), CaseEvent.objects.filter(case=case).count()) == before


@pytest.mark.parametrize("days", [0, 1, 365])
def test_a_deadline_from_today_up_to_two_years_ahead_is_accepted(
    personas: Personas, days: int
) -> None:
    due = timezone.localdate() + timedelta(days=days)

    action = services.action_add(
        case=_case(MIKKEL), by=personas.consultant, title="Hjemmebesøg", due_on=due
    )

    assert Action.objects.get(pk=action.pk).due_on == due


def test_the_action_form_refuses_yesterday_with_422_keeps_the_input_and_saves_nothing(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    yesterday = timezone.localdate() - timedelta(days=1)
    before = Action.objects.count()
    client.force_login(personas.consultant)

    response = client.post(
        f"/sager/{case.pk}/indsats/",
        {"title": "Samtale med mor", "due_on": yesterday.isoformat()},
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert PAST in page
    assert 'value="Samtale med mor"' in page, "the title typed is lost"
    assert f'value="{yesterday.isoformat()}"' in page, "the date typed is lost"
    assert f'min="{timezone.localdate().isoformat()}"' in page, "the date picker allows the past"
    assert Action.objects.count() == before


def test_the_case_form_refuses_a_follow_up_in_the_past_and_saves_nothing(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    client.force_login(personas.consultant)

    response = client.post(
        f"/sager/{case.pk}/rediger/",
        {
            "level": case.level,
            "prevention_kind": "proactive",
            "responsible_body": case.responsible_body_id,
            "follow_up_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        },
    )

    assert response.status_code == 422
    assert "Opfølgningsdatoen kan ikke ligge før i dag." in response.content.decode()
    case.refresh_from_db()
    assert (case.follow_up_on, case.prevention_kind) == (None, "reactive")


def test_a_follow_up_that_has_passed_may_stay_while_other_details_change(
    personas: Personas,
) -> None:
    case = _case(MIKKEL)
    passed = timezone.localdate() - timedelta(days=10)
    Case.objects.filter(pk=case.pk).update(follow_up_on=passed)  # set when it was ahead
    case.refresh_from_db()

    services.case_update_details(
        case=case,
        by=personas.consultant,
        level=case.level,
        prevention_kind="proactive",
        responsible_body=case.responsible_body,
        coordinator=None,
        follow_up_on=passed,
    )

    case.refresh_from_db()
    assert (case.follow_up_on, case.prevention_kind) == (passed, "proactive")
    assert case.follow_up_overdue


# --- Overdue actions are flagged --------------------------------------------------------------


def test_the_case_page_flags_the_overdue_action_in_words_not_colour_alone(
    client: Client, personas: Personas
) -> None:
    page = _page(client, personas.social, f"/sager/{_case(AMALIE).pk}/")
    text = _text(page)

    assert "1 indsats har overskredet fristen." in text
    page = page.split("<h2>Indsatser</h2>", 1)[1]  # the list, not the timeline
    overdue = re.search(re.escape(demo.OVERDUE) + r".{0,1500}?</li>", page, re.DOTALL)
    assert overdue is not None
    assert '<span class="badge badge-error">Overskredet</span>' in overdue.group(0)
    on_time = re.search(re.escape(demo.ON_TIME) + r".{0,1500}?</li>", page, re.DOTALL)
    assert on_time is not None
    assert "Overskredet" not in on_time.group(0), "an action on time is flagged as overdue"


def test_mine_opgaver_flags_the_overdue_action_of_the_responsible_person(
    client: Client, personas: Personas
) -> None:
    page = _page(client, personas.social, "/")

    item = re.search(re.escape(demo.OVERDUE) + r"</a>(.{0,200})", page, re.DOTALL)
    assert item is not None, "Sara Skov's overdue action is not in her Mine opgaver"
    assert "Overskredet" in item.group(1)


def test_an_action_done_is_no_longer_overdue(personas: Personas) -> None:
    action = Action.objects.get(title=demo.OVERDUE)
    assert action.is_overdue

    services.action_complete(action=action, by=personas.social)

    assert not Action.objects.get(pk=action.pk).is_overdue


# --- Actions nobody is responsible for go to the coordinator ----------------------------------


def test_mine_opgaver_lists_unassigned_actions_for_the_cases_coordinator_only(
    client: Client, personas: Personas
) -> None:
    case = _case(AMALIE)
    assert case.coordinator == personas.consultant

    pages = {name: _page(client, personas[name], "/") for name in ("consultant", "social")}

    assert "Indsatser uden ansvarlig" in pages["consultant"]
    assert f"{demo.UNASSIGNED}</a>" in pages["consultant"]
    for name in ("social",):  # works on the case (ad-hoc member), does not coordinate it
        assert demo.UNASSIGNED not in pages[name], f"{name} is given the coordinator's list"
        assert "Indsatser uden ansvarlig" not in pages[name]


def test_a_new_coordinator_takes_over_the_list_from_the_old_one(
    client: Client, personas: Personas
) -> None:
    services.case_coordinator_change(
        case=_case(AMALIE), by=personas.consultant, coordinator=personas.social
    )

    assert f"{demo.UNASSIGNED}</a>" in _page(client, personas.social, "/")
    # The consultant still steers the case, but it has a coordinator: not hers to hand out.
    assert demo.UNASSIGNED not in _page(client, personas.consultant, "/")


def test_a_case_without_a_coordinator_leaves_its_unowned_actions_to_the_consultant(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    assert case.coordinator is None
    services.action_add(case=case, by=personas.leader, title="Tale med klubben om Mikkel")

    assert "Tale med klubben om Mikkel</a>" in _page(client, personas.consultant, "/")
    assert "Tale med klubben om Mikkel" not in _page(client, personas.leader, "/")
    case_page = _text(_page(client, personas.consultant, f"/sager/{case.pk}/"))
    assert "Sagen har ingen tovholder, så du vælger, hvem der står for den." in case_page
    leader_page = _text(_page(client, personas.leader, f"/sager/{case.pk}/"))
    assert "indsats har ingen ansvarlig" not in leader_page


def test_the_case_page_asks_only_the_coordinator_to_name_a_responsible_person(
    client: Client, personas: Personas
) -> None:
    url = f"/sager/{_case(AMALIE).pk}/"
    coordinator = _text(_page(client, personas.consultant, url))
    member = _text(_page(client, personas.social, url))

    prompt = "1 indsats har ingen ansvarlig. Som tovholder vælger du, hvem der står for den."
    assert prompt in coordinator
    assert prompt not in member
    assert "Ingen ansvarlig" in member, "the action's missing owner is hidden from the team"


def test_the_coordinator_names_a_responsible_person_who_then_finds_it_in_mine_opgaver(
    client: Client, personas: Personas
) -> None:
    case = _case(AMALIE)
    action = Action.objects.get(title=demo.UNASSIGNED)
    url = f"/sager/{case.pk}/indsats/{action.pk}/ansvarlig/"
    form = _page(client, personas.consultant, url)
    assert "Sara Skov — Socialforvaltning, Familieafsnittet" in form

    response = client.post(url, {"responsible": _person("Sara Skov").pk})

    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).responsible == _person("Sara Skov")
    assert CaseEvent.objects.filter(
        case=case, kind=CaseEventKind.ACTION, text__startswith="Sara Skov er ansvarlig for"
    ).exists()
    assert demo.UNASSIGNED not in _page(client, personas.consultant, "/")
    assert f"{demo.UNASSIGNED}</a>" in _page(client, personas.social, "/")
    # Named once: the page for it is gone, and the service refuses a second name.
    client.force_login(personas.consultant)
    assert client.get(url).status_code == 404
    with pytest.raises(ValidationError, match="allerede en ansvarlig"):
        services.action_assign(
            action=Action.objects.get(pk=action.pk),
            by=personas.consultant,
            responsible=_person("Kirsten Kragh"),
        )


def test_the_database_lets_an_action_be_given_a_responsible_person_once_and_nothing_more(
    personas: Personas,
) -> None:
    action = services.action_add(case=_case(MIKKEL), by=personas.consultant, title="Hjemmebesøg")
    sara, lars = _person("Sara Skov"), _person("Lars Lund")

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_action SET responsible_id = %s WHERE id = %s", [sara.pk, action.pk]
        )
    for statement, params in [
        ("UPDATE cases_action SET responsible_id = %s WHERE id = %s", [lars.pk, action.pk]),
        ("UPDATE cases_action SET responsible_id = NULL WHERE id = %s", [action.pk]),
    ]:
        with (
            pytest.raises(DatabaseError, match="An action can only be marked done"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, params)

    assert Action.objects.get(pk=action.pk).responsible == sara


def test_an_administrator_is_never_made_responsible_for_an_action(personas: Personas) -> None:
    anne = _person("Anne Andersen")  # the administrator's directory entry

    with pytest.raises(ValidationError) as refused:
        services.action_add(
            case=_case(MIKKEL), by=personas.consultant, title="Hjemmebesøg", responsible=anne
        )

    assert list(refused.value.message_dict) == ["responsible"]


def test_planning_horizon_handles_the_leap_day() -> None:
    assert services.planning_horizon(date(2028, 2, 29)) == date(2030, 2, 28)
    assert services.planning_horizon(date(2026, 6, 5)) == date(2028, 6, 5)
