"""Every write to ActionCard editions: start, edit, refresh, render, publish, correct.

Drafts change; published editions never do. Publishing is a rendering job: the worker renders
the PDF of the frozen contents and, in one transaction, stores it and marks the edition
published (superseding the version it corrects). A failure leaves the edition a draft with a
readable message, so nothing is ever published half-way.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actioncard import contacts, rendering, snapshot
from actioncard.models import (
    OPEN_STATUSES,
    Edition,
    EditionStatus,
    GuideEntry,
    RenderJob,
    RenderPurpose,
    RenderStatus,
)
from forum.models import Municipality
from ssp.models import User

logger = logging.getLogger(__name__)

GUIDE_MAX_ENTRIES = 12


def default_texts() -> tuple[str, str, list[tuple[str, str]]]:
    """Foreword, purpose and guide for a municipality's first ActionCard, to be edited."""
    foreword = _(
        "SSP-handlekortet viser, hvem der arbejder sammen om at forebygge kriminalitet blandt "
        "børn og unge i kommunen, og hvem du kontakter, når du er bekymret. Handlekortet "
        "bygger på SSP-Forum, som det ser ud i år."
    )
    purpose = _(
        "SSP er samarbejdet mellem skole, socialforvaltning og politi. Vi arbejder for, at børn "
        "og unge trives og ikke begår kriminalitet. Vi handler tidligt, taler med de unge og "
        "deres forældre og deler kun de oplysninger, der er nødvendige."
    )
    guide = [
        (
            _("du er i tvivl"),
            _(
                "Ring til SSP-konsulenten og drøft det. Du behøver ikke et login til "
                "SSP-systemet for at sige, at du er bekymret."
            ),
        ),
        (
            _("du har et login til SSP-systemet"),
            _(
                "Skriv bekymringen under »Ny bekymring«. SSP-konsulenten ser på den og finder "
                "den rette vej."
            ),
        ),
        (
            _("du har underrettet kommunen"),
            _("Fortæl SSP-konsulenten det, hvis den unge også er en del af SSP-arbejdet."),
        ),
        (
            _("du taler med den unge eller forældrene"),
            _(
                "Sig, hvad du er bekymret for, og hvem du vil tale med. Oplysninger deles kun, "
                "når det er nødvendigt for at forebygge kriminalitet."
            ),
        ),
    ]
    return foreword, purpose, guide


def _latest_published(municipality: Municipality) -> Edition | None:
    return (
        Edition.objects.filter(municipality=municipality, status=EditionStatus.PUBLISHED)
        .order_by("-year", "-version")
        .first()
    )


def _guide_set(edition: Edition, guide: list[tuple[str, str]]) -> None:
    edition.guide.all().delete()
    GuideEntry.objects.bulk_create(
        GuideEntry(
            edition=edition, position=index, situation=situation.strip(), advice=advice.strip()
        )
        for index, (situation, advice) in enumerate(guide)
    )


@transaction.atomic
def edition_start(*, municipality: Municipality, year: int, by: User) -> Edition:
    """A draft of `year`'s ActionCard, filled from the forum, with last year's texts."""
    if Edition.objects.filter(municipality=municipality, year=year).exists():
        raise ValidationError(
            {
                "year": _(
                    "Der findes allerede et handlekort for %(year)s. Ret i det, eller lav en "
                    "rettelse af det udgivne."
                )
                % {"year": year}
            }
        )
    previous = _latest_published(municipality)
    choices, page_per_school = {}, False
    if previous is not None:
        foreword, purpose = previous.foreword, previous.purpose
        guide = [(entry.situation, entry.advice) for entry in previous.guide.all()]
        choices, page_per_school = previous.contact_choices, previous.page_per_school
    else:
        foreword, purpose, guide = default_texts()
    try:
        with transaction.atomic():
            edition = Edition.objects.create(
                municipality=municipality,
                year=year,
                foreword=foreword,
                purpose=purpose,
                contact_choices=choices,
                page_per_school=page_per_school,
                contents=snapshot.take(municipality, year, choices),
                contents_taken_at=timezone.now(),
                created_by=by,
            )
    except IntegrityError:
        # Two administrators (or two clicks) started the same year at once.
        raise ValidationError(
            {"year": _("Handlekortet for %(year)s er lige blevet oprettet.") % {"year": year}}
        ) from None
    _guide_set(edition, guide)
    return edition


