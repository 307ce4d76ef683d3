"""Demo data for the invitations an import holds back (forum/logins.py).

Three people in Glostrup, as the spreadsheet import leaves them: in the directory, each to have
a login with the roles given, but no account and no mail until the administrator sends the
invitations from "Invitationer, der venter" (linked from the organisation page). One of them is
to be an SSP consultant although she works at the police, so sending shows a refusal next to
the two that go out.

Idempotent: a person already there (held or sent) is left alone.
"""

from __future__ import annotations

from forum import logins
from forum import services as forum_services
from forum.models import Municipality, Person, Unit
from ssp.models import Sector, User

# (name, job title, sector, unit, email, is_ssp_consultant, is_administrator)
HELD = [
    (
        "Demo-Inge Importeret",
        "Lærer, mellemtrinnet",
        Sector.SCHOOL,
        "Glostrup Skole, afdeling Vestervang",
        "inge.importeret@demo.ssp",
        False,
        False,
    ),
    (
        "Demo-Ivan Indlæst",
        "Klubmedarbejder",
        Sector.LEISURE,
        "Pitstop",
        "ivan.indlaest@demo.ssp",
        False,
        False,
    ),
    (
        "Demo-Ida Indsendt",
        "Forebyggelsesbetjent",
        Sector.POLICE,
        "Glostrup Lokalpoliti",
        "ida.indsendt@demo.ssp",
        True,
        False,
    ),
]


def seed() -> None:
    glostrup = Municipality.objects.get(code="161")
    admin = User.objects.get(email="admin@demo.ssp")
    for name, title, sector, unit, email, consultant, administrator in HELD:
        if Person.objects.filter(municipality=glostrup, email=email).exists():
            continue
        person = forum_services.person_create(
            municipality=glostrup,
            full_name=name,
            job_title=title,
            sector=sector,
            unit=Unit.objects.get(municipality=glostrup, name=unit),
            email=email,
        )
        logins.login_hold(
            person=person,
            is_ssp_consultant=consultant,
            is_administrator=administrator,
            by=admin,
        )
