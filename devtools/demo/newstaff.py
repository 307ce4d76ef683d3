"""Demo data for onboarding new staff and for registration to meetings open to many.

- Two newcomers in Glostrup, welcomed through the real flow (a seat given by the SSP
  consultant, the welcome delivered at once): Demo-Tine Nylærer, a new teacher in the
  Undervisningsgruppe (its coordinator, the SSP consultant, is her leader there), who has had
  the introduction talk only (unfinished: the consultant's overview shows her), and Demo-Frede
  Færdig, a new club worker in the Koordineringsgruppe, whose checklist is done. Neither sits
  in a school team, whose member lists other tests count.
- The April SSP-Forum open for registration, close to full: 12 seats, 10 taken, two of them by
  outside invitees without a login; and a course of the Undervisningsgruppe with a few
  registered.

Idempotent: what is there already is left alone.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from forum import services as forum_services
from forum.models import Body, Municipality, Person, Unit
from meetings import registration
from meetings import services as meeting_services
from meetings.models import Meeting
from meetings.registration_models import RegistrationOpening
from onboarding import services as onboarding_services
from onboarding.models import Onboarding, Welcome
from ssp.models import Sector, User

APRIL_FORUM = "SSP-Forum: årets møde"
COURSE = "Kursus: Den svære bekymringssamtale"

# (name, sector, job title, unit, body, checklist items ticked)
NEWCOMERS = [
    (
        "Demo-Tine Nylærer",
        Sector.SCHOOL,
        "Lærer, udskolingen",
        "Glostrup Skole, afdeling Vestervang",
        "Undervisningsgruppen",
        ("intro_talk",),
    ),
    (
        "Demo-Frede Færdig",
        Sector.LEISURE,
        "Klubmedarbejder",
        "",
        "Koordineringsgruppen",
        ("intro_talk", "tour", "first_meeting"),
    ),
]

# Signed-in registrants (demo logins) and outside invitees for the April SSP-Forum.
FORUM_LOGINS = [
    "leder@demo.ssp",
    "politi@demo.ssp",
    "social@demo.ssp",
    "klub@demo.ssp",
]
FORUM_OUTSIDE = [
    ("Demo-Bente Boligsocial", "bente.boligsocial@demo-bolig.test", "Boligselskabet Vestergården"),
    ("Demo-Carl Centerchef", "carl.centerchef@demo-center.test", "Glostrup Storcenter"),
]
FORUM_CAPACITY = 12
FORUM_TAKEN = 10


def seed() -> None:
    glostrup = Municipality.objects.get(name="Glostrup")
    consultant = User.objects.get(email="konsulent@demo.ssp")
    _seed_newcomers(glostrup, consultant)
    _seed_april_forum(glostrup, consultant)
    _seed_course(glostrup, consultant)


def _seed_newcomers(glostrup: Municipality, consultant: User) -> None:
    for name, sector, title, unit_name, body_name, ticked in NEWCOMERS:
        if Person.objects.filter(municipality=glostrup, full_name=name).exists():
            continue
        unit = Unit.objects.filter(municipality=glostrup, name=unit_name).first()
        slug = name.removeprefix("Demo-").split()[0].lower()
        person = forum_services.person_create(
            municipality=glostrup,
            full_name=name,
            sector=sector,
            job_title=title,
            unit=unit,
            email=f"{slug}.ny@demo.ssp",
        )
        body = Body.objects.get(municipality=glostrup, name=body_name)
        forum_services.membership_add(body=body, person=person, by=consultant)
        welcome = Welcome.objects.get(person=person, body=body)
        # Delivered now rather than by a worker after the seed commits; the task finds it sent.
        onboarding_services.welcome_deliver(welcome_id=welcome.pk)
        onboarding = Onboarding.objects.get(person=person)
        for item in ticked:
            onboarding_services.onboarding_tick(
                onboarding=onboarding, item=item, done=True, by=consultant
            )


def _seed_april_forum(glostrup: Municipality, consultant: User) -> None:
    meeting = Meeting.objects.filter(body__municipality=glostrup, title=APRIL_FORUM).first()
    if meeting is None or RegistrationOpening.objects.filter(meeting=meeting).exists():
        return
    opening = registration.registration_open(
        meeting=meeting,
        capacity=FORUM_CAPACITY,
        deadline=meeting.starts_at - timedelta(days=7),
        by=consultant,
    )
    for email in FORUM_LOGINS:
        user = User.objects.get(email=email)
        person = Person.objects.filter(municipality=glostrup, user=user).first()
        registration.registration_add(
            opening=opening,
            full_name=user.full_name,
            email=user.email,
            organisation=person.unit.name if person and person.unit else glostrup.name,
            user=user,
        )
    for name, email, organisation in FORUM_OUTSIDE:
        registration.registration_add(
            opening=opening, full_name=name, email=email, organisation=organisation
        )
    # The rest of the taken seats: colleagues from the schools and clubs, without logins.
    for n in range(FORUM_TAKEN - len(FORUM_LOGINS) - len(FORUM_OUTSIDE)):
        registration.registration_add(
            opening=opening,
            full_name=f"Demo-Deltager {n + 1}",
            email=f"deltager{n + 1}@demo-skole.test",
            organisation="Glostrup Skole",
        )


def _seed_course(glostrup: Municipality, consultant: User) -> None:
    body = Body.objects.get(municipality=glostrup, name="Undervisningsgruppen")
    meeting = Meeting.objects.filter(body=body, title=COURSE).first()
    if meeting is None:
        day = timezone.localdate() + timedelta(days=24)
        meeting = meeting_services.meeting_create(
            body=body,
            organiser=consultant,
            title=COURSE,
            starts_at=timezone.make_aware(datetime.combine(day, time(9))),
            ends_at=timezone.make_aware(datetime.combine(day, time(15))),
            location="Glostrup Rådhus, mødelokale 1",
            notify=False,
        )
    if RegistrationOpening.objects.filter(meeting=meeting).exists():
        return
    opening = registration.registration_open(
        meeting=meeting, capacity=25, deadline=meeting.starts_at - timedelta(days=3), by=consultant
    )
    for name, email, organisation in [
        ("Demo-Dorte Dagtilbud", "dorte@demo-skole.test", "Center for Dagtilbud og Skole"),
        ("Demo-Erik Efterskole", "erik@demo-skole.test", "8-9-10'eren"),
    ]:
        registration.registration_add(
            opening=opening, full_name=name, email=email, organisation=organisation
        )
