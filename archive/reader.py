"""Reading an archive: the manifest, the format version, every member's checksum, and the
sealed members opened with the passphrase. Nothing is written to the database here."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive import crypto
from archive.writer import FORMAT_NAME, FORMAT_VERSION, MANIFEST


class ArchiveRefused(Exception):
    """The archive cannot be read: the message says why, for the operator."""


@dataclass
class OpenArchive:
    manifest: dict[str, Any]
    members: dict[str, bytes]  # name → plain bytes

    def json(self, name: str) -> list[dict[str, Any]]:
        if name not in self.members:
            return []
        return json.loads(self.members[name])


def _major(version: str) -> int:
    try:
        return int(str(version).split(".", 1)[0])
    except ValueError:
        raise ArchiveRefused(
            f"The archive's format version {version!r} is not a version."
        ) from None


def archive_open(path: Path | str, passphrase: str) -> OpenArchive:
    """Check and open the archive at `path`; raises `ArchiveRefused` with the reason."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ArchiveRefused(f"Not a readable zip archive: {error}") from None
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            raise ArchiveRefused("The archive has no manifest.json.")
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except ValueError:
            raise ArchiveRefused("manifest.json is not valid JSON.") from None
        if manifest.get("format") != FORMAT_NAME:
            raise ArchiveRefused(
                f"Not an SSP municipality archive (format {manifest.get('format')!r})."
            )
        version = manifest.get("format_version", "")
        if _major(version) > _major(FORMAT_VERSION):
            raise ArchiveRefused(
                f"The archive is format version {version}, newer than this installation reads "
                f"({FORMAT_VERSION}). Upgrade this installation first."
            )
        listed = {entry["name"] for entry in manifest.get("members", [])}
        if unlisted := names - listed - {MANIFEST}:
            raise ArchiveRefused(f"Members not in the manifest: {', '.join(sorted(unlisted))}.")
        if missing := listed - names:
            raise ArchiveRefused(f"Members missing from the archive: {', '.join(sorted(missing))}.")
        stored: dict[str, bytes] = {}
        for entry in manifest["members"]:
            data = archive.read(entry["name"])
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise ArchiveRefused(
                    f"{entry['name']} does not match its checksum: the archive is damaged or "
                    "was changed. Nothing was imported."
                )
            stored[entry["name"]] = data
    encryption = manifest["encryption"]
    key = crypto.derive_key(passphrase, crypto.KdfParameters.from_manifest(encryption["kdf"]))
    try:
        crypto.key_check_verify(key, encryption["key_check"])
    except crypto.WrongPassphrase:
        raise ArchiveRefused("Wrong passphrase: it does not open this archive.") from None
    members: dict[str, bytes] = {}
    for entry in manifest["members"]:
        data = stored[entry["name"]]
        if entry.get("encrypted"):
            try:
                data = crypto.open_sealed(key, entry["name"], data)
            except crypto.WrongPassphrase:
                raise ArchiveRefused(
                    f"{entry['name']} does not open with the passphrase."
                ) from None
        members[entry["name"]] = data
    return OpenArchive(manifest=manifest, members=members)
