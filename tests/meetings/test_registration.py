"""Registration for meetings open to many: capacity (also when two race for the last seat),
outside invitees through the public link and their signed cancel link, the organiser's list,
CSV and removal, the honeypot, the rate limit, retention, and who may open what (a table)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from forum.models import Body
from meetings import registration as services
from meetings import services as meeting_services
from meetings.models import Meeting
from meetings.registration_models import Registration, RegistrationOpening
from tests.factories import MeetingFactory, UserFactory
from tests.fuzzing import LIVE_MARKUP, PAYLOADS
from tests.permission_table import ANONYMOUS, Row, Table, check, sign_in, statuses
from tests.personas import PERSONA_NAMES, Personas

PERSONAS = (*PERSONA_NAMES, ANONYMOUS)


def _at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _team_meeting(personas: Personas) -> Meeting:
    return meeting_services.meeting_create(
        body=Body.objects.get(name="SSP-team Vestervang", municipality__code="161"),
        organiser=personas.leader,
        title="Temamøde om unge og nettet",
        starts_at=_at(14),
        ends_at=_at(14, 12),
        notify=False,
    )


def _open(meeting: Meeting, by, capacity: int = 3) -> RegistrationOpening:  # type: ignore[no-untyped-def]
    return services.registration_open(
        meeting=meeting, capacity=capacity, deadline=meeting.starts_at - timedelta(days=1), by=by
    )


def _sign_up(client: Client, opening: RegistrationOpening, **data: str):  # type: ignore[no-untyped-def]
    fields = {
        "full_name": "Ole Udefra",
        "email": "ole@boligselskab.test",
        "organisation": "Boligselskabet",
    }
    return client.post(f"/tilmelding/{opening.token}/", {**fields, **data})


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


@pytest.mark.django_db
def test_an_outside_invitee_registers_and_cancels_through_the_signed_link(
    personas: Personas, client: Client, django_capture_on_commit_callbacks
) -> None:
    opening = _open(_team_meeting(personas), personas.leader)

    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client, opening)

    assert response.status_code == 200
    assert "Tak for din tilmelding" in response.content.decode()
    registration = Registration.objects.get(opening=opening)
    assert (registration.full_name, registration.user) == ("Ole Udefra", None)
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["ole@boligselskab.test"]
    link = next(line for line in confirmation.body.splitlines() if "/tilmelding/afmeld/" in line)
    path = link[link.index("/tilmelding/afmeld/") :]

    tampered = path.replace(path[-6:-1], "xxxxx")
    assert client.get(tampered).status_code == 404
    assert client.post(tampered).status_code == 404
    assert Registration.objects.filter(pk=registration.pk).exists()

    assert "Vil du melde fra" in client.get(path).content.decode()
    assert client.post(path).status_code == 200
    assert not Registration.objects.filter(pk=registration.pk).exists()
    # The spent link finds nothing.
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_a_link_for_another_purpose_signed_with_the_same_key_is_refused(
    personas: Personas, client: Client
) -> None:
    from django.core import signing

    opening = _open(_team_meeting(personas), personas.leader)
    registration = services.registration_add(
        opening=opening, full_name="A", email="a@example.test", organisation="X"
    )
    foreign = signing.dumps(registration.pk, salt="some.other.purpose")

    assert client.post(f"/tilmelding/afmeld/{foreign}/").status_code == 404
    assert Registration.objects.filter(pk=registration.pk).exists()


@pytest.mark.django_db
def test_a_full_meeting_refuses_with_a_clear_message_and_keeps_the_input(
    personas: Personas, client: Client
) -> None:
    opening = _open(_team_meeting(personas), personas.leader, capacity=1)
    services.registration_add(
        opening=opening, full_name="Først", email="first@example.test", organisation="X"
    )

    response = _sign_up(client, opening)

    assert response.status_code == 422
    page = response.content.decode()
    assert "fuldt booket" in page
    assert 'value="ole@boligselskab.test"' in page
    assert Registration.objects.filter(opening=opening).count() == 1
    with pytest.raises(ValidationError, match="fuldt booket"):
        services.registration_add(
            opening=opening, full_name="B", email="b@example.test", organisation="X"
        )


@pytest.mark.django_db
def test_registering_twice_registers_once_and_tells_nobody_else_who_is_coming(
    personas: Personas, client: Client
) -> None:
    opening = _open(_team_meeting(personas), personas.leader)
    services.registration_add(
        opening=opening,
        full_name="Hemmelig Deltager",
        email="secret@example.test",
        organisation="Y",
    )

    first = _sign_up(client, opening)
    again = _sign_up(client, opening, email="OLE@boligselskab.test")
    page = client.get(f"/tilmelding/{opening.token}/").content.decode()

    assert first.status_code == again.status_code == 200
    assert Registration.objects.filter(opening=opening).count() == 2
    assert "Hemmelig Deltager" not in page
    assert "secret@example.test" not in page
    assert "Hemmelig Deltager" not in again.content.decode()


@pytest.mark.django_db
def test_a_filled_honeypot_is_answered_as_success_and_saves_nothing(
    personas: Personas, client: Client
) -> None:
    opening = _open(_team_meeting(personas), personas.leader)

    response = _sign_up(client, opening, website="http://spam.example")

    assert response.status_code == 200
    assert not Registration.objects.filter(opening=opening).exists()


@pytest.mark.django_db
def test_many_sign_ups_from_one_address_are_asked_to_wait(
    personas: Personas, client: Client
) -> None:
    opening = _open(_team_meeting(personas), personas.leader, capacity=100)
    statuses_seen = [
        _sign_up(client, opening, email=f"p{n}@example.test").status_code
        for n in range(services_limit() + 1)
    ]

    assert statuses_seen[:-1] == [200] * services_limit()
    assert statuses_seen[-1] == 429


def services_limit() -> int:
    from meetings.views.registration import RATE_LIMIT

    return RATE_LIMIT


@pytest.mark.django_db
def test_closed_after_the_deadline_and_an_unknown_link_is_404(
    personas: Personas, client: Client
) -> None:
    opening = _open(_team_meeting(personas), personas.leader)
    RegistrationOpening.objects.filter(pk=opening.pk).update(
        deadline=timezone.now() - timedelta(minutes=1)
    )

    response = _sign_up(client, opening)

    assert response.status_code == 422
    assert "Tilmeldingen er lukket" in response.content.decode()
    assert client.get("/tilmelding/ukendt-token/").status_code == 404


@pytest.mark.django_db
def test_a_signed_in_user_registers_as_themselves(personas: Personas, client: Client) -> None:
    opening = _open(_team_meeting(personas), personas.leader)
    client.force_login(personas.police)

    response = _sign_up(client, opening, email="someone.else@example.test")

    assert response.status_code == 200
    registration = Registration.objects.get(opening=opening)
    assert (registration.user, registration.email) == (personas.police, personas.police.email)


@pytest.mark.django_db
def test_the_organiser_sees_the_list_exports_it_safely_and_removes_someone(
    personas: Personas, client: Client, django_capture_on_commit_callbacks
) -> None:
    meeting = _team_meeting(personas)
    opening = _open(meeting, personas.leader)
    services.registration_add(
        opening=opening, full_name="=HYPERLINK(1)", email="x@example.test", organisation="+Org"
    )
    kept = services.registration_add(
        opening=opening, full_name="Bo Bolig", email="bo@example.test", organisation="Bolig"
    )
    client.force_login(personas.leader)

    page = client.get(f"/moeder/{meeting.pk}/tilmelding/").content.decode()
    export = client.get(f"/moeder/{meeting.pk}/tilmelding/tilmeldte.csv")
    csv_text = b"".join(export.streaming_content).decode("utf-8-sig")
    with django_capture_on_commit_callbacks(execute=True):
        removed = client.post(f"/moeder/{meeting.pk}/tilmelding/{kept.pk}/fjern/")

    assert "Bo Bolig" in page
    assert "2 tilmeldte af 3 pladser" in page
    assert "'=HYPERLINK(1);x@example.test;'+Org" in csv_text
    assert "Bo Bolig;bo@example.test;Bolig" in csv_text
    assert removed.status_code == 302
    assert not Registration.objects.filter(pk=kept.pk).exists()
    assert mail.outbox[-1].to == ["bo@example.test"]


@pytest.mark.django_db
def test_a_participant_who_does_not_organise_cannot_see_the_list(
    personas: Personas, client: Client
) -> None:
    """The leak test: the club worker takes part in the team's meetings but does not organise
    them; the neighbour does not even see the meeting."""
    meeting = _team_meeting(personas)
    opening = _open(meeting, personas.leader)
    services.registration_add(
        opening=opening,
        full_name="Synlig Kun For Arrangøren",
        email="v@example.test",
        organisation="Z",
    )

    for persona, expected in (("club", 403), ("neighbour", 404), ("outsider", 404)):
        client.force_login(personas[persona])
        for url in (
            f"/moeder/{meeting.pk}/tilmelding/",
            f"/moeder/{meeting.pk}/tilmelding/tilmeldte.csv",
        ):
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert response.status_code == expected, f"{persona} {url}: {response.status_code}"
            assert b"Synlig Kun" not in body, f"{persona} saw the list at {url}"


@pytest.mark.django_db
def test_capacity_cannot_drop_below_those_registered_nor_the_deadline_pass_the_meeting(
    personas: Personas,
) -> None:
    meeting = _team_meeting(personas)
    opening = _open(meeting, personas.leader, capacity=2)
    for n in range(2):
        services.registration_add(
            opening=opening, full_name=f"P{n}", email=f"p{n}@example.test", organisation="X"
        )

    with pytest.raises(ValidationError) as too_few:
        _open(meeting, personas.leader, capacity=1)
    with pytest.raises(ValidationError) as too_late:
        services.registration_open(
            meeting=meeting,
            capacity=5,
            deadline=meeting.starts_at + timedelta(hours=1),
            by=personas.leader,
        )

    assert "capacity" in too_few.value.message_dict
    assert "deadline" in too_late.value.message_dict


@pytest.mark.django_db
def test_outside_invitees_are_forgotten_thirty_days_after_the_meeting(personas: Personas) -> None:
    meeting = _team_meeting(personas)
    opening = _open(meeting, personas.leader)
    outside = services.registration_add(
        opening=opening, full_name="Ude", email="ude@example.test", organisation="X"
    )
    staff = services.registration_add(
        opening=opening,
        full_name="Inde",
        email=personas.club.email,
        organisation="Y",
        user=personas.club,
    )

    assert services.registrations_prune(now=meeting.ends_at + timedelta(days=29)) == 0
    assert services.registrations_prune(now=meeting.ends_at + timedelta(days=31)) == 1
    assert not Registration.objects.filter(pk=outside.pk).exists()
    assert Registration.objects.filter(pk=staff.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_the_last_seat_get_one_seat_and_one_refusal() -> None:
    meeting = MeetingFactory()
    opening = services.registration_open(
        meeting=meeting, capacity=1, deadline=meeting.starts_at, by=UserFactory()
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def register(n: int) -> None:
        try:
            barrier.wait()
            services.registration_add(
                opening=opening, full_name=f"R{n}", email=f"r{n}@example.test", organisation="X"
            )
            outcomes.append("seat")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes)[1] == "seat", outcomes
    assert "fuldt booket" in sorted(outcomes)[0], outcomes
    assert Registration.objects.filter(opening=opening).count() == 1


# The permission table ------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    meeting: Meeting
    opening: RegistrationOpening
    registration: Registration


@pytest.fixture
def world(personas: Personas) -> World:
    meeting = _team_meeting(personas)
    opening = _open(meeting, personas.leader, capacity=50)
    registration = services.registration_add(
        opening=opening, full_name="Tabel Gæst", email="tabel@example.test", organisation="X"
    )
    return World(meeting=meeting, opening=opening, registration=registration)


def _team(path: str) -> Callable[[World], str]:
    return lambda world: f"/moeder/{world.meeting.pk}/{path}"


def _manages(ok: int) -> dict[str, int]:
    """The team meeting's organisers (leader: chair; consultant; admin) get `ok`; its other
    participants 403; the rest 404; anonymous visitors go to the login page."""
    return statuses(
        PERSONAS,
        404,
        leader=ok,
        consultant=ok,
        admin=ok,
        police=403,
        social=403,
        club=403,
        anonymous=302,
    )


def _registration(world: World) -> str:
    return f"/moeder/{world.meeting.pk}/tilmelding/{world.registration.pk}/fjern/"


def _cancel(world: World) -> str:
    return f"/tilmelding/afmeld/{services.cancel_token(world.registration)}/"


ROWS = [
    Row("registration_manage", "GET", _team("tilmelding/"), _manages(200)),
    Row(
        "registration_manage",
        "POST",
        _team("tilmelding/"),
        _manages(302),
        lambda world: {
            "capacity": "60",
            "deadline_date": (world.meeting.starts_at - timedelta(days=2)).date().isoformat(),
            "deadline_time": "12:00",
        },
    ),
    Row("registration_export", "GET", _team("tilmelding/tilmeldte.csv"), _manages(200)),
    Row("registration_remove", "POST", _registration, _manages(302)),
    # Public by design: the meeting's random token is the key (every persona, anonymous too).
    Row(
        "register",
        "GET",
        lambda world: f"/tilmelding/{world.opening.token}/",
        statuses(PERSONAS, 200),
    ),
    Row(
        "register",
        "POST",
        lambda world: f"/tilmelding/{world.opening.token}/",
        statuses(PERSONAS, 200),
        lambda world: {"full_name": "Ny", "email": "ny-tabel@example.test", "organisation": "X"},
    ),
    Row("registration_cancel", "GET", _cancel, statuses(PERSONAS, 200)),
    Row("registration_cancel", "POST", _cancel, statuses(PERSONAS, 200)),
]

TABLE = Table(namespace="meetings", rows=ROWS, personas=PERSONAS)


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "persona"), TABLE.params())
def test_permission_table(
    row: Row, persona: str, personas: Personas, world: World, client: Client
) -> None:
    sign_in(client, persona, personas)
    check(
        client,
        row,
        persona,
        url=row.url(world),
        data=row.data(world) if row.data else None,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_input_on_the_public_form_is_refused_or_stored_as_typed_never_run(
    personas: Personas, client: Client, payload: str
) -> None:
    opening = _open(_team_meeting(personas), personas.leader)
    # Single-line fields refuse line breaks (ssp.forms), and every field a NUL or overlength.
    refused = (
        len(payload) > 200
        or "\x00" in payload
        or "\n" in payload
        or "\r" in payload
        or not payload.strip()
    )

    response = _sign_up(client, opening, full_name=payload, organisation=payload)

    page = response.content.decode()
    assert response.status_code == (422 if refused else 200), payload[:40]
    assert not any(markup in page for markup in LIVE_MARKUP), payload[:40]
    stored = Registration.objects.filter(opening=opening).first()
    if refused:
        assert stored is None
    else:
        assert stored is not None
        assert stored.full_name == payload.strip()
