"""Reminders in-process, with time travel: scheduling from meetings and their changes, quiet
hours and the daily digest, claiming and sending once, and the daily case-work and
yearly-cycle reminders (which never name a young person)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from dateutil.easter import easter
from django.core import mail
from django.utils import timezone

from cases import services as case_services
from cases.models import Action, Case
from cases.reminders import ACTION_TYPE, CASE_TYPE, CaseReminderKind
from forum import services as forum_services
from forum.models import Body, Membership, MembershipRole, Person
from meetings import reminders, services
from meetings.models import Meeting, MeetingKind, ReminderKind, school_year_of
from ssp.models import Reminder, ReminderSettings, ReminderStatus, User
from ssp.notify.reminders import (
    SEND_BATCH,
    claim_due,
    schedule,
    schedule_daily,
    send,
    send_time,
    settings_update,
)
from tests.mail import outbox_delivered
from tests.personas import Personas
from tests.reminder_helpers import assert_no_young_person_named, daily, send_all

pytestmark = pytest.mark.django_db

VESTERVANG = "SSP-team Vestervang"
DAY = 24 * 60
# Everyone in SSP-team Vestervang with a login (Gitte Gram has none).
VESTERVANG_LOGINS = {
    "leder@demo.ssp",
    "konsulent@demo.ssp",
    "politi@demo.ssp",
    "social@demo.ssp",
    "klub@demo.ssp",
}


@pytest.fixture
def steady_clock() -> Iterator[None]:
    """Noon on 10 January next year: the next two weeks hold no daylight-saving change, so
    "two days before" is the same wall-clock time (the code subtracts in UTC)."""
    noon = _local(date(timezone.localdate().year + 1, 1, 10), 12)
    with time_machine.travel(noon, tick=False):
        yield


steady = pytest.mark.usefixtures("steady_clock")


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def _body(name: str, municipality: str = "161") -> Body:
    return Body.objects.get(name=name, municipality__code=municipality)


def _person(name: str) -> Person:
    return Person.objects.get(full_name=name, municipality__code="161")


def _plan(organiser: User, starts_at: datetime, body: str = VESTERVANG) -> Meeting:
    return services.meeting_create(
        body=_body(body),
        organiser=organiser,
        title="Teammøde om reminders",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        notify=False,
    )


def _rows(meeting: Meeting, **filters) -> set[tuple[str, str, datetime]]:
    """(kind, recipient email, send time) of the meeting's reminders."""
    return {
        (r.kind, r.recipient.email, timezone.localtime(r.send_at))
        for r in Reminder.objects.filter(
            object_type=reminders.MEETING_TYPE, object_id=meeting.pk, **filters
        ).select_related("recipient")
    }


def _due(meeting: Meeting, email: str) -> set[datetime]:
    return {
        timezone.localtime(r.due_at)
        for r in Reminder.objects.filter(
            object_type=reminders.MEETING_TYPE,
            object_id=meeting.pk,
            recipient__email=email,
            kind=ReminderKind.MEETING,
        )
    }


def _prefs(user: User, **changes) -> ReminderSettings:
    values = {
        "meeting_offsets": [2 * DAY, 120],
        "quiet_from": time(18),
        "quiet_until": time(7),
        "daily_digest": False,
        **changes,
    }
    return settings_update(user=user, **values)


def _expected_defaults(
    starts_at: datetime, organiser: str, minutes_due: date
) -> set[tuple[str, str, datetime]]:
    """Two reminders for each participant, the agenda deadline two days before, and the
    minutes-overdue reminder on `minutes_due` (two working days after) at 08:00."""
    two_days = timezone.localtime(starts_at - timedelta(days=2))
    two_hours = timezone.localtime(starts_at - timedelta(hours=2))
    deadline = _local(timezone.localdate(starts_at) - timedelta(days=2), 8)
    return {
        (ReminderKind.MEETING, email, at)
        for email in VESTERVANG_LOGINS
        for at in (two_days, two_hours)
    } | {
        (ReminderKind.AGENDA_DEADLINE, organiser, deadline),
        (ReminderKind.MINUTES_OVERDUE, organiser, _local(minutes_due, 8)),
    }


