"""Danish first: the browser's language is ignored; English is an explicit, complete choice."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

ENGLISH_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
ENGLISH_PO = ENGLISH_DIR / "django.po"
ENGLISH_MO = ENGLISH_DIR / "django.mo"


def _choose_language(client: Client, language: str):  # type: ignore[no-untyped-def]
    return client.post("/i18n/setlang/", {"language": language, "next": "/log-ind/"})


def _po_entries() -> list[polib.POEntry]:
    assert ENGLISH_PO.exists(), f"{ENGLISH_PO} is missing; run `make messages`"
    return [entry for entry in polib.pofile(str(ENGLISH_PO)) if not entry.obsolete]


def _has_english(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def test_ui_is_danish_even_when_the_browser_asks_for_english() -> None:
    response = Client().get("/log-ind/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="da">' in content
    assert "<h1>Log ind</h1>" in content
    assert response["Content-Language"] == "da"


def test_choosing_english_sets_the_language_cookie_and_returns_to_the_page() -> None:
    client = Client()

    response = _choose_language(client, "en")

    assert response.status_code == 302
    assert response["Location"] == "/log-ind/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_login_page_is_english_after_choosing_english() -> None:
    client = Client()
    _choose_language(client, "en")

    response = client.get("/log-ind/")

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "<h1>Log in</h1>" in content
    assert "Log ind" not in content, "Danish text is left on the English login page"


def test_choosing_danish_again_switches_back() -> None:
    client = Client()
    _choose_language(client, "en")
    _choose_language(client, "da")

    response = client.get("/log-ind/", HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert '<html lang="da">' in content
    assert "<h1>Log ind</h1>" in content


def test_an_unsupported_language_cookie_falls_back_to_danish() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    response = client.get("/log-ind/")

    assert '<html lang="da">' in response.content.decode()


def test_every_english_message_is_translated() -> None:
    untranslated = [entry.msgid for entry in _po_entries() if not _has_english(entry)]

    assert not untranslated, f"{len(untranslated)} messages lack English: {untranslated[:10]}"


def test_no_english_message_is_fuzzy() -> None:
    fuzzy = [entry.msgid for entry in _po_entries() if entry.fuzzy]

    assert not fuzzy, f"fuzzy translations are ignored at run time: {fuzzy[:10]}"


def test_compiled_english_messages_match_the_po_file() -> None:
    """Django reads the .mo file: a translation not compiled in is not shown."""
    assert ENGLISH_MO.exists(), f"{ENGLISH_MO} is missing; run `make messages`"
    compiled = {
        (entry.msgctxt, entry.msgid): (entry.msgstr, dict(entry.msgstr_plural))
        for entry in polib.mofile(str(ENGLISH_MO))
    }

    stale = [
        entry.msgid
        for entry in _po_entries()
        if _has_english(entry)
        and compiled.get((entry.msgctxt, entry.msgid))
        != (entry.msgstr, {int(k): v for k, v in entry.msgstr_plural.items()})
    ]

    assert not stale, f"{len(stale)} translations are not compiled: {stale[:10]}"
