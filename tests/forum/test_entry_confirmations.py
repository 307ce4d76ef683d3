"""The spring confirmation of the actors' entries (forum/confirmations.py): every actor of the
ActionCard is mailed once a signed link to their own page, where they confirm or propose
corrections without a login; corrections wait for review; a link expired, tampered with,
superseded or used after the round closed is refused with a Danish page and never a 500."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import signing
from django.db.models import QuerySet
from django.test import Client
from django.utils import timezone

from forum import confirmations, services
from forum.confirmation_models import (
    ConfirmationRound,
    ConfirmationStatus,
    CorrectionStatus,
    EntryConfirmation,
)
from forum.models import Body, BodyKind, Membership, Municipality, Person
from ssp.models import AuditAction, AuditEvent, OutgoingEmail
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _open_round(municipality: Municipality | None = None) -> ConfirmationRound:
    """This year's round, open for ten more days whatever the date the test runs on."""
    confirmation_round = confirmations.round_open(
        municipality=municipality or _glostrup(), year=timezone.localdate().year
    )
    confirmation_round.closes_on = timezone.localdate() + timedelta(days=10)
    confirmation_round.save(update_fields=["closes_on"])
    return confirmation_round


def _sent(name: str) -> EntryConfirmation:
    """Jens Juhl's confirmation (an external contact of Glostrup without a login), mailed."""
    confirmation_round = _open_round()
    confirmations.confirmations_send(confirmation_round=confirmation_round)
    return EntryConfirmation.objects.select_related("person").get(
        round=confirmation_round, person__full_name=name
    )


def _confirmation_mails() -> QuerySet[OutgoingEmail]:
    """The spring confirmation's mails in the outbox (the demo seed queued others)."""
    return OutgoingEmail.objects.filter(subject__contains="Er dine oplysninger")


def _url(confirmation: EntryConfirmation) -> str:
    return f"/organisation/bekraeft/{confirmations.token_for(confirmation)}/"


def test_the_round_covers_the_actors_of_standing_bodies_only() -> None:
    glostrup = _glostrup()
    loner = Person.objects.create(municipality=glostrup, full_name="Kun Adhoc", sector="school")
    adhoc = Body.objects.filter(kind=BodyKind.AD_HOC, municipality=glostrup).first()
    Membership.objects.create(body=adhoc, person=loner)

    confirmation_round = _open_round(glostrup)

    people = set(confirmation_round.confirmations.values_list("person__full_name", flat=True))
    assert "Jens Juhl" in people
    assert "Kirsten Kragh" in people
    assert "Kun Adhoc" not in people, "someone seated only in an ad-hoc group was asked"
    assert "Ole Olsen" not in people, "an Albertslund actor is in Glostrup's round"


def test_the_daily_job_mails_each_actor_once_however_often_it_runs() -> None:
    with time_machine.travel(date(2027, 3, 2), tick=False):
        first = confirmations.rounds_run()
        second = confirmations.rounds_run()

    this_round = EntryConfirmation.objects.filter(round__year=2027).exclude(person__email="")
    with_email = this_round.count()
    assert first == with_email > 0
    assert second == 0
    outbox = list(_confirmation_mails())
    # One mail per entry: a police officer working in two municipalities has one in each.
    entries = this_round.values_list("person__email", flat=True)
    assert sorted(row.to for row in outbox) == sorted(entries)
    # The mail carries only the link: no name, no contact details.
    for row in outbox:
        person = Person.objects.filter(email=row.to).first()
        assert "/organisation/bekraeft/" in row.body
        assert person.full_name not in row.body, f"the mail to {row.to} names its actor"


def test_no_round_opens_outside_the_spring_month() -> None:
    with time_machine.travel(date(2027, 9, 2), tick=False):
        assert confirmations.rounds_run() == 0
    assert not ConfirmationRound.objects.filter(year=2027).exists()