# Scheduling ----------------------------------------------------------------------------------


@steady
def test_new_meeting_reminds_every_participant_with_a_login_and_the_organiser(
    personas: Personas,
) -> None:
    # 10 January (a Sunday) + 10 days: Wednesday 20 January; minutes due Friday 22 January.
    starts_at = _local(_in_days(10), 10)

    meeting = _plan(personas.leader, starts_at)

    assert starts_at.weekday() == 2
    assert _rows(meeting) == _expected_defaults(starts_at, "leder@demo.ssp", _in_days(12))
    assert set(Reminder.objects.filter(object_id=meeting.pk).values_list("status", flat=True)) == {
        ReminderStatus.PENDING
    }


@steady
def test_participant_who_declines_loses_their_reminders(personas: Personas) -> None:
    meeting = _plan(personas.leader, _local(_in_days(10), 10))

    services.rsvp_set(meeting=meeting, user=personas.police, answer="no")

    recipients = {email for _kind, email, _at in _rows(meeting)}
    assert recipients == VESTERVANG_LOGINS - {"politi@demo.ssp"}
    services.rsvp_set(meeting=meeting, user=personas.police, answer="yes")
    assert {email for _kind, email, _at in _rows(meeting)} == VESTERVANG_LOGINS


@steady
def test_moving_a_meeting_replaces_its_pending_reminders(personas: Personas) -> None:
    meeting = _plan(personas.leader, _local(_in_days(10), 10))
    moved_to = _local(_in_days(12), 13)

    services.meeting_update(
        meeting=meeting,
        title=meeting.title,
        starts_at=moved_to,
        ends_at=moved_to + timedelta(hours=1),
    )

    # Moved to Friday 22 January: the minutes are due after the weekend, on Tuesday.
    assert moved_to.weekday() == 4
    assert _rows(meeting) == _expected_defaults(moved_to, "leder@demo.ssp", _in_days(16))


@steady
def test_cancelling_a_meeting_removes_its_pending_reminders(personas: Personas) -> None:
    meeting = _plan(personas.leader, _local(_in_days(10), 10))

    services.meeting_cancel(meeting=meeting, reason="Sygdom")

    assert _rows(meeting) == set()


@steady
def test_scheduling_twice_creates_no_duplicates(personas: Personas) -> None:
    meeting = _plan(personas.leader, _local(_in_days(10), 10))
    before = Reminder.objects.count()

    reminders.sync_meeting(meeting)
    offered = schedule(reminders.meeting_reminders(meeting))

    # 5 participants × 2, the agenda deadline and the minutes-overdue reminder.
    assert offered == 12
    assert Reminder.objects.count() == before


def _minutes_overdue(meeting: Meeting) -> set[tuple[str, datetime]]:
    return {
        (email, timezone.localtime(at))
        for email, at in Reminder.objects.filter(
            object_type=reminders.MEETING_TYPE,
            object_id=meeting.pk,
            kind=ReminderKind.MINUTES_OVERDUE,
        ).values_list("recipient__email", "due_at")
    }


@steady
def test_minutes_of_a_friday_meeting_are_due_on_tuesday_morning(personas: Personas) -> None:
    friday = _in_days(12)
    assert friday.weekday() == 4

    meeting = _plan(personas.consultant, _local(friday, 14))

    assert _minutes_overdue(meeting) == {
        ("konsulent@demo.ssp", _local(friday + timedelta(days=4), 8))
    }


def test_minutes_due_skip_the_easter_holidays(personas: Personas) -> None:
    year = timezone.localdate().year + 1
    wednesday_before_easter = easter(year) - timedelta(days=4)
    assert wednesday_before_easter.weekday() == 2

    with time_machine.travel(_local(date(year, 1, 10), 12), tick=False):
        meeting = _plan(personas.leader, _local(wednesday_before_easter, 10))

    # Maundy Thursday, Good Friday, the weekend and Easter Monday are closed: Tuesday is the
    # first working day, Wednesday the second.
    assert _minutes_overdue(meeting) == {
        ("leder@demo.ssp", _local(easter(year) + timedelta(days=3), 8))
    }


