"""Factories for tests that need a specific shape rather than the demo organisation.

Every factory whose model has rules beyond its own row creates it through the service a
page would call: a body gets its auth group, a membership puts the member's user in that
group, an affiliation grants the municipal role permissions, a concern notifies and a case
syncs its access grants (cases/permissions.py). A factory's defaults build what it needs from
scratch; pass the demo's objects (a municipality, a body, a persona) to place a row among them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cases import services as case_services
from cases.models import (
    Case,
    Concern,
    ConcernCategory,
    PreventionKind,
    PreventionLevel,
    SubjectKind,
    YoungPerson,
)
from forum import services as forum_services
from forum.models import (
    Affiliation,
    Body,
    BodyKind,
    Membership,
    MembershipRole,
    Municipality,
    Person,
    PoliceDistrict,
)
from meetings import services as meeting_services
from meetings.models import Meeting
from ssp.models import Sector, User
from tests.personas import DEMO_PASSWORD


class PoliceDistrictFactory(DjangoModelFactory):
    class Meta:
        model = PoliceDistrict

    name = factory.Sequence(lambda n: f"Testkredsens Politi {n}")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Testkommune {n}")
    # The demo's municipality codes are below 900.
    code = factory.Sequence(lambda n: f"{900 + n % 100}")
    police_district = factory.SubFactory(PoliceDistrictFactory)


class UserFactory(DjangoModelFactory):
    """A signed-up user with the demo password, affiliated with no municipality."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"bruger{n}@test.ssp")
    full_name = factory.Sequence(lambda n: f"Test Bruger {n}")
    sector = Sector.OTHER
    password = DEMO_PASSWORD

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        email = kwargs.pop("email")
        return model_class.objects.create_user(email, **kwargs)


class AffiliationFactory(DjangoModelFactory):
    """A user's municipal roles, granted as guardian permissions by the service."""

    class Meta:
        model = Affiliation

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    is_ssp_consultant = False
    is_administrator = False

    @classmethod
    def _create(cls, model_class: type[Affiliation], *args: Any, **kwargs: Any) -> Affiliation:
        return forum_services.affiliation_set(**kwargs, by=None)


