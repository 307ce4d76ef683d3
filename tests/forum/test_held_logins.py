"""Logins an import held back go out only when the administrator sends them, and can be resent.

An import of a few hundred people records each login as a `forum.HeldLogin`: no account, no
affiliation, no roles and no mail until an administrator of the municipality presses "Send
invitationer". Then each goes through the same logic as "Opret person" with a login, once per
person, however many administrators press at once; a row that cannot go out is reported and the
others still go.
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum import logins, services
from forum.login_models import HeldLogin
from forum.models import Affiliation, InvitationStatus, Municipality, MunicipalityInvitation, Person
from forum.tasks import deliver_held_login
from ssp.models import OutgoingEmail, Sector, User
from tests.factories import MunicipalityFactory, UserFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db

PASSWORD_LINK = re.compile(r"/ny-adgangskode/")


def _administered_municipality() -> tuple[Municipality, User]:
    municipality = MunicipalityFactory()
    admin = UserFactory(full_name="Anna Administrator")
    services.affiliation_set(user=admin, municipality=municipality, is_administrator=True, by=None)
    return municipality, admin


def _held(
    municipality: Municipality,
    email: str,
    *,
    by: User | None = None,
    sector: str = Sector.SCHOOL,
    name: str = "",
    **roles: bool,
) -> HeldLogin:
    person = services.person_create(
        municipality=municipality,
        full_name=name or email.split("@")[0].replace(".", " ").title(),
        sector=sector,
        email=email,
    )
    return logins.login_hold(person=person, by=by, **roles)


def _mails_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def test_holding_a_login_creates_no_account_and_mails_no_one() -> None:
    municipality, admin = _administered_municipality()

    held = _held(municipality, "ny.person@test.ssp", by=admin, is_administrator=True)

    assert not User.objects.filter(email="ny.person@test.ssp").exists()
    assert not OutgoingEmail.objects.filter(to="ny.person@test.ssp").exists()
    assert held.person.login_state == "held"
    assert not Affiliation.objects.filter(municipality=municipality, user__email=held.person.email)


def test_sending_all_creates_each_account_and_mails_each_person_exactly_once(
    django_capture_on_commit_callbacks,
) -> None:
    municipality, admin = _administered_municipality()
    emails = [f"person{n}@test.ssp" for n in range(3)]
    for email in emails:
        _held(municipality, email, by=admin)
    _held(municipality, "chefen@test.ssp", by=admin, is_administrator=True)

    with django_capture_on_commit_callbacks(execute=True):
        result = logins.held_logins_send(municipality=municipality, by=admin)
    # Sending again (a second press, a task run twice) sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        again = logins.held_logins_send(municipality=municipality, by=admin)
    for pk in HeldLogin.objects.values_list("pk", flat=True):
        deliver_held_login(pk)

    assert len(result.sent) == 4
    assert not result.refused
    assert (again.sent, again.refused) == ([], [])
    assert not HeldLogin.objects.filter(person__municipality=municipality).exists()
    for email in [*emails, "chefen@test.ssp"]:
        person = Person.objects.get(email=email)
        assert person.user is not None
        assert person.user.email == email
        assert Affiliation.objects.filter(user=person.user, municipality=municipality).exists()
        (message,) = _mails_to(email)
        assert PASSWORD_LINK.search(message.body), f"{email} got no password link"
        assert person.login_state == "invited"
    chief = Affiliation.objects.get(user__email="chefen@test.ssp", municipality=municipality)
    assert (chief.is_administrator, chief.is_ssp_consultant) == (True, False)


def test_only_the_chosen_are_sent(django_capture_on_commit_callbacks) -> None:
    municipality, admin = _administered_municipality()
    chosen = _held(municipality, "valgt@test.ssp", by=admin)
    left = _held(municipality, "venter@test.ssp", by=admin)

    with django_capture_on_commit_callbacks(execute=True):
        result = logins.held_logins_send(municipality=municipality, by=admin, held_ids=[chosen.pk])

    assert [person.email for person in result.sent] == ["valgt@test.ssp"]
    assert User.objects.filter(email="valgt@test.ssp").exists()
    assert len(_mails_to("valgt@test.ssp")) == 1
    assert not User.objects.filter(email="venter@test.ssp").exists()
    assert _mails_to("venter@test.ssp") == []
    assert HeldLogin.objects.get(pk=left.pk).queued_at is None


def test_refusals_are_reported_per_person_in_danish_and_the_others_still_go_out(
    django_capture_on_commit_callbacks,
) -> None:
    municipality, admin = _administered_municipality()
    taken = services.person_create(
        municipality=municipality,
        full_name="Tidligere Tina",
        sector=Sector.SCHOOL,
        email="tina@test.ssp",
        with_login=True,
        invited_by=admin,
    )
    police = _held(
        municipality,
        "betjent@test.ssp",
        by=admin,
        sector=Sector.POLICE,
        is_ssp_consultant=True,
        name="Betjent Bo",
    )
    # The import's second row for Tina's address, now another person's login.
    twin = _held(municipality, "tina@test.ssp", by=admin, name="Tina Igen")
    fine = _held(municipality, "fin@test.ssp", by=admin, name="Fin Frida")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = logins.held_logins_send(municipality=municipality, by=admin)

    assert [person.full_name for person in result.sent] == ["Fin Frida"]
    refused = {person.full_name: reason for person, reason in result.refused}
    assert set(refused) == {"Betjent Bo", "Tina Igen"}
    assert "SSP-konsulent" in refused["Betjent Bo"]
    assert refused["Tina Igen"] == "Der findes allerede en person med det login i kommunen."
    # The refused stay held, with their reason for the page; nothing of them was saved.
    assert HeldLogin.objects.get(pk=police.pk).refusal == refused["Betjent Bo"]
    assert HeldLogin.objects.get(pk=twin.pk).queued_at is None
    assert not User.objects.filter(email="betjent@test.ssp").exists()
    assert _mails_to("betjent@test.ssp") == []
    assert _mails_to("tina@test.ssp") == []
    assert Person.objects.get(pk=taken.pk).user.email == "tina@test.ssp"
    assert not HeldLogin.objects.filter(pk=fine.pk).exists()
    assert len(_mails_to("fin@test.ssp")) == 1


def test_a_row_refused_when_its_task_runs_goes_back_to_waiting_with_the_reason() -> None:
    municipality, admin = _administered_municipality()
    held = _held(municipality, "skiftet@test.ssp", by=admin, is_ssp_consultant=True)
    result = logins.held_logins_send(municipality=municipality, by=admin)  # not committed yet
    assert len(result.sent) == 1
    # Before the task runs, the person moves to the police, who are never SSP consultants.
    services.person_update(person=held.person, sector=Sector.POLICE)

    assert logins.held_login_deliver(held_id=held.pk) is False

    held.refresh_from_db()
    assert held.queued_at is None
    assert "SSP-konsulent" in held.refusal
    assert held.person.user_id is None
    assert not User.objects.filter(email="skiftet@test.ssp").exists()


def test_another_municipalitys_account_gets_an_invitation_and_is_not_linked(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    municipality, admin = _administered_municipality()
    held = _held(municipality, personas.neighbour.email, by=admin, is_administrator=True)

    with django_capture_on_commit_callbacks(execute=True):
        logins.held_logins_send(municipality=municipality, by=admin)

    person = Person.objects.get(pk=held.person_id)
    assert person.user is None, "the account was linked silently"
    assert not Affiliation.objects.filter(user=personas.neighbour, municipality=municipality)
    invitation = MunicipalityInvitation.objects.get(person=person)
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.is_administrator
    assert invitation.invited_by == admin
    (message,) = _mails_to(personas.neighbour.email)
    assert "Du er inviteret til at deltage i" in message.subject
    assert person.login_state == "invited"


def _statements(queries: list[dict]) -> list[str]:
    """The statements run, without their values (ids, addresses, times, savepoint names)."""
    shapes = []
    for query in queries:
        sql = re.sub(r"'[^']*'", "?", query["sql"])
        sql = re.sub(r'"s\d+_x\d+"', "SAVEPOINT", sql)
        shapes.append(re.sub(r"\b\d+\b", "N", sql))
    return shapes


def test_the_request_runs_the_same_statements_for_a_new_address_and_an_existing_account(
    personas: Personas,
) -> None:
    """The account work (several more writes for a new address) runs in the task: what an
    administrator can time, the request, is the same whether or not the address has an
    account elsewhere."""
    municipality, admin = _administered_municipality()
    new = _held(municipality, "helt.ny@test.ssp", by=admin, is_administrator=True)
    existing = _held(municipality, personas.neighbour.email, by=admin, is_administrator=True)

    seen = {}
    for label, held in (("new", new), ("existing", existing)):
        with CaptureQueriesContext(connection) as queries:
            result = logins.held_logins_send(
                municipality=municipality, by=admin, held_ids=[held.pk]
            )
        assert len(result.sent) == 1, label
        seen[label] = _statements(queries.captured_queries)

    assert seen["new"] == seen["existing"], "the request tells a new address from an account"
    assert any("UPDATE" in statement for statement in seen["new"])
    assert not any('INSERT INTO "ssp_user"' in statement for statement in seen["new"])


@pytest.mark.django_db(transaction=True)
def test_two_administrators_sending_at_once_send_each_login_once() -> None:
    municipality, admin = _administered_municipality()
    other_admin = UserFactory()
    services.affiliation_set(
        user=other_admin, municipality=municipality, is_administrator=True, by=None
    )
    emails = [f"samtidig{n}@test.ssp" for n in range(5)]
    for email in emails:
        _held(municipality, email, by=admin)
    barrier = threading.Barrier(2)
    sent: list[int] = []

    def press(by: User) -> None:
        try:
            barrier.wait()
            sent.append(len(logins.held_logins_send(municipality=municipality, by=by).sent))
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(user,)) for user in (admin, other_admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(sent) == 5, sent
    assert User.objects.filter(email__in=emails).count() == 5
    for email in emails:
        assert OutgoingEmail.objects.filter(to=email).count() == 1, email
    assert not HeldLogin.objects.filter(person__municipality=municipality).exists()


def test_a_queued_row_whose_task_was_lost_is_handed_over_again_by_the_sweep(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    municipality, admin = _administered_municipality()
    held = _held(municipality, "tabt@test.ssp", by=admin)
    logins.held_logins_send(municipality=municipality, by=admin)  # its commit never comes
    handed: list[list[int]] = []
    monkeypatch.setattr(logins, "_enqueue", handed.append)

    assert logins.held_logins_sweep() == 0, "a row just queued is its task's"
    with time_machine.travel(timezone.now() + logins.REQUEUE_AFTER + timedelta(seconds=1)):
        assert logins.held_logins_sweep() == 1

    assert handed[-1] == [held.pk]


# Sending again ------------------------------------------------------------------------------


def test_resending_to_a_new_account_never_used_mails_a_fresh_password_link(
    django_capture_on_commit_callbacks,
) -> None:
    municipality, admin = _administered_municipality()
    held = _held(municipality, "glemsom@test.ssp", by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        logins.held_logins_send(municipality=municipality, by=admin)
    person = Person.objects.get(pk=held.person_id)

    # A day later: the first link has run out; the new one runs from now.
    with (
        time_machine.travel(timezone.now() + timedelta(days=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        logins.login_resend(person=person, by=admin)

    first, second = _mails_to("glemsom@test.ssp")
    assert PASSWORD_LINK.search(second.body)
    assert second.body != first.body, "the same link again, not a fresh one"


def test_resending_a_pending_invitation_renews_it_and_mails_it_again(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    municipality, admin = _administered_municipality()
    held = _held(municipality, personas.neighbour.email, by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        logins.held_logins_send(municipality=municipality, by=admin)
    invitation = MunicipalityInvitation.objects.get(person_id=held.person_id)

    with time_machine.travel(timezone.now() + timedelta(days=30)):
        assert not invitation.is_open()
        with django_capture_on_commit_callbacks(execute=True):
            logins.login_resend(person=invitation.person, by=admin)
        invitation.refresh_from_db()
        assert invitation.is_open()

    assert MunicipalityInvitation.objects.filter(person_id=held.person_id).count() == 1
    assert len(_mails_to(personas.neighbour.email)) == 2


def test_resending_a_declined_invitation_invites_anew(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    municipality, admin = _administered_municipality()
    held = _held(municipality, personas.neighbour.email, by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        logins.held_logins_send(municipality=municipality, by=admin)
    invitation = MunicipalityInvitation.objects.get(person_id=held.person_id)
    services.invitation_decline(invitation=invitation, user=personas.neighbour)

    logins.login_resend(person=invitation.person, by=admin)

    statuses = MunicipalityInvitation.objects.filter(person_id=held.person_id)
    assert sorted(statuses.values_list("status", flat=True)) == ["declined", "pending"]


def test_resending_is_refused_for_a_login_in_use_one_not_sent_and_no_login() -> None:
    municipality, admin = _administered_municipality()
    in_use = services.person_create(
        municipality=municipality,
        full_name="Brugt Birthe",
        sector=Sector.SCHOOL,
        email="brugt@test.ssp",
        with_login=True,
        invited_by=admin,
    )
    in_use.user.password = make_password("valgt-selv")
    in_use.user.save(update_fields=["password"])
    held = _held(municipality, "holdt@test.ssp", by=admin)
    contact = services.person_create(
        municipality=municipality, full_name="Kontakt Karl", sector=Sector.OTHER
    )

    refusals = []
    for person in (in_use, held.person, contact):
        with pytest.raises(ValidationError) as refused:
            logins.login_resend(person=Person.objects.get(pk=person.pk), by=admin)
        refusals.append(" ".join(refused.value.messages))

    assert refusals == [
        "Brugt Birthe har allerede taget sit login i brug.",
        "Invitationen er ikke sendt endnu. Send den fra listen over invitationer, der venter.",
        "Kontakt Karl har ikke noget login, der kan sendes en invitation til.",
    ]


def test_the_administrator_sees_the_same_resend_whether_or_not_the_address_had_an_account(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    glostrup = Municipality.objects.get(code="161")
    new = _held(glostrup, "aldrig.set@test.ssp", by=personas.admin)
    existing = _held(glostrup, personas.neighbour.email, by=personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        logins.held_logins_send(
            municipality=glostrup, by=personas.admin, held_ids=[new.pk, existing.pk]
        )
    client = Client()
    client.force_login(personas.admin)

    seen = {}
    for label, held in (("new", new), ("existing", existing)):
        url = f"/organisation/person/{held.person_id}/"
        page = client.get(url).content.decode()
        response = client.post(f"{url}invitation/send-igen/", follow=True)
        seen[label] = (
            "Send invitationen igen" in page,
            [status for _url, status in response.redirect_chain],
            [str(message) for message in response.context["messages"]],
        )

    assert seen["new"][0], "no button to send again"
    assert seen["new"][1] == [302]
    assert len(seen["new"][2]) == 1
    assert "er sendt igen" in seen["new"][2][0]
    # The names differ; everything else must not.
    assert seen["existing"][2][0].replace(existing.person.full_name, "X") == seen["new"][2][
        0
    ].replace(new.person.full_name, "X")
    assert seen["new"][:2] == seen["existing"][:2]