@steady
def test_minutes_overdue_reminder_moves_with_the_meeting_and_goes_when_cancelled(
    personas: Personas,
) -> None:
    wednesday, thursday = _in_days(10), _in_days(11)
    meeting = _plan(personas.leader, _local(wednesday, 10))

    services.meeting_update(
        meeting=meeting,
        title=meeting.title,
        starts_at=_local(thursday, 10),
        ends_at=_local(thursday, 11),
    )

    # Thursday's meeting: Friday is the first working day, Monday the second.
    assert _minutes_overdue(meeting) == {("leder@demo.ssp", _local(_in_days(15), 8))}
    assert _in_days(15).weekday() == 0
    services.meeting_cancel(meeting=meeting, reason="Sygdom")
    assert _minutes_overdue(meeting) == set()


@steady
def test_personal_meeting_offsets_are_honoured(personas: Personas) -> None:
    _prefs(personas.social, meeting_offsets=[DAY, 30])
    starts_at = _local(_in_days(10), 14)

    meeting = _plan(personas.leader, starts_at)

    assert _due(meeting, "social@demo.ssp") == {
        _local(_in_days(9), 14),
        _local(_in_days(10), 13, 30),
    }
    assert _due(meeting, "klub@demo.ssp") == {
        _local(_in_days(8), 14),
        _local(_in_days(10), 12),
    }


@steady
def test_changing_offsets_replans_waiting_reminders(personas: Personas) -> None:
    meeting = _plan(personas.leader, _local(_in_days(10), 14))

    _prefs(personas.social, meeting_offsets=[3 * DAY])

    assert _due(meeting, "social@demo.ssp") == {_local(_in_days(7), 14)}


# Quiet hours and the daily digest ------------------------------------------------------------


def _send_times(meeting: Meeting, email: str) -> dict[datetime, datetime]:
    """due time -> send time of one person's meeting reminders."""
    return {
        timezone.localtime(r.due_at): timezone.localtime(r.send_at)
        for r in Reminder.objects.filter(
            object_type=reminders.MEETING_TYPE,
            object_id=meeting.pk,
            recipient__email=email,
            kind=ReminderKind.MEETING,
        )
    }


@steady
def test_reminder_due_in_the_evening_waits_until_seven_next_morning(personas: Personas) -> None:
    # 2 days before 22:30 falls in quiet hours; 07:00 the next day is still before the meeting.
    # 2 hours before is 20:30, and 07:00 would be after the meeting: it goes at 20:30.
    meeting = _plan(personas.leader, _local(_in_days(10), 22, 30))

    assert _send_times(meeting, "klub@demo.ssp") == {
        _local(_in_days(8), 22, 30): _local(_in_days(9), 7),
        _local(_in_days(10), 20, 30): _local(_in_days(10), 20, 30),
    }


@steady
def test_reminder_due_early_morning_waits_until_seven_the_same_day(personas: Personas) -> None:
    meeting = _plan(personas.leader, _local(_in_days(10), 8, 30))

    assert _send_times(meeting, "klub@demo.ssp") == {
        _local(_in_days(8), 8, 30): _local(_in_days(8), 8, 30),
        _local(_in_days(10), 6, 30): _local(_in_days(10), 7),
    }


@steady
def test_reminder_is_never_held_past_the_meeting_start(personas: Personas) -> None:
    # A meeting at 07:30: its 2-hour reminder (05:30) may wait until 07:00, still before the
    # start. A meeting at 06:45: its 2-hour reminder (04:45) would wait past the start, so it
    # goes at its due time.
    at_half_past_seven = _plan(personas.leader, _local(_in_days(10), 7, 30))
    at_quarter_to_seven = _plan(personas.leader, _local(_in_days(11), 6, 45))

    assert _send_times(at_half_past_seven, "klub@demo.ssp")[_local(_in_days(10), 5, 30)] == _local(
        _in_days(10), 7
    )
    assert _send_times(at_quarter_to_seven, "klub@demo.ssp")[_local(_in_days(11), 4, 45)] == _local(
        _in_days(11), 4, 45
    )


