"""The meeting services: planning, moving and cancelling meetings (with the iCalendar emails
that go with them), answers and attendance, the agenda with its §115 rules, and recurring
series over Danish public holidays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from icalendar import Calendar

from cases.models import Case, CaseEvent, CaseEventKind
from cases.services import SHARE_CRITERIA
from forum.models import Body, Person
from meetings import services, tasks
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Participant,
    StandingAgendaItem,
)
from ssp.models import User
from tests.personas import Personas

pytestmark = pytest.mark.django_db

VESTERVANG = "SSP-team Vestervang"
VESTERVANG_EMAILS = {
    "leder@demo.ssp",
    "konsulent@demo.ssp",
    "politi@demo.ssp",
    "social@demo.ssp",
    "klub@demo.ssp",
    "gitte.gram@demo.ssp",
}
ALL_CRITERIA = dict.fromkeys(SHARE_CRITERIA, True)
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def _at(days: int, hour: int = 10) -> datetime:
    """A local time `days` from today."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _body(name: str) -> Body:
    return Body.objects.get(name=name, municipality__code="161")


def _person(name: str) -> Person:
    return Person.objects.get(full_name=name, municipality__code="161")


def _case(young_person: str) -> Case:
    return Case.objects.get(young_person__full_name=young_person)


def _plan(
    organiser: User, body: str = VESTERVANG, *, days: int = 7, notify: bool = False, **kwargs
) -> Meeting:
    return services.meeting_create(
        body=_body(body),
        organiser=organiser,
        title=kwargs.pop("title", "Teammøde"),
        starts_at=_at(days, 10),
        ends_at=_at(days, 12),
        notify=notify,
        **kwargs,
    )


def _calendars(message: mail.EmailMultiAlternatives) -> list[Calendar]:
    """The iCalendar of an email, read both from its text/calendar part and its attachment."""
    (content, mimetype), *_ = message.alternatives
    assert mimetype.startswith("text/calendar"), mimetype
    ((filename, attached, _type),) = message.attachments
    assert filename == "invitation.ics"
    return [Calendar.from_ical(content), Calendar.from_ical(attached)]


def _event(calendar: Calendar):  # type: ignore[no-untyped-def]
    (event,) = calendar.walk("VEVENT")
    return event


# Planning -----------------------------------------------------------------------------------


def test_meeting_create_invites_the_members_and_guests_and_opens_with_standing_items(
    personas: Personas,
) -> None:
    body = _body(VESTERVANG)
    seeded = [item.title for item in body.standing_items.all()]
    StandingAgendaItem.objects.create(body=body, title="Dagsorden godkendes", position=1002)
    StandingAgendaItem.objects.create(body=body, title="SSP siden sidst", position=1001)
    guest = _person("Henrik Holm")

    meeting = _plan(personas.leader, guests=[guest, _person("Gitte Gram")])

    participants = {(p.person.full_name, p.is_guest) for p in meeting.participants.all()}
    assert participants == {
        ("Lars Lund", False),
        ("Kirsten Kragh", False),
        ("Peter Poulsen", False),
        ("Sara Skov", False),
        ("Kasper Krog", False),
        ("Gitte Gram", False),  # a member named as guest stays a member
        ("Henrik Holm", True),
    }
    agenda = list(meeting.agenda_items.values_list("position", "title"))
    titles = [*seeded, "SSP siden sidst", "Dagsorden godkendes"]
    assert agenda == list(enumerate(titles, start=1))


def test_meeting_create_emails_each_participant_a_request_invitation(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _plan(personas.leader, notify=True, title="Opstartsmøde")

    assert {message.to[0] for message in mail.outbox} == VESTERVANG_EMAILS
    message = mail.outbox[0]
    assert message.subject == "SSP-samarbejde: Invitation: Opstartsmøde"
    for calendar in _calendars(message):
        assert calendar["METHOD"] == "REQUEST"
        event = _event(calendar)
        assert str(event["UID"]) == f"{meeting.uid}@ssp-samarbejde"
        assert event["SEQUENCE"] == 0
        assert event.decoded("DTSTART") == meeting.starts_at


@pytest.mark.parametrize(
    ("starts", "ends", "errors"),
    [
        ((7, 12), (7, 10), {"ends_at": ["Mødet skal slutte efter, det begynder."]}),
        ((-1, 10), (-1, 12), {"starts_at": ["Mødet kan ikke ligge i fortiden."]}),
    ],
    ids=["end-before-start", "in-the-past"],
)
def test_bad_times_are_refused_on_the_right_field_and_nothing_is_saved(
    personas: Personas, starts: tuple[int, int], ends: tuple[int, int], errors: dict
) -> None:
    before = (Meeting.objects.count(), Participant.objects.count())

    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            body=_body(VESTERVANG),
            organiser=personas.leader,
            title="Forkert tid",
            starts_at=_at(*starts),
            ends_at=_at(*ends),
        )

    assert error.value.message_dict == errors
    assert (Meeting.objects.count(), Participant.objects.count()) == before
    assert mail.outbox == []


