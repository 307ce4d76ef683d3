"""The cast every test uses: the demo logins, plus an outsider and a neighbour.

- consultant: SSP consultant in Glostrup
- leader: leader of Glostrup's SSP-team Vestervang
- police / police2: officers in different Glostrup school teams, also working in Albertslund
- social, club: members of school teams and the §115 group
- admin: administrator of Glostrup and Albertslund
- neighbour: staff of Albertslund only (a municipality in the same police district)
- outsider: a signed-in user affiliated with no municipality
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from forum import services
from forum.models import Municipality
from ssp.models import Sector, User

DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class Personas:
    consultant: User
    leader: User
    police: User
    police2: User
    social: User
    club: User
    admin: User
    neighbour: User
    outsider: User

    def __getitem__(self, name: str) -> User:
        return getattr(self, name)


# The cast in order, for the rows of every permission table.
PERSONA_NAMES = tuple(field.name for field in fields(Personas))


def load_personas() -> Personas:
    def demo(prefix: str) -> User:
        return User.objects.get(email=f"{prefix}@demo.ssp")

    neighbour = User.objects.create_user(
        "nabo@test.ssp", password=DEMO_PASSWORD, full_name="Nanna Nabo", sector=Sector.SCHOOL
    )
    services.affiliation_set(
        user=neighbour, municipality=Municipality.objects.get(code="165"), by=None
    )
    outsider = User.objects.create_user(
        "udenfor@test.ssp", password=DEMO_PASSWORD, full_name="Ulla Udenfor", sector=Sector.OTHER
    )
    return Personas(
        consultant=demo("konsulent"),
        leader=demo("leder"),
        police=demo("politi"),
        police2=demo("politi2"),
        social=demo("social"),
        club=demo("klub"),
        admin=demo("admin"),
        neighbour=neighbour,
        outsider=outsider,
    )
