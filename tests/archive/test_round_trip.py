"""An export re-imported into an installation without the municipality reproduces its
organisation, meetings, prevention work and ActionCards exactly, and its cases with their
log when the data controller took them along (docs/archive.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.importer import archive_import
from archive.members import ACTIONCARDS, CASES, MEETINGS, ORGANISATION, PREVENTION
from archive.reader import archive_open
from cases.models import Case, YoungPerson
from cases.permissions import cases_visible_to
from forum.models import Body, Municipality
from tests.archive.helpers import (
    PASSPHRASE,
    add_draft_actioncard,
    add_meeting_with_minutes,
    add_seats_elsewhere,
    canonical_dump,
    export,
    municipality_delete,
)
from tests.personas import Personas

pytestmark = pytest.mark.django_db

BASE = (ORGANISATION, MEETINGS, PREVENTION, ACTIONCARDS)


def _round_trip(personas: Personas, tmp_path: Path, scopes: tuple[str, ...]):  # type: ignore[no-untyped-def]
    municipality = Municipality.objects.get(code="165")
    add_meeting_with_minutes(municipality, personas.admin)
    add_draft_actioncard(municipality, personas.admin)
    add_seats_elsewhere(municipality)
    before = canonical_dump(municipality, scopes)
    path = tmp_path / "albertslund.zip"
    path.write_bytes(export(municipality, personas.admin, cases=CASES in scopes))

    municipality_delete(municipality)
    assert not Municipality.objects.filter(code="165").exists()
    result = archive_import(archive=archive_open(path, PASSPHRASE))
    return before, canonical_dump(result.municipality, scopes), result


def _assert_same(before: dict[str, list[str]], after: dict[str, list[str]]) -> None:
    for name in before:
        lost = sorted(set(before[name]) - set(after[name]))
        gained = sorted(set(after[name]) - set(before[name]))
        assert after[name] == before[name], (
            f"{name} differs after the round trip:\nbefore only: {lost}\nafter only: {gained}"
        )


def test_an_export_imported_again_reproduces_the_organisation_and_meetings(
    personas: Personas, tmp_path: Path
) -> None:
    before, after, result = _round_trip(personas, tmp_path, BASE)

    _assert_same(before, after)
    assert sum(len(rows) for rows in before.values()) > 50, "the test should move real data"
    for name in (
        "meetings/agenda_attachments.json",
        "meetings/tasks.json",
        "meetings/participants.json",
        "actioncards/guide_entries.json",
        "organisation/memberships.json",
    ):
        assert before[name], f"{name} should make the trip"
    assert not Case.objects.filter(municipality=result.municipality).exists()
    elsewhere = [row for row in before["organisation/memberships.json"] if "kredsraad" in row]
    assert elsewhere, "the seat in the Kredsråd (the district's body) should make the trip"
    body = Body.objects.filter(municipality=result.municipality, memberships__isnull=False)[0]
    assert set(body.group.user_set.values_list("pk", flat=True)) == set(
        body.memberships.filter(person__user__isnull=False).values_list("person__user", flat=True)
    ), "the body's auth group should hold its members' users again"


def test_the_controllers_export_brings_the_cases_with_their_log_and_grants(
    personas: Personas, tmp_path: Path
) -> None:
    scopes = (*BASE, CASES)
    before, after, result = _round_trip(personas, tmp_path, scopes)

    _assert_same(before, after)
    assert before["cases/cases.json"], "the case should make the trip"
    assert before["cases/events.json"], "… with its event log"
    case = Case.objects.get(municipality=result.municipality)
    person = YoungPerson.objects.filter(municipality=result.municipality).first()
    assert person is not None
    nina = result.municipality.affiliations.filter(is_ssp_consultant=True).first()
    assert nina is not None
    assert cases_visible_to(nina.user).filter(pk=case.pk).exists(), (
        "the municipality's consultant should read the imported case again"
    )
    assert not cases_visible_to(personas.admin).filter(pk=case.pk).exists(), (
        "an administrator reads no case after the import either"
    )