@transaction.atomic
def edition_correct(*, edition: Edition, by: User, note: str) -> Edition:
    """A new draft version of a published edition, to supersede it once published."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != EditionStatus.PUBLISHED:
        raise ValidationError(_("Kun det gældende, udgivne handlekort kan rettes."))
    if not note.strip():
        raise ValidationError({"note": _("Skriv kort, hvad rettelsen handler om.")})
    if Edition.objects.filter(
        municipality=edition.municipality, year=edition.year, status__in=OPEN_STATUSES
    ).exists():
        raise ValidationError(_("Der er allerede en rettelse under arbejde for dette år."))
    correction = Edition.objects.create(
        municipality=edition.municipality,
        year=edition.year,
        version=edition.version + 1,
        supersedes=edition,
        correction_note=note.strip(),
        foreword=edition.foreword,
        purpose=edition.purpose,
        contact_choices=edition.contact_choices,
        page_per_school=edition.page_per_school,
        contents=edition.contents,
        contents_taken_at=edition.contents_taken_at,
        created_by=by,
    )
    _guide_set(correction, [(entry.situation, entry.advice) for entry in edition.guide.all()])
    return correction


def _locked_draft(edition: Edition) -> Edition:
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != EditionStatus.DRAFT:
        raise ValidationError(
            _("Handlekortet er udgivet eller ved at blive udgivet og kan ikke ændres.")
        )
    return edition


@transaction.atomic
def edition_texts_update(
    *,
    edition: Edition,
    foreword: str,
    purpose: str,
    guide: list[tuple[str, str]],
    correction_note: str | None = None,
) -> Edition:
    edition = _locked_draft(edition)
    if len(guide) > GUIDE_MAX_ENTRIES:
        raise ValidationError(
            _("Vejledningen kan højst have %(count)s punkter.") % {"count": GUIDE_MAX_ENTRIES}
        )
    edition.foreword = foreword.strip()
    edition.purpose = purpose.strip()
    fields = ["foreword", "purpose"]
    if correction_note is not None and edition.supersedes_id:
        edition.correction_note = correction_note.strip()
        fields.append("correction_note")
    edition.save(update_fields=fields)
    _guide_set(edition, guide)
    return edition


@transaction.atomic
def edition_contacts_update(
    *, edition: Edition, choices: dict[str, dict[str, str]], page_per_school: bool
) -> Edition:
    """Page one's contacts as the editor chose them, resolved into names and numbers now (the
    rest of the snapshot stays as it was taken)."""
    edition = _locked_draft(edition)
    edition.contact_choices = {
        key: {name: str(value).strip() for name, value in choice.items()}
        for key, choice in choices.items()
        if key in contacts.SITUATION_KEYS
    }
    edition.page_per_school = page_per_school
    situations, consultant = snapshot.take_contacts(edition.municipality, edition.contact_choices)
    edition.contents = {**edition.contents, "contacts": situations, "consultant": consultant}
    edition.save(update_fields=["contact_choices", "page_per_school", "contents"])
    return edition


@transaction.atomic
def edition_refresh(*, edition: Edition) -> Edition:
    """Take the forum as it stands now into the draft."""
    edition = _locked_draft(edition)
    edition.contents = snapshot.take(edition.municipality, edition.year, edition.contact_choices)
    edition.contents_taken_at = timezone.now()
    edition.save(update_fields=["contents", "contents_taken_at"])
    return edition


@transaction.atomic
def edition_discard(*, edition: Edition) -> None:
    edition = _locked_draft(edition)
    for job in edition.render_jobs.exclude(pdf=""):
        name = job.pdf.name
        storage = job.pdf.storage
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    edition.delete()


def publish_problems(edition: Edition) -> list[str]:
    """Why the edition cannot be published yet, in words for the administrator."""
    problems = []
    if not edition.foreword.strip():
        problems.append(_("Skriv et forord."))
    if not edition.purpose.strip():
        problems.append(_("Skriv afsnittet om formål og værdier."))
    if snapshot.is_empty(edition.contents):
        problems.append(
            _(
                "SSP-Forum har ingen aktører. Tilføj forummets medlemmer under Organisation, "
                "og hent forummet igen."
            )
        )
    if edition.supersedes_id and not edition.correction_note.strip():
        problems.append(_("Skriv, hvad rettelsen handler om."))
    current = Edition.objects.filter(
        municipality_id=edition.municipality_id,
        year=edition.year,
        status=EditionStatus.PUBLISHED,
    ).first()
    if current is not None and current.pk != edition.supersedes_id:
        problems.append(
            _("Handlekortet for %(year)s er allerede udgivet. Lav en rettelse af det i stedet.")
            % {"year": edition.year}
        )
    return problems


def _enqueue(job: RenderJob) -> None:
    """Hand the job to the PDF queue once the row is committed. If the broker is away, the
    row stays queued and the sweep enqueues it when the broker is back."""
    from actioncard.tasks import render_edition

    def send() -> None:
        try:
            render_edition.delay(job.pk)
        except Exception:  # any broker failure: the sweep retries
            logger.warning(
                "Could not enqueue ActionCard rendering %s; the sweep will", job.pk, exc_info=True
            )

    transaction.on_commit(send)


@transaction.atomic
def render_request(*, edition: Edition, by: User, purpose: str, enqueue: bool = True) -> RenderJob:
    """Ask for a PDF: a preview of a draft, or the rendering that publishes it. With
    `enqueue=False` the caller runs the job itself with `render_run` (the demo seed does, so a
    fresh `make run` shows a published card without waiting for the worker)."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if purpose == RenderPurpose.PREVIEW and edition.status != EditionStatus.DRAFT:
        raise ValidationError(_("Et udgivet handlekort har allerede sin PDF."))
    if purpose == RenderPurpose.PUBLISH:
        edition = _locked_draft(edition)
        problems = publish_problems(edition)
        if problems:
            raise ValidationError(problems)
        edition.status = EditionStatus.PUBLISHING
        edition.save(update_fields=["status"])
    pending = edition.render_jobs.filter(
        purpose=purpose, status__in=(RenderStatus.QUEUED, RenderStatus.RUNNING)
    ).first()
    if pending is not None:
        # A second click while the first rendering runs: follow that one.
        return pending
    job = RenderJob.objects.create(
        edition=edition, purpose=purpose, requested_by=by, enqueued_at=timezone.now()
    )
    if enqueue:
        _enqueue(job)
    return job