def test_the_page_shows_only_the_own_work_details(client: Client) -> None:
    confirmation = _sent("Jens Juhl")
    person = confirmation.person
    person.private_phone = "+45 99 88 77 66"
    person.private_address = "Hemmelig Allé 1"
    person.save(update_fields=["private_phone", "private_address"])

    page = client.get(_url(confirmation))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Jens Juhl" in html
    assert "Mine oplysninger er rigtige" in html
    assert "99 88 77 66" not in html, "the private phone leaked onto the page"
    assert "Hemmelig Allé" not in html, "the private address leaked onto the page"
    assert "Kirsten Kragh" not in html, "another actor's entry is on the page"
    assert page["Referrer-Policy"] == "same-origin"


def test_confirming_records_the_answer_and_the_link_can_be_used_again(client: Client) -> None:
    confirmation = _sent("Jens Juhl")

    response = client.post(_url(confirmation), {"action": "confirm"}, follow=True)

    confirmation.refresh_from_db()
    assert response.status_code == 200
    assert confirmation.status == ConfirmationStatus.CONFIRMED
    assert "Tak! Du har bekræftet" in response.content.decode()
    assert AuditEvent.objects.filter(
        object_type="forum.entryconfirmation", object_id=str(confirmation.pk)
    ).exists()


def test_a_correction_waits_for_review_and_does_not_change_the_directory(
    client: Client, personas: Personas
) -> None:
    confirmation = _sent("Jens Juhl")
    old_phone = confirmation.person.phone

    client.post(
        _url(confirmation),
        {
            "action": "correct",
            "full_name": "Jens Juhl",
            "job_title": "Frivillig koordinator",
            "email": confirmation.person.email,
            "phone": "+45 11 22 33 44",
            "note": "Jeg er også med i Aktivitetsgruppen.",
        },
    )

    confirmation.refresh_from_db()
    person = Person.objects.get(pk=confirmation.person_id)
    correction = confirmation.corrections.get()
    assert confirmation.status == ConfirmationStatus.CORRECTED
    assert correction.proposed == {"job_title": "Frivillig koordinator", "phone": "+45 11 22 33 44"}
    assert person.phone == old_phone, "a correction changed the directory before review"

    confirmations.correction_accept(correction=correction, by=personas.consultant)

    person.refresh_from_db()
    correction.refresh_from_db()
    assert person.phone == "+45 11 22 33 44"
    assert person.job_title == "Frivillig koordinator"
    assert correction.status == CorrectionStatus.ACCEPTED
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="forum.person", user_id=personas.consultant.pk
    ).exists()


def test_a_rejected_correction_leaves_the_entry(client: Client, personas: Personas) -> None:
    confirmation = _sent("Jens Juhl")
    correction = confirmations.entry_correct(
        confirmation=confirmation, changes={"job_title": "Direktør"}
    )

    confirmations.correction_reject(correction=correction, by=personas.admin)

    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.REJECTED
    assert Person.objects.get(pk=confirmation.person_id).job_title != "Direktør"