@steady
def test_custom_quiet_window_at_lunch(personas: Personas) -> None:
    _prefs(personas.club, quiet_from=time(12), quiet_until=time(13))

    meeting = _plan(personas.leader, _local(_in_days(10), 14, 30))

    assert _send_times(meeting, "klub@demo.ssp") == {
        _local(_in_days(8), 14, 30): _local(_in_days(8), 14, 30),
        _local(_in_days(10), 12, 30): _local(_in_days(10), 13),
    }
    # Evenings are no longer quiet for this user.
    evening = _plan(personas.leader, _local(_in_days(11), 21))
    assert _send_times(evening, "klub@demo.ssp")[_local(_in_days(9), 21)] == _local(_in_days(9), 21)


@steady
def test_quiet_hours_rule_itself() -> None:
    prefs = ReminderSettings()
    day = _in_days(3)

    assert send_time(_local(day, 22), prefs) == _local(day + timedelta(days=1), 7)
    assert send_time(_local(day, 6, 30), prefs) == _local(day, 7)
    assert send_time(_local(day, 7), prefs) == _local(day, 7)
    assert send_time(_local(day, 17, 59), prefs) == _local(day, 17, 59)
    assert send_time(_local(day, 18), prefs) == _local(day + timedelta(days=1), 7)
    no_quiet = ReminderSettings(quiet_from=time(0), quiet_until=time(0))
    assert send_time(_local(day, 3), no_quiet) == _local(day, 3)


@steady
def test_digest_reader_gets_reminders_at_quiet_until(personas: Personas) -> None:
    _prefs(personas.club, daily_digest=True, quiet_until=time(6, 30))

    meeting = _plan(personas.leader, _local(_in_days(10), 10))

    assert _send_times(meeting, "klub@demo.ssp") == {
        # Held until the next morning's digest.
        _local(_in_days(8), 10): _local(_in_days(9), 6, 30),
        # The next digest would come after the meeting: sent at its due time.
        _local(_in_days(10), 8): _local(_in_days(10), 8),
    }


@steady
def test_digest_reader_gets_one_email_listing_each_reminder(personas: Personas) -> None:
    _prefs(personas.leader, daily_digest=True)
    meeting = _plan(personas.leader, _local(_in_days(10), 10))
    leader_rows = Reminder.objects.filter(
        object_id=meeting.pk, recipient=personas.leader, send_at=_local(_in_days(9), 7)
    )
    # The agenda deadline (day -2 at 08:00) and the 2-day reminder (day -2 at 10:00).
    assert set(leader_rows.values_list("kind", flat=True)) == {
        ReminderKind.AGENDA_DEADLINE,
        ReminderKind.MEETING,
    }

    at = _local(_in_days(9), 7, 1)
    # All of the leader's waiting reminders were re-planned for the digest, demo ones included.
    leader_due = set(
        Reminder.objects.filter(
            recipient=personas.leader, status=ReminderStatus.PENDING, send_at__lte=at
        ).values_list("pk", flat=True)
    )
    assert set(leader_rows.values_list("pk", flat=True)) <= leader_due

    with time_machine.travel(at, tick=False):
        batches = claim_due()
        leader_batches = [b for b in batches if set(b) & leader_due]
        assert len(leader_batches) == 1
        assert leader_due <= set(leader_batches[0])

        with outbox_delivered():
            send(leader_batches[0])

    to_leader = [m for m in mail.outbox if m.to == ["leder@demo.ssp"]]
    assert len(to_leader) == 1
    message = to_leader[0]
    assert message.subject == f"SSP-samarbejde: Dine påmindelser ({len(leader_due)})"
    assert "Send dagsordenen til »Teammøde om reminders«" in message.body
    assert "»Teammøde om reminders« (SSP-team Vestervang) begynder" in message.body
    assert message.body.count(f"http://localhost:8000/moeder/{meeting.pk}/\n") == 2


# Dispatch and sending ------------------------------------------------------------------------


def _meeting_reminders(meeting: Meeting):
    return Reminder.objects.filter(object_type=reminders.MEETING_TYPE, object_id=meeting.pk)


