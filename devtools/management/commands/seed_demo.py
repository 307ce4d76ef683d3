"""`manage.py seed_demo`: the demo organisation, logins, young people, concerns, cases,
meetings, a year of prevention work and the Kredsråd's draft samarbejdsplan.

Safe to run again and again. It seeds the organisation (forum), the case work built on it,
and the meetings built on both; the data itself is in `devtools/demo/`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from devtools.demo import actioncard as actioncard_data
from devtools.demo import actions as actions_data
from devtools.demo import archive as archive_data
from devtools.demo import cases as cases_data
from devtools.demo import cooperation as cooperation_data
from devtools.demo import duplicates as duplicates_data
from devtools.demo import escalation as escalation_data
from devtools.demo import forum as data
from devtools.demo import heldlogins as heldlogins_data
from devtools.demo import meetings as meetings_data
from devtools.demo import newstaff as newstaff_data
from devtools.demo import orgimport as orgimport_data
from devtools.demo import orgkinds as orgkinds_data
from devtools.demo import prevention as prevention_data
from devtools.demo import upkeep as upkeep_data
from devtools.demo.two_factor import demo_authenticator_set
from forum import services
from forum.models import Body, Membership, Municipality, Person, PoliceDistrict, Unit
from ssp.models import User


class Command(BaseCommand):
    help = "Build (or bring up to date) the demo organisation and its logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run when SSP_ENVIRONMENT is production.")
        with transaction.atomic():
            self._seed()
            orgkinds_data.seed()
            cases_data.seed()
            actions_data.seed()
            duplicates_data.seed()
            meetings_data.seed()
            prevention_data.seed()
            escalation_data.seed()
            cooperation_data.seed()
            newstaff_data.seed()
            upkeep_data.seed()
            heldlogins_data.seed()
            actioncard_data.seed()
            orgimport_data.seed()
            archive_data.seed()
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Logins:"))
        for email, name, _sector, _roles in data.LOGINS:
            self.stdout.write(f"  {email:<22} {name}")
        self.stdout.write(f"  Password for all: {settings.DEMO_PASSWORD}")
        glostrup = Municipality.objects.get(code="161")
        self.stdout.write(
            "  Import of an organisation: sign in as admin@demo.ssp, open Glostrup's "
            "organisation, »Importér fra regneark«; the sample spreadsheet of a fictional "
            f"municipality (Fiktivby) is at {orgimport_data.sample_path(glostrup)}"
        )
        self.stdout.write(
            f"  Two-factor secret for all (add it to an authenticator app as a key): "
            f"{settings.DEMO_TOTP_SECRET}\n"
            f"  or print the current code with `make demo-code`. Demo data only."
        )

    def _seed(self) -> None:
        district, _ = PoliceDistrict.objects.get_or_create(name=data.POLICE_DISTRICT)
        municipalities = {
            name: Municipality.objects.get_or_create(
                code=code, defaults={"name": name, "police_district": district}
            )[0]
            for name, code in data.MUNICIPALITIES
        }
        units = self._units(municipalities)
        kredsraad = Body.objects.filter(
            police_district=district, name=data.KREDSRAAD[0]
        ).first() or services.body_create(
            kind="kredsraad",
            name=data.KREDSRAAD[0],
            police_district=district,
            meeting_rhythm=data.KREDSRAAD[1],
        )
        bodies = self._bodies(municipalities, units, kredsraad)
        self._logins(municipalities)
        people = self._people(municipalities, units)
        for municipality_name, body_name, person_name, role in data.MEMBERSHIPS:
            home = data.MUNICIPALITIES[0][0] if municipality_name == "*" else municipality_name
            body = kredsraad if municipality_name == "*" else bodies[(municipality_name, body_name)]
            person = people[(home, person_name)]
            membership = Membership.objects.filter(body=body, person=person).first()
            if membership is None:
                # The seed is no one's act: nothing to log or tell (by=None).
                services.membership_add(body=body, person=person, role=role, by=None)
            elif membership.role != role:
                services.membership_change_role(membership=membership, role=role, by=None)

    def _units(self, municipalities: dict[str, Municipality]) -> dict[tuple[str, str], Unit]:
        units: dict[tuple[str, str], Unit] = {}
        for municipality_name, rows in data.UNITS.items():
            municipality = municipalities[municipality_name]
            for name, sector, parent, address, phone, email in rows:
                unit = Unit.objects.filter(municipality=municipality, name=name).first()
                if unit is None:
                    unit = services.unit_create(
                        municipality=municipality,
                        name=name,
                        sector=sector,
                        parent=units[(municipality_name, parent)] if parent else None,
                        address=address,
                        phone=phone,
                        email=email,
                    )
                units[(municipality_name, name)] = unit
        return units

    def _bodies(
        self,
        municipalities: dict[str, Municipality],
        units: dict[tuple[str, str], Unit],
        kredsraad: Body,
    ) -> dict[tuple[str, str], Body]:
        bodies: dict[tuple[str, str], Body] = {}
        for municipality_name, rows in data.BODIES.items():
            municipality = municipalities[municipality_name]
            for kind, name, parent, unit, rhythm in rows:
                body = Body.objects.filter(municipality=municipality, name=name).first()
                if body is None:
                    if parent == "*":
                        parent_body = kredsraad
                    else:
                        parent_body = bodies[(municipality_name, parent)] if parent else None
                    body = services.body_create(
                        kind=kind,
                        name=name,
                        municipality=municipality,
                        parent=parent_body,
                        unit=units[(municipality_name, unit)] if unit else None,
                        meeting_rhythm=rhythm,
                    )
                bodies[(municipality_name, name)] = body
        return bodies

    def _logins(self, municipalities: dict[str, Municipality]) -> None:
        for email, name, sector, roles in data.LOGINS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, full_name=name, sector=sector)
            # The printed password always works, even if someone changed it in the demo.
            user.set_password(settings.DEMO_PASSWORD)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
            demo_authenticator_set(user=user)
            for municipality_name, (is_consultant, is_admin) in roles.items():
                services.affiliation_set(
                    user=user,
                    municipality=municipalities[municipality_name],
                    is_ssp_consultant=is_consultant,
                    is_administrator=is_admin,
                    by=None,
                )

    def _people(
        self, municipalities: dict[str, Municipality], units: dict[tuple[str, str], Unit]
    ) -> dict[tuple[str, str], Person]:
        people: dict[tuple[str, str], Person] = {}
        for municipality_name, rows in data.PEOPLE.items():
            municipality = municipalities[municipality_name]
            for name, title, sector, unit, email, phone, login in rows:
                person = Person.objects.filter(municipality=municipality, full_name=name).first()
                if person is None:
                    private_phone, private_address = data.PRIVATE_CONTACTS.get(
                        (municipality_name, name), ("", "")
                    )
                    person = services.person_create(
                        municipality=municipality,
                        full_name=name,
                        job_title=title,
                        sector=sector,
                        unit=units[(municipality_name, unit)],
                        email=email,
                        phone=phone,
                        private_phone=private_phone,
                        private_address=private_address,
                        with_login=bool(login),
                    )
                people[(municipality_name, name)] = person
        return people
