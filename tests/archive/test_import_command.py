"""`manage.py archive_import`: the passphrase from the environment, a clear refusal of a wrong
one or of a municipality the installation already has, and nothing written then."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from archive import importer
from forum.models import Municipality, Person
from tests.archive.helpers import PASSPHRASE, export, municipality_delete
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def albertslund_archive(personas: Personas, tmp_path: Path) -> Path:
    path = tmp_path / "albertslund.zip"
    path.write_bytes(export(Municipality.objects.get(code="165"), personas.admin))
    return path


def test_the_command_imports_with_the_passphrase_from_the_environment(
    albertslund_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    municipality_delete(Municipality.objects.get(code="165"))
    monkeypatch.setenv("ARCHIVE_PASSPHRASE", PASSPHRASE)
    out = io.StringIO()

    call_command("archive_import", str(albertslund_archive), stdout=out)

    assert "Imported Albertslund (165)." in out.getvalue()
    assert "organisation/people.json:" in out.getvalue()
    assert Municipality.objects.get(code="165").people.exists()


def test_a_wrong_passphrase_is_refused_and_nothing_is_written(
    albertslund_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    municipality_delete(Municipality.objects.get(code="165"))
    monkeypatch.setenv("ARCHIVE_PASSPHRASE", "ikke den rigtige frase")

    with pytest.raises(CommandError, match="Wrong passphrase"):
        call_command("archive_import", str(albertslund_archive), stdout=io.StringIO())
    assert not Municipality.objects.filter(code="165").exists()


def test_a_municipality_the_installation_has_is_refused(
    albertslund_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHIVE_PASSPHRASE", PASSPHRASE)
    people = Municipality.objects.get(code="165").people.count()

    with pytest.raises(CommandError, match="already has municipality 165"):
        call_command("archive_import", str(albertslund_archive), stdout=io.StringIO())
    assert Municipality.objects.get(code="165").people.count() == people


def test_an_import_that_fails_half_way_leaves_nothing_behind(
    albertslund_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    municipality_delete(Municipality.objects.get(code="165"))
    monkeypatch.setenv("ARCHIVE_PASSPHRASE", PASSPHRASE)

    def fail(self) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("the worker's disk is full")

    monkeypatch.setattr(importer.Importer, "derive", fail)
    with pytest.raises(RuntimeError):
        call_command("archive_import", str(albertslund_archive), stdout=io.StringIO())
    assert not Municipality.objects.filter(code="165").exists()
    assert not Person.objects.filter(municipality__code="165").exists()
