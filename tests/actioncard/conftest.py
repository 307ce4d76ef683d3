"""Fixtures for the ActionCard tests: Glostrup's administrator and a published edition."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from actioncard import services
from actioncard.models import Edition, RenderJob, RenderPurpose
from forum.models import Municipality
from ssp.models import User

YEAR = 2027


@pytest.fixture(autouse=True)
def _remove_written_pdfs(db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """PDFs written by a test go with it: its rows roll back, files on disk would not."""
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "actioncard"
    before = set(root.rglob("*.pdf")) if root.exists() else set()
    yield
    if root.exists():
        for path in set(root.rglob("*.pdf")) - before:
            path.unlink(missing_ok=True)


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
