"""Who gets what on every ActionCard URL: a table of (persona, URL, expected status).

Only a municipality's administrators use its editorial pages. Anyone else gets 404 for what
they cannot see (a draft, an edition being published, the start URL of a municipality they
have nothing to do with) and 403 for what they see but may not do (the start URL of a
municipality they work in, the editorial pages of a published edition, which is public).
Anonymous visitors are sent to the login page from every editorial URL. The public pages
answer everyone, anonymous visitors included, for published editions, and 404 for the rest.
Every URL in actioncard.urls must appear here, with a GET and a POST row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.test import Client

from actioncard import rendering, services
from actioncard.models import Edition, EditionStatus, RenderJob, RenderPurpose, RenderStatus
from forum import services as forum_services
from forum.models import Municipality
from ssp.models import Sector, User
from tests.actioncard.conftest import YEAR, publish, render_now
from tests.permission_table import ANONYMOUS, Row, Table, check, sign_in, statuses, url_names
from tests.personas import DEMO_PASSWORD, PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

PERSONAS = (*PERSONA_NAMES, "admin_albertslund", ANONYMOUS)
GLOSTRUP_STAFF = ("consultant", "leader", "police", "police2", "social", "club")
# Glostrup staff who also work in Albertslund.
ALBERTSLUND_STAFF = ("police", "police2", "neighbour")
# The rendering is not under test here: a tiny valid PDF keeps the table fast.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass(frozen=True)
class World:
    glostrup: Municipality
    albertslund: Municipality
    published: Edition  # Glostrup YEAR, published
    draft: Edition  # Glostrup YEAR + 1, a draft
    job: RenderJob  # a finished preview of the draft
    queued: RenderJob  # a preview of the draft still waiting for the worker
    published_job: RenderJob  # a finished preview of the published edition
    publishing: Edition  # Albertslund YEAR + 1, waiting for its publishing rendering


@pytest.fixture
def admin_albertslund(db) -> User:  # type: ignore[no-untyped-def]
    """An administrator of Albertslund only."""
    user = User.objects.create_user(
        "admin.albertslund@test.ssp",
        password=DEMO_PASSWORD,
        full_name="Alberte Admin",
        sector=Sector.OTHER,
    )
    forum_services.affiliation_set(
        user=user,
        municipality=Municipality.objects.get(code="165"),
        is_administrator=True,
        by=None,
    )
    return user


@pytest.fixture
def world(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setattr(rendering, "edition_pdf", lambda edition: PDF)
    admin = personas.admin
    glostrup = Municipality.objects.get(code="161")
    albertslund = Municipality.objects.get(code="165")
    first = services.edition_start(municipality=glostrup, year=YEAR, by=admin)
    # A proof made while the edition was a draft, which was then published.
    published_job = render_now(
        services.render_request(edition=first, by=admin, purpose=RenderPurpose.PREVIEW)
    )
    published = publish(first, admin)
    draft = services.edition_start(municipality=glostrup, year=YEAR + 1, by=admin)
    job = render_now(
        services.render_request(edition=draft, by=admin, purpose=RenderPurpose.PREVIEW)
    )
    queued = services.render_request(edition=draft, by=admin, purpose=RenderPurpose.PREVIEW)
    publishing = services.edition_start(municipality=albertslund, year=YEAR + 1, by=admin)
    Edition.objects.filter(pk=publishing.pk).update(status=EditionStatus.PUBLISHING)
    assert (published.status, job.status, queued.status, published_job.status) == (
        EditionStatus.PUBLISHED,
        RenderStatus.DONE,
        RenderStatus.QUEUED,
        RenderStatus.DONE,
    )
    yield World(
        glostrup=glostrup,
        albertslund=albertslund,
        published=published,
        draft=draft,
        job=job,
        queued=queued,
        published_job=published_job,
        publishing=publishing,
    )
    # A discarded draft takes its rows along before the shared fixture can see its previews'
    # files (the storage deletes them only on a commit that never comes in a test).
    for stored in (job.pdf, published_job.pdf):
        stored.storage.delete(stored.name)


def _statuses(default: int, **overrides: int) -> dict[str, int]:
    return statuses(PERSONAS, default, **overrides)


def _editorial(default: int, **overrides: int) -> dict[str, int]:
    """An editorial URL: anonymous visitors are sent to the login page."""
    return _statuses(default, anonymous=302, **overrides)


def _draft(ok: int) -> dict[str, int]:
    """A Glostrup draft: its administrator gets `ok`, nobody else sees it."""
    return _editorial(404, admin=ok)


def _published(ok: int) -> dict[str, int]:
    """A published Glostrup edition: its administrator gets `ok`; it is public, so everyone
    else sees it exists and gets 403."""
    return _editorial(403, admin=ok)


NOT_ALLOWED = _editorial(405)
PUBLIC = _statuses(200)
NOT_FOUND = _statuses(404)
PUBLIC_NOT_ALLOWED = _statuses(405)


def _edition(edition: str, path: str = "") -> Callable[[World], str]:
    return lambda world: f"/handlekort/redaktion/{getattr(world, edition).pk}/{path}"


def _job(edition: str, job: str, suffix: str = "/") -> Callable[[World], str]:
    return lambda world: (
        f"/handlekort/redaktion/{getattr(world, edition).pk}/pdf/{getattr(world, job).pk}{suffix}"
    )


def _start(municipality: str) -> Callable[[World], str]:
    return lambda world: f"/handlekort/redaktion/kommune/{getattr(world, municipality).pk}/ny/"


def _back_to(edition: str) -> Callable[[World], str]:
    return lambda world: re.escape(getattr(world, edition).get_absolute_url())


def _another_edition_than(edition: str) -> Callable[[World], str]:
    return lambda world: rf"/handlekort/redaktion/(?!{getattr(world, edition).pk}/)\d+/"


def _texts(world: World) -> dict[str, str]:
    return {
        "foreword": "Nyt forord",
        "purpose": "Nyt formål",
        "guide-TOTAL_FORMS": "1",
        "guide-INITIAL_FORMS": "0",
        "guide-MIN_NUM_FORMS": "0",
        "guide-MAX_NUM_FORMS": "1000",
        "guide-0-situation": "du er i tvivl",
        "guide-0-advice": "Ring til SSP-konsulenten.",
    }


def _texts_without_advice(world: World) -> dict[str, str]:
    return {**_texts(world), "guide-0-advice": ""}


EDITIONS_PAGE = "/handlekort/redaktion/"

EDITORIAL_ROWS = [
    Row(
        "editions",
        "GET",
        lambda world: EDITIONS_PAGE,
        _editorial(403, admin=200, admin_albertslund=200),
    ),
    Row("editions", "POST", lambda world: EDITIONS_PAGE, NOT_ALLOWED),
    Row(
        "edition_start",
        "POST",
        _start("glostrup"),
        _editorial(404, **dict.fromkeys(GLOSTRUP_STAFF, 403), admin=302),
        lambda world: {"year": YEAR + 2},
        _another_edition_than("draft"),
    ),
    Row(
        "edition_start",
        "POST",
        _start("albertslund"),
        _editorial(404, **dict.fromkeys(ALBERTSLUND_STAFF, 403), admin=302, admin_albertslund=302),
        lambda world: {"year": YEAR + 2},
        _another_edition_than("publishing"),
    ),
    # A year that already has an edition: refused, the list again with the message (422).
    Row(
        "edition_start",
        "POST",
        _start("glostrup"),
        _editorial(404, **dict.fromkeys(GLOSTRUP_STAFF, 403), admin=422),
        lambda world: {"year": YEAR},
    ),
    Row(
        "edition_start",
        "POST",
        lambda world: "/handlekort/redaktion/kommune/0/ny/",
        _editorial(404),
        lambda world: {"year": YEAR + 2},
    ),
    Row("edition_start", "GET", _start("glostrup"), NOT_ALLOWED),
    Row("edition_detail", "GET", _edition("draft"), _draft(200)),
    Row("edition_detail", "GET", _edition("published"), _published(200)),
    # Being published is not yet public.
    Row(
        "edition_detail",
        "GET",
        _edition("publishing"),
        _editorial(404, admin=200, admin_albertslund=200),
    ),
    Row("edition_detail", "GET", lambda world: "/handlekort/redaktion/0/", _editorial(404)),
    Row("edition_detail", "POST", _edition("draft"), NOT_ALLOWED),
    Row("edition_texts", "GET", _edition("draft", "tekster/"), _draft(200)),
    Row(
        "edition_texts",
        "POST",
        _edition("draft", "tekster/"),
        _draft(302),
        _texts,
        _back_to("draft"),
    ),
    Row(
        "edition_texts",
        "POST",
        _edition("draft", "tekster/"),
        _draft(422),
        _texts_without_advice,
    ),
    # A published edition never changes: its administrator is sent back to it.
    Row(
        "edition_texts",
        "GET",
        _edition("published", "tekster/"),
        _published(302),
        location=_back_to("published"),
    ),
    Row(
        "edition_texts",
        "POST",
        _edition("published", "tekster/"),
        _published(302),
        _texts,
        _back_to("published"),
    ),
    Row(
        "edition_refresh",
        "POST",
        _edition("draft", "hent-forum/"),
        _draft(302),
        location=_back_to("draft"),
    ),
    Row(
        "edition_refresh",
        "POST",
        _edition("published", "hent-forum/"),
        _published(302),
        location=_back_to("published"),
    ),
    Row("edition_refresh", "GET", _edition("draft", "hent-forum/"), NOT_ALLOWED),
    Row(
        "edition_render", "POST", _edition("draft", "pdf/"), _draft(302), location=_back_to("draft")
    ),
    Row(
        "edition_render",
        "POST",
        _edition("published", "pdf/"),
        _published(302),
        location=_back_to("published"),
    ),
    Row("edition_render", "GET", _edition("draft", "pdf/"), NOT_ALLOWED),
    Row("render_job", "GET", _job("draft", "job"), _draft(200)),
    Row("render_job", "GET", _job("draft", "queued"), _draft(200)),
    Row("render_job", "GET", _job("published", "published_job"), _published(200)),
    # A job is found only under its own edition.
    Row("render_job", "GET", _job("published", "job"), _published(404)),
    Row("render_job", "POST", _job("draft", "job"), NOT_ALLOWED),
    Row("render_job_pdf", "GET", _job("draft", "job", ".pdf"), _draft(200)),
    Row("render_job_pdf", "GET", _job("published", "published_job", ".pdf"), _published(200)),
    # No PDF yet.
    Row("render_job_pdf", "GET", _job("draft", "queued", ".pdf"), _draft(404)),
    Row("render_job_pdf", "POST", _job("draft", "job", ".pdf"), NOT_ALLOWED),
    Row(
        "edition_publish",
        "POST",
        _edition("draft", "udgiv/"),
        _draft(302),
        location=_back_to("draft"),
    ),
    Row(
        "edition_publish",
        "POST",
        _edition("published", "udgiv/"),
        _published(302),
        location=_back_to("published"),
    ),
    # The confirmation: what changes, then the button that POSTs.
    Row("edition_publish", "GET", _edition("draft", "udgiv/"), _draft(200)),
    Row(
        "edition_publish",
        "GET",
        _edition("published", "udgiv/"),
        _published(302),
        location=_back_to("published"),
    ),
    Row("edition_contacts", "GET", _edition("draft", "kontakter/"), _draft(200)),
    Row(
        "edition_contacts",
        "POST",
        _edition("draft", "kontakter/"),
        _draft(302),
        lambda world: {"notify_name": "Modtagelsen", "notify_phone": "+45 43 23 60 10"},
        _back_to("draft"),
    ),
    Row(
        "edition_contacts",
        "POST",
        _edition("draft", "kontakter/"),
        _draft(422),
        lambda world: {"notify_phone": "ikke et nummer"},
    ),
    Row(
        "edition_contacts",
        "GET",
        _edition("published", "kontakter/"),
        _published(302),
        location=_back_to("published"),
    ),
    Row(
        "edition_contacts",
        "POST",
        _edition("published", "kontakter/"),
        _published(302),
        lambda world: {"notify_name": "Modtagelsen", "notify_phone": "+45 43 23 60 10"},
        _back_to("published"),
    ),
    Row(
        "edition_correct",
        "POST",
        _edition("published", "ret/"),
        _published(302),
        lambda world: {"note": "Forkert telefonnummer."},
        _another_edition_than("published"),
    ),
    # Without a note, or for a draft: refused, back to the edition.
    Row(
        "edition_correct",
        "POST",
        _edition("published", "ret/"),
        _published(302),
        lambda world: {"note": ""},
        _back_to("published"),
    ),
    Row(
        "edition_correct",
        "POST",
        _edition("draft", "ret/"),
        _draft(302),
        lambda world: {"note": "Forkert telefonnummer."},
        _back_to("draft"),
    ),
    Row("edition_correct", "GET", _edition("published", "ret/"), NOT_ALLOWED),
    Row(
        "edition_discard",
        "POST",
        _edition("draft", "slet/"),
        _draft(302),
        location=lambda world: re.escape(EDITIONS_PAGE),
    ),
    Row(
        "edition_discard",
        "POST",
        _edition("published", "slet/"),
        _published(302),
        location=_back_to("published"),
    ),
    Row("edition_discard", "GET", _edition("draft", "slet/"), NOT_ALLOWED),
]


def _public(path: str) -> Callable[[World], str]:
    return lambda world: f"/handlekort/{path}"


PUBLIC_ROWS = [
    Row("public_index", "GET", _public(""), PUBLIC),
    Row("public_index", "POST", _public(""), PUBLIC_NOT_ALLOWED),
    Row("public_current", "GET", _public("161/"), PUBLIC),
    # Albertslund's only edition is being published: not public yet.
    Row("public_current", "GET", _public("165/"), NOT_FOUND),
    Row("public_current", "GET", _public("999/"), NOT_FOUND),
    Row("public_current", "POST", _public("161/"), PUBLIC_NOT_ALLOWED),
    Row("public_current_pdf", "GET", _public("161/aktuel.pdf"), PUBLIC),
    Row("public_current_pdf", "GET", _public("165/aktuel.pdf"), NOT_FOUND),
    Row("public_current_pdf", "POST", _public("161/aktuel.pdf"), PUBLIC_NOT_ALLOWED),
    Row("public_edition", "GET", _public(f"161/{YEAR}/v1/"), PUBLIC),
    Row("public_edition", "GET", _public(f"161/{YEAR + 1}/v1/"), NOT_FOUND),  # the draft
    Row("public_edition", "GET", _public(f"165/{YEAR + 1}/v1/"), NOT_FOUND),  # being published
    Row("public_edition", "GET", _public(f"161/{YEAR}/v2/"), NOT_FOUND),
    Row("public_edition", "POST", _public(f"161/{YEAR}/v1/"), PUBLIC_NOT_ALLOWED),
    Row("public_edition_pdf", "GET", _public(f"161/{YEAR}/v1.pdf"), PUBLIC),
    Row("public_edition_pdf", "GET", _public(f"161/{YEAR + 1}/v1.pdf"), NOT_FOUND),
    Row("public_edition_pdf", "GET", _public(f"165/{YEAR + 1}/v1.pdf"), NOT_FOUND),
    Row("public_edition_pdf", "POST", _public(f"161/{YEAR}/v1.pdf"), PUBLIC_NOT_ALLOWED),
]

ROWS = [*EDITORIAL_ROWS, *PUBLIC_ROWS]

# Each row's URL, data and redirect target are built from the `world` fixture; anonymous
# visitors are a column of their own, since the public pages answer them.
TABLE = Table(namespace="actioncard", rows=ROWS, personas=PERSONAS)


@pytest.mark.parametrize(("row", "persona"), TABLE.params())
def test_permission_table(
    row: Row,
    persona: str,
    personas: Personas,
    admin_albertslund: User,
    world: World,
    client: Client,
) -> None:
    url = row.url(world)
    sign_in(client, persona, personas, admin_albertslund=admin_albertslund)

    check(
        client,
        row,
        persona,
        url=url,
        data=row.data(world) if row.data else {},
        location=row.location(world) if row.location else None,
    )


def test_every_actioncard_url_has_rows_in_the_table() -> None:
    names = url_names("actioncard")
    for method in ("GET", "POST"):
        covered = {row.name for row in ROWS if row.method == method}
        assert names - covered == set(), (
            f"ActionCard URLs without {method} rows: {sorted(names - covered)}"
        )
    assert {row.name for row in ROWS} <= names, "rows for URL names that do not exist"


def test_the_public_pdfs_are_served_as_pdf_to_anonymous_visitors(
    world: World, client: Client
) -> None:
    for url in ("/handlekort/161/aktuel.pdf", f"/handlekort/161/{YEAR}/v1.pdf"):
        response = client.get(url)

        assert response["Content-Type"] == "application/pdf", url
        assert b"".join(response.streaming_content) == PDF, url
        assert response["Content-Disposition"] == (
            f'inline; filename="SSP-handlekort-Glostrup-{YEAR}.pdf"'
        )


def test_successful_editorial_posts_did_their_work(
    world: World, personas: Personas, client: Client
) -> None:
    """The table's 302s for the administrator, checked against the database."""
    client.force_login(personas.admin)

    client.post(_start("glostrup")(world), {"year": YEAR + 2})
    client.post(_edition("draft", "tekster/")(world), _texts(world))
    client.post(_edition("published", "ret/")(world), {"note": "Forkert telefonnummer."})

    assert Edition.objects.filter(municipality=world.glostrup, year=YEAR + 2).exists()
    world.draft.refresh_from_db()
    assert (world.draft.foreword, world.draft.purpose) == ("Nyt forord", "Nyt formål")
    assert [(e.situation, e.advice) for e in world.draft.guide.all()] == [
        ("du er i tvivl", "Ring til SSP-konsulenten.")
    ]
    correction = Edition.objects.get(supersedes=world.published)
    assert (correction.version, correction.status) == (2, EditionStatus.DRAFT)

    client.post(_edition("draft", "slet/")(world))

    assert not Edition.objects.filter(pk=world.draft.pk).exists()


