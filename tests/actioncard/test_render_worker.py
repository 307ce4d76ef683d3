"""ActionCard PDFs rendered by a real Celery worker on the `pdf` queue of the real Redis broker:
publishing end to end, the queue of its own, and a rendering whose message Redis lost."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from actioncard import services
from actioncard.models import Edition, EditionStatus, RenderJob, RenderPurpose, RenderStatus
from forum.models import BodyKind
from ssp.celery import app as celery_app
from ssp.models import Sector, User
from tests.actioncard.conftest import pdf_text
from tests.celery_worker import running_worker
from tests.factories import AffiliationFactory, BodyFactory, MembershipFactory, MunicipalityFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

TIMEOUT = 60


def _worker_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return {"DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}


def _purge_pdf_queue() -> None:
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge("pdf")


@pytest.fixture(autouse=True)
def _empty_queues() -> None:
    # A message left in this Redis database by an earlier run must not reach our worker.
    celery_app.control.purge()
    _purge_pdf_queue()


def _draft() -> tuple[Edition, User]:
    """A small municipality with a forum of one actor, and its administrator's draft."""
    municipality = MunicipalityFactory(
        name="Handlekortkommune", code="998", police_district__name="Testkredsen for handlekort"
    )
    council = BodyFactory(
        kind=BodyKind.LOKALRAAD, name="Lokalrådet i Handlekortkommune", municipality=municipality
    )
    forum = BodyFactory(
        kind=BodyKind.SSP_FORUM,
        name="SSP-Forum Handlekortkommune",
        municipality=municipality,
        parent=council,
    )
    MembershipFactory(
        body=forum,
        role="coordinator",
        person__full_name="Åse Ærø-Øster",
        person__sector=Sector.SSP_SECRETARIAT,
        person__phone="+45 11 22 33 44",
    )
    admin = AffiliationFactory(
        municipality=municipality,
        is_administrator=True,
        user__email="redaktoer@test.ssp",
        user__full_name="Rita Redaktør",
    ).user
    edition = services.edition_start(municipality=municipality, year=2027, by=admin)
    return edition, admin


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {TIMEOUT}s")


def _job_status(job: RenderJob) -> str:
    job.refresh_from_db()
    return job.status


def test_the_pdf_worker_publishes_the_edition() -> None:
    edition, admin = _draft()

    with running_worker(_worker_env(), queues="pdf"):
        job = services.render_request(edition=edition, by=admin, purpose=RenderPurpose.PUBLISH)
        _wait_for(lambda: _job_status(job) == RenderStatus.DONE, "the rendering")

    edition.refresh_from_db()
    assert edition.status == EditionStatus.PUBLISHED
    assert "Åse Ærø-Øster" in pdf_text(edition.pdf.read())
    assert job.attempts == 1


def test_a_worker_of_the_default_queue_leaves_renderings_to_the_pdf_worker() -> None:
    edition, admin = _draft()

    with running_worker(_worker_env(), queues="celery") as worker:
        job = services.render_request(edition=edition, by=admin, purpose=RenderPurpose.PREVIEW)
        # The ping task goes through the default queue: once it ran, so could the rendering.
        celery_app.send_task("ssp.tasks.ping")
        worker.wait_for_log("ssp.tasks.ping", timeout=TIMEOUT)
        time.sleep(1)
        assert _job_status(job) == RenderStatus.QUEUED
        assert "render_edition[" not in worker.log()

    with running_worker(_worker_env(), queues="pdf"):
        _wait_for(lambda: _job_status(job) == RenderStatus.DONE, "the rendering")


def test_a_rendering_whose_message_redis_lost_is_enqueued_again_by_the_sweep(settings) -> None:  # type: ignore[no-untyped-def]
    edition, admin = _draft()
    job = services.render_request(edition=edition, by=admin, purpose=RenderPurpose.PUBLISH)
    _purge_pdf_queue()  # Redis restarted without persistence: the message is gone.
    settings.ACTIONCARD_REQUEUE_AFTER_SECONDS = 60
    RenderJob.objects.filter(pk=job.pk).update(enqueued_at=timezone.now() - timedelta(minutes=2))

    assert services.render_sweep() == 1

    with running_worker(_worker_env(), queues="pdf"):
        _wait_for(lambda: _job_status(job) == RenderStatus.DONE, "the rendering")
    edition.refresh_from_db()
    assert edition.status == EditionStatus.PUBLISHED
    # A second sweep finds nothing to do.
    assert services.render_sweep() == 0
