"""Barnets lov follow-through (a notification that "will be sent" is chased until recorded) and
routing rules by category (who is told, who may read, and who may not)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.test import Client
from django.utils import timezone

from cases import permissions, services
from cases.followthrough_reminders import TASK_TYPE, NotificationReminderKind
from cases.models import (
    Basis,
    BasisGround,
    BasisOrigin,
    NotificationStatus,
    NotificationTask,
)
from forum.models import BodyKind, Person
from ssp.models import OutgoingEmail, Reminder, Sector
from ssp.notify.reminders import schedule_daily
from tests.factories import (
    AffiliationFactory,
    BodyFactory,
    ConcernFactory,
    MembershipFactory,
    MunicipalityFactory,
    concern_category,
)
from tests.reminder_helpers import assert_no_young_person_named, send_all

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
MONDAY = datetime(2027, 1, 11, 9, 0, tzinfo=CPH)


def _user(municipality, sector: str, *, consultant: bool = False):  # type: ignore[no-untyped-def]
    return AffiliationFactory(
        municipality=municipality, is_ssp_consultant=consultant, user__sector=sector
    ).user


@pytest.fixture
def town() -> dict:
    Reminder.objects.all().delete()
    OutgoingEmail.objects.all().delete()
    municipality = MunicipalityFactory()
    return {
        "municipality": municipality,
        "consultant": _user(municipality, Sector.SSP_SECRETARIAT, consultant=True),
        "teacher": _user(municipality, Sector.SCHOOL),
    }


def _will_be_sent(town: dict):  # type: ignore[no-untyped-def]
    with time_machine.travel(MONDAY, tick=False):
        return ConcernFactory(
            municipality=town["municipality"],
            author=town["teacher"],
            category=concern_category(town["municipality"], "Mistrivsel"),
            observed_on=date(2027, 1, 8),
            notification_status=NotificationStatus.WILL_BE_DONE,
            notified_by="Skolelederen",
        )


def _task_reminders(concern) -> QuerySet[Reminder]:  # type: ignore[no-untyped-def]
    """The reminders about this concern's task (the demo has an overdue one of its own)."""
    return Reminder.objects.filter(object_type=TASK_TYPE, object_id=concern.notification_task.pk)


def _reminders_on(concern, day: date) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    before = set(Reminder.objects.values_list("pk", flat=True))
    schedule_daily(day)
    return set(
        _task_reminders(concern).exclude(pk__in=before).values_list("kind", "recipient__email")
    )


def test_will_be_sent_becomes_a_task_due_two_working_days_later(town: dict) -> None:
    concern = _will_be_sent(town)

    task = NotificationTask.objects.get(concern=concern)
    assert (task.responsible, task.named_person, task.due_on) == (
        town["teacher"],
        "Skolelederen",
        date(2027, 1, 13),
    )


def test_a_task_is_chased_until_recorded_then_escalated_once_then_silent(town: dict) -> None:
    concern = _will_be_sent(town)
    teacher, consultant = town["teacher"].email, town["consultant"].email
    due = NotificationReminderKind.DUE
    late = NotificationReminderKind.LATE
    escalated = NotificationReminderKind.ESCALATED

    assert _reminders_on(concern, date(2027, 1, 12)) == set(), "reminded before the due date"
    assert _reminders_on(concern, date(2027, 1, 13)) == {(due, teacher)}
    assert _reminders_on(concern, date(2027, 1, 14)) == {(late, teacher)}
    # Two working days past the due date (Friday): the consultants, once.
    assert _reminders_on(concern, date(2027, 1, 15)) == {(late, teacher), (escalated, consultant)}
    # Saturday and Sunday: no nagging, and the consultants are not told again.
    assert _reminders_on(concern, date(2027, 1, 16)) == set()
    assert _reminders_on(concern, date(2027, 1, 18)) == {(late, teacher)}

    messages = send_all(_task_reminders(concern))
    assert sorted(m.to[0] for m in messages) == sorted([teacher] * 4 + [consultant])
    assert all(concern.get_absolute_url() in m.body for m in messages)
    assert_no_young_person_named(messages)

    with time_machine.travel(datetime(2027, 1, 18, 10, tzinfo=CPH), tick=False):
        services.concern_notification_record(
            concern=concern, by=town["teacher"], sent_on=date(2027, 1, 15), sent_by="Skolelederen"
        )
    concern.refresh_from_db()
    assert (concern.notification_status, concern.notified_on) == (
        NotificationStatus.DONE,
        date(2027, 1, 15),
    )
    assert _reminders_on(concern, date(2027, 1, 19)) == set(), "chased after it was recorded"