def test_a_bad_correction_keeps_the_input_and_saves_nothing(client: Client) -> None:
    confirmation = _sent("Jens Juhl")
    before = list(confirmation.corrections.values_list("pk", "proposed"))

    response = client.post(
        _url(confirmation),
        {"action": "correct", "full_name": "Jens Juhl", "phone": "ring mig", "note": ""},
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "ring mig" in html
    assert "Skriv et telefonnummer" in html
    assert list(confirmation.corrections.values_list("pk", "proposed")) == before


def test_nothing_changed_is_no_correction(client: Client) -> None:
    confirmation = _sent("Jens Juhl")
    person = confirmation.person

    response = client.post(
        _url(confirmation),
        {
            "action": "correct",
            "full_name": person.full_name,
            "job_title": person.job_title,
            "email": person.email,
            "phone": person.phone,
        },
    )

    assert response.status_code == 422
    assert "Du har ikke ændret noget" in response.content.decode()


def test_a_tampered_link_is_refused(client: Client) -> None:
    confirmation = _sent("Jens Juhl")
    token = confirmations.token_for(confirmation)
    other = EntryConfirmation.objects.filter(
        round=confirmation.round, status=ConfirmationStatus.PENDING
    ).exclude(pk=confirmation.pk)[0]
    # Someone swaps the id in the readable payload for another actor's.
    _payload, rest = token.split(":", 1)
    forged_payload = signing.b64_encode(
        signing.JSONSerializer().dumps({"c": other.pk, "n": confirmation.nonce})
    ).decode()

    answers = [
        client.get(f"/organisation/bekraeft/{token[:-2]}xx/"),
        client.get(f"/organisation/bekraeft/{forged_payload}:{rest}/"),
        client.get("/organisation/bekraeft/ikke-et-link/"),
    ]

    assert [a.status_code for a in answers] == [400, 400, 400]
    assert all("Linket er ugyldigt" in a.content.decode() for a in answers)
    assert other.person.full_name not in answers[1].content.decode()
    response = client.post(
        f"/organisation/bekraeft/{forged_payload}:{rest}/", {"action": "confirm"}
    )
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.status == ConfirmationStatus.PENDING


def test_another_persons_link_shows_only_that_person(client: Client) -> None:
    mine = _sent("Jens Juhl")
    theirs = EntryConfirmation.objects.get(round=mine.round, person__full_name="Kirsten Kragh")

    page = client.get(_url(theirs)).content.decode()

    assert "Kirsten Kragh" in page
    assert "Jens Juhl" not in page


def test_an_expired_link_is_refused(client: Client) -> None:
    confirmation = _sent("Jens Juhl")
    url = _url(confirmation)

    with time_machine.travel(timezone.now() + timedelta(days=60)):
        response = client.get(url)

    assert response.status_code == 410
    assert "Linket er udløbet" in response.content.decode()


def test_a_resent_link_revokes_the_old_one(client: Client, personas: Personas) -> None:
    confirmation = _sent("Jens Juhl")
    old = _url(confirmation)

    confirmations.confirmation_resend(confirmation=confirmation, by=personas.consultant)

    confirmation.refresh_from_db()
    assert client.get(old).status_code == 410
    assert client.get(_url(confirmation)).status_code == 200
    assert confirmation.send_count == 2


def test_a_replay_after_the_round_closed_is_refused(client: Client) -> None:
    confirmation = _sent("Jens Juhl")
    url = _url(confirmation)
    client.post(url, {"action": "confirm"})
    assert not confirmation.corrections.exists(), "confirming kept a correction waiting"
    confirmation.round.closes_on = timezone.localdate() - timedelta(days=1)
    confirmation.round.save(update_fields=["closes_on"])

    shown = client.get(url)
    replayed = client.post(url, {"action": "correct", "full_name": "Ny Navn"})

    assert shown.status_code == 410
    assert replayed.status_code == 410
    assert "Årets runde er slut" in replayed.content.decode()
    assert not confirmation.corrections.exists()


def test_the_overview_shows_answers_and_corrections(client: Client, personas: Personas) -> None:
    confirmation = _sent("Jens Juhl")
    confirmations.entry_correct(
        confirmation=confirmation, changes={"job_title": "Natteravnskoordinator"}
    )
    year = confirmation.round.year
    client.force_login(personas.consultant)

    page = client.get(f"/organisation/kommune/{_glostrup().pk}/bekraeftelser/{year}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert f"Bekræftelser {year}" in html
    assert "Natteravnskoordinator" in html
    assert "Rettelser foreslået: 1" in html
    assert "Send igen" in html


def test_the_editor_reaches_the_overview_from_the_menu(client: Client, personas: Personas) -> None:
    client.force_login(personas.admin)

    page = client.get("/").content.decode()

    assert 'href="/organisation/bekraeftelser/"' in page


def test_an_editor_starts_the_round_and_mails_once(client: Client, personas: Personas) -> None:
    ConfirmationRound.objects.all().delete()  # the demo's
    client.force_login(personas.admin)
    year = timezone.localdate().year
    url = f"/organisation/kommune/{_glostrup().pk}/bekraeftelser/{year}/start/"
    client.post(url)
    client.post(url)

    recipients = list(_confirmation_mails().values_list("to", flat=True))
    assert recipients
    assert len(recipients) == len(set(recipients))


def test_a_person_removed_from_the_directory_takes_their_confirmation_along() -> None:
    confirmation = _sent("Jens Juhl")

    services.person_delete(person=confirmation.person)

    assert not EntryConfirmation.objects.filter(pk=confirmation.pk).exists()
