"""The legal-hold page of a municipality: its administrators and SSP consultants list the holds
(by case number and young person's id, never the child's name), place one by case number with
a reason and release it with a reason; every change is in the access log and the hold's
history. An administrator of another municipality sees none of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Case, CaseStatus, HoldScope, LegalHold, YoungPerson
from cases.tasks import apply_retention
from forum import services as forum_services
from forum.models import Municipality
from ssp.models import AuditAction, AuditEvent
from tests.html import without_cell_labels
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MIKKEL = "Demo-Mikkel Eksempelsen"
REASON = "Politiet har bedt om, at sagen bevares til en retssag."


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _albertslund() -> Municipality:
    return Municipality.objects.get(code="165")


def _case(name: str) -> Case:
    return Case.objects.select_related("young_person").get(young_person__full_name=name)


def _holds_url(municipality: Municipality) -> str:
    return f"/opbevaring/{municipality.pk}/tilbageholdelse/"


def _place(client: Client, case: Case, *, scope: str = "case", reason: str = REASON):  # type: ignore[no-untyped-def]
    return client.post(
        _holds_url(_glostrup()), {"case_number": case.pk, "scope": scope, "reason": reason}
    )


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_an_administrator_holds_a_case_by_its_number_and_the_access_log_says_so(
    client: Client, personas: Personas
) -> None:
    mikkel = _case(MIKKEL)
    client.force_login(personas.admin)
    last = _last_event_id()

    response = _place(client, mikkel)

    assert response.status_code == 302
    assert response["Location"] == _holds_url(_glostrup())
    hold = LegalHold.objects.get(case=mikkel)
    assert (hold.placed_by, hold.reason, hold.released_at) == (personas.admin, REASON, None)
    mikkel.refresh_from_db()
    assert mikkel.legal_hold is True
    assert mikkel.young_person.legal_hold is False
    event = AuditEvent.objects.get(id__gt=last)
    assert (event.user_email, event.action) == ("admin@demo.ssp", AuditAction.CREATE)
    assert (event.object_type, event.object_id) == ("cases.legalhold", str(hold.pk))
    assert (event.subject_id, event.municipality_id) == (mikkel.young_person_id, _glostrup().pk)
    assert event.purpose == REASON


def test_the_list_shows_the_case_number_and_young_persons_id_but_never_the_name(
    client: Client, personas: Personas
) -> None:
    mikkel = _case(MIKKEL)
    client.force_login(personas.admin)
    _place(client, mikkel)

    page = client.get(_holds_url(_glostrup()))

    assert page.status_code == 200
    html = without_cell_labels(page.content.decode())
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    assert f"<td>{mikkel.pk}</td>" in row, "an administrator sees the number, not a link"
    assert f"<td>{mikkel.young_person_id}</td>" in row
    assert REASON in row
    assert personas.admin.full_name in row
    assert "Mikkel" not in html, "LEAK: the hold page names the young person"
    assert f'href="/sager/{mikkel.pk}/"' not in html


def test_a_consultant_gets_a_link_to_the_held_case(client: Client, personas: Personas) -> None:
    mikkel = _case(MIKKEL)
    client.force_login(personas.consultant)
    assert _place(client, mikkel).status_code == 302

    html = client.get(_holds_url(_glostrup())).content.decode()

    assert f'<a href="/sager/{mikkel.pk}/">{mikkel.pk}</a>' in html
    assert "Mikkel" not in html


def test_holding_the_young_person_keeps_every_case_about_them_from_retention(
    client: Client, personas: Personas, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.RETENTION_CLOSED_CASE_DAYS = 60
    emma = _case("Demo-Emma Eksempeldatter")  # closed in the demo
    Case.objects.filter(pk=emma.pk).update(closed_at=timezone.now() - timedelta(days=400))
    client.force_login(personas.consultant)

    response = _place(client, emma, scope=HoldScope.YOUNG_PERSON)
    deleted = apply_retention.apply().get()

    assert response.status_code == 302
    hold = LegalHold.objects.get(young_person=emma.young_person)
    assert hold.case_id is None
    assert YoungPerson.objects.get(pk=emma.young_person_id).legal_hold is True
    assert Case.objects.get(pk=emma.pk).legal_hold is False
    assert "case" not in deleted
    assert Case.objects.filter(pk=emma.pk).exists()


@pytest.mark.parametrize(
    ("case_number", "message"),
    [
        ("999999", "Kommunen har ingen sag med det nummer."),
        ("noah", "Kommunen har ingen sag med det nummer."),
        ("abc", "Indtast et heltal."),
    ],
)
def test_a_case_number_the_municipality_does_not_have_is_refused_with_the_input_kept(
    client: Client, personas: Personas, case_number: str, message: str
) -> None:
    if case_number == "noah":
        case_number = str(_case("Demo-Noah Nulsen").pk)  # Albertslund's, not Glostrup's
    client.force_login(personas.admin)

    response = client.post(
        _holds_url(_glostrup()), {"case_number": case_number, "scope": "case", "reason": REASON}
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert f'value="{case_number}"' in html
    assert REASON in html
    assert not LegalHold.objects.exists()


def test_a_held_case_cannot_be_held_again_and_a_reason_is_needed(
    client: Client, personas: Personas
) -> None:
    mikkel = _case(MIKKEL)
    client.force_login(personas.admin)
    _place(client, mikkel)

    again = _place(client, mikkel)
    without_reason = _place(client, _case("Demo-Jonas Fiktivsen"), reason="")

    assert again.status_code == 422
    assert "Sagen er allerede retligt tilbageholdt." in again.content.decode()
    assert without_reason.status_code == 422
    assert LegalHold.objects.count() == 1


def test_releasing_a_hold_needs_a_reason_and_leaves_its_history(
    client: Client, personas: Personas
) -> None:
    mikkel = _case(MIKKEL)
    client.force_login(personas.admin)
    _place(client, mikkel)
    hold = LegalHold.objects.get(case=mikkel)
    url = f"{_holds_url(_glostrup())}{hold.pk}/ophaev/"
    client.force_login(personas.consultant)

    refused = client.post(url, {"reason": ""})
    last = _last_event_id()
    released = client.post(url, {"reason": "Retssagen er afsluttet."})
    gone = client.get(url)

    assert refused.status_code == 422
    assert released.status_code == 302
    assert gone.status_code == 404, "a released hold cannot be released again"
    hold.refresh_from_db()
    assert (hold.released_by, hold.release_reason) == (
        personas.consultant,
        "Retssagen er afsluttet.",
    )
    assert Case.objects.get(pk=mikkel.pk).legal_hold is False
    event = AuditEvent.objects.get(id__gt=last)
    assert (event.action, event.object_type, event.subject_id) == (
        AuditAction.UPDATE,
        "cases.legalhold",
        mikkel.young_person_id,
    )
    assert event.purpose == "Retssagen er afsluttet."
    page = client.get(_holds_url(_glostrup())).content.decode()
    history = page[page.index("Ophævede tilbageholdelser") :]
    assert "Retssagen er afsluttet." in history
    assert personas.consultant.full_name in history
    assert "0 tilbageholdelser" in page


def test_a_hold_placed_in_the_shell_before_its_history_can_be_released_on_the_page(
    client: Client, personas: Personas
) -> None:
    # What migration 0007 does for a flag set before the history existed: a row without who.
    mikkel = _case(MIKKEL)
    Case.objects.filter(pk=mikkel.pk).update(legal_hold=True)
    hold = LegalHold.objects.create(municipality=_glostrup(), case=mikkel)
    client.force_login(personas.admin)

    response = client.post(
        f"{_holds_url(_glostrup())}{hold.pk}/ophaev/", {"reason": "Ikke længere nødvendig."}
    )

    assert response.status_code == 302
    assert Case.objects.get(pk=mikkel.pk).legal_hold is False


# --- An administrator of another municipality sees nothing --------------------------------


def test_an_administrator_of_another_municipality_sees_none_of_the_holds(
    client: Client, personas: Personas
) -> None:
    forum_services.affiliation_set(
        user=personas.neighbour, municipality=_albertslund(), is_administrator=True, by=None
    )
    glostrup_hold = services.legal_hold_place(
        municipality=_glostrup(),
        by=personas.admin,
        case_number=_case(MIKKEL).pk,
        scope=HoldScope.CASE,
        reason=REASON,
    )
    client.force_login(personas.neighbour)

    index = client.get("/opbevaring/")
    glostrup_page = client.get(_holds_url(_glostrup()))
    release = client.post(
        f"{_holds_url(_albertslund())}{glostrup_hold.pk}/ophaev/", {"reason": "Ud med den."}
    )
    via_glostrup = client.post(
        f"{_holds_url(_glostrup())}{glostrup_hold.pk}/ophaev/", {"reason": "Ud med den."}
    )
    placed = client.post(
        _holds_url(_albertslund()),
        {"case_number": _case(MIKKEL).pk, "scope": "case", "reason": REASON},
    )

    assert index.status_code == 200
    assert "Albertslund" in index.content.decode()
    assert "Glostrup" not in index.content.decode(), "LEAK: the index offers Glostrup"
    assert glostrup_page.status_code == 404
    assert (release.status_code, via_glostrup.status_code) == (404, 404)
    assert placed.status_code == 422, "a Glostrup case number is unknown in Albertslund"
    glostrup_hold.refresh_from_db()
    assert glostrup_hold.is_active
    assert LegalHold.objects.count() == 1


def test_the_menu_offers_the_pages_to_administrators_only(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)
    admin_page = client.get("/").content.decode()
    client.force_login(personas.consultant)
    consultant_page = client.get("/").content.decode()
    queue = client.get("/bekymringer/visitation/").content.decode()

    assert 'href="/opbevaring/"' in admin_page
    assert 'href="/opbevaring/"' not in consultant_page
    assert 'href="/opbevaring/"' in queue, "consultants reach the holds from the triage queue"


def test_a_case_page_still_opens_for_its_readers_while_it_is_held(
    client: Client, personas: Personas
) -> None:
    mikkel = _case(MIKKEL)
    services.legal_hold_place(
        municipality=_glostrup(),
        by=personas.admin,
        case_number=mikkel.pk,
        scope=HoldScope.CASE,
        reason=REASON,
    )
    services.case_change_status(
        case=mikkel, status=CaseStatus.CLOSED, by=personas.consultant, reason="Afklaret."
    )
    client.force_login(personas.leader)

    assert client.get(f"/sager/{mikkel.pk}/").status_code == 200