def test_moving_a_meeting_raises_its_sequence_and_sends_an_update_with_the_same_uid(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    meeting = _plan(personas.leader)
    uid = meeting.uid

    with django_capture_on_commit_callbacks(execute=True):
        moved = services.meeting_update(
            meeting=meeting,
            title="Teammøde (flyttet)",
            starts_at=_at(8, 13),
            ends_at=_at(8, 15),
            location="Mødelokale 2",
        )

    assert (moved.uid, moved.sequence) == (uid, 1)
    assert {message.to[0] for message in mail.outbox} == VESTERVANG_EMAILS
    message = mail.outbox[0]
    assert message.subject == "SSP-samarbejde: Mødet er ændret: Teammøde (flyttet)"
    assert "Et møde, du er inviteret til, er ændret." in message.body
    for calendar in _calendars(message):
        assert calendar["METHOD"] == "REQUEST"
        event = _event(calendar)
        assert str(event["UID"]) == f"{uid}@ssp-samarbejde"
        assert event["SEQUENCE"] == 1
        assert event.decoded("DTSTART") == _at(8, 13)
        assert str(event["LOCATION"]) == "Mødelokale 2"


def test_cancelling_a_meeting_sends_a_cancel_with_status_cancelled(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    meeting = _plan(personas.leader)

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.meeting_cancel(meeting=meeting, reason="  Sygdom  ")

    assert (cancelled.status, cancelled.cancel_reason, cancelled.sequence) == (
        MeetingStatus.CANCELLED,
        "Sygdom",
        1,
    )
    assert {message.to[0] for message in mail.outbox} == VESTERVANG_EMAILS
    message = mail.outbox[0]
    assert message.subject == "SSP-samarbejde: Mødet er aflyst: Teammøde"
    assert "Årsag: Sygdom" in message.body
    for calendar in _calendars(message):
        assert calendar["METHOD"] == "CANCEL"
        event = _event(calendar)
        assert str(event["UID"]) == f"{meeting.uid}@ssp-samarbejde"
        assert str(event["STATUS"]) == "CANCELLED"
        assert event["SEQUENCE"] == 1


def test_cancelling_needs_a_reason_and_changes_nothing_without_one(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    meeting = _plan(personas.leader)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        services.meeting_cancel(meeting=meeting, reason="   ")

    assert error.value.message_dict == {"reason": ["Skriv, hvorfor mødet aflyses."]}
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (MeetingStatus.PLANNED, 0)
    assert mail.outbox == []


def test_a_cancelled_meeting_cannot_be_moved(personas: Personas) -> None:
    meeting = services.meeting_cancel(meeting=_plan(personas.leader), reason="Sygdom")

    with pytest.raises(ValidationError) as error:
        services.meeting_update(
            meeting=meeting, title="Igen", starts_at=_at(9, 10), ends_at=_at(9, 11)
        )

    assert error.value.messages == ["Mødet er aflyst og kan ikke ændres."]


# Answers and attendance ---------------------------------------------------------------------


def _hold_in_the_past(meeting: Meeting) -> None:
    """Time travel: the meeting took place yesterday."""
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=_at(-1, 10), ends_at=_at(-1, 12))
    meeting.refresh_from_db()


def test_a_participant_answers_the_invitation(personas: Personas) -> None:
    meeting = _plan(personas.leader)

    participant = services.rsvp_set(meeting=meeting, user=personas.police, answer="maybe")

    participant.refresh_from_db()
    assert (participant.person.full_name, participant.rsvp) == ("Peter Poulsen", "maybe")
    assert participant.rsvp_at is not None


def _cancel(meeting: Meeting) -> Meeting:
    return services.meeting_cancel(meeting=meeting, reason="Sygdom")


@pytest.mark.parametrize(
    ("persona", "change", "message"),
    [
        ("police2", None, "Du er ikke inviteret til mødet."),
        ("police", _cancel, "Mødet er aflyst; der er ikke noget at svare på."),
        ("police", _hold_in_the_past, "Mødet er holdt; det er for sent at svare."),
    ],
    ids=["not-invited", "cancelled", "after-the-meeting"],
)
def test_an_answer_is_refused_with_a_clear_message(
    personas: Personas,
    persona: str,
    change: Callable[[Meeting], object] | None,
    message: str,
) -> None:
    meeting = _plan(personas.leader)
    if change:
        change(meeting)
        meeting.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        services.rsvp_set(meeting=meeting, user=personas[persona], answer="yes")

    assert error.value.messages == [message]
    assert meeting.participants.exclude(rsvp="").count() == 0


def test_attendance_marks_who_came_and_who_did_not(personas: Personas) -> None:
    meeting = _plan(personas.leader)
    _hold_in_the_past(meeting)
    came = list(meeting.participants.filter(person__full_name__in=["Lars Lund", "Sara Skov"]))

    count = services.attendance_record(meeting=meeting, present=[p.pk for p in came])

    assert count == 2
    attended = dict(meeting.participants.values_list("person__full_name", "attended"))
    assert attended == {
        "Lars Lund": True,
        "Sara Skov": True,
        "Kirsten Kragh": False,
        "Peter Poulsen": False,
        "Kasper Krog": False,
        "Gitte Gram": False,
    }


def test_attendance_is_not_taken_days_before_the_meeting(personas: Personas) -> None:
    meeting = _plan(personas.leader)

    with pytest.raises(ValidationError) as error:
        services.attendance_record(meeting=meeting, present=[])

    assert error.value.messages == ["Fremmøde registreres, når mødet holdes."]
    assert meeting.participants.filter(attended__isnull=False).count() == 0


def test_attendance_accepts_only_the_meetings_own_participants(personas: Personas) -> None:
    meeting = _plan(personas.leader)
    other = _plan(personas.consultant, "Mandagsgruppen (§115)")
    _hold_in_the_past(meeting)
    stranger = other.participants.first()

    with pytest.raises(ValidationError) as error:
        services.attendance_record(meeting=meeting, present=[stranger.pk])

    assert error.value.messages == ["Kun mødets deltagere kan registreres som mødt."]
    assert meeting.participants.filter(attended__isnull=False).count() == 0


# The agenda ---------------------------------------------------------------------------------


CRITERIA_MISSING = {
    "__all__": ["Bekræft alle tre betingelser efter §115, før sagen sættes på dagsordenen."]
}


@pytest.mark.parametrize(
    ("criteria", "purpose", "errors"),
    [
        *[
            ({**ALL_CRITERIA, name: False}, "Koordinere", CRITERIA_MISSING)
            for name in SHARE_CRITERIA
        ],
        (None, "Koordinere", CRITERIA_MISSING),
        (ALL_CRITERIA, "  ", {"purpose": ["Skriv formålet med at drøfte sagen."]}),
    ],
    ids=[*(f"without-{name}" for name in SHARE_CRITERIA), "no-criteria", "no-purpose"],
)
def test_a_case_needs_all_three_section_115_criteria_and_a_purpose(
    personas: Personas, criteria: dict | None, purpose: str, errors: dict
) -> None:
    meeting = _plan(personas.leader)
    case = _case("Demo-Mikkel Eksempelsen")
    events = case.events.count()

    with pytest.raises(ValidationError) as error:
        services.agenda_item_add(
            meeting=meeting,
            by=personas.leader,
            title="Mikkel",
            case=case,
            purpose=purpose,
            criteria=criteria,
        )

    assert error.value.message_dict == errors
    assert meeting.agenda_items.count() == 0
    assert case.events.count() == events


def test_a_case_the_user_may_not_see_cannot_go_on_the_agenda(personas: Personas) -> None:
    # Mikkel's case is handled by SSP-team Vestervang: police (a member) sees it, police2
    # (in SSP-team Nordvang) does not.
    meeting = _plan(personas.police2, "SSP-team Nordvang")
    case = _case("Demo-Mikkel Eksempelsen")
    events = case.events.count()

    with pytest.raises(ValidationError) as error:
        services.agenda_item_add(
            meeting=meeting,
            by=personas.police2,
            title="En ung",
            case=case,
            purpose="Koordinere",
            criteria=ALL_CRITERIA,
        )

    assert error.value.message_dict == {
        "case": ["Du kan ikke sætte en sag på, som du ikke selv har adgang til."]
    }
    assert meeting.agenda_items.count() == 0
    assert case.events.count() == events


def test_a_case_from_another_municipality_cannot_go_on_the_agenda(personas: Personas) -> None:
    # police2 sees Noah's case in Albertslund, but the meeting is Glostrup's.
    meeting = _plan(personas.police2, "SSP-team Nordvang")

    with pytest.raises(ValidationError) as error:
        services.agenda_item_add(
            meeting=meeting,
            by=personas.police2,
            title="Noah",
            case=_case("Demo-Noah Nulsen"),
            purpose="Koordinere",
            criteria=ALL_CRITERIA,
        )

    assert error.value.message_dict == {"case": ["Sagen hører til en anden kommune end organet."]}
    assert meeting.agenda_items.count() == 0


def test_a_consultant_puts_any_case_of_the_municipality_on_the_agenda_and_it_is_logged(
    personas: Personas,
) -> None:
    # Jonas's case is handled by the §115 group, not by SSP-team Vestervang.
    meeting = _plan(personas.leader, title="Teammøde")
    case = _case("Demo-Jonas Fiktivsen")

    item = services.agenda_item_add(
        meeting=meeting,
        by=personas.consultant,
        title="  Jonas  ",
        case=case,
        purpose="Aftale fælles indsats",
        criteria=ALL_CRITERIA,
    )

    item.refresh_from_db()
    assert (item.position, item.title, item.case_id, item.purpose) == (
        1,
        "Jonas",
        case.pk,
        "Aftale fælles indsats",
    )
    assert item.criteria_confirmed_by == personas.consultant
    assert item.criteria_confirmed_at is not None
    event = case.events.latest("at", "id")
    day = timezone.localtime(meeting.starts_at).date()
    assert (event.kind, event.actor, event.params) == (
        CaseEventKind.MEETING,
        personas.consultant,
        {"m": "meeting", "title": "Teammøde", "date": day.isoformat()},
    )
    assert event.message == f"Teammøde, {date_format(day, 'DATE_FORMAT')}"


def test_an_item_without_a_case_needs_no_criteria_and_writes_no_case_event(
    personas: Personas,
) -> None:
    meeting = _plan(personas.leader)
    events = CaseEvent.objects.count()

    item = services.agenda_item_add(meeting=meeting, by=personas.leader, title="Årshjulet")

    assert (item.position, item.case, item.criteria_confirmed_by) == (1, None, None)
    assert CaseEvent.objects.count() == events


def _agenda(meeting: Meeting) -> list[tuple[int, str]]:
    return list(meeting.agenda_items.order_by("position").values_list("position", "title"))


def _agenda_of_four(personas: Personas) -> tuple[Meeting, dict[str, AgendaItem]]:
    meeting = _plan(personas.leader)
    items = {
        title: services.agenda_item_add(meeting=meeting, by=personas.leader, title=title)
        for title in ("A", "B", "C", "D")
    }
    return meeting, items


def test_moving_an_item_swaps_it_with_its_neighbour(personas: Personas) -> None:
    meeting, items = _agenda_of_four(personas)

    services.agenda_item_move(item=items["C"], offset=-1)
    assert _agenda(meeting) == [(1, "A"), (2, "C"), (3, "B"), (4, "D")]

    services.agenda_item_move(item=items["A"], offset=1)
    assert _agenda(meeting) == [(1, "C"), (2, "A"), (3, "B"), (4, "D")]

    # Off either end nothing moves.
    services.agenda_item_move(item=AgendaItem.objects.get(pk=items["C"].pk), offset=-1)
    services.agenda_item_move(item=AgendaItem.objects.get(pk=items["D"].pk), offset=1)
    assert _agenda(meeting) == [(1, "C"), (2, "A"), (3, "B"), (4, "D")]


def test_removing_an_item_closes_the_gap(personas: Personas) -> None:
    meeting, items = _agenda_of_four(personas)

    services.agenda_item_remove(item=items["B"])
    assert _agenda(meeting) == [(1, "A"), (2, "C"), (3, "D")]

    services.agenda_item_remove(item=items["A"])
    added = services.agenda_item_add(meeting=meeting, by=personas.leader, title="E")
    assert added.position == 3
    assert _agenda(meeting) == [(1, "C"), (2, "D"), (3, "E")]


def test_the_agenda_of_a_cancelled_meeting_is_locked(personas: Personas) -> None:
    meeting, items = _agenda_of_four(personas)
    services.meeting_cancel(meeting=meeting, reason="Sygdom")
    item = AgendaItem.objects.select_related("meeting").get(pk=items["A"].pk)

    for change in (
        lambda: services.agenda_item_move(item=item, offset=1),
        lambda: services.agenda_item_remove(item=item),
        lambda: services.agenda_item_add(meeting=item.meeting, by=personas.leader, title="X"),
    ):
        with pytest.raises(ValidationError):
            change()
    assert _agenda(meeting) == [(1, "A"), (2, "B"), (3, "C"), (4, "D")]


# Recurring series ---------------------------------------------------------------------------


@pytest.fixture
def long_horizon(settings) -> None:  # type: ignore[no-untyped-def]
    """Series are generated this far ahead, far enough to reach the 2027 dates below."""
    settings.MEETING_SERIES_HORIZON_DAYS = 800


def _series(personas: Personas, first: date, last: date | None = None, **kwargs) -> MeetingSeries:
    return services.series_create(
        body=_body("Mandagsgruppen (§115)"),
        organiser=personas.consultant,
        title=kwargs.pop("title", "Mandagsmøde"),
        first_date=first,
        last_date=last,
        start_time=time(13),
        end_time=time(15),
        **kwargs,
    )


def _dates(series: MeetingSeries) -> list[date]:
    return list(series.meetings.order_by("series_date").values_list("series_date", flat=True))


def _next_monday(after_days: int = 1) -> date:
    day = timezone.localdate() + timedelta(days=after_days)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def test_a_weekly_monday_series_skips_easter_monday(personas: Personas, long_horizon: None) -> None:
    series = _series(personas, date(2027, 3, 15), date(2027, 4, 12))

    expected = [date(2027, 3, 15), date(2027, 3, 22), date(2027, 4, 5), date(2027, 4, 12)]
    assert services.series_dates(series, date(2027, 12, 31)) == expected
    assert _dates(series) == expected
    first = series.meetings.order_by("starts_at").first()
    assert timezone.localtime(first.starts_at) == datetime(2027, 3, 15, 13, tzinfo=COPENHAGEN)
    assert timezone.localtime(first.ends_at) == datetime(2027, 3, 15, 15, tzinfo=COPENHAGEN)
    assert {p.person.full_name for p in first.participants.all()} == {
        "Kirsten Kragh",
        "Peter Poulsen",
        "Sara Skov",
    }


def test_a_thursday_series_skips_ascension_day_unless_told_not_to(
    personas: Personas, long_horizon: None
) -> None:
    skipping = _series(personas, date(2027, 4, 22), date(2027, 5, 13), title="Torsdag")
    keeping = _series(
        personas, date(2027, 4, 22), date(2027, 5, 13), title="Torsdag", skip_holidays=False
    )

    assert _dates(skipping) == [date(2027, 4, 22), date(2027, 4, 29), date(2027, 5, 13)]
    assert _dates(keeping) == [
        date(2027, 4, 22),
        date(2027, 4, 29),
        date(2027, 5, 6),
        date(2027, 5, 13),
    ]


def test_a_fortnightly_series_counts_its_weeks_from_the_first_date(
    personas: Personas, long_horizon: None
) -> None:
    series = _series(personas, date(2027, 3, 15), date(2027, 4, 30), interval_weeks=2)

    # 29 March (Easter Monday) falls out; the rhythm is not shifted by it.
    assert _dates(series) == [date(2027, 3, 15), date(2027, 4, 12), date(2027, 4, 26)]


def test_a_series_of_only_holidays_is_refused_and_nothing_is_saved(
    personas: Personas, long_horizon: None
) -> None:
    before = (MeetingSeries.objects.count(), Meeting.objects.count())

    with pytest.raises(ValidationError) as error:
        _series(personas, date(2027, 3, 29), date(2027, 3, 29))

    assert error.value.message_dict == {
        "first_date": ["Serien giver ingen møder: alle datoer er helligdage."]
    }
    assert (MeetingSeries.objects.count(), Meeting.objects.count()) == before


def test_a_series_cannot_start_in_the_past_or_end_before_it_begins(personas: Personas) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        services.series_create(
            body=_body("Mandagsgruppen (§115)"),
            organiser=personas.consultant,
            title="Forkert",
            first_date=yesterday,
            last_date=yesterday - timedelta(days=7),
            start_time=time(15),
            end_time=time(13),
        )

    assert set(error.value.message_dict) == {"first_date", "last_date", "end_time"}
    assert MeetingSeries.objects.filter(title="Forkert").exists() is False


def test_a_new_series_is_announced_in_one_email_per_participant(
    personas: Personas, long_horizon: None, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        series = _series(personas, date(2027, 3, 15), date(2027, 4, 12))

    assert sorted(message.to[0] for message in mail.outbox) == [
        "konsulent@demo.ssp",
        "politi@demo.ssp",
        "social@demo.ssp",
    ]
    calendar = _calendars(mail.outbox[0])[0]
    assert calendar["METHOD"] == "PUBLISH"
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    assert uids == {f"{m.uid}@ssp-samarbejde" for m in series.meetings.all()}
    assert len(uids) == 4


def test_extending_a_series_adds_only_missing_dates_and_leaves_changed_ones_alone(
    personas: Personas, settings
) -> None:
    settings.MEETING_SERIES_HORIZON_DAYS = 30
    first = _next_monday()
    series = _series(personas, first)
    weeks = [first + timedelta(weeks=n) for n in range(10)]
    weeks = [d for d in weeks if d not in services.danish_holidays(weeks[0], weeks[-1])]
    made = _dates(series)
    assert made == [d for d in weeks if d <= services.series_horizon()]
    moved, cancelled = series.meetings.order_by("series_date")[:2]
    services.meeting_update(
        meeting=moved,
        title="Flyttet",
        starts_at=moved.starts_at + timedelta(days=1),
        ends_at=moved.ends_at + timedelta(days=1),
    )
    services.meeting_cancel(meeting=cancelled, reason="Ferie")

    again = services.series_extend(series)
    settings.MEETING_SERIES_HORIZON_DAYS = 60
    more = services.series_extend(series)

    assert again == []
    assert [m.series_date for m in more] == [d for d in weeks if d not in made][: len(more)]
    assert len(more) >= 4
    assert _dates(series) == made + [m.series_date for m in more]
    moved.refresh_from_db()
    cancelled.refresh_from_db()
    assert (moved.title, moved.series_date) == ("Flyttet", weeks[0])
    assert timezone.localdate(moved.starts_at) == weeks[0] + timedelta(days=1)
    assert cancelled.status == MeetingStatus.CANCELLED
    assert series.meetings.filter(series_date=weeks[0]).count() == 1
    assert series.meetings.filter(series_date=weeks[1]).count() == 1


def test_ending_a_series_cancels_the_later_occurrences_and_stops_it(
    personas: Personas, settings, django_capture_on_commit_callbacks
) -> None:
    settings.MEETING_SERIES_HORIZON_DAYS = 60
    first = _next_monday()
    series = _series(personas, first)
    total = series.meetings.count()

    with django_capture_on_commit_callbacks(execute=True):
        count = services.series_end(series=series, after=first + timedelta(weeks=1))

    status = dict(series.meetings.values_list("series_date", "status"))
    assert count == total - 2
    assert [day for day, s in sorted(status.items()) if s == MeetingStatus.PLANNED] == [
        first,
        first + timedelta(weeks=1),
    ]
    assert len(mail.outbox) == 3 * count
    assert {_calendars(m)[0]["METHOD"] for m in mail.outbox} == {"CANCEL"}
    series.refresh_from_db()
    assert series.last_date == first + timedelta(weeks=1)
    settings.MEETING_SERIES_HORIZON_DAYS = 120
    assert services.series_extend(series) == []


def test_the_nightly_task_extends_open_series_once(personas: Personas, settings) -> None:
    settings.MEETING_SERIES_HORIZON_DAYS = 21
    first = _next_monday()
    open_ended = _series(personas, first)
    ended = _series(personas, first, title="Afsluttet")
    services.series_end(series=ended, after=first)
    before_open, before_ended = open_ended.meetings.count(), ended.meetings.count()
    before_all = Meeting.objects.filter(series__isnull=False).count()
    settings.MEETING_SERIES_HORIZON_DAYS = 49

    created = tasks.extend_series()

    # The demo's series may grow too; ours grows by four weeks, the ended one not at all.
    assert created == Meeting.objects.filter(series__isnull=False).count() - before_all
    assert open_ended.meetings.count() - before_open >= 3
    assert ended.meetings.count() == before_ended
    assert tasks.extend_series() == 0
