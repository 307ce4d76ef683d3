"""Escalation in the demo: Glostrup's ladder and SMS gateway, a consultant on holiday with a
stand-in, a routing rule (radicalisation to the municipality's fictional Infohus contact), an
urgent concern that has escalated, and a notification under Barnets lov that is overdue.

Everything is invented: the people, the numbers (the 20 00 00 xx series) and the gateway,
whose address ends in `.invalid` (a name that can never exist), so no text message leaves a
development machine. Seeding is idempotent.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cases import services
from cases.models import (
    ConcernCategory,
    EscalationScope,
    EscalationStep,
    NotificationStatus,
    NotificationTask,
    RoutingRule,
    SubjectKind,
    Urgency,
    YoungPerson,
)
from forum import absences
from forum import services as forum_services
from forum.models import Absence, Affiliation, Municipality, Person
from ssp.models import Sector, User

CONSULTANT = "konsulent@demo.ssp"
HOLIDAY_CONSULTANT = ("morten.moerch@demo.ssp", "Morten Mørch")
INFOHUS = ("infohus@demo.ssp", "Iben Holm", "Infohus-kontakt (radikalisering og ekstremisme)")
MOBILES = {CONSULTANT: "+45 20 00 00 01", HOLIDAY_CONSULTANT[0]: "+45 20 00 00 02"}
URGENT_SUBJECT = "Demo-Ali Opdigtsen"
OVERDUE_SUBJECT = "Demo-Ida Opfundensen"


def seed() -> None:
    glostrup = Municipality.objects.get(name="Glostrup")
    kirsten = User.objects.get(email=CONSULTANT)
    morten = _person_with_login(
        glostrup, *HOLIDAY_CONSULTANT, "SSP-konsulent", Sector.SSP_SECRETARIAT
    )
    if not Affiliation.objects.filter(
        user=morten, municipality=glostrup, is_ssp_consultant=True
    ).exists():
        forum_services.affiliation_set(
            user=morten, municipality=glostrup, is_ssp_consultant=True, by=None
        )
    iben = _person_with_login(glostrup, *INFOHUS, Sector.SOCIAL)
    for email, mobile in MOBILES.items():
        Person.objects.filter(municipality=glostrup, user__email=email).update(mobile=mobile)
    _holiday(glostrup, morten, kirsten)
    _ladder(glostrup, kirsten)
    if not RoutingRule.objects.filter(municipality=glostrup, user=iben).exists():
        services.routing_rule_add(
            municipality=glostrup,
            category=ConcernCategory.objects.get(municipality=glostrup, name="Radikalisering"),
            user=iben,
            by=kirsten,
        )
    _urgent_concern(glostrup)
    _overdue_notification(glostrup)
    # The urgent concern's step "at once" fires now rather than at beat's next minute.
    services.concerns_escalate()


def _person_with_login(
    municipality: Municipality, email: str, name: str, job_title: str, sector: str
) -> User:
    person = Person.objects.filter(municipality=municipality, user__email=email).first()
    if person is None:
        person = forum_services.person_create(
            municipality=municipality,
            full_name=name,
            sector=sector,
            job_title=job_title,
            email=email,
            with_login=True,
        )
    user = person.user
    if user.sector != sector:
        user.sector = sector
        user.save(update_fields=["sector"])
    return user


def _holiday(municipality: Municipality, morten: User, kirsten: User) -> None:
    today = timezone.localdate()
    if Absence.objects.filter(user=morten, ends_on__gte=today).exists():
        return
    absences.absence_add(
        municipality=municipality,
        user=morten,
        stand_in=kirsten,
        starts_on=today - timedelta(days=2),
        ends_on=today + timedelta(days=12),
        by=morten,
    )


def _ladder(municipality: Municipality, kirsten: User) -> None:
    services.escalation_sms_gateway_set(
        municipality=municipality,
        url="https://sms.glostrup-demo.invalid/api/send",
        token="demo-token-uden-betydning",  # noqa: S106 - demo data, protects nothing
        sender="SSP Demo",
        is_active=True,
        by=kirsten,
    )
    for applies_to, days, by_sms in (
        (EscalationScope.URGENT, 0, True),
        (EscalationScope.ALL, 1, False),
    ):
        if not EscalationStep.objects.filter(
            municipality=municipality, applies_to=applies_to, after_working_days=days
        ).exists():
            services.escalation_step_add(
                municipality=municipality,
                applies_to=applies_to,
                after_working_days=days,
                by_sms=by_sms,
                by=kirsten,
            )


def _young_person(municipality: Municipality, name: str, age: int, author: User) -> YoungPerson:
    today = timezone.localdate()
    return services.young_person_find_or_create(
        municipality=municipality,
        full_name=name,
        birth_date=today.replace(year=today.year - age) - timedelta(days=75),
        created_by=author,
    )


def _urgent_concern(municipality: Municipality) -> None:
    if YoungPerson.objects.filter(municipality=municipality, full_name=URGENT_SUBJECT).exists():
        return
    author = User.objects.get(email="leder@demo.ssp")
    services.concern_submit(
        author=author,
        municipality=municipality,
        subject_kind=SubjectKind.PERSON,
        young_person=_young_person(municipality, URGENT_SUBJECT, 16, author),
        category=ConcernCategory.objects.get(municipality=municipality, name="Radikalisering"),
        description=(
            "Har i frikvarteret vist klassekammerater voldsforherligende videoer og sagt, at "
            "han skal »gøre noget« i weekenden. (Opdigtet demo-tekst.)"
        ),
        observed_on=timezone.localdate(),
        urgency=Urgency.URGENT,
        notification_status=NotificationStatus.NOT_RELEVANT,
    )


def _overdue_notification(municipality: Municipality) -> None:
    if YoungPerson.objects.filter(municipality=municipality, full_name=OVERDUE_SUBJECT).exists():
        return
    author = User.objects.get(email="klub@demo.ssp")
    concern = services.concern_submit(
        author=author,
        municipality=municipality,
        subject_kind=SubjectKind.PERSON,
        young_person=_young_person(municipality, OVERDUE_SUBJECT, 13, author),
        category=ConcernCategory.objects.get(municipality=municipality, name="Mistrivsel"),
        description="Fortæller i klubben, at hun ikke får aftensmad derhjemme. (Opdigtet.)",
        observed_on=timezone.localdate() - timedelta(days=8),
        notification_status=NotificationStatus.WILL_BE_DONE,
        notified_by="Kasper Krog, Klub Vestervang",
    )
    # The concern came in today (its time cannot be changed); the task shows what a week
    # without a recorded notification looks like.
    NotificationTask.objects.filter(concern=concern).update(
        due_on=timezone.localdate() - timedelta(days=5)
    )