def _claimed_of(meeting: Meeting, batches: list[list[int]]) -> set[int]:
    mine = set(_meeting_reminders(meeting).values_list("pk", flat=True))
    return {pk for batch in batches for pk in batch} & mine


@steady
def test_claim_due_takes_due_rows_once(personas: Personas) -> None:
    meeting = _plan(personas.leader, _local(_in_days(10), 10))
    # Due by 10:00 two days before: the 2-day reminders and the agenda deadline (08:00).
    two_days_before = _meeting_reminders(meeting).filter(send_at__lte=_local(_in_days(8), 10))
    later = _meeting_reminders(meeting).exclude(pk__in=two_days_before)

    with time_machine.travel(_local(_in_days(8), 10), tick=False):
        first = claim_due()
        second = claim_due()

    assert _claimed_of(meeting, first) == set(two_days_before.values_list("pk", flat=True))
    assert len(_claimed_of(meeting, first)) == 6
    assert max(len(batch) for batch in first) <= SEND_BATCH
    assert _claimed_of(meeting, second) == set()
    assert set(two_days_before.values_list("status", flat=True)) == {ReminderStatus.QUEUED}
    assert set(later.values_list("status", flat=True)) == {ReminderStatus.PENDING}


@steady
def test_send_sends_one_email_per_batch_and_only_once(personas: Personas) -> None:
    meeting = _plan(personas.leader, _local(_in_days(10), 10))
    with time_machine.travel(_local(_in_days(8), 10, 1), tick=False):
        batches = [[pk] for pk in _claimed_of(meeting, claim_due())]

        with outbox_delivered():
            assert sum(send(batch) for batch in batches) == 6
            assert sum(send(batch) for batch in batches) == 0

    assert len(mail.outbox) == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted([*VESTERVANG_LOGINS, "leder@demo.ssp"])
    assert sorted(m.subject for m in mail.outbox) == [
        "SSP-samarbejde: Frist for dagsorden",
        *["SSP-samarbejde: Mødepåmindelse"] * 5,
    ]
    sent = _meeting_reminders(meeting).filter(pk__in=[b[0] for b in batches])
    assert set(sent.values_list("status", flat=True)) == {ReminderStatus.SENT}
    assert all(r.sent_at is not None for r in sent)


@steady
def test_rows_queued_too_long_are_claimed_again(personas: Personas, settings) -> None:
    settings.REMINDER_REQUEUE_AFTER_SECONDS = 120
    meeting = _plan(personas.leader, _local(_in_days(10), 10))
    claimed_at = _local(_in_days(8), 10)
    with time_machine.travel(claimed_at, tick=False):
        first = _claimed_of(meeting, claim_due())

    with time_machine.travel(claimed_at + timedelta(seconds=119), tick=False):
        assert _claimed_of(meeting, claim_due()) == set()
    with time_machine.travel(claimed_at + timedelta(seconds=121), tick=False):
        again = _claimed_of(meeting, claim_due())

    assert len(first) == 6
    assert again == first


@steady
def test_reminder_of_a_meeting_cancelled_after_queueing_is_not_sent(personas: Personas) -> None:
    meeting = _plan(personas.leader, _local(_in_days(10), 10))
    with time_machine.travel(_local(_in_days(8), 10, 1), tick=False):
        claimed = _claimed_of(meeting, claim_due())
        services.meeting_cancel(meeting=meeting, reason="Sygdom")
        mail.outbox.clear()

        with outbox_delivered():
            assert send(sorted(claimed)) == 0

    assert mail.outbox == []
    assert set(
        _meeting_reminders(meeting).filter(pk__in=claimed).values_list("status", flat=True)
    ) == {ReminderStatus.CANCELLED}
    # The pending ones were removed when the meeting was cancelled.
    assert _meeting_reminders(meeting).count() == 6


