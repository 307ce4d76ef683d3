"""Giving someone a role that reads cases is a disclosure: it is written to the access log
(`GRANT`, with the municipality and purpose) and mailed to the municipality's SSP consultants,
after the commit, naming who gave which role to whom, with a link and no young person's name.
Only staff of a handling sector may be SSP consultants."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cases import services as case_services
from cases.models import Case, YoungPerson
from cases.permissions import can_see_triage_queue
from forum import services
from forum.models import Affiliation, Body, Membership, Municipality, Person
from ssp.models import AuditAction, AuditEvent, Sector, User
from tests.forum.service_helpers import field_errors
from tests.personas import Personas

# Glostrup's second demo consultant, on holiday: a disclosure is mailed to every consultant,
# absent or not (a stand-in does not replace this safety net).
HOLIDAY_CONSULTANT = "morten.moerch@demo.ssp"

pytestmark = pytest.mark.django_db

SECTOR_REFUSAL = (
    "Kun medarbejdere fra kommunens egne sektorer for børn og unge (Skole, Socialforvaltning, "
    "Fritid og klub, PPR, Sundhed, SSP-sekretariat) kan være SSP-konsulenter. {name} hører til "
    "sektoren {sector} og kan kun læse en sag gennem et registreret grundlag."
)


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _second_consultant() -> User:
    """Another SSP consultant of Glostrup, so the emails have more than one recipient."""
    user = User.objects.create_user(
        "konsulent2@test.ssp",
        password="x",
        full_name="Karl Konsulent",
        sector=Sector.SSP_SECRETARIAT,
    )
    services.affiliation_set(user=user, municipality=_glostrup(), is_ssp_consultant=True, by=None)
    return user


Grants = Callable[[], list[AuditEvent]]


@pytest.fixture
def grants() -> Grants:
    """The GRANT rows written by the test, leaving out the demo's own (its ad-hoc group,
    formed by the consultant)."""
    seeded = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return lambda: list(
        AuditEvent.objects.filter(action=AuditAction.GRANT, pk__gt=seeded).order_by("pk")
    )


def _assert_no_young_person_named() -> None:
    names = [
        part
        for full_name in YoungPerson.objects.values_list("full_name", flat=True)
        for part in full_name.split()
    ]
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for name in names:
            assert name not in text, f"LEAK: {name!r} in the email to {message.to}"


def test_another_administrator_making_someone_consultant_is_logged_and_mailed_to_each_consultant(
    admin_client: Client, personas: Personas, grants: Grants, django_capture_on_commit_callbacks
) -> None:
    karl = _second_consultant()
    affiliation = Affiliation.objects.get(user=personas.leader, municipality=_glostrup())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/forum/affiliation/{affiliation.pk}/change/",
            {
                "user": personas.leader.pk,
                "municipality": affiliation.municipality_id,
                "is_ssp_consultant": "on",
                "_save": "Gem",
            },
        )

    assert response.status_code == 302
    assert can_see_triage_queue(personas.leader)
    [grant] = grants()
    assert (grant.user_id, grant.object_type, grant.object_id, grant.municipality_id) == (
        personas.admin.pk,
        "forum.affiliation",
        str(affiliation.pk),
        affiliation.municipality_id,
    )
    assert grant.purpose == "Lars Lund blev SSP-konsulent i Glostrup og læser kommunens sager"
    # Each consultant once; not the one who acted, nor the one given the role.
    assert sorted(to for message in mail.outbox for to in message.to) == sorted(
        ["konsulent@demo.ssp", karl.email, HOLIDAY_CONSULTANT]
    )
    person = Person.objects.get(user=personas.leader, municipality=_glostrup())
    for message in mail.outbox:
        assert message.subject == f"{settings.SSP_SITE_NAME}: Adgang til sager givet"
        assert "Anne Andersen har givet Lars Lund en rolle" in message.body
        assert "SSP-konsulent i Glostrup" in message.body
        assert f"{settings.SSP_BASE_URL}{person.get_absolute_url()}" in message.body
    _assert_no_young_person_named()


def test_a_seat_in_a_body_that_reads_cases_is_logged_and_mailed_to_the_consultant(
    admin_client: Client, personas: Personas, grants: Grants, django_capture_on_commit_callbacks
) -> None:
    group = Body.objects.get(name="Mandagsgruppen (§115)")
    lars = Person.objects.get(user=personas.leader, municipality=_glostrup())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("forum:membership_add", args=[group.pk]),
            {"person": lars.pk, "role": "member"},
        )

    assert response.status_code == 302
    membership = Membership.objects.get(body=group, person=lars)
    [grant] = grants()
    assert (grant.user_id, grant.object_type, grant.object_id, grant.municipality_id) == (
        personas.admin.pk,
        "forum.membership",
        str(membership.pk),
        group.municipality_id,
    )
    assert grant.purpose == (
        "Lars Lund fik rollen Medlem i Mandagsgruppen (§115), hvis medlemmer læser sager"
    )
    assert sorted(to for message in mail.outbox for to in message.to) == [
        "konsulent@demo.ssp",
        HOLIDAY_CONSULTANT,
    ]
    message = mail.outbox[0]
    assert "Anne Andersen har givet Lars Lund en rolle" in message.body
    assert "Medlem i Mandagsgruppen (§115) (§115-gruppe)" in message.body
    assert f"{settings.SSP_BASE_URL}{group.get_absolute_url()}" in message.body
    _assert_no_young_person_named()


def test_a_member_added_to_an_ad_hoc_group_on_the_case_is_logged_and_mailed_to_other_consultants(
    personas: Personas, grants: Grants, django_capture_on_commit_callbacks
) -> None:
    karl = _second_consultant()
    case = Case.objects.get(young_person__full_name="Demo-Amalie Tænktsen")
    kasper = Person.objects.get(user=personas.club)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        case_services.adhoc_member_add(case=case, by=personas.consultant, person=kasper)

    [grant] = grants()
    assert (grant.user_id, grant.object_type) == (personas.consultant.pk, "forum.membership")
    assert sorted(to for message in mail.outbox for to in message.to) == sorted(
        [karl.email, HOLIDAY_CONSULTANT]
    )
    assert f"Medlem i Ad hoc-gruppe, sag {case.pk} (Ad hoc-gruppe)" in mail.outbox[0].body
    _assert_no_young_person_named()


def test_a_seat_that_reads_no_case_or_a_person_without_login_is_no_disclosure(
    personas: Personas, grants: Grants, django_capture_on_commit_callbacks
) -> None:
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_add(
            body=Body.objects.get(name="Aktivitetsgruppen"),
            person=Person.objects.get(user=personas.leader),
            by=personas.admin,
        )
        services.membership_add(
            body=Body.objects.get(name="SSP-team Søndervang"),
            person=Person.objects.get(full_name="Bente Berg"),
            by=personas.admin,
        )

    assert grants() == []
    assert mail.outbox == []


def test_a_change_no_person_makes_is_not_logged(personas: Personas, grants: Grants) -> None:
    services.membership_add(
        body=Body.objects.get(name="SSP-team Søndervang"),
        person=Person.objects.get(user=personas.leader),
        by=None,
    )

    assert grants() == []


@pytest.mark.parametrize(("persona", "sector"), [("police", "Politi"), ("outsider", "Andet")])
def test_only_a_handling_sector_may_be_ssp_consultant(
    personas: Personas, grants: Grants, persona: str, sector: str
) -> None:
    user = personas[persona]
    before = Affiliation.objects.filter(user=user, is_ssp_consultant=True).count()

    with pytest.raises(ValidationError) as excinfo:
        services.affiliation_set(
            user=user, municipality=_glostrup(), is_ssp_consultant=True, by=personas.admin
        )

    assert field_errors(excinfo, "is_ssp_consultant") == [
        SECTOR_REFUSAL.format(name=user.full_name, sector=sector)
    ]
    assert Affiliation.objects.filter(user=user, is_ssp_consultant=True).count() == before
    assert not can_see_triage_queue(user)
    assert grants() == []


def test_django_admin_refuses_to_make_a_police_officer_consultant(
    admin_client: Client, personas: Personas
) -> None:
    affiliation = Affiliation.objects.get(user=personas.police, municipality=_glostrup())

    response = admin_client.post(
        f"/admin/forum/affiliation/{affiliation.pk}/change/",
        {
            "user": personas.police.pk,
            "municipality": affiliation.municipality_id,
            "is_ssp_consultant": "on",
            "_save": "Gem",
        },
    )

    assert response.status_code == 200
    assert SECTOR_REFUSAL.format(name="Peter Poulsen", sector="Politi") in html.unescape(
        response.content.decode()
    )
    assert not Affiliation.objects.get(pk=affiliation.pk).is_ssp_consultant
    assert not can_see_triage_queue(personas.police)
