"""Every page in English reads in English: no word of the app's own Danish is left on it.

For each page type of the URL permission tables (tests/test_url_permission_coverage.py) the
test asks for the page once, in English, as the first persona the table gives a 200, and looks
for Danish words on it. The words are the app's own: those of the msgids in
locale/en/LC_MESSAGES/django.po that never occur on the English side and are unmistakably
Danish (with æ, ø or å, or a common Danish function word). Words of the demo data and of the
tables' own test data (names, typed-in concerns, titles) are left out: what a user typed stays
as typed. A Danish word found means text that bypasses gettext, or a msgid with no English yet.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import polib
import pytest
from django.conf import settings
from django.test import Client

from tests.permission_table import ANONYMOUS, Row, Table, send
from tests.personas import Personas
from tests.test_url_permission_coverage import PUBLIC_ROWS, TABLE_MODULES

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)
WORD = re.compile(r"[A-Za-zÆØÅæøå]+")
# Danish words that are not names and never English; only those also in the msgids count.
FUNCTION_WORDS = {
    "og",
    "ikke",
    "eller",
    "af",
    "på",
    "skal",
    "hvis",
    "ingen",
    "efter",
    "som",
    "der",
    "den",
    "til",
    "med",
    "har",
    "fra",
    "ved",
    "hvor",
    "når",
    "også",
    "kun",
    "hvad",
    "hvem",
    "vælg",
    "gem",
    "slet",
    "tilbage",
    "sager",
    "sagen",
    "bekymring",
    "bekymringer",
    "møde",
    "møder",
    "mødet",
    "ny",
    "nyt",
    "nye",
    "alle",
    "intet",
    "noget",
    "flere",
    "enten",
    "endnu",
    "mangler",
}
# Who asks first for a page many may see: the personas with the most pages.
PREFERRED = ("consultant", "admin", "leader", "social", "club", "police", "police2")


def _strings_of(paths: Iterator[Path]) -> set[str]:
    """The words of every string literal in these Python files (typed-in data)."""
    words: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                words |= {w.lower() for w in WORD.findall(node.value)}
    return words


def _without_markup(text: str) -> str:
    text = re.sub(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|\{%.*?%\}|<[^>]+>|&\w+;", " ", text)
    return text


def danish_words() -> set[str]:
    entries = list(polib.pofile(str(BASE / "locale/en/LC_MESSAGES/django.po")))
    danish: set[str] = set()
    english: set[str] = set()
    for entry in entries:
        if entry.obsolete:
            continue
        for text in (entry.msgid, entry.msgid_plural):
            danish |= {w.lower() for w in WORD.findall(_without_markup(text or ""))}
        for text in (entry.msgstr, *entry.msgstr_plural.values()):
            english |= {w.lower() for w in WORD.findall(_without_markup(text or ""))}
    # The demo data, the factories and the tables' own worlds: what users would have typed.
    typed = _strings_of(
        iter(
            [
                *(BASE / "devtools" / "demo").rglob("*.py"),
                BASE / "tests" / "factories.py",
                *(BASE / (module.__name__.replace(".", "/") + ".py") for module in TABLE_MODULES),
            ]
        )
    )
    return {
        word
        for word in danish - english - typed
        if len(word) >= 2 and (re.search("[æøå]", word) or word in FUNCTION_WORDS)
    }


DANISH = danish_words()


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: text, titles, labels, placeholders; not scripts, not
    URLs, not the values of form fields, and not what an element marks as Danish
    (`lang="da"`: a document written in Danish, such as the samarbejdsplan, shown inside an
    English page)."""

    READ = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping: list[str] = []  # the open tags of a script/style or lang="da" element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.skipping:
            if tag == self.skipping[0]:
                self.skipping.append(tag)
            return
        # A textarea's text is the field's value: what the user typed (or will edit).
        if tag in ("script", "style", "textarea") or (tag != "html" and values.get("lang") == "da"):
            self.skipping.append(tag)
            return
        self.parts += [values[name] or "" for name in self.READ if name in values]

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag == self.skipping[0]:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_words(page: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(page)
    parser.close()
    return WORD.findall(" ".join(parser.parts))


def danish_on(page: str) -> list[str]:
    found = {word for word in visible_words(page) if word.lower() in DANISH}
    return sorted(found)


def _world_fixture(module: ModuleType) -> str | None:
    """The name under which this module's `world` is offered below, if the rows take one."""
    # The whole module path: two tables of one app (meetings and its registrations) each have
    # a `world` of their own.
    name = module.__name__.removeprefix("tests.").replace(".", "_")
    return f"world_{name}" if hasattr(module, "world") else None


# Each table's `world` fixture, offered here under its own name.
for _module in TABLE_MODULES:
    if (_name := _world_fixture(_module)) is not None:
        globals()[_name] = pytest.fixture(name=_name)(_module.world._get_wrapped_function())


@pytest.fixture(name="admin_albertslund")
def _admin_albertslund(personas: Personas):  # type: ignore[no-untyped-def]
    from tests.actioncard import test_permissions

    return test_permissions.admin_albertslund._get_wrapped_function()(personas)


# Pages whose Danish is another branch's to settle (issue 19): the ActionCard's own text is
# being made translatable (or marked lang="da") on the ActionCard branch; remove the entries
# when it is merged.
ELSEWHERE: dict[str, str] = {}


# Pages that are a Danish document as a whole (`<html lang="da">` whatever the reader chose).
DANISH_DOCUMENTS: dict[str, str] = {
    "reports:cooperation_plan_print": "the samarbejdsplan as printed: the Kredsråd's document",
}


def page_rows(table: Table) -> list[tuple[Row, str]]:
    """One GET row per URL name, with the persona that gets a 200 on it."""
    chosen: dict[str, tuple[Row, str]] = {}
    for row in table.rows:
        if row.method != "GET" or row.name in chosen:
            continue
        if f"{table.namespace}:{row.name}" in ELSEWHERE | DANISH_DOCUMENTS:
            continue
        readers = [p for p, status in row.expected.items() if status == 200]
        ordered = [p for p in PREFERRED if p in readers] + [
            p for p in readers if p not in PREFERRED
        ]
        if ordered:
            chosen[row.name] = (row, ordered[0])
    return list(chosen.values())


def _cases() -> list[pytest.param]:
    return [
        pytest.param(module, row, persona, id=f"{table.namespace or 'root'}-{row.name}")
        for module in TABLE_MODULES
        for table in (module.TABLE,)
        for row, persona in page_rows(table)
    ]


def _english(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.mark.parametrize(("module", "row", "persona"), _cases())
def test_the_page_in_english_has_no_danish_of_the_app(
    module: ModuleType,
    row: Row,
    persona: str,
    personas: Personas,
    client: Client,
    request: pytest.FixtureRequest,
) -> None:
    fixture = _world_fixture(module)
    url = row.url(request.getfixturevalue(fixture)) if fixture else row.url()
    if persona != ANONYMOUS:
        user = (
            request.getfixturevalue(persona)
            if persona not in personas.__dataclass_fields__
            else personas[persona]
        )
        client.force_login(user)
    _english(client)

    response = send(client, "GET", url)

    assert response.status_code == 200, f"{persona} GET {url}: {response.status_code}"
    if not response.get("Content-Type", "").startswith("text/html"):
        return  # files (PDF, CSV, iCalendar) have their own language tests
    page = response.content.decode()
    assert '<html lang="en">' in page or "<html" not in page
    assert not danish_on(page), f"Danish on the English page {url}: {danish_on(page)}"


@pytest.mark.parametrize(
    "row", [r for r in PUBLIC_ROWS if r.method == "GET" and r.status == 200], ids=lambda r: r.name
)
def test_the_public_pages_in_english_have_no_danish_of_the_app(
    row, personas: Personas, client: Client
) -> None:  # type: ignore[no-untyped-def]
    _english(client)

    response = send(client, "GET", row.url(personas))

    assert response.status_code == 200
    if response.get("Content-Type", "").startswith("text/html"):
        page = response.content.decode()
        assert not danish_on(page), f"Danish on the English page {row.name}: {danish_on(page)}"


def test_the_word_list_catches_danish_and_lets_english_and_names_through() -> None:
    assert {"gælder", "vælg", "eller"} <= DANISH, "the list lacks the app's own Danish words"
    assert danish_on("<p>Samtykket gælder</p><p>Consent applies</p>") == ["gælder"]
    assert danish_on('<a href="/sager/møder/" title="Meetings">Meetings</a>') == []
    assert danish_on("<p>Demo-Oliver Påfundsen</p>") == [], "a demo name counted as Danish"
    marked = '<section lang="da"><p>Godkendte årsplaner</p><p lang="da">Gælder</p></section>'
    assert danish_on(f"{marked}<p>Approved plans</p><script>'gælder'</script>") == []


def test_the_same_pages_in_danish_are_caught(client: Client, personas: Personas) -> None:
    """The check can fail: the case list and a case page in Danish are full of the words."""
    from cases.models import Case

    case = Case.objects.get(young_person__full_name="Demo-Mikkel Eksempelsen")
    client.force_login(personas.consultant)
    for url in ("/", f"/sager/{case.pk}/"):
        page = client.get(url).content.decode()
        assert len(danish_on(page)) >= 5, f"the Danish {url} passed as English"