RENDER_FAILED = gettext_lazy(
    "PDF'en kunne ikke laves. Prøv igen; sker det igen, så kontakt support."
)


def render_run(*, job_id: int) -> None:
    """Render one job (called by the PDF worker). A job already taken or finished is left
    alone, so a message delivered twice renders once."""
    with transaction.atomic():
        job = (
            RenderJob.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id, status=RenderStatus.QUEUED)
            .first()
        )
        if job is None:
            return
        job.status = RenderStatus.RUNNING
        job.started_at = timezone.now()
        job.attempts = F("attempts") + 1
        job.save(update_fields=["status", "started_at", "attempts"])
        job.refresh_from_db(fields=["attempts"])
    edition = Edition.objects.select_related("municipality").get(pk=job.edition_id)
    try:
        pdf = rendering.edition_pdf(edition)
    except Exception:
        logger.exception("Rendering ActionCard %s (job %s) failed", edition.pk, job.pk)
        _fail(job, str(RENDER_FAILED))
        return
    if job.purpose == RenderPurpose.PUBLISH:
        _publish(job, pdf)
    else:
        with transaction.atomic():
            if not _still_mine(job):
                return
            job.pdf.save(f"{edition.pk}.pdf", ContentFile(pdf), save=False)
            _finish(job, RenderStatus.DONE, fields=["pdf"])