@steady
def test_deactivated_recipient_gets_nothing(personas: Personas) -> None:
    meeting = _plan(personas.leader, _local(_in_days(10), 10))
    club_row = _meeting_reminders(meeting).get(
        recipient=personas.club, due_at=_local(_in_days(8), 10)
    )
    with time_machine.travel(_local(_in_days(8), 10, 1), tick=False):
        claimed = _claimed_of(meeting, claim_due())
        personas.club.is_active = False
        personas.club.save(update_fields=["is_active"])

        with outbox_delivered():
            assert send(sorted(claimed)) == 5

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [*VESTERVANG_LOGINS - {"klub@demo.ssp"}, "leder@demo.ssp"]
    )
    club_row.refresh_from_db()
    assert club_row.status == ReminderStatus.CANCELLED


# Daily scheduling: case work and the yearly cycle --------------------------------------------


def _case(young_person: str) -> Case:
    return Case.objects.get(young_person__full_name=young_person)


@pytest.fixture
def demo_actions_done(personas: Personas) -> None:
    """The demo's own open actions (one overdue) are done, so a test sees only its own."""
    for action in Action.objects.filter(done_on__isnull=True):
        case_services.action_complete(action=action, by=personas.consultant)


def test_action_due_tomorrow_reminds_the_responsible_person(
    personas: Personas, demo_actions_done: None
) -> None:
    today = timezone.localdate()
    case = _case("Demo-Mikkel Eksempelsen")
    action = case_services.action_add(
        case=case,
        by=personas.consultant,
        title="Samtale med Mikkel og forældrene",
        responsible=_person("Sara Skov"),
        due_on=today + timedelta(days=1),
    )
    case_services.action_add(
        case=case, by=personas.consultant, title="Senere", due_on=today + timedelta(days=5)
    )

    schedule_daily(today)

    assert daily(ACTION_TYPE) == {(CaseReminderKind.ACTION_DUE, action.pk, "social@demo.ssp")}
    messages = send_all(Reminder.objects.filter(object_type=ACTION_TYPE))
    assert [m.to for m in messages] == [["social@demo.ssp"]]
    assert f"http://localhost:8000{case.get_absolute_url()}" in messages[0].body
    assert "Samtale med" not in messages[0].body
    assert_no_young_person_named(messages)


def test_overdue_action_is_reminded_once_over_several_days(
    personas: Personas, demo_actions_done: None
) -> None:
    today = timezone.localdate()
    due_on = today - timedelta(days=2)
    # Added three days ago, when its deadline still lay ahead.
    with time_machine.travel(_local(today - timedelta(days=3), 9)):
        action = case_services.action_add(
            case=_case("Demo-Sofie Opdigtetsen"),
            by=personas.consultant,
            title="Kontakt til klubben",
            responsible=_person("Sara Skov"),
            due_on=due_on,
        )

    for day in (today, today + timedelta(days=1), today + timedelta(days=3)):
        schedule_daily(day)

    rows = Reminder.objects.filter(object_type=ACTION_TYPE)
    assert daily(ACTION_TYPE) == {(CaseReminderKind.ACTION_OVERDUE, action.pk, "social@demo.ssp")}
    assert [timezone.localtime(r.due_at) for r in rows] == [_local(due_on + timedelta(days=1), 8)]
    messages = send_all(rows)
    assert len(messages) == 1
    assert "har overskredet fristen" in messages[0].body
    assert_no_young_person_named(messages)


def test_done_action_is_not_reminded(personas: Personas, demo_actions_done: None) -> None:
    today = timezone.localdate()
    action = case_services.action_add(
        case=_case("Demo-Mikkel Eksempelsen"),
        by=personas.consultant,
        title="Allerede gjort",
        responsible=_person("Sara Skov"),
        due_on=today + timedelta(days=1),
    )
    case_services.action_complete(action=action, by=personas.consultant)

    schedule_daily(today)

    assert daily(ACTION_TYPE) == set()


