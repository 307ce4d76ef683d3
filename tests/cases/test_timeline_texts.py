"""The case timeline in the reader's language, and the case's field history.

Every line is stored as a message code with values and put into words when shown: the same
row reads in Danish for a Danish reader and in English for an English one. Lines written
before that are parsed by the migration where their words are recognised, and otherwise show
their stored text. Changes to a case's details and consent say what changed, old → new, to
readers of the case only, and go with the case when it is erased.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from cases import services
from cases.event_legacy import params_from_text
from cases.event_texts import event_message
from cases.models import Case, CaseEvent, CaseEventKind, PreventionLevel
from forum.models import Body
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MIKKEL = "Demo-Mikkel Eksempelsen"  # SSP-team Vestervang, active

# (message values, Danish words, English words) for each message code.
MESSAGES = [
    ({"m": "opened", "body": "SSP-team Vestervang"}, "SSP-team Vestervang", "SSP-team Vestervang"),
    ({"m": "concern_linked", "concern": 12}, "Bekymring 12", "Concern 12"),
    (
        {"m": "status", "old": "open", "new": "active", "reason": ""},
        "Åben → Aktiv",
        "Open → Active",
    ),
    (
        {"m": "details", "changes": [{"field": "level", "old": "general", "new": "specific"}]},
        "Niveau: Generel → Specifik",
        "Level: General → Specific",
    ),
    (
        {"m": "consent", "old": "obtained", "new": "refused", "reason": "Mor siger nej"},
        "Samtykke givet → Samtykke afvist: Mor siger nej",
        "Consent given → Consent refused: Mor siger nej",
    ),
    ({"m": "action_added", "title": "Samtale"}, "Samtale", "Samtale"),
    (
        {"m": "action_assigned", "name": "Lise", "title": "Samtale"},
        "Lise er ansvarlig for »Samtale«",
        'Lise is responsible for "Samtale"',
    ),
    ({"m": "action_done", "title": "Samtale"}, "Udført: Samtale", "Done: Samtale"),
    (
        {"m": "shared", "recipient": "Pia", "purpose": "Fælles indsats"},
        "Delt med Pia. Formål: Fælles indsats",
        "Shared with Pia. Purpose: Fælles indsats",
    ),
    (
        {
            "m": "basis_given",
            "recipient": "Pia",
            "origin": "adhoc_member",
            "ground": "consent",
            "purpose": "Indsats",
            "expires": "2026-01-01",
        },
        "Pia (Medlem af ad hoc-gruppen; grundlag: Samtykke). Formål: Indsats "
        "Udløber 1. januar 2026.",
        "Pia (Member of the ad-hoc group; basis: Consent). Purpose: Indsats "
        "Expires 1 January 2026.",
    ),
    (
        {"m": "basis_extended", "recipient": "Pia", "date": "2026-12-07"},
        "Pia: adgangen udløber nu 7. december 2026.",
        "Pia: the access now expires 7 December 2026.",
    ),
    ({"m": "revoked", "recipient": "Pia"}, "Pia", "Pia"),
    ({"m": "expired", "recipient": "Pia"}, "Pia", "Pia"),
    (
        {"m": "basis_ended", "recipient": "Pia", "reason": "expired"},
        "Pia: Udløbet",
        "Pia: Expired",
    ),
    (
        {
            "m": "group_formed",
            "name": "Lise",
            "changes": [{"field": "coordinator", "old": None, "new": "Lise"}],
        },
        "Ad hoc-gruppe oprettet med Lise som tovholder. Tovholder: – → Lise",
        "Ad-hoc group created with Lise as coordinator. Coordinator: – → Lise",
    ),
    ({"m": "member_added", "name": "Pia"}, "Pia er med i gruppen", "Pia has joined the group"),
    (
        {"m": "member_removed", "name": "Pia"},
        "Pia er ikke længere med",
        "Pia is no longer in the group",
    ),
    ({"m": "group_closed"}, "Ad hoc-gruppen er lukket", "The ad-hoc group has been closed"),
    (
        {"m": "meeting", "title": "Teammøde", "date": "2026-12-07"},
        "Teammøde, 7. december 2026",
        "Teammøde, 7 December 2026",
    ),
    (
        {"m": "merged", "removed": "Bo", "removed_id": 4, "kept": "Bo B.", "reason": "Dublet"},
        "Bo (nr. 4) er lagt sammen med Bo B.: Dublet",
        "Bo (no. 4) has been merged with Bo B.: Dublet",
    ),
]


@pytest.mark.parametrize(("params", "danish", "english"), MESSAGES, ids=lambda v: str(v)[:30])
def test_each_timeline_message_reads_in_danish_and_in_english(
    params: dict, danish: str, english: str
) -> None:
    with translation.override("da"):
        assert event_message(params) == danish
    with translation.override("en"):
        assert event_message(params) == english


def test_every_message_code_the_services_write_has_a_case_above() -> None:
    from cases.event_texts import RENDERERS

    assert {params["m"] for params, _da, _en in MESSAGES} == set(RENDERERS)


def test_a_line_without_a_message_code_or_with_values_that_do_not_fit_shows_its_stored_text() -> (
    None
):
    assert event_message({}, "Gammel tekst") == "Gammel tekst"
    assert event_message({"m": "shared"}, "Delt med nogen") == "Delt med nogen"
    assert event_message({"m": "no_such_code"}, "Noget skete") == "Noget skete"


OLD_LINES = [
    (
        "status",
        "Aktiv → Lukket: Bekymringen er afklaret.",
        "Active → Closed: Bekymringen er afklaret.",
    ),
    ("consent", "Samtykke afvist", "Consent refused"),
    (
        "group",
        "Ad hoc-gruppe oprettet med Lise Ø som tovholder. Tovholder: Anne → Lise Ø",
        "Ad-hoc group created with Lise Ø as coordinator. Coordinator: Anne → Lise Ø",
    ),
    ("group", "Pia Pedersen er med i gruppen", "Pia Pedersen has joined the group"),
    ("group", "Ad hoc-gruppen er lukket", "The ad-hoc group has been closed"),
    (
        "shared",
        "Delt med Pia. Formål: Fælles indsats. Mere.",
        "Shared with Pia. Purpose: Fælles indsats. Mere.",
    ),
    (
        "basis",
        "Team Øst (Sagen oprettet under organet; grundlag: Retsplejelovens §115). Formål: X "
        "Udløber 3. marts 2027.",
        "Team Øst (Case opened under the body; basis: Administration of Justice Act §115). "
        "Purpose: X Expires 3 March 2027.",
    ),
    (
        "basis",
        "Pia: adgangen udløber nu 7. december 2026.",
        "Pia: the access now expires 7 December 2026.",
    ),
    ("basis_ended", "Pia: Tilbagekaldt", "Pia: Revoked"),
    ("details", "Tovholder: – → Lise", "Coordinator: – → Lise"),
    ("action", "Udført: Samtale", "Done: Samtale"),
    ("concern_linked", "Bekymring 7: Samme unge", "Concern 7: Samme unge"),
    ("meeting", "Teammøde, 07.12.2026", "Teammøde, 7 December 2026"),
]


@pytest.mark.parametrize(("kind", "text", "english"), OLD_LINES, ids=lambda v: str(v)[:30])
def test_an_old_danish_line_is_read_into_values_and_then_reads_in_english(
    kind: str, text: str, english: str
) -> None:
    params = params_from_text(kind, text)

    assert params, f"the old line {text!r} was not recognised"
    with translation.override("da"):
        assert event_message(params) == text.replace("07.12.2026", "7. december 2026")
    with translation.override("en"):
        assert event_message(params, text) == english


def test_an_old_line_that_is_not_recognised_keeps_its_text() -> None:
    assert params_from_text("status", "Noget helt andet") == {}
    assert params_from_text("basis_ended", "Pia: en grund ingen kender") == {}
    assert params_from_text("details", "") == {}


def test_the_migration_reads_old_rows_and_leaves_the_rest_to_their_text(
    personas: Personas,
) -> None:
    """The migration's function run on rows as they were stored before it."""
    from importlib import import_module
    from pathlib import Path

    from django.apps import apps

    case = Case.objects.get(young_person__full_name=MIKKEL)
    parsed = CaseEvent.objects.create(case=case, kind=CaseEventKind.STATUS, text="Åben → Aktiv")
    kept = CaseEvent.objects.create(case=case, kind=CaseEventKind.STATUS, text="Uforståeligt")
    migration_dir = Path(settings.BASE_DIR) / "cases" / "migrations"
    (name,) = [p.stem for p in migration_dir.glob("*_lastmile_event_params.py")]
    migration = import_module(f"cases.migrations.{name}")

    migration.parse_old_lines(apps, connection.schema_editor())

    parsed.refresh_from_db()
    kept.refresh_from_db()
    assert parsed.params == {"m": "status", "old": "open", "new": "active", "reason": ""}
    assert kept.params == {}
    with translation.override("en"):
        assert (parsed.message, kept.message) == ("Open → Active", "Uforståeligt")