class BodyFactory(DjangoModelFactory):
    """A body with its own auth group; by default the Lokalråd at the top of a new
    municipality's tree (pass `parent` for a kind that must sit under another)."""

    class Meta:
        model = Body

    kind = BodyKind.LOKALRAAD
    name = factory.Sequence(lambda n: f"Testorgan {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    parent = None

    @classmethod
    def _create(cls, model_class: type[Body], *args: Any, **kwargs: Any) -> Body:
        return forum_services.body_create(**kwargs)


class PersonFactory(DjangoModelFactory):
    """Someone in a municipality's directory; `with_login=True` (and an `email`) makes the
    service create or link their user."""

    class Meta:
        model = Person

    municipality = factory.SubFactory(MunicipalityFactory)
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    sector = Sector.OTHER

    @classmethod
    def _create(cls, model_class: type[Person], *args: Any, **kwargs: Any) -> Person:
        return forum_services.person_create(**kwargs)


class MembershipFactory(DjangoModelFactory):
    """A seat in a body, which puts the member's user in the body's group."""

    class Meta:
        model = Membership

    body = factory.SubFactory(BodyFactory)
    person = factory.SubFactory(
        PersonFactory, municipality=factory.SelfAttribute("..body.municipality")
    )
    role = MembershipRole.MEMBER

    @classmethod
    def _create(cls, model_class: type[Membership], *args: Any, **kwargs: Any) -> Membership:
        return forum_services.membership_add(**kwargs, by=None)


def concern_category(municipality: Municipality, name: str = "Kriminalitet") -> ConcernCategory:
    """The municipality's category of that name (the demo's municipalities have it already)."""
    category, _created = ConcernCategory.objects.get_or_create(municipality=municipality, name=name)
    return category


def _staff_of(municipality: Municipality, *, is_ssp_consultant: bool = False) -> User:
    """A member of the municipality's staff; a consultant works in the SSP secretariat (a
    handling sector: consultants of other sectors read no case, cases/permissions.py)."""
    return AffiliationFactory(
        municipality=municipality,
        is_ssp_consultant=is_ssp_consultant,
        user__sector=Sector.SSP_SECRETARIAT if is_ssp_consultant else Sector.OTHER,
    ).user


class YoungPersonFactory(DjangoModelFactory):
    class Meta:
        model = YoungPerson

    municipality = factory.SubFactory(MunicipalityFactory)
    full_name = factory.Sequence(lambda n: f"Test-Ung {n}")
    created_by = factory.LazyAttribute(lambda o: _staff_of(o.municipality))

    @classmethod
    def _create(cls, model_class: type[YoungPerson], *args: Any, **kwargs: Any) -> YoungPerson:
        return case_services.young_person_find_or_create(**kwargs)


class ConcernFactory(DjangoModelFactory):
    """A submitted concern about a young person, by a member of the municipality's staff;
    pass `young_person=None` with `subject_kind` and `subject_description` for a place or a
    group, or with `new_young_person` (a `ReportedIdentity`) to register the young person."""

    class Meta:
        model = Concern

    municipality = factory.SubFactory(MunicipalityFactory)
    author = factory.LazyAttribute(lambda o: _staff_of(o.municipality))
    subject_kind = SubjectKind.PERSON
    young_person = factory.SubFactory(
        YoungPersonFactory,
        municipality=factory.SelfAttribute("..municipality"),
        created_by=factory.SelfAttribute("..author"),
    )
    category = factory.LazyAttribute(lambda o: concern_category(o.municipality))
    description = "Set sammen med ældre drenge ved stationen."
    observed_on = factory.LazyFunction(timezone.localdate)

    @classmethod
    def _create(cls, model_class: type[Concern], *args: Any, **kwargs: Any) -> Concern:
        # A typed-in young person, registered at once as if picked (tests of what follows a
        # concern); what the concern form does with a typed-in child is tested on its own.
        typed = kwargs.pop("new_young_person", None)
        if typed is not None:
            kwargs["young_person"] = case_services.young_person_find_or_create(
                municipality=kwargs["municipality"],
                full_name=typed.full_name,
                birth_date=typed.birth_date,
                cpr_number=typed.cpr_number,
                school=typed.school,
                created_by=kwargs["author"],
            )
        return case_services.concern_submit(**kwargs)


class CaseFactory(DjangoModelFactory):
    """An open case, opened by an SSP consultant of the municipality; its access grants are
    synced by the service. By default a new §115 group handles it: pass the demo's
    `responsible_body` to open one in a demo municipality."""

    class Meta:
        model = Case

    municipality = factory.SubFactory(MunicipalityFactory)
    opened_by = factory.LazyAttribute(lambda o: _staff_of(o.municipality, is_ssp_consultant=True))
    young_person = factory.SubFactory(
        YoungPersonFactory,
        municipality=factory.SelfAttribute("..municipality"),
        created_by=factory.SelfAttribute("..opened_by"),
    )
    responsible_body = factory.SubFactory(
        BodyFactory,
        kind=BodyKind.GROUP_115,
        municipality=factory.SelfAttribute("..municipality"),
        parent=factory.SubFactory(
            BodyFactory, municipality=factory.SelfAttribute("..municipality")
        ),
    )
    level = PreventionLevel.INDIVIDUAL
    prevention_kind = PreventionKind.REACTIVE

    @classmethod
    def _create(cls, model_class: type[Case], *args: Any, **kwargs: Any) -> Case:
        return case_services.case_open(**kwargs)


class MeetingFactory(DjangoModelFactory):
    """A meeting of a body a week from now, its members invited; no mail unless
    `notify=True`. Pass the `organiser` whenever the test is about who may organise."""

    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    organiser = factory.LazyAttribute(lambda o: _staff_of(o.body.municipality))
    title = factory.Sequence(lambda n: f"Testmøde {n}")
    starts_at = factory.LazyFunction(
        lambda: (timezone.localtime() + timedelta(days=7)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    notify = False

    @classmethod
    def _create(cls, model_class: type[Meeting], *args: Any, **kwargs: Any) -> Meeting:
        return meeting_services.meeting_create(**kwargs)
