"""Fixtures for the ActionCard tests: Glostrup's administrator and a published edition."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from actioncard import services
from actioncard.models import Edition, RenderJob, RenderPurpose
from forum.models import Municipality
from ssp.models import User

YEAR = 2027


def _stored_pdfs() -> set[tuple[str, str]]:
    return {
        *(
            ("edition", name)
            for name in Edition.objects.exclude(pdf="").values_list("pdf", flat=True)
        ),
        *(
            ("job", name)
            for name in RenderJob.objects.exclude(pdf="").values_list("pdf", flat=True)
        ),
    }


@pytest.fixture(autouse=True)
def _remove_written_pdfs(request: pytest.FixtureRequest) -> Iterator[None]:
    """PDFs written by a test go with it: its rows roll back, files on disk would not. Only
    files of this test's rows are removed (another process may be writing its own)."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        yield
        return
    before = _stored_pdfs()
    yield
    storage = Edition._meta.get_field("pdf").storage
    for _kind, name in _stored_pdfs() - before:
        storage.delete(name)


@pytest.fixture
def glostrup(db) -> Municipality:  # type: ignore[no-untyped-def]
    return Municipality.objects.get(name="Glostrup")


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def render_now(job: RenderJob) -> RenderJob:
    """What the PDF worker does with the job, run in this process."""
    services.render_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def publish(edition: Edition, by: User) -> Edition:
    job = services.render_request(edition=edition, by=by, purpose=RenderPurpose.PUBLISH)
    render_now(job)
    edition.refresh_from_db()
    return edition


@pytest.fixture
def published(glostrup: Municipality, personas) -> Edition:  # type: ignore[no-untyped-def]
    edition = services.edition_start(municipality=glostrup, year=YEAR, by=personas.admin)
    return publish(edition, personas.admin)
