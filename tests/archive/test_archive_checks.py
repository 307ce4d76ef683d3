"""The import checks the archive before it writes anything: the passphrase, every member's
checksum and the format version; the manifest documents every member, and personal data is
sealed (docs/archive.md)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from archive.members import USERS_MEMBER, members_for
from archive.reader import ArchiveRefused, archive_open
from archive.writer import FORMAT_VERSION, MANIFEST
from forum.models import Municipality
from tests.archive.helpers import PASSPHRASE, export
from tests.personas import Personas

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "archive.md"


@pytest.fixture
def archive_path(personas: Personas, tmp_path: Path) -> Path:
    path = tmp_path / "glostrup.zip"
    path.write_bytes(export(Municipality.objects.get(code="161"), personas.admin))
    return path


def _rewrite(path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    change(members)
    out = path.with_name("changed.zip")
    with zipfile.ZipFile(out, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    return out


def test_a_wrong_passphrase_is_refused(archive_path: Path) -> None:
    with pytest.raises(ArchiveRefused, match="Wrong passphrase"):
        archive_open(archive_path, "forkert hest batteri hæfteklamme")
    assert archive_open(archive_path, PASSPHRASE).members[USERS_MEMBER]


def test_a_tampered_member_is_refused_by_its_checksum(archive_path: Path) -> None:
    def tamper(members: dict[str, bytes]) -> None:
        rows = json.loads(members["organisation/units.json"])
        rows[0]["name"] = "Indsmuglet enhed"
        members["organisation/units.json"] = json.dumps(rows).encode()

    with pytest.raises(ArchiveRefused, match=r"organisation/units\.json does not match"):
        archive_open(_rewrite(archive_path, tamper), PASSPHRASE)


def test_a_newer_major_format_version_is_refused_with_a_clear_message(archive_path: Path) -> None:
    def newer(members: dict[str, bytes]) -> None:
        manifest = json.loads(members[MANIFEST])
        manifest["format_version"] = "2.0"
        members[MANIFEST] = json.dumps(manifest).encode()

    with pytest.raises(ArchiveRefused, match=r"format version 2\.0, newer than .* Upgrade"):
        archive_open(_rewrite(archive_path, newer), PASSPHRASE)


def test_a_member_not_in_the_manifest_is_refused(archive_path: Path) -> None:
    def smuggle(members: dict[str, bytes]) -> None:
        members["organisation/extra.json"] = b"[]"

    with pytest.raises(ArchiveRefused, match=r"not in the manifest: organisation/extra\.json"):
        archive_open(_rewrite(archive_path, smuggle), PASSPHRASE)


def test_the_manifest_lists_every_member_with_checksum_and_personal_data_is_sealed(
    archive_path: Path,
) -> None:
    with zipfile.ZipFile(archive_path) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        names = set(archive.namelist()) - {MANIFEST}
        people = archive.read("organisation/people.json")
        units = archive.read("organisation/units.json")
    listed = {entry["name"]: entry for entry in manifest["members"]}
    assert set(listed) == names
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["municipality"] == {"code": "161", "name": "Glostrup"}
    assert "cases" not in manifest["scopes"]
    assert not any(name.startswith("cases/") for name in names), "no case left without scope"
    assert listed["organisation/people.json"]["encrypted"] is True
    assert b"full_name" not in people, "people's names must be sealed"
    assert listed["organisation/units.json"]["encrypted"] is False
    assert json.loads(units), "units are plain JSON"
    assert manifest["encryption"]["kdf"]["name"] == "scrypt"
    assert PASSPHRASE not in json.dumps(manifest)
    assert any(name.startswith("statistics/") for name in names)
    assert any(name.endswith(".pdf") for name in names), "the ActionCard PDF is in the archive"
    assert all(entry["sha256"] and entry["size"] for entry in manifest["members"])


def test_docs_archive_documents_every_member() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for member in members_for(("organisation", "meetings", "prevention", "actioncards", "cases")):
        assert f"`{member.name}`" in text, f"{member.name} is missing from docs/archive.md"
    assert f"`{USERS_MEMBER}`" in text
    assert FORMAT_VERSION in text


def test_without_the_cases_a_cases_ad_hoc_group_and_its_meetings_stay_behind(
    personas: Personas, tmp_path: Path
) -> None:
    """Who met about which child is case content: an administrator's export (no cases) has
    none of the ad-hoc groups' meetings, participants, agenda or decisions."""
    from forum.models import Body, BodyKind
    from meetings.models import Meeting
    from tests.factories import MeetingFactory

    glostrup = Municipality.objects.get(code="161")
    group = Body.objects.filter(municipality=glostrup, kind=BodyKind.AD_HOC).first()
    assert group is not None
    MeetingFactory(body=group, title="Møde om sagen")
    hidden = set(Meeting.objects.filter(body=group).values_list("pk", flat=True))
    path = tmp_path / "glostrup.zip"
    path.write_bytes(export(glostrup, personas.admin))

    archive = archive_open(path, PASSPHRASE)
    text = json.dumps(
        [archive.json(name) for name in archive.members if name.endswith(".json")],
        ensure_ascii=False,
    )

    assert len(hidden) >= 1
    assert "Møde om sagen" not in text
    assert group.name not in text
