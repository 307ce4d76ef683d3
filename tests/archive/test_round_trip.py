"""An export re-imported into an installation without the municipality reproduces its
organisation, meetings, prevention work and ActionCards exactly (docs/archive.md)."""

from __future__ import annotations

import pytest

from archive.importer import archive_import
from archive.members import ACTIONCARDS, MEETINGS, ORGANISATION, PREVENTION
from archive.reader import archive_open
from forum.models import Body, Municipality
from tests.archive.helpers import (
    PASSPHRASE,
    add_meeting_with_minutes,
    canonical_dump,
    export,
    municipality_delete,
)
from tests.personas import Personas

pytestmark = pytest.mark.django_db

SCOPES = (ORGANISATION, MEETINGS, PREVENTION, ACTIONCARDS)


def test_an_export_imported_again_reproduces_the_organisation_and_meetings(
    personas: Personas, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    municipality = Municipality.objects.get(code="165")
    add_meeting_with_minutes(municipality, personas.admin)
    before = canonical_dump(municipality, SCOPES)
    path = tmp_path / "albertslund.zip"
    path.write_bytes(export(municipality, personas.admin))

    municipality_delete(municipality)
    assert not Municipality.objects.filter(code="165").exists()
    result = archive_import(archive=archive_open(path, PASSPHRASE))

    after = canonical_dump(result.municipality, SCOPES)
    for name in before:
        assert after[name] == before[name], f"{name} differs after the round trip"
    assert sum(len(rows) for rows in before.values()) > 50, "the test should move real data"
    assert before["meetings/agenda_attachments.json"], "an attachment should make the trip"
    body = Body.objects.filter(municipality=result.municipality).first()
    assert body is not None
    assert set(body.group.user_set.values_list("pk", flat=True)) == set(
        body.memberships.filter(person__user__isnull=False).values_list("person__user", flat=True)
    )
