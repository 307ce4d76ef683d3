"""People through the service layer: a person with a login gets a user and an invitation
to set a password after commit; an already affiliated user is linked, not invited again.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from forum import services
from forum.models import Affiliation, Municipality, Person, Unit
from ssp.models import Sector, User
from tests.forum.service_helpers import field_errors, municipal_perms, row_counts
from tests.personas import Personas

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kaffekande-Regnbue-47"
INVITATION_LINK = re.compile(r"https?://\S+/ny-adgangskode/[^\s/]+/[^\s/]+/")


def _municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def _person(name: str, code: str = "161") -> Person:
    return Person.objects.get(full_name=name, municipality__code=code)


def _unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def _set_password_path(message_body: str) -> str:
    links = INVITATION_LINK.findall(message_body)
    assert len(links) == 1, f"expected one password link in the invitation, found {links}"
    assert links[0].startswith(f"{settings.SSP_BASE_URL}/")
    return urlsplit(links[0]).path


def test_person_create_with_login_creates_a_user_and_invites_them_after_commit(
    django_capture_on_commit_callbacks, mailoutbox
) -> None:
    glostrup = _municipality("161")
    users_before = User.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_create(
            municipality=glostrup,
            full_name=" Maja Mortensen ",
            sector=Sector.SCHOOL,
            job_title="Lærer",
            unit=_unit("Glostrup Skole"),
            email=" Maja.Mortensen@Glostrup.DK ",
            with_login=True,
        )
        assert mailoutbox == [], "the invitation went out before the transaction committed"

    assert User.objects.count() == users_before + 1
    user = User.objects.get(email="maja.mortensen@glostrup.dk")
    assert (user.full_name, user.sector) == ("Maja Mortensen", Sector.SCHOOL)
    assert not user.has_usable_password()
    assert not user.is_staff
    saved = Person.objects.get(pk=person.pk)
    assert saved.user == user
    assert saved.email == "maja.mortensen@glostrup.dk"
    affiliation = Affiliation.objects.get(user=user)
    assert affiliation.municipality == glostrup
    assert not affiliation.is_administrator
    assert not affiliation.is_ssp_consultant

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["maja.mortensen@glostrup.dk"]
    assert message.subject == f"Du er oprettet i {settings.SSP_SITE_NAME}"
    assert "Hej Maja Mortensen" in message.body
    assert "Vælg din adgangskode her:" in message.body


def test_the_invitation_link_opens_the_set_password_form_and_sets_the_password(
    django_capture_on_commit_callbacks, mailoutbox
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_create(
            municipality=_municipality("161"),
            full_name="Maja Mortensen",
            sector=Sector.SCHOOL,
            email="maja.mortensen@glostrup.dk",
            with_login=True,
        )
    user = person.user
    client = Client()

    opened = client.get(_set_password_path(mailoutbox[0].body))

    assert opened.status_code == 302
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    assert opened["Location"] == f"/ny-adgangskode/{uidb64}/set-password/"
    form = client.get(opened["Location"])
    assert form.status_code == 200
    assert 'name="new_password1"' in form.content.decode()

    done = client.post(
        opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert done.status_code == 302
    # A new account has no authenticator yet: it is set up next, the mailbox being proven.
    assert done["Location"] == "/log-ind/opsaet-app/"
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def test_the_invitation_names_the_administrator_who_sent_it(
    personas: Personas, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.person_create(
            municipality=_municipality("161"),
            full_name="Maja Mortensen",
            sector=Sector.SCHOOL,
            email="maja.mortensen@glostrup.dk",
            with_login=True,
            invited_by=personas.admin,
        )

    assert len(mailoutbox) == 1
    assert f"{personas.admin.full_name} har oprettet dig som bruger" in mailoutbox[0].body


def test_person_create_refuses_a_login_email_already_in_the_municipality(
    personas: Personas, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    before = row_counts()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as excinfo,
    ):
        services.person_create(
            municipality=_municipality("161"),
            full_name="Sara Skov igen",
            sector=Sector.SOCIAL,
            email=personas.social.email.upper(),
            with_login=True,
        )

    assert field_errors(excinfo, "email") == [
        "Der findes allerede en person med det login i kommunen."
    ]
    assert row_counts() == before
    assert mailoutbox == []


def test_person_create_keeps_the_roles_of_an_already_affiliated_user(
    personas: Personas,
) -> None:
    glostrup = _municipality("161")
    services.affiliation_set(
        user=personas.neighbour, municipality=glostrup, is_ssp_consultant=True, by=None
    )

    services.person_create(
        municipality=glostrup,
        full_name="Nanna Nabo",
        sector=Sector.SCHOOL,
        email=personas.neighbour.email,
        with_login=True,
    )

    assert Affiliation.objects.get(user=personas.neighbour, municipality=glostrup).is_ssp_consultant
    assert municipal_perms(personas.neighbour, glostrup) == {"forum.triage_municipality"}


def test_person_create_with_login_needs_an_email(mailoutbox) -> None:
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            municipality=_municipality("161"),
            full_name="Maja Mortensen",
            sector=Sector.SCHOOL,
            email="  ",
            with_login=True,
        )

    assert field_errors(excinfo, "email") == ["En person med login skal have en arbejdsmail."]
    assert row_counts() == before


def test_person_create_without_login_creates_no_user_and_sends_nothing(
    django_capture_on_commit_callbacks, mailoutbox
) -> None:
    users_before = User.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_create(
            municipality=_municipality("161"),
            full_name="Maja Mortensen",
            sector=Sector.SCHOOL,
            email="maja.mortensen@glostrup.dk",
            phone=" +45 43 23 63 99 ",
        )

    saved = Person.objects.get(pk=person.pk)
    assert saved.user is None
    assert saved.phone == "+45 43 23 63 99"
    assert User.objects.count() == users_before
    assert mailoutbox == []


def test_person_create_refuses_a_unit_of_another_municipality() -> None:
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            municipality=_municipality("161"),
            full_name="Maja Mortensen",
            sector=Sector.SCHOOL,
            unit=_unit("Herstedvester Skole"),
            email="maja.mortensen@glostrup.dk",
            with_login=True,
        )

    assert field_errors(excinfo, "unit") == ["Enheden skal høre til samme kommune."]
    assert row_counts() == before


def test_person_update_renames_the_persons_login_too(personas: Personas) -> None:
    person = _person("Sara Skov")

    services.person_update(person=person, full_name=" Sara Skov Hansen ")

    assert Person.objects.get(pk=person.pk).full_name == "Sara Skov Hansen"
    assert User.objects.get(pk=personas.social.pk).full_name == "Sara Skov Hansen"


def test_person_update_refuses_fields_it_does_not_own() -> None:
    person = _person("Bente Berg")

    with pytest.raises(TypeError, match="municipality"):
        services.person_update(person=person, municipality=_municipality("165"))

    assert Person.objects.get(pk=person.pk).municipality == _municipality("161")
