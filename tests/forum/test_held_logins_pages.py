"""The administrator's pages for held logins: the list, the confirmation, the result, the
person's page; and what an administrator of another municipality sees of them (nothing)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum import logins, services
from forum.login_models import HeldLogin
from forum.models import Municipality, Person
from ssp.models import OutgoingEmail, Sector, User
from tests.factories import MunicipalityFactory, UserFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def _held(code: str, name: str, email: str, **roles: bool) -> HeldLogin:
    person = services.person_create(
        municipality=_municipality(code), full_name=name, sector=Sector.SCHOOL, email=email
    )
    return logins.login_hold(person=person, by=None, **roles)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _list_url(code: str, action: str = "") -> str:
    return f"/organisation/kommune/{_municipality(code).pk}/invitationer-der-venter/{action}"


def test_the_list_shows_the_municipalitys_held_logins_with_unit_roles_and_who_imported_them(
    personas: Personas,
) -> None:
    held = _held("161", "Ida Import", "ida@test.ssp", is_administrator=True)
    held.created_by = personas.admin
    held.save(update_fields=["created_by"])

    page = _client(personas.admin).get(_list_url("161")).content.decode()

    row = page[page.index("Ida Import") :].split("</tr>")[0]
    assert "ida@test.ssp" in row
    assert "Administrator" in row
    assert f"af {personas.admin.full_name}" in row
    assert 'name="held"' in page
    assert "Send til alle" in page


def test_sending_asks_for_a_confirmation_naming_the_count_then_reports_per_person(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    first = _held("161", "Ida Import", "ida@test.ssp")
    second = _held("161", "Ib Import", "ib@test.ssp")
    refused = _held("161", "Sara Social", "social@demo.ssp")  # already a login in Glostrup
    admin = _client(personas.admin)
    chosen = {"held": [str(first.pk), str(second.pk), str(refused.pk)]}

    confirm = admin.post(_list_url("161", "send/"), chosen)
    assert not OutgoingEmail.objects.filter(to__in=["ida@test.ssp", "ib@test.ssp"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        result = admin.post(_list_url("161", "send/"), {**chosen, "confirmed": "yes"})

    assert "sende invitationer til 3 personer" in confirm.content.decode()
    text = result.content.decode()
    assert "2 invitationer sendes nu." in text
    assert "1 invitation kunne ikke sendes." in text
    assert "Der findes allerede en person med det login i kommunen." in text
    for email in ("ida@test.ssp", "ib@test.ssp"):
        assert len([m for m in mail.outbox if email in m.to]) == 1, email
    assert HeldLogin.objects.filter(pk=refused.pk).exists()


def test_sending_none_chosen_says_so_and_sends_nothing(personas: Personas) -> None:
    held = _held("161", "Ida Import", "ida@test.ssp")

    response = _client(personas.admin).post(
        _list_url("161", "send/"), {"held": ["x", ""], "confirmed": "yes"}, follow=True
    )

    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["Vælg mindst én person, der venter på sin invitation."]
    assert HeldLogin.objects.get(pk=held.pk).queued_at is None


def test_the_persons_page_says_the_login_awaits_its_invitation_and_sends_it(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    held = _held("161", "Ida Import", "ida@test.ssp")
    admin = _client(personas.admin)
    url = f"/organisation/person/{held.person_id}/"

    before = admin.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = admin.post(f"{url}invitation/send/", follow=True)

    assert "Får login, men invitationen er ikke sendt endnu" in before
    assert "Send invitation" in before
    after = sent.content.decode()
    assert "Invitationen til Ida Import sendes nu." in after
    assert "Invitation sendt til arbejdsmailen, endnu ikke taget i brug" in after
    assert "Send invitationen igen" in after
    assert Person.objects.get(pk=held.person_id).user.email == "ida@test.ssp"


def test_invited_people_not_yet_signed_in_are_listed_with_send_again(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        new = services.person_create(
            municipality=_municipality("161"),
            full_name="Nye Nina",
            sector=Sector.SCHOOL,
            email="nina@test.ssp",
            with_login=True,
            invited_by=personas.admin,
        )
        elsewhere = services.person_create(
            municipality=_municipality("161"),
            full_name="Nabo Nanna",
            sector=Sector.SCHOOL,
            email=personas.neighbour.email,
            with_login=True,
            invited_by=personas.admin,
        )
    admin = _client(personas.admin)

    page = admin.get(_list_url("161")).content.decode()
    listed = page[page.index('id="not-taken-up"') :]
    response = admin.post(
        f"/organisation/person/{elsewhere.pk}/invitation/send-igen/", {"back": "list"}
    )

    assert "Nye Nina" in listed
    assert "Nabo Nanna" in listed
    assert "Send igen" in listed
    assert "Sara Social" not in listed, "someone signed in is listed as not yet signed in"
    assert response.status_code == 302
    assert response["Location"] == _list_url("161")
    assert new.pk != elsewhere.pk


def test_an_administrator_sees_and_sends_none_of_another_municipalitys_held_logins(
    personas: Personas,
) -> None:
    """The demo's administrator administers Glostrup and Albertslund; another municipality
    (with its own administrator) is not theirs."""
    other = MunicipalityFactory(code="999")
    services.affiliation_set(user=UserFactory(), municipality=other, is_administrator=True, by=None)
    ours = _held("161", "Glostrup Gitte", "gitte@test.ssp")
    theirs = _held("999", "Anden Anna", "anna@test.ssp")
    admin = _client(personas.admin)

    own_list = admin.get(_list_url("161")).content.decode()
    their_list = admin.get(_list_url("999"))
    smuggled = admin.post(_list_url("161", "send/"), {"held": [str(theirs.pk)], "confirmed": "yes"})
    their_person = admin.post(f"/organisation/person/{theirs.person_id}/invitation/send/")
    their_resend = admin.post(f"/organisation/person/{theirs.person_id}/invitation/send-igen/")

    assert "Glostrup Gitte" in own_list
    assert "Anden Anna" not in own_list, "another municipality's held login is listed"
    assert their_list.status_code == 404
    assert smuggled.status_code == 302, "another municipality's row was sent"
    assert their_person.status_code == 404
    assert their_resend.status_code == 404
    theirs.refresh_from_db()
    assert theirs.queued_at is None
    assert not User.objects.filter(email="anna@test.ssp").exists()
    assert ours.queued_at is None


def test_staff_who_do_not_administer_get_403_and_send_nothing(personas: Personas) -> None:
    held = _held("161", "Ida Import", "ida@test.ssp")
    consultant = _client(personas.consultant)

    responses = [
        consultant.get(_list_url("161")).status_code,
        consultant.post(_list_url("161", "send/"), {"all": "1", "confirmed": "yes"}).status_code,
        consultant.post(f"/organisation/person/{held.person_id}/invitation/send/").status_code,
    ]

    assert responses == [403, 403, 403]
    assert HeldLogin.objects.get(pk=held.pk).queued_at is None


def test_the_list_reads_in_the_same_number_of_queries_however_many_wait(
    personas: Personas,
) -> None:
    admin = _client(personas.admin)
    counts = []
    for batch in range(2):
        for n in range(1 + 4 * batch):
            _held("161", f"Person {batch}-{n}", f"p{batch}-{n}@test.ssp")
        admin.get(_list_url("161"))  # the session and caches warm
        with CaptureQueriesContext(connection) as queries:
            assert admin.get(_list_url("161")).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
