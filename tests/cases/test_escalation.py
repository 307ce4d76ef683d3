"""The escalation ladder: a step fires once after its deadline in working days, not before,
not twice, never after triage; urgent concerns go at once by email and SMS; absent
consultants' stand-ins receive in their place."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases import services
from cases.models import ConcernEscalation, EscalationScope, EscalationStep, Urgency
from forum import absences
from forum.models import Municipality, Person
from ssp.models import OutgoingEmail, OutgoingSms, Sector, User
from tests.factories import AffiliationFactory, ConcernFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
# A Friday morning; the Monday after is an ordinary working day.
FRIDAY = datetime(2027, 1, 8, 10, 0, tzinfo=CPH)


def _consultant(municipality: Municipality, name: str, mobile: str = "") -> User:
    user = AffiliationFactory(
        municipality=municipality,
        is_ssp_consultant=True,
        user__sector=Sector.SSP_SECRETARIAT,
        user__full_name=name,
    ).user
    Person.objects.create(
        municipality=municipality,
        full_name=name,
        sector=Sector.SSP_SECRETARIAT,
        user=user,
        email=user.email,
        mobile=mobile,
    )
    return user


@pytest.fixture
def town() -> dict:
    # The demo's own emails and ladder (seeded once for the test database) are not this
    # test's: its untriaged concerns would escalate too.
    OutgoingEmail.objects.all().delete()
    EscalationStep.objects.all().delete()
    municipality = MunicipalityFactory()
    return {
        "municipality": municipality,
        "anna": _consultant(municipality, "Anna Akut", mobile="+45 20 00 00 01"),
        "bo": _consultant(municipality, "Bo Backup", mobile="20000002"),
    }


def _escalation_mails() -> list[OutgoingEmail]:
    return list(
        OutgoingEmail.objects.filter(subject__contains="bekymring").exclude(
            subject__contains="Ny bekymring"
        )
    )


def test_a_step_fires_once_after_its_working_days_and_not_before(town: dict) -> None:
    municipality = town["municipality"]
    with time_machine.travel(FRIDAY - timedelta(hours=1), tick=False):
        step = services.escalation_step_add(
            municipality=municipality,
            applies_to=EscalationScope.ALL,
            after_working_days=1,
            by_sms=False,
            by=town["anna"],
        )
    with time_machine.travel(FRIDAY, tick=False):
        concern = ConcernFactory(municipality=municipality)

    # Saturday and Sunday are no working days: nothing before Monday at ten.
    assert services.concerns_escalate(now=FRIDAY + timedelta(days=2, hours=23)) == 0
    assert services.concerns_escalate(now=FRIDAY + timedelta(days=3, minutes=1)) == 1
    assert services.concerns_escalate(now=FRIDAY + timedelta(days=4)) == 0, "fired twice"

    fired = ConcernEscalation.objects.get(concern=concern)
    assert (fired.step, fired.emails) == (step, 2)
    mails = _escalation_mails()
    assert sorted(m.to for m in mails) == sorted([town["anna"].email, town["bo"].email])
    assert "venter på visitation" in mails[0].subject
    assert concern.young_person.full_name.split()[0] not in mails[0].body
    assert concern.get_absolute_url() in mails[0].body


def test_a_danish_public_holiday_is_no_working_day(town: dict) -> None:
    municipality = town["municipality"]
    # Maundy Thursday 2027 is 25 March; Good Friday and Easter Monday follow.
    wednesday = datetime(2027, 3, 24, 9, 0, tzinfo=CPH)
    with time_machine.travel(wednesday - timedelta(hours=1), tick=False):
        services.escalation_step_add(
            municipality=municipality,
            applies_to=EscalationScope.ALL,
            after_working_days=1,
            by_sms=False,
            by=town["anna"],
        )
    with time_machine.travel(wednesday, tick=False):
        ConcernFactory(municipality=municipality)

    assert services.concerns_escalate(now=datetime(2027, 3, 29, 12, tzinfo=CPH)) == 0
    assert services.concerns_escalate(now=datetime(2027, 3, 30, 9, 1, tzinfo=CPH)) == 1


def test_a_triaged_concern_is_not_escalated(town: dict) -> None:
    municipality = town["municipality"]
    with time_machine.travel(FRIDAY - timedelta(hours=1), tick=False):
        services.escalation_step_add(
            municipality=municipality,
            applies_to=EscalationScope.ALL,
            after_working_days=1,
            by_sms=False,
            by=town["anna"],
        )
    with time_machine.travel(FRIDAY, tick=False):
        concern = ConcernFactory(municipality=municipality)
        services.concern_close(concern=concern, by=town["anna"], reason="Klaret i telefonen.")

    assert services.concerns_escalate(now=FRIDAY + timedelta(days=10)) == 0
    assert not ConcernEscalation.objects.filter(concern=concern).exists()


def test_an_urgent_step_goes_at_once_by_email_and_sms_and_skips_normal_concerns(
    town: dict,
) -> None:
    municipality = town["municipality"]
    services.escalation_sms_gateway_set(
        municipality=municipality,
        url="https://sms.example.test/send",
        token="hemmelig-noegle",
        sender="SSP Test",
        is_active=True,
        by=town["anna"],
    )
    with time_machine.travel(FRIDAY - timedelta(hours=1), tick=False):
        services.escalation_step_add(
            municipality=municipality,
            applies_to=EscalationScope.URGENT,
            after_working_days=0,
            by_sms=True,
            by=town["anna"],
        )
    with time_machine.travel(FRIDAY, tick=False):
        urgent = ConcernFactory(municipality=municipality, urgency=Urgency.URGENT)
        ConcernFactory(municipality=municipality, urgency=Urgency.NORMAL)

    assert services.concerns_escalate(now=FRIDAY + timedelta(seconds=5)) == 1

    fired = ConcernEscalation.objects.get(concern__municipality=municipality)
    assert (fired.concern, fired.emails, fired.text_messages) == (urgent, 2, 2)
    texts = list(OutgoingSms.objects.filter(gateway__url__contains="example.test").order_by("to"))
    assert [t.to for t in texts] == ["+4520000001", "+4520000002"]
    assert texts[0].body.startswith("Der er en ny bekymring, som haster. Log ind for at se den.")
    assert urgent.get_absolute_url() in texts[0].body
    assert "hemmelig" not in texts[0].gateway.token_encrypted


def test_sms_step_needs_a_gateway(town: dict) -> None:
    with pytest.raises(Exception, match="SMS-gateway"):
        services.escalation_step_add(
            municipality=town["municipality"],
            applies_to=EscalationScope.URGENT,
            after_working_days=0,
            by_sms=True,
            by=town["anna"],
        )


def test_the_stand_in_receives_instead_of_the_absent_consultant(town: dict) -> None:
    municipality = town["municipality"]
    carl = _consultant(municipality, "Carl Ferie")
    absences.absence_add(
        municipality=municipality,
        user=carl,
        stand_in=town["bo"],
        starts_on=date(2027, 1, 4),
        ends_on=date(2027, 1, 22),
        by=carl,
    )
    absences.absence_add(
        municipality=municipality,
        user=town["anna"],
        stand_in=town["bo"],
        starts_on=date(2027, 1, 11),
        ends_on=date(2027, 1, 11),
        by=town["anna"],
    )
    with time_machine.travel(FRIDAY - timedelta(hours=1), tick=False):
        services.escalation_step_add(
            municipality=municipality,
            applies_to=EscalationScope.ALL,
            after_working_days=1,
            by_sms=False,
            by=town["bo"],
        )
    with time_machine.travel(FRIDAY, tick=False):
        ConcernFactory(municipality=municipality)
    # The new-concern email on Friday: Carl is away, Anna and Bo are at work.
    submitted = OutgoingEmail.objects.filter(subject__contains="Ny bekymring")
    assert sorted(submitted.values_list("to", flat=True)) == sorted(
        [town["anna"].email, town["bo"].email]
    )

    # Monday: Anna is away too; Bo stands in for both and gets one email.
    services.concerns_escalate(now=FRIDAY + timedelta(days=3, minutes=1))

    assert [m.to for m in _escalation_mails()] == [town["bo"].email]


def test_when_everyone_in_a_ring_is_away_each_keeps_their_own_messages(town: dict) -> None:
    municipality = town["municipality"]
    for away, stand_in in (("anna", "bo"), ("bo", "anna")):
        absences.absence_add(
            municipality=municipality,
            user=town[away],
            stand_in=town[stand_in],
            starts_on=date(2027, 1, 1),
            ends_on=date(2027, 1, 31),
            by=town[away],
        )

    ids = [town["anna"].pk, town["bo"].pk]
    assert absences.stand_in_for(ids, municipality.pk, date(2027, 1, 10)) == set(ids)
    assert absences.stand_in_for(ids, municipality.pk, date(2027, 2, 1)) == set(ids)
    assert absences.stand_in_for(ids[:1], municipality.pk, date(2027, 1, 10)) == set(ids[:1])


def test_a_stand_in_must_be_a_consultant_of_the_municipality(town: dict) -> None:
    colleague = AffiliationFactory(
        municipality=town["municipality"], user__sector=Sector.SCHOOL
    ).user
    with pytest.raises(Exception, match="SSP-konsulent"):
        absences.absence_add(
            municipality=town["municipality"],
            user=town["anna"],
            stand_in=colleague,
            starts_on=date(2027, 1, 1),
            ends_on=date(2027, 1, 2),
            by=town["anna"],
        )
