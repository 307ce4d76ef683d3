"""Minutes, decisions and tasks: sanitised minutes written once the meeting has begun,
approval that locks the meeting and tells the participants where to read, decisions that
create tasks for the dashboard or share a case under §115.

The fixtures and data are in `minutes_helpers` (the demo §115 group's first meeting, held
yesterday, with Jonas's case on its agenda).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from cases.models import Basis
from cases.permissions import cases_visible_to
from cases.services import SHARE_CRITERIA
from meetings import minutes, services
from meetings.models import AgendaItem, Decision, Meeting
from meetings.models import Task as MeetingTask
from tests.meetings.minutes_helpers import (
    CASE_DECISION,
    CASE_ITEM,
    CASE_MINUTES,
    GROUP_115_PARTICIPANTS,
    at_days,
    first_monday_meeting,
    glostrup_person,
    hold_first_monday_meeting,
    item_titled,
)
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(personas: Personas) -> Meeting:
    return hold_first_monday_meeting()


APPROVED = "Mødets referat er godkendt, så mødet kan ikke ændres."
MINUTES_LOCKED = "Referatet er godkendt og kan ikke ændres."


# Writing the minutes -------------------------------------------------------------------------


def test_minutes_are_sanitised_and_plain_text_becomes_paragraphs(held: Meeting) -> None:
    texts = {
        item_titled(held, "SSP siden sidst").pk: (
            '<p onclick="steal()">Hej <strong>alle</strong> <a href="http://x">link</a></p>'
            "<script>alert(1)</script><ul><li>Et punkt</li></ul>"
        ),
        item_titled(held, "Nye bekymringer").pk: "Første afsnit\n\nAndet afsnit\nnæste linje",
        item_titled(held, "Opfølgning på sager").pk: "a < b & <script>x</script>",
    }

    assert services.minutes_write(meeting=held, texts=texts) == 3

    stored = dict(held.agenda_items.values_list("title", "minutes"))
    assert stored["SSP siden sidst"] == (
        "<p>Hej <strong>alle</strong> link</p><ul><li>Et punkt</li></ul>"
    )
    assert stored["Nye bekymringer"] == (
        "<p>Første afsnit</p>\n\n<p>Andet afsnit<br>næste linje</p>"
    )
    # Plain text is escaped as a whole: the stray tag is shown, never run.
    assert stored["Opfølgning på sager"] == "<p>a &lt; b &amp; &lt;script&gt;x&lt;/script&gt;</p>"
    assert stored[CASE_ITEM] == ""


def test_bold_and_italic_in_plain_lines_keep_their_paragraphs() -> None:
    assert minutes.clean("<strong>Vigtigt:</strong> ring til skolen\n\n<em>Næste</em> gang") == (
        "<p><strong>Vigtigt:</strong> ring til skolen</p>\n\n<p><em>Næste</em> gang</p>"
    )


def test_minutes_are_refused_before_the_meeting_starts(personas: Personas) -> None:
    upcoming = first_monday_meeting()
    item = item_titled(upcoming, "SSP siden sidst")

    with pytest.raises(ValidationError) as refused:
        services.minutes_write(meeting=upcoming, texts={item.pk: "For tidligt"})

    assert refused.value.messages == ["Referatet skrives, når mødet er begyndt."]
    item.refresh_from_db()
    assert item.minutes == ""


def test_minutes_for_an_item_of_another_meeting_are_refused(held: Meeting) -> None:
    other = Meeting.objects.filter(body=held.body).exclude(pk=held.pk).order_by("starts_at")[0]
    own = item_titled(held, "SSP siden sidst")
    foreign = item_titled(other, "SSP siden sidst")

    with pytest.raises(ValidationError) as refused:
        services.minutes_write(meeting=held, texts={own.pk: "Eget", foreign.pk: "Fremmed"})

    assert refused.value.messages == ["Et af punkterne hører ikke til mødet."]
    assert AgendaItem.objects.filter(pk__in=[own.pk, foreign.pk], minutes="").count() == 2


# Approval locks the meeting ------------------------------------------------------------------


@pytest.fixture
def approved(held: Meeting, personas: Personas) -> Meeting:
    services.minutes_write(
        meeting=held, texts={item_titled(held, "SSP siden sidst").pk: "Godkendt"}
    )
    return services.minutes_approve(meeting=held, by=personas.consultant)


LOCKED_CHANGES = {
    "minutes_write": (
        lambda m, p: services.minutes_write(
            meeting=m, texts={item_titled(m, "SSP siden sidst").pk: "Rettet"}
        ),
        MINUTES_LOCKED,
    ),
    "minutes_approve": (
        lambda m, p: services.minutes_approve(meeting=m, by=p.consultant),
        MINUTES_LOCKED,
    ),
    "decision_add": (
        lambda m, p: services.decision_add(
            item=item_titled(m, "Nye bekymringer"), by=p.consultant, text="Efterrationaliseret"
        ),
        MINUTES_LOCKED,
    ),
    "agenda_item_add": (
        lambda m, p: services.agenda_item_add(meeting=m, by=p.consultant, title="Eventuelt"),
        APPROVED,
    ),
    "agenda_item_move": (
        lambda m, p: services.agenda_item_move(item=item_titled(m, "Nye bekymringer"), offset=-1),
        APPROVED,
    ),
    "agenda_item_remove": (
        lambda m, p: services.agenda_item_remove(item=item_titled(m, "Nye bekymringer")),
        APPROVED,
    ),
    "meeting_update": (
        lambda m, p: services.meeting_update(
            meeting=m, title="Nyt navn", starts_at=m.starts_at, ends_at=m.ends_at
        ),
        APPROVED,
    ),
    "meeting_cancel": (
        lambda m, p: services.meeting_cancel(meeting=m, reason="For sent"),
        APPROVED,
    ),
    "guest_add": (
        lambda m, p: services.guest_add(meeting=m, person=glostrup_person("leder@demo.ssp")),
        APPROVED,
    ),
}


@pytest.mark.parametrize("change", LOCKED_CHANGES, ids=list(LOCKED_CHANGES))
def test_approved_minutes_lock_the_meeting(
    approved: Meeting, personas: Personas, change: str
) -> None:
    run, message = LOCKED_CHANGES[change]
    before = (
        list(approved.agenda_items.values_list("pk", "position", "title", "minutes")),
        list(approved.participants.values_list("pk", flat=True)),
        Decision.objects.filter(item__meeting=approved).count(),
        approved.minutes_approved_at,
    )

    with pytest.raises(ValidationError) as refused:
        run(approved, personas)

    assert refused.value.messages == [message]
    approved.refresh_from_db()
    assert approved.title == "Mandagsmøde i §115-gruppen"
    assert approved.status == "planned"
    assert (
        list(approved.agenda_items.values_list("pk", "position", "title", "minutes")),
        list(approved.participants.values_list("pk", flat=True)),
        Decision.objects.filter(item__meeting=approved).count(),
        approved.minutes_approved_at,
    ) == before


def test_the_edit_page_of_an_approved_meeting_answers_with_the_message(
    client: Client, personas: Personas, approved: Meeting
) -> None:
    client.force_login(personas.consultant)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        f"/moeder/{approved.pk}/rediger/",
        {
            "title": "Flyttet",
            "date": tomorrow.isoformat(),
            "start_time": "13:00",
            "end_time": "15:00",
        },
    )

    assert response.status_code == 422
    assert APPROVED in response.content.decode()
    approved.refresh_from_db()
    assert (approved.title, approved.starts_at) == ("Mandagsmøde i §115-gruppen", at_days(-1, 13))


def test_the_minutes_and_decision_pages_of_an_approved_meeting_refuse_with_the_message(
    client: Client, personas: Personas, approved: Meeting
) -> None:
    item = item_titled(approved, "SSP siden sidst")
    client.force_login(personas.consultant)

    minutes_page = client.post(f"/moeder/{approved.pk}/referat/", {f"item_{item.pk}": "Rettet"})
    decision_page = client.post(
        f"/moeder/{approved.pk}/dagsorden/{item.pk}/beslutning/", {"text": "For sent"}
    )
    again = client.post(f"/moeder/{approved.pk}/referat/godkend/", follow=True)

    assert minutes_page.status_code == 422
    assert MINUTES_LOCKED in minutes_page.content.decode()
    assert decision_page.status_code == 422
    assert MINUTES_LOCKED in decision_page.content.decode()
    assert again.redirect_chain == [(f"/moeder/{approved.pk}/", 302)]
    assert MINUTES_LOCKED in again.content.decode()
    item.refresh_from_db()
    assert item.minutes == "<p>Godkendt</p>"
    assert Decision.objects.filter(item__meeting=approved).count() == 0


def test_the_meeting_page_of_approved_minutes_offers_no_more_changes(
    client: Client, personas: Personas, approved: Meeting
) -> None:
    client.force_login(personas.consultant)

    page = client.get(f"/moeder/{approved.pk}/").content.decode()

    assert "Godkendt af Kirsten Kragh den" in page
    for link in ("referat/", "rediger/", "aflys/", "dagsorden/", "beslutning/"):
        assert f'href="/moeder/{approved.pk}/{link}' not in page, f"{link} still offered"
    assert f"/moeder/{approved.pk}/referat.pdf" in page


def test_approval_emails_each_participant_a_link_and_no_content(
    held: Meeting, personas: Personas, django_capture_on_commit_callbacks
) -> None:
    case_item = item_titled(held, CASE_ITEM)
    services.minutes_write(meeting=held, texts={case_item.pk: CASE_MINUTES})
    services.decision_add(item=case_item, by=personas.consultant, text=CASE_DECISION)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(meeting=held, by=personas.consultant)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(GROUP_115_PARTICIPANTS)
    assert all(len(m.to) == 1 for m in mail.outbox)
    for message in mail.outbox:
        assert message.subject == "SSP-samarbejde: Referat: Mandagsmøde i §115-gruppen"
        assert f"http://localhost:8000/moeder/{held.pk}/" in message.body
        assert message.attachments == []
        for secret in ("Jonas", "Fiktivsen", CASE_ITEM, CASE_MINUTES, CASE_DECISION):
            assert secret not in message.body, f"LEAK: {secret!r} in email to {message.to}"
            assert secret not in message.subject
    held.refresh_from_db()
    assert held.minutes_approved_by == personas.consultant


# Decisions and tasks -------------------------------------------------------------------------


def test_a_task_from_a_decision_shows_on_the_dashboard_and_is_done_there(
    client: Client, personas: Personas, held: Meeting
) -> None:
    item = item_titled(held, "Nye bekymringer")
    due_on = timezone.localdate() + timedelta(days=5)
    client.force_login(personas.consultant)

    response = client.post(
        f"/moeder/{held.pk}/dagsorden/{item.pk}/beslutning/",
        {
            "text": "Socialrådgiveren kontakter familien.",
            "task_title": "Ring til familien",
            "responsible": glostrup_person("social@demo.ssp").pk,
            "due_on": due_on.isoformat(),
        },
    )

    assert response.status_code == 302
    task = MeetingTask.objects.get(decision__item=item)
    assert (task.title, task.responsible.user, task.due_on, task.done_at) == (
        "Ring til familien",
        personas.social,
        due_on,
        None,
    )
    client.force_login(personas.social)
    dashboard = client.get("/").content.decode()
    assert "Ring til familien" in dashboard
    assert f'action="/moeder/opgave/{task.pk}/loest/"' in dashboard
    client.force_login(personas.police)
    assert "Ring til familien" not in client.get("/").content.decode()

    client.force_login(personas.social)
    done = client.post(f"/moeder/opgave/{task.pk}/loest/", {"next": "dashboard"})

    assert done.status_code == 302
    assert done["Location"] == "/"
    task.refresh_from_db()
    assert task.done_at is not None
    assert "Ring til familien" not in client.get("/").content.decode()


def test_a_task_for_someone_who_cannot_see_the_case_is_refused(
    client: Client, personas: Personas, held: Meeting
) -> None:
    item = item_titled(held, CASE_ITEM)
    club = glostrup_person("klub@demo.ssp")
    message = "Den ansvarlige har ikke adgang til sagen. Del sagen med personen først."

    with pytest.raises(ValidationError) as refused:
        services.decision_add(
            item=item,
            by=personas.consultant,
            text="Klubben følger op",
            task_title="Tal med Jonas",
            responsible=club,
        )
    client.force_login(personas.consultant)
    page = client.post(
        f"/moeder/{held.pk}/dagsorden/{item.pk}/beslutning/",
        {"text": "Klubben følger op", "task_title": "Tal med Jonas", "responsible": club.pk},
    )

    assert refused.value.message_dict == {"responsible": [message]}
    assert page.status_code == 422
    assert message in page.content.decode()
    assert Decision.objects.filter(item=item).count() == 0
    assert MeetingTask.objects.filter(responsible=club).count() == 0


def _share_post(**extra: str) -> dict:
    return {"text": "Skolelederen inddrages.", **extra}


def test_a_decision_that_shares_the_case_needs_the_criteria_and_a_purpose(
    client: Client, personas: Personas, held: Meeting
) -> None:
    item = item_titled(held, CASE_ITEM)
    shares = Basis.objects.filter(case=item.case).count()
    client.force_login(personas.consultant)

    response = client.post(
        f"/moeder/{held.pk}/dagsorden/{item.pk}/beslutning/",
        _share_post(share_with_user=str(personas.leader.pk), part_of_ssp="on"),
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Bekræft alle tre betingelser for at dele efter §115, før du deler." in page
    assert "Skriv formålet med at dele sagen." in page
    assert Decision.objects.filter(item=item).count() == 0
    assert Basis.objects.filter(case=item.case).count() == shares
    assert cases_visible_to(personas.leader).filter(pk=item.case_id).exists() is False


def test_a_decision_that_shares_the_case_creates_a_share_on_the_timeline(
    client: Client, personas: Personas, held: Meeting
) -> None:
    item = item_titled(held, CASE_ITEM)
    client.force_login(personas.consultant)

    response = client.post(
        f"/moeder/{held.pk}/dagsorden/{item.pk}/beslutning/",
        _share_post(
            share_with_user=str(personas.leader.pk),
            share_purpose="Skolen skal kende aftalen.",
            **dict.fromkeys(SHARE_CRITERIA, "on"),
        ),
    )

    assert response.status_code == 302
    share = Basis.objects.get(case=item.case, user=personas.leader)
    assert (share.purpose, share.given_by) == ("Skolen skal kende aftalen.", personas.consultant)
    assert Decision.objects.get(item=item).text == "Skolelederen inddrages."
    assert cases_visible_to(personas.leader).filter(pk=item.case_id).exists()
    timeline = client.get(f"/sager/{item.case_id}/").content.decode()
    assert "Delt med Lars Lund. Formål: Skolen skal kende aftalen." in timeline