def test_a_reminder_waiting_when_it_is_recorded_is_dropped(town: dict) -> None:
    concern = _will_be_sent(town)
    _reminders_on(concern, date(2027, 1, 13))
    with time_machine.travel(datetime(2027, 1, 13, 7, tzinfo=CPH), tick=False):
        services.concern_notification_record(
            concern=concern, by=town["consultant"], sent_on=date(2027, 1, 12), sent_by="Lærer"
        )

    assert send_all(_task_reminders(concern)) == []


@time_machine.travel(MONDAY + timedelta(days=1), tick=False)
def test_recording_refuses_a_future_date_and_a_second_record(town: dict) -> None:
    concern = _will_be_sent(town)
    with pytest.raises(ValidationError) as refused:
        services.concern_notification_record(
            concern=concern, by=town["teacher"], sent_on=date(2099, 1, 1), sent_by="X"
        )
    assert "sent_on" in refused.value.message_dict

    services.concern_notification_record(
        concern=concern, by=town["teacher"], sent_on=concern.observed_on, sent_by="X"
    )
    with pytest.raises(ValidationError, match="allerede"):
        services.concern_notification_record(
            concern=concern, by=town["teacher"], sent_on=concern.observed_on, sent_by="Y"
        )


@time_machine.travel(MONDAY + timedelta(days=1), tick=False)
def test_the_record_form_on_the_concern_page_saves_and_shows(town: dict, client: Client) -> None:
    concern = _will_be_sent(town)
    client.force_login(town["teacher"])

    page = client.get(concern.get_absolute_url())
    refused = client.post(
        f"/bekymringer/{concern.pk}/underretning/", {"sent_on": "2099-01-01", "sent_by": ""}
    )
    saved = client.post(
        f"/bekymringer/{concern.pk}/underretning/",
        {"sent_on": concern.observed_on.isoformat(), "sent_by": "Skolelederen"},
    )

    assert "Registrér som sendt" in page.content.decode()
    assert refused.status_code == 422
    assert saved.status_code == 302
    assert NotificationTask.objects.get(concern=concern).sent_by == "Skolelederen"


# --- Routing rules ----------------------------------------------------------------------------


def test_a_rule_to_a_person_gives_them_a_basis_an_email_and_the_concern(town: dict) -> None:
    municipality = town["municipality"]
    contact = _user(municipality, Sector.SOCIAL)
    category = concern_category(municipality, "Radikalisering")
    services.routing_rule_add(
        municipality=municipality, category=category, user=contact, by=town["consultant"]
    )
    other = ConcernFactory(municipality=municipality, category=concern_category(municipality))

    routed = ConcernFactory(municipality=municipality, category=category)

    basis = Basis.objects.get(concern=routed)
    assert (basis.user, basis.origin, basis.ground, basis.given_by) == (
        contact,
        BasisOrigin.ROUTING_RULE,
        BasisGround.LEGAL_GROUND,
        town["consultant"],
    )
    assert permissions.concern_for_user_or_404(contact, routed.pk) == routed
    with pytest.raises(Http404):
        permissions.concern_for_user_or_404(contact, other.pk)
    mail = OutgoingEmail.objects.get(to=contact.email)
    assert routed.get_absolute_url() in mail.body
    assert routed.young_person.full_name not in mail.body


