"""School-year plans that fit the year as it is: a team that missed September plans what
remains of the school year from any day, with its share of the year's meetings; the planning
meeting lies anywhere in the school year but not in the past; and a laid plan is edited
afterwards, its meetings keeping their calendar UID with a higher SEQUENCE and the team told
in one email each.

Each test travels to a fixed day of a school year the demo has not planned (the one after
the current), so it reads the same whatever day the suite runs."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from forum.models import Body, Person
from meetings import services
from meetings.models import Meeting, MeetingKind, MeetingStatus, SchoolYearPlan, school_year_of
from prevention import services as prevention_services
from ssp.models import User
from tests.personas import Personas

pytestmark = pytest.mark.django_db

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
VESTERVANG = "SSP-team Vestervang"
# The team's members with a login or an address: each gets the plan's emails.
VESTERVANG_EMAILS = {
    "leder@demo.ssp",
    "konsulent@demo.ssp",
    "politi@demo.ssp",
    "social@demo.ssp",
    "klub@demo.ssp",
    "gitte.gram@demo.ssp",
}
FEED_URL = re.compile(r'value="http://testserver(/kalender/[^"]+\.ics)"')


def _year() -> int:
    """A school year the demo has not planned and whose days all lie ahead."""
    return school_year_of(timezone.localdate()) + 1


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=COPENHAGEN)


def _team() -> Body:
    return Body.objects.get(name=VESTERVANG, municipality__code="161")


def _lay_plan(leader: User, year: int, **kwargs) -> SchoolYearPlan:  # type: ignore[no-untyped-def]
    plan = {
        "title": "Teammøde",
        "first_date": date(year + 1, 1, 19),
        "last_date": date(year + 1, 6, 15),
        "interval_weeks": 5,
        "start_time": time(14),
        "end_time": time(15, 30),
        "location": "Lærerværelset",
        "activities": [
            services.NewActivity(
                kind="parent_meeting",
                title="Forældremøde om fester",
                planned_on=date(year + 1, 3, 2),
                grade="8. klasse",
            )
        ],
    } | kwargs
    return services.year_plan_create(body=_team(), by=leader, school_year=year, **plan)


# The rest of the year -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "day", "minimum"),
    [(8, 20, 4), (9, 28, 4), (12, 5, 3), (3, 1, 2), (5, 20, 1), (7, 10, 1)],
)
def test_a_plan_laid_later_in_the_year_needs_only_its_share_of_the_four_meetings(
    month: int, day: int, minimum: int
) -> None:
    year = 2026
    on = date(year if month >= 8 else year + 1, month, day)

    assert services.minimum_meetings(year, on) == minimum


def test_a_team_that_missed_september_plans_the_rest_of_the_year_in_january(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    year = _year()
    with time_machine.travel(_at(date(year + 1, 1, 12)), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            plan = _lay_plan(personas.leader, year)

        meetings = list(plan.series.meetings.order_by("starts_at"))
        assert plan.planning_meeting is None
        assert plan.school_year == year
        # Every five weeks from 19 January to 15 June: what remains of the year.
        assert [timezone.localdate(m.starts_at) for m in meetings] == [
            date(year + 1, 1, 19) + timedelta(weeks=5 * n) for n in range(len(meetings))
        ]
        assert len(meetings) >= services.minimum_meetings(year, date(year + 1, 1, 12)) == 3
        assert list(plan.activities.values_list("title", flat=True)) == ["Forældremøde om fester"]
    assert {message.to[0] for message in mail.outbox} == VESTERVANG_EMAILS
    assert mail.outbox[0].subject == "SSP-samarbejde: Nye møder: Teammøde"


def test_until_september_is_over_the_plan_waits_for_the_planning_meeting(
    personas: Personas,
) -> None:
    year = _year()
    with (
        time_machine.travel(_at(date(year, 8, 20)), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        _lay_plan(personas.leader, year, first_date=date(year, 10, 5))

    label = f"{year}/{str(year + 1)[-2:]}"
    assert error.value.messages == [f"Planlæg septembermødet for {label}, før årets plan lægges."]
    assert not SchoolYearPlan.objects.filter(body=_team(), school_year=year).exists()


def test_a_mid_year_plan_with_too_few_meetings_says_how_many_the_rest_of_the_year_needs(
    personas: Personas,
) -> None:
    year = _year()
    with (
        time_machine.travel(_at(date(year + 1, 1, 12)), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        _lay_plan(personas.leader, year, interval_weeks=13)

    assert error.value.message_dict == {
        "interval_weeks": [
            "Planen giver kun 2 møder; resten af skoleåret skal give mindst 3. Vælg et kortere "
            "interval eller en senere sidste dato."
        ]
    }
    assert not Meeting.objects.filter(body=_team(), title="Teammøde").exists()


def test_dates_outside_the_school_year_or_in_the_past_are_refused_with_clear_messages(
    personas: Personas,
) -> None:
    year = _year()
    label = f"{year}/{str(year + 1)[-2:]}"
    span = f"1. august {year}–31. juli {year + 1}"
    with time_machine.travel(_at(date(year + 1, 1, 12)), tick=False):
        with pytest.raises(ValidationError) as error:
            _lay_plan(
                personas.leader,
                year,
                last_date=date(year + 1, 8, 20),
                activities=[
                    services.NewActivity(
                        kind="theme_day", title="Temadag", planned_on=date(year, 11, 3)
                    )
                ],
            )
        assert error.value.message_dict == {
            "last_date": [f"Datoen skal ligge i skoleåret {label} ({span})."],
            "activities": [
                "Disse aktiviteter ligger før i dag: Temadag. Planen dækker resten af skoleåret."
            ],
        }
        with pytest.raises(ValidationError) as error:
            _lay_plan(personas.leader, year, first_date=date(year + 1, 1, 5))
        assert error.value.message_dict == {"first_date": ["Serien kan ikke begynde i fortiden."]}

    with time_machine.travel(_at(date(year + 1, 8, 3)), tick=False):
        with pytest.raises(ValidationError) as error:
            _lay_plan(personas.leader, year)
        assert error.value.messages == [f"Skoleåret {label} er slut."]
    assert not SchoolYearPlan.objects.filter(body=_team(), school_year=year).exists()


def test_a_planning_meeting_may_lie_on_any_later_day_of_the_school_year(
    personas: Personas,
) -> None:
    year = _year()
    label = f"{year}/{str(year + 1)[-2:]}"

    def schedule(day: date) -> Meeting:
        return services.planning_meeting_schedule(
            body=_team(),
            organiser=personas.leader,
            title="Planlægningsmøde",
            starts_at=_at(day, 14),
            ends_at=_at(day, 16),
            school_year=year,
        )

    with time_machine.travel(_at(date(year, 10, 14)), tick=False):
        with pytest.raises(ValidationError) as error:
            schedule(date(year, 9, 22))
        assert error.value.message_dict == {"starts_at": ["Mødet kan ikke ligge i fortiden."]}
        with pytest.raises(ValidationError) as error:
            schedule(date(year + 1, 8, 11))
        assert error.value.message_dict == {
            "starts_at": [
                f"Datoen skal ligge i skoleåret {label} (1. august {year}–31. juli {year + 1})."
            ]
        }

        meeting = schedule(date(year, 10, 27))
        plan = _lay_plan(personas.leader, year, first_date=date(year, 11, 10))

    assert meeting.kind == MeetingKind.PLANNING
    assert plan.planning_meeting == meeting


# Editing a laid plan ------------------------------------------------------------------------


def _calendar(message: mail.EmailMultiAlternatives) -> Calendar:
    (content, mimetype), *_ = message.alternatives
    assert mimetype.startswith("text/calendar"), mimetype
    return Calendar.from_ical(content)


def _edit(plan: SchoolYearPlan, by: User, **kwargs) -> services.PlanChanges:  # type: ignore[no-untyped-def]
    series = plan.series
    series.refresh_from_db()
    data = {
        "title": series.title,
        "next_date": services.next_series_date(plan),
        "last_date": series.last_date,
        "interval_weeks": series.interval_weeks,
        "start_time": series.start_time,
        "end_time": series.end_time,
        "location": series.location,
    } | kwargs
    return services.year_plan_meetings_update(plan=plan, by=by, **data)


def _feed_events(client: Client, user: User) -> dict[str, object]:
    client.force_login(user)
    response = client.post("/kalender/", {"action": "create"})
    (path,) = FEED_URL.findall(response.content.decode())
    client.logout()
    feed = client.get(path)
    assert feed.status_code == 200
    return {str(e["UID"]): e for e in Calendar.from_ical(feed.content).walk("VEVENT")}


def test_an_edited_plan_keeps_its_meetings_uids_raises_their_sequence_and_tells_the_team_once(
    personas: Personas, client: Client, django_capture_on_commit_callbacks
) -> None:
    year = _year()
    with time_machine.travel(_at(date(year + 1, 1, 12)), tick=True):
        plan = _lay_plan(personas.leader, year)
        before = {m.pk: (m.uid, m.sequence) for m in plan.series.meetings.all()}
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            changes = _edit(
                plan, personas.leader, start_time=time(15), end_time=time(16, 30), location="Aulaen"
            )

        meetings = list(plan.series.meetings.order_by("starts_at"))
        assert {m.pk for m in changes.changed} == set(before) == {m.pk for m in meetings}
        assert changes.added == changes.cancelled == []
        for meeting in meetings:
            assert (meeting.uid, meeting.sequence) == (before[meeting.pk][0], 1)
            assert timezone.localtime(meeting.starts_at).time() == time(15)
            assert meeting.location == "Aulaen"
        # One email per participant, not one per meeting; it names no case, only the plan.
        assert sorted(message.to[0] for message in mail.outbox) == sorted(VESTERVANG_EMAILS)
        message = mail.outbox[0]
        assert (
            message.subject
            == f"SSP-samarbejde: Årsplanen er ændret: {VESTERVANG} {year}/" + (str(year + 1)[-2:])
        )
        assert f"/moeder/organ/{plan.body_id}/aarsplan/?aar={year}" in message.body
        calendar = _calendar(message)
        assert calendar["METHOD"] == "PUBLISH"
        sent = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
        assert set(sent) == {f"{uid}@ssp-samarbejde" for uid, _seq in before.values()}
        assert {e["SEQUENCE"] for e in sent.values()} == {1}

        # The leader's calendar feed: the same events, updated in place.
        feed = _feed_events(client, personas.leader)
        for meeting in meetings:
            event = feed[f"{meeting.uid}@ssp-samarbejde"]
            assert event["SEQUENCE"] == 1
            assert event.decoded("DTSTART") == meeting.starts_at
        plan.refresh_from_db()
        assert (plan.changed_by, plan.changed_at is not None) == (personas.leader, True)


def test_a_new_rhythm_cancels_the_dates_it_drops_adds_those_it_gains_and_leaves_held_ones(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    year = _year()
    with time_machine.travel(_at(date(year + 1, 1, 12)), tick=True):
        plan = _lay_plan(personas.leader, year)
    first, *later = list(plan.series.meetings.order_by("starts_at"))

    # A week after the first meeting was held, the team meets every third week to 30 June.
    with time_machine.travel(_at(date(year + 1, 1, 26)), tick=True):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            changes = _edit(
                plan,
                personas.leader,
                next_date=date(year + 1, 2, 2),
                interval_weeks=3,
                last_date=date(year + 1, 6, 30),
            )

    first.refresh_from_db()
    assert (first.status, first.sequence) == (MeetingStatus.PLANNED, 0)
    rhythm = [date(year + 1, 2, 2) + timedelta(weeks=3 * n) for n in range(10)]
    closed = services.danish_holidays(rhythm[0], rhythm[-1])
    rhythm = [d for d in rhythm if d <= date(year + 1, 6, 30) and d not in closed]
    # Dates both rhythms share stay as they were; the others are cancelled or added.
    stays = [m for m in later if m.series_date in rhythm]
    assert {m.pk for m in changes.cancelled} == {m.pk for m in later if m not in stays}
    assert changes.changed == []
    assert stays, "the old and the new rhythm share no date; the test needs one"
    for meeting in stays:
        meeting.refresh_from_db()
        assert (meeting.status, meeting.sequence) == (MeetingStatus.PLANNED, 0)
    for meeting in changes.cancelled:
        assert (meeting.status, meeting.sequence) == (MeetingStatus.CANCELLED, 1)
    added = sorted(m.series_date for m in changes.added)
    assert added == [d for d in rhythm if d not in {m.series_date for m in stays}]
    planned = plan.series.meetings.filter(status=MeetingStatus.PLANNED)
    assert sorted(planned.values_list("series_date", flat=True)) == [first.series_date, *rhythm]
    kinds = {str(e["STATUS"]) for message in mail.outbox for e in _calendar(message).walk("VEVENT")}
    assert kinds == {"CONFIRMED", "CANCELLED"}
    assert len(mail.outbox) == len(VESTERVANG_EMAILS)


def test_an_edit_that_changes_nothing_mails_no_one(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    year = _year()
    with time_machine.travel(_at(date(year + 1, 1, 12)), tick=True):
        plan = _lay_plan(personas.leader, year)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            changes = _edit(plan, personas.leader)

    assert not changes
    assert mail.outbox == []
    assert set(plan.series.meetings.values_list("sequence", flat=True)) == {0}


def test_an_edit_refuses_a_next_meeting_in_the_past_or_after_the_school_year(
    personas: Personas,
) -> None:
    year = _year()
    with time_machine.travel(_at(date(year + 1, 1, 12)), tick=True):
        plan = _lay_plan(personas.leader, year)
        with pytest.raises(ValidationError) as error:
            _edit(plan, personas.leader, next_date=date(year + 1, 1, 5))
        assert error.value.message_dict == {
            "next_date": ["Det næste møde kan ikke ligge i fortiden."]
        }
        with pytest.raises(ValidationError) as error:
            _edit(plan, personas.leader, last_date=date(year + 1, 8, 4))
        assert error.value.message_dict == {
            "last_date": [
                f"Datoen skal ligge i skoleåret {year}/{str(year + 1)[-2:]} "
                f"(1. august {year}–31. juli {year + 1})."
            ]
        }
    assert set(plan.series.meetings.values_list("sequence", flat=True)) == {0}


def test_the_responsible_for_an_activity_must_belong_to_the_schools_municipality(
    personas: Personas,
) -> None:
    year = _year()
    stranger = Person.objects.exclude(municipality__code="161").first()
    with (
        time_machine.travel(_at(date(year + 1, 1, 12)), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        _lay_plan(
            personas.leader,
            year,
            activities=[
                services.NewActivity(
                    kind="teaching",
                    title="Digital dannelse",
                    planned_on=date(year + 1, 2, 10),
                    responsible=stranger,
                )
            ],
        )
    assert error.value.message_dict == {
        "activities": ["Den ansvarlige skal høre til skolens kommune."]
    }


# The year wheel's activities: dates and who is responsible ---------------------------------


def test_moving_an_activity_and_changing_its_responsible_tells_the_team_with_a_link_only(
    personas: Personas, client: Client, django_capture_on_commit_callbacks
) -> None:
    year = _year()
    with time_machine.travel(_at(date(year + 1, 1, 12)), tick=True):
        plan = _lay_plan(personas.leader, year)
        (activity,) = prevention_services.coming_activities(plan)
        lars = Person.objects.get(full_name="Lars Lund", municipality__code="161")
        mail.outbox.clear()
        client.force_login(personas.leader)
        url = f"/forebyggelse/organ/{plan.body_id}/aarsplan/{year}/aktiviteter/"

        refused = client.post(
            url,
            {f"planned_on_{activity.pk}": f"{year + 1}-01-05", f"responsible_{activity.pk}": ""},
        )
        with django_capture_on_commit_callbacks(execute=True):
            saved = client.post(
                url,
                {
                    f"planned_on_{activity.pk}": f"{year + 1}-03-16",
                    f"responsible_{activity.pk}": str(lars.pk),
                },
            )

    assert refused.status_code == 422
    assert "En aktivitet kan ikke flyttes til fortiden." in refused.content.decode()
    assert saved.status_code == 302
    activity.refresh_from_db()
    assert (activity.planned_on, activity.responsible) == (date(year + 1, 3, 16), lars)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(VESTERVANG_EMAILS)
    message = mail.outbox[0]
    assert message.subject.startswith("SSP-samarbejde: Årshjulet er ændret: SSP-team Vestervang")
    assert f"/moeder/organ/{plan.body_id}/aarsplan/?aar={year}" in message.body
    # A link, not the wheel's content.
    assert "Forældremøde om fester" not in message.body
    assert "Lars Lund" not in message.body
    assert message.alternatives == []


def test_an_activity_of_another_plan_cannot_be_changed_through_this_one(
    personas: Personas,
) -> None:
    year = _year()
    other = SchoolYearPlan.objects.get(body__name="SSP-team Nordvang")
    foreign = other.activities.filter(done_at__isnull=True).first() or other.activities.first()
    with time_machine.travel(_at(date(year + 1, 1, 12)), tick=True):
        plan = _lay_plan(personas.leader, year)
        with pytest.raises(ValidationError) as error:
            prevention_services.year_plan_activities_update(
                plan=plan,
                by=personas.leader,
                changes=[prevention_services.ActivityPlanning(foreign, date(year + 1, 2, 1), None)],
            )
    assert error.value.messages == ["Aktiviteten hører ikke til planen eller er gennemført."]