def _case_page(client: Client, user, case: Case, language: str) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/sager/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_details_change_is_on_the_timeline_field_by_field_old_to_new(
    client: Client, personas: Personas
) -> None:
    case = Case.objects.get(young_person__full_name=MIKKEL)
    old_level = case.get_level_display()
    other_body = (
        Body.objects.filter(municipality=case.municipality, kind=case.responsible_body.kind)
        .exclude(pk=case.responsible_body_id)
        .first()
    )
    assert other_body is not None
    follow_up = timezone.localdate() + timedelta(days=30)
    old_body = str(case.responsible_body)

    services.case_update_details(
        case=case,
        by=personas.consultant,
        level=PreventionLevel.SPECIFIC if case.level != PreventionLevel.SPECIFIC else "general",
        prevention_kind=case.prevention_kind,
        responsible_body=other_body,
        coordinator=case.coordinator,
        follow_up_on=follow_up,
    )

    event = CaseEvent.objects.filter(case=case, kind=CaseEventKind.DETAILS).latest("at", "id")
    assert [c["field"] for c in event.params["changes"]] == [
        "level",
        "responsible_body",
        "follow_up_on",
    ]
    case.refresh_from_db()
    danish = _case_page(client, personas.consultant, case, "da")
    assert f"Niveau: {old_level} → {case.get_level_display()}" in danish
    assert f"Ansvarligt organ: {old_body} → {other_body}" in danish
    with translation.override("da"):
        from django.utils.formats import date_format

        assert f"Opfølgning senest: – → {date_format(follow_up, 'DATE_FORMAT')}" in danish
    english = _case_page(client, personas.consultant, case, "en")
    assert "<strong>Details changed</strong>: Level:" in english
    assert f"Follow up by: – → {follow_up.day} {follow_up:%B} {follow_up.year}" in english