def test_case_follow_up_tomorrow_reminds_the_coordinator(personas: Personas) -> None:
    today = timezone.localdate()
    case = _case("Demo-Amalie Tænktsen")
    case_services.case_update_details(
        case=case,
        by=personas.consultant,
        level=case.level,
        prevention_kind=case.prevention_kind,
        responsible_body=case.responsible_body,
        coordinator=personas.consultant,
        follow_up_on=today + timedelta(days=1),
    )

    schedule_daily(today - timedelta(days=1))
    assert daily(CASE_TYPE) == set()
    schedule_daily(today)

    assert daily(CASE_TYPE) == {(CaseReminderKind.FOLLOW_UP_DUE, case.pk, "konsulent@demo.ssp")}
    messages = send_all(Reminder.objects.filter(object_type=CASE_TYPE))
    assert [m.to for m in messages] == [["konsulent@demo.ssp"]]
    assert f"http://localhost:8000{case.get_absolute_url()}" in messages[0].body
    assert_no_young_person_named(messages)


def _seeded_school_year() -> int:
    """The school year the demo teams planned (the seed is relative to its own day)."""
    planning = Meeting.objects.filter(
        body=_body("SSP-team Nordvang"), kind=MeetingKind.PLANNING
    ).get()
    return school_year_of(timezone.localdate(planning.starts_at))


def test_august_cycle_reminds_leads_of_teams_without_a_planning_meeting(
    personas: Personas,
) -> None:
    year = _seeded_school_year()
    # Nordvang has planned; give it a lead with a login, who must not be reminded.
    pia = Membership.objects.get(body=_body("SSP-team Nordvang"), person__user=personas.police2)
    forum_services.membership_change_role(membership=pia, role=MembershipRole.COORDINATOR, by=None)
    vestervang = _body(VESTERVANG)

    schedule_daily(date(year, 8, 14))
    assert daily(reminders.BODY_TYPE) == set()
    for day in (15, 16, 31):
        schedule_daily(date(year, 8, day))

    assert daily(reminders.BODY_TYPE) == {
        (ReminderKind.PLANNING_CYCLE, vestervang.pk, "leder@demo.ssp"),
        (ReminderKind.PLANNING_CYCLE, vestervang.pk, "konsulent@demo.ssp"),
    }
    rows = Reminder.objects.filter(object_type=reminders.BODY_TYPE)
    assert {timezone.localtime(r.due_at) for r in rows} == {_local(date(year, 8, 15), 8)}
    messages = send_all(rows)
    assert sorted(m.to[0] for m in messages) == ["konsulent@demo.ssp", "leder@demo.ssp"]
    label = f"{year}/{str(year + 1)[-2:]}"
    assert f"Planlæg septembermødet i SSP-team Vestervang for skoleåret {label}." in (
        messages[0].body
    )
    assert f"/moeder/organ/{vestervang.pk}/aarsplan/?aar={year}" in messages[0].body


def test_august_cycle_spares_a_team_that_planned_its_september_meeting(
    personas: Personas,
) -> None:
    year = timezone.localdate().year + 1
    with time_machine.travel(_local(date(year, 8, 15), 9), tick=False):
        services.planning_meeting_schedule(
            body=_body(VESTERVANG),
            organiser=personas.leader,
            starts_at=_local(date(year, 9, 8), 14),
            ends_at=_local(date(year, 9, 8), 16),
            title="Planlægningsmøde",
        )
        before = daily(reminders.BODY_TYPE)

        schedule_daily()

    assert daily(reminders.BODY_TYPE) - before == set()


def test_december_cycle_reminds_the_follow_group_without_a_january_meeting(
    personas: Personas,
) -> None:
    januar = Meeting.objects.get(
        body=_body("SSP-Følgen"), title="Årsmøde: Undervisnings- og Aktivitetsplanen"
    )
    december = date(timezone.localdate(januar.starts_at).year - 1, 12, 3)

    schedule_daily(december)
    assert daily(reminders.BODY_TYPE) == set()

    services.meeting_cancel(meeting=januar, reason="Flyttes til februar")
    schedule_daily(december)

    # Bente Berg chairs without a login; Albertslund's group has no members.
    assert daily(reminders.BODY_TYPE) == {
        (ReminderKind.FOLLOW_GROUP_CYCLE, _body("SSP-Følgen").pk, "konsulent@demo.ssp")
    }
    messages = send_all(Reminder.objects.filter(object_type=reminders.BODY_TYPE))
    assert "Planlæg januarmødet i SSP-Følgen" in messages[0].body
