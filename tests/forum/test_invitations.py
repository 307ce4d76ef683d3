"""Adding an existing account from another municipality is an invitation its owner accepts.

Before: an administrator of Glostrup who added a person with the email of an Albertslund
account had that account silently linked and affiliated (and could then reset its second
factor and end its sessions); the page also told them that the address had an account.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client

from forum import services
from forum.models import Affiliation, InvitationStatus, Municipality, MunicipalityInvitation, Person
from ssp.models import Sector, User
from tests.personas import Personas

pytestmark = pytest.mark.django_db

INVITATIONS = "/organisation/invitationer/"
PASSWORD_LINK = re.compile(r"/ny-adgangskode/")


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _create_url() -> str:
    return f"/organisation/kommune/{_glostrup().pk}/personer/ny/"


def _form(email: str, **extra: str) -> dict[str, str]:
    return {
        "full_name": "Nanna Nabo",
        "sector": "school",
        "email": email,
        "with_login": "on",
        **extra,
    }


def _admin_client(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.admin)
    return client


def _message_text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(message) for message in response.context["messages"])


def test_an_existing_account_of_another_municipality_is_invited_not_linked(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    neighbour = personas.neighbour

    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_create(
            municipality=_glostrup(),
            full_name="Nanna Nabo",
            sector=Sector.SCHOOL,
            email=neighbour.email,
            with_login=True,
            is_administrator=True,
        )

    assert Person.objects.get(pk=person.pk).user is None, "the account was linked silently"
    assert not Affiliation.objects.filter(user=neighbour, municipality=_glostrup()).exists()
    invitation = MunicipalityInvitation.objects.get(person=person)
    assert (invitation.user, invitation.status) == (neighbour, InvitationStatus.PENDING)
    assert invitation.is_administrator
    (message,) = [m for m in mail.outbox if neighbour.email in m.to]
    assert "Du er inviteret til at deltage i Glostrup" in message.subject
    assert "Roller: Administrator" in message.body
    assert f"{settings.SSP_BASE_URL}{INVITATIONS}" in message.body
    assert not PASSWORD_LINK.search(message.body), "an existing account got a password link"


def test_the_administrator_sees_the_same_whether_or_not_the_address_has_an_account(
    personas: Personas,
) -> None:
    admin = _admin_client(personas)
    seen = {}
    for label, email in (("new", "helt.ny@test.ssp"), ("existing", personas.neighbour.email)):
        started = time.perf_counter()
        response = admin.post(_create_url(), _form(email), follow=True)
        elapsed = time.perf_counter() - started
        person = Person.objects.get(email=email, municipality=_glostrup())
        page = admin.get(f"/organisation/person/{person.pk}/").content.decode()
        reset = admin.post(f"/organisation/person/{person.pk}/nulstil-totrinslogin/")
        admin_site = admin.get(f"/admin/forum/person/{person.pk}/change/").content.decode()
        seen[label] = {
            "status": [r[1] for r in response.redirect_chain],
            "message": _message_text(response),
            "login": re.search(r"<dt>Login</dt><dd>(.*?)</dd>", page).group(1),
            "reset button": "Nulstil totrinslogin" in page,
            "reset": reset.status_code,
            "admin site": "Invitation sendt til arbejdsmailen" in admin_site,
            "seconds": elapsed,
        }

    new, existing = seen["new"], seen["existing"]
    assert (
        new["message"]
        == existing["message"]
        == ("Nanna Nabo er oprettet og har fået en invitation på arbejdsmailen.")
    )
    for key in ("status", "login", "reset button", "reset", "admin site"):
        assert new[key] == existing[key], f"{key} tells the two apart: {new[key]} / {existing[key]}"
    assert new["login"] == "Invitation sendt til arbejdsmailen, endnu ikke taget i brug"
    assert new["reset"] == 403
    assert new["admin site"], "Django admin shows the login's state, not the account"
    # The same order of magnitude: both write a few rows and queue one email.
    slower, faster = (
        max(new["seconds"], existing["seconds"]),
        min(new["seconds"], existing["seconds"]),
    )
    assert slower < 10 * faster, seen


def test_adding_the_same_address_twice_is_refused_alike_for_new_and_existing_accounts(
    personas: Personas,
) -> None:
    admin = _admin_client(personas)
    refusals = []
    for email in ("helt.ny@test.ssp", personas.neighbour.email):
        admin.post(_create_url(), _form(email))
        again = admin.post(_create_url(), _form(email))
        refusals.append(
            (
                again.status_code,
                "Der findes allerede en person med det login" in again.content.decode(),
            )
        )

    assert refusals == [(422, True), (422, True)]


def test_the_invited_person_sees_who_invites_them_with_which_roles_and_accepts(
    personas: Personas,
) -> None:
    person = services.person_create(
        municipality=_glostrup(),
        full_name="Nanna Nabo",
        sector=Sector.SCHOOL,
        email=personas.neighbour.email,
        with_login=True,
        is_administrator=True,
        invited_by=personas.admin,
    )
    client = Client()
    client.force_login(personas.neighbour)

    page = client.get(INVITATIONS).content.decode()
    invitation = MunicipalityInvitation.objects.get(person=person)
    response = client.post(f"{INVITATIONS}{invitation.pk}/svar/", {"answer": "accept"})

    assert "Glostrup" in page
    assert "Administrator" in page
    assert personas.admin.full_name in page
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).user == personas.neighbour
    affiliation = Affiliation.objects.get(user=personas.neighbour, municipality=_glostrup())
    assert (affiliation.is_administrator, affiliation.is_ssp_consultant) == (True, False)
    assert MunicipalityInvitation.objects.get(pk=invitation.pk).status == InvitationStatus.ACCEPTED
    assert client.get(INVITATIONS).content.decode().count("svar/") == 0


def test_declining_links_nothing_and_the_administrator_still_sees_invitation_sent(
    personas: Personas,
) -> None:
    person = services.person_create(
        municipality=_glostrup(),
        full_name="Nanna Nabo",
        sector=Sector.SCHOOL,
        email=personas.neighbour.email,
        with_login=True,
    )
    invitation = MunicipalityInvitation.objects.get(person=person)
    client = Client()
    client.force_login(personas.neighbour)

    client.post(f"{INVITATIONS}{invitation.pk}/svar/", {"answer": "decline"})
    page = _admin_client(personas).get(f"/organisation/person/{person.pk}/").content.decode()

    assert MunicipalityInvitation.objects.get(pk=invitation.pk).status == InvitationStatus.DECLINED
    assert not Affiliation.objects.filter(
        user=personas.neighbour, municipality=_glostrup()
    ).exists()
    assert Person.objects.get(pk=person.pk).user is None
    assert "endnu ikke taget i brug" in page


def test_an_expired_invitation_can_no_longer_be_accepted(personas: Personas) -> None:
    person = services.person_create(
        municipality=_glostrup(),
        full_name="Nanna Nabo",
        sector=Sector.SCHOOL,
        email=personas.neighbour.email,
        with_login=True,
    )
    invitation = MunicipalityInvitation.objects.get(person=person)
    client = Client()
    client.force_login(personas.neighbour)
    later = timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)

    with time_machine.travel(invitation.created_at + later):
        response = client.post(f"{INVITATIONS}{invitation.pk}/svar/", {"answer": "accept"})

    assert response.status_code == 404
    assert not Affiliation.objects.filter(
        user=personas.neighbour, municipality=_glostrup()
    ).exists()


def test_a_consultant_role_for_a_police_account_is_refused_when_accepting_and_nothing_is_saved(
    personas: Personas,
) -> None:
    officer = User.objects.create_user(
        "betjent@test.ssp", password="x", full_name="Bo Betjent", sector=Sector.POLICE
    )
    services.affiliation_set(
        user=officer, municipality=Municipality.objects.get(code="165"), by=None
    )
    person = services.person_create(
        municipality=_glostrup(),
        full_name="Bo Betjent",
        sector=Sector.SCHOOL,  # typed wrongly by the administrator
        email=officer.email,
        with_login=True,
        is_ssp_consultant=True,
        invited_by=personas.admin,
    )
    invitation = MunicipalityInvitation.objects.get(person=person)
    client = Client()
    client.force_login(officer)

    listed = client.get(INVITATIONS).content.decode()
    response = client.post(f"{INVITATIONS}{invitation.pk}/svar/", {"answer": "accept"}, follow=True)

    assert "SSP-konsulent" in listed
    assert "Kun medarbejdere fra kommunens egne sektorer" in response.content.decode()
    assert not Affiliation.objects.filter(user=officer, municipality=_glostrup()).exists()
    assert Person.objects.get(pk=person.pk).user is None
    assert MunicipalityInvitation.objects.get(pk=invitation.pk).status == InvitationStatus.PENDING


def test_roles_without_a_login_are_refused_on_the_form(personas: Personas) -> None:
    response = _admin_client(personas).post(
        _create_url(), {"full_name": "Ny Kontakt", "sector": "school", "is_administrator": "on"}
    )

    assert response.status_code == 422
    assert "Roller kræver et login" in response.content.decode()
    assert not Person.objects.filter(full_name="Ny Kontakt").exists()
