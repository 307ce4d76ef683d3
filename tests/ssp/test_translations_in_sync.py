"""Every user-facing string in the code is in the English catalogue, and the catalogue is
compiled: a new Danish string without an English translation fails here."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
SOURCES = (
    "manage.py",
    "ssp",
    "forum",
    "cases",
    "meetings",
    "prevention",
    "reports",
    "home",
    "actioncard",
    "onboarding",
    "orgimport",
    "archive",
    "devtools",
    "templates",
    "locale",
)


def _msgids(po: polib.POFile) -> set[str]:
    return {entry.msgid for entry in po if not entry.obsolete}


def test_catalogue_holds_every_translatable_string_in_the_code(tmp_path: Path) -> None:
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )

    fresh = _msgids(polib.pofile(str(tmp_path / "locale/en/LC_MESSAGES/django.po")))
    committed = _msgids(polib.pofile(str(CATALOGUE)))
    assert fresh - committed == set(), f"Strings missing from {CATALOGUE}; run `make messages`"
    assert committed - fresh == set(), "Strings no longer used in the code; run `make messages`"


def test_compiled_catalogue_matches_the_translations() -> None:
    po = polib.pofile(str(CATALOGUE))
    mo = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    compiled = {entry.msgid: (entry.msgstr, entry.msgstr_plural) for entry in mo}
    for entry in po.translated_entries():
        assert entry.msgid in compiled, f"{entry.msgid!r} is not compiled; run `make messages`"
        msgstr, plural = compiled[entry.msgid]
        if entry.msgid_plural:
            assert plural == entry.msgstr_plural, f"{entry.msgid!r} differs in django.mo"
        else:
            assert msgstr == entry.msgstr, f"{entry.msgid!r} differs in django.mo"