def _still_mine(job: RenderJob) -> bool:
    """The job is still this attempt's: the sweep has not handed it to another worker."""
    return (
        RenderJob.objects.select_for_update()
        .filter(pk=job.pk, status=RenderStatus.RUNNING, attempts=job.attempts)
        .exists()
    )


def _finish(job: RenderJob, status: str, *, error: str = "", fields: list[str] = ()) -> None:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", *fields])


def _publish(job: RenderJob, pdf: bytes) -> None:
    with transaction.atomic():
        if not _still_mine(job):
            return
        edition = Edition.objects.select_for_update().get(pk=job.edition_id)
        # Checked again at the last moment: another version may have been published meanwhile.
        problems = publish_problems(edition)
        if edition.status != EditionStatus.PUBLISHING or problems:
            _back_to_draft(job, " ".join(problems) or str(RENDER_FAILED))
            return
        if edition.supersedes_id:
            Edition.objects.filter(pk=edition.supersedes_id).update(status=EditionStatus.SUPERSEDED)
        edition.pdf.save(edition.pdf_filename(), ContentFile(pdf), save=False)
        edition.status = EditionStatus.PUBLISHED
        edition.published_at = timezone.now()
        edition.published_by_id = job.requested_by_id
        edition.save(update_fields=["pdf", "status", "published_at", "published_by"])
        _finish(job, RenderStatus.DONE)


def _back_to_draft(job: RenderJob, message: str) -> None:
    Edition.objects.filter(pk=job.edition_id, status=EditionStatus.PUBLISHING).update(
        status=EditionStatus.DRAFT
    )
    _finish(job, RenderStatus.FAILED, error=message)


@transaction.atomic
def _fail(job: RenderJob, message: str) -> None:
    if not _still_mine(job):
        return
    if job.purpose == RenderPurpose.PUBLISH:
        _back_to_draft(job, message)
    else:
        _finish(job, RenderStatus.FAILED, error=message)


def render_sweep() -> int:
    """Re-enqueue jobs whose message was lost (still queued after a while) and jobs whose
    worker died while rendering (running far longer than a rendering takes)."""
    now = timezone.now()
    lost = now - timedelta(seconds=settings.ACTIONCARD_REQUEUE_AFTER_SECONDS)
    dead = now - timedelta(seconds=settings.ACTIONCARD_RENDER_TIMEOUT_SECONDS)
    with transaction.atomic():
        jobs = list(
            RenderJob.objects.select_for_update(skip_locked=True).filter(
                status=RenderStatus.QUEUED, enqueued_at__lt=lost
            )
        ) + list(
            RenderJob.objects.select_for_update(skip_locked=True).filter(
                status=RenderStatus.RUNNING, started_at__lt=dead
            )
        )
        for job in jobs:
            if job.attempts >= settings.ACTIONCARD_RENDER_MAX_ATTEMPTS:
                _fail_for_good(job)
                continue
            job.status = RenderStatus.QUEUED
            job.enqueued_at = now
            job.save(update_fields=["status", "enqueued_at"])
            _enqueue(job)
    return len(jobs)


def _fail_for_good(job: RenderJob) -> None:
    if job.purpose == RenderPurpose.PUBLISH:
        _back_to_draft(job, str(RENDER_FAILED))
    else:
        _finish(job, RenderStatus.FAILED, error=str(RENDER_FAILED))