def test_refused_editorial_posts_change_nothing(
    world: World, personas: Personas, admin_albertslund: User, client: Client
) -> None:
    """Everyone but Glostrup's administrator tries every write on Glostrup's editions."""
    before = {
        edition.pk: (edition.status, edition.foreword, edition.contents_taken_at)
        for edition in Edition.objects.all()
    }
    jobs = RenderJob.objects.count()
    others = [personas[name] for name in (*GLOSTRUP_STAFF, "neighbour", "outsider")]
    for user in [*others, admin_albertslund]:
        client.force_login(user)
        client.post(_start("glostrup")(world), {"year": YEAR + 2})
        for edition in ("draft", "published"):
            client.post(_edition(edition, "tekster/")(world), _texts(world))
            client.post(_edition(edition, "hent-forum/")(world))
            client.post(_edition(edition, "pdf/")(world))
            client.post(_edition(edition, "udgiv/")(world))
            client.post(_edition(edition, "kontakter/")(world), {"notify_phone": "112"})
            client.post(_edition(edition, "ret/")(world), {"note": "Forkert."})
            client.post(_edition(edition, "slet/")(world))

    after = {
        edition.pk: (edition.status, edition.foreword, edition.contents_taken_at)
        for edition in Edition.objects.all()
    }
    assert after == before, "an editorial POST by someone not allowed changed an edition"
    assert RenderJob.objects.count() == jobs, "an editorial POST started a rendering"