def test_a_rule_never_names_the_police_and_a_police_member_of_a_body_neither_reads_nor_hears(
    town: dict,
) -> None:
    municipality = town["municipality"]
    officer = _user(municipality, Sector.POLICE)
    category = concern_category(municipality, "Radikalisering")
    with pytest.raises(ValidationError) as refused:
        services.routing_rule_add(
            municipality=municipality, category=category, user=officer, by=town["consultant"]
        )
    assert "user" in refused.value.message_dict

    council = BodyFactory(municipality=municipality)
    forum = BodyFactory(municipality=municipality, kind=BodyKind.SSP_FORUM, parent=council)
    infohus = BodyFactory(
        municipality=municipality, kind=BodyKind.WORKING_GROUP, name="Infohus", parent=forum
    )
    social = _user(municipality, Sector.SOCIAL)
    for user in (officer, social):
        MembershipFactory(
            body=infohus,
            person=Person.objects.create(
                municipality=municipality, full_name=user.full_name, sector=user.sector, user=user
            ),
        )
    services.routing_rule_add(
        municipality=municipality, category=category, body=infohus, by=town["consultant"]
    )

    routed = ConcernFactory(municipality=municipality, category=category)

    assert permissions.concern_for_user_or_404(social, routed.pk) == routed
    with pytest.raises(Http404):
        permissions.concern_for_user_or_404(officer, routed.pk)
    told = set(
        OutgoingEmail.objects.filter(subject__endswith="Ny bekymring").values_list("to", flat=True)
    )
    assert social.email in told
    assert officer.email not in told, "LEAK: the police member was told of a routed concern"


def test_the_triage_page_says_who_the_rule_routed_to(town: dict, client: Client) -> None:
    municipality = town["municipality"]
    contact = _user(municipality, Sector.SOCIAL)
    category = concern_category(municipality, "Radikalisering")
    services.routing_rule_add(
        municipality=municipality, category=category, user=contact, by=town["consultant"]
    )
    routed = ConcernFactory(municipality=municipality, category=category)
    client.force_login(town["consultant"])

    page = client.get(routed.get_absolute_url()).content.decode()

    assert f"Sendt efter kommunens regel: {contact.full_name}" in page


def test_the_settings_page_never_shows_the_token_and_answers_404_elsewhere(
    town: dict, client: Client
) -> None:
    municipality = town["municipality"]
    services.escalation_sms_gateway_set(
        municipality=municipality,
        url="https://sms.example.test/send",
        token="TOPHEMMELIG-TOKEN",
        sender="SSP",
        is_active=True,
        by=town["consultant"],
    )
    client.force_login(town["consultant"])

    pages = [client.get(f"/eskalering/{municipality.pk}/{s}") for s in ("", "sms/")]
    client.force_login(town["teacher"])
    teacher = client.get(f"/eskalering/{municipality.pk}/")

    assert [p.status_code for p in pages] == [200, 200]
    assert all("TOPHEMMELIG" not in p.content.decode() for p in pages), "LEAK: the token"
    assert "sms.example.test" in pages[0].content.decode()
    assert teacher.status_code == 404


def test_a_deleted_rule_routes_nothing_more(town: dict) -> None:
    municipality = town["municipality"]
    contact = _user(municipality, Sector.SOCIAL)
    category = concern_category(municipality, "Radikalisering")
    rule = services.routing_rule_add(
        municipality=municipality, category=category, user=contact, by=town["consultant"]
    )
    services.routing_rule_delete(rule=rule, by=town["consultant"])

    routed = ConcernFactory(municipality=municipality, category=category)

    assert not Basis.objects.filter(concern=routed).exists()
    assert not OutgoingEmail.objects.filter(to=contact.email).exists()


def test_absence_dates_out_of_range_are_refused(town: dict) -> None:
    from forum import absences

    second = _user(town["municipality"], Sector.SSP_SECRETARIAT, consultant=True)
    with pytest.raises(ValidationError) as refused:
        absences.absence_add(
            municipality=town["municipality"],
            user=town["consultant"],
            stand_in=second,
            starts_on=timezone.localdate() + timedelta(days=10),
            ends_on=timezone.localdate() + timedelta(days=9),
            by=town["consultant"],
        )
    assert "ends_on" in refused.value.message_dict