def test_a_reader_who_may_not_see_the_case_gets_404_and_not_its_history(
    client: Client, personas: Personas
) -> None:
    case = Case.objects.get(young_person__full_name=MIKKEL)
    services.case_update_details(
        case=case,
        by=personas.consultant,
        level=case.level,
        prevention_kind=case.prevention_kind,
        responsible_body=case.responsible_body,
        coordinator=case.coordinator,
        follow_up_on=timezone.localdate() + timedelta(days=9),
    )
    for persona in ("neighbour", "outsider"):
        client.force_login(personas[persona])
        response = client.get(f"/sager/{case.pk}/")
        assert response.status_code == 404, f"{persona} sees the case's history"
        assert b"Opf\xc3\xb8lgning senest" not in response.content


def test_erasing_a_case_removes_its_field_history(personas: Personas) -> None:
    case = Case.objects.get(young_person__full_name=MIKKEL)
    services.consent_record(case=case, by=personas.consultant, status="refused", reason="Nej")
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.CONSENT).exists()

    services.case_erase(case=case, by=personas.admin, reason="Anmodning fra forældrene.")

    assert not CaseEvent.objects.filter(case_id=case.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_caseevent WHERE params::text LIKE %s", ["%Nej%"])
        assert cursor.fetchone()[0] == 0, "the consent change outlived the erased case"


def test_consent_changes_say_from_what_to_what(client: Client, personas: Personas) -> None:
    case = Case.objects.get(young_person__full_name=MIKKEL)
    services.consent_record(case=case, by=personas.consultant, status="refused")
    services.consent_record(case=case, by=personas.consultant, status="obtained", given_by="Far")

    english = _case_page(client, personas.consultant, case, "en")

    assert "Consent refused → Consent given" in english


def test_a_concerns_move_to_a_case_is_stored_as_codes_and_shown_in_the_readers_language(
    personas: Personas,
) -> None:
    from cases.event_legacy import concern_case_change
    from cases.triage import _shown

    assert concern_case_change("Afsluttet", "Sag 12") == ("closed", "12")
    assert concern_case_change("Noget andet", "Sagen") == ("Noget andet", "Sagen")
    with translation.override("en"):
        assert (_shown("case", "closed", {}), _shown("case", "12", {})) == ("Closed", "Case 12")
        assert _shown("case", "Noget andet", {}) == "Noget andet"
    with translation.override("da"):
        assert (_shown("case", "closed", {}), _shown("case", "12", {})) == ("Afsluttet", "Sag 12")


def test_a_sentence_from_a_caller_not_yet_converted_is_kept_as_its_text(
    personas: Personas,
) -> None:
    case = Case.objects.get(young_person__full_name=MIKKEL)

    event = services.case_event_add(
        case=case, kind=CaseEventKind.MEETING, actor=personas.consultant, text="Noget skete"
    )

    assert (event.params, event.text) == ({}, "Noget skete")
    with translation.override("en"):
        assert event.message == "Noget skete"
