"""The yearly SSP-ActionCard: editions, their texts, and the PDF renderings.

An edition is a municipality's ActionCard for one year. While it is a draft, its contents are a
snapshot of the SSP-Forum taken when the draft was started or last refreshed; the administrator
edits the texts around it. Publishing renders the PDF and freezes the edition for good: a
mistake found later is corrected by a new version of the same year, which supersedes it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forum.models import Municipality
from ssp.storage import private_storage

FIRST_YEAR = 2000
LAST_YEAR = 2100


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    PUBLISHING = "publishing", _("Udgives")
    PUBLISHED = "published", _("Udgivet")
    SUPERSEDED = "superseded", _("Erstattet af en rettelse")


# Editions the public may read.
PUBLIC_STATUSES = (EditionStatus.PUBLISHED, EditionStatus.SUPERSEDED)
# Editions still being worked on: at most one per municipality and year.
OPEN_STATUSES = (EditionStatus.DRAFT, EditionStatus.PUBLISHING)


def _pdf_storage():  # type: ignore[no-untyped-def]
    return private_storage()


def _edition_pdf_path(instance: Edition, filename: str) -> str:
    return f"actioncard/{instance.municipality_id}/{instance.year}-v{instance.version}.pdf"


def _preview_pdf_path(instance: RenderJob, filename: str) -> str:
    return f"actioncard/preview/{uuid.uuid4().hex}.pdf"


class Edition(models.Model):
    """One version of a municipality's ActionCard for a year."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="actioncard_editions",
        verbose_name=_("kommune"),
    )
    year = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("erstatter"),
    )
    correction_note = models.TextField(_("rettelse"), blank=True, max_length=2000)
    foreword = models.TextField(_("forord"), blank=True, max_length=5000)
    purpose = models.TextField(_("formål og værdier"), blank=True, max_length=5000)
    # Page one's contacts as the editor chose them, per situation: {"ref": "person-<pk>" or
    # "unit-<pk>" or "", "name", "phone"} (typed, for a contact outside the directory). The
    # snapshot resolves them into names and numbers: see actioncard.contacts.
    contact_choices = models.JSONField(default=dict, blank=True)
    page_per_school = models.BooleanField(
        _("en side pr. skole"),
        default=False,
        help_text=_("Hver skole med sit eget SSP-team får en side til opslagstavlen."),
    )
    # The forum as it stood: see actioncard.snapshot for the shape.
    contents = models.JSONField(encoder=DjangoJSONEncoder, default=dict)
    contents_taken_at = models.DateTimeField(_("hentet fra forummet"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("udgivet"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    pdf = models.FileField(storage=_pdf_storage, upload_to=_edition_pdf_path, blank=True)

    class Meta:
        verbose_name = _("handlekort")
        verbose_name_plural = _("handlekort")
        ordering = ("-year", "-version")
        constraints = [
            models.UniqueConstraint(
                fields=("municipality", "year", "version"), name="actioncard_edition_version"
            ),
            models.UniqueConstraint(
                fields=("municipality", "year"),
                condition=Q(status__in=OPEN_STATUSES),
                name="actioncard_one_open_edition_per_year",
            ),
            models.UniqueConstraint(
                fields=("municipality", "year"),
                condition=Q(status=EditionStatus.PUBLISHED),
                name="actioncard_one_current_edition_per_year",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATUSES) | ~Q(pdf=""),
                name="actioncard_published_has_pdf",
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.municipality} {self.year}"
        return label if self.version == 1 else f"{label} ({self.version})"

    def get_absolute_url(self) -> str:
        return reverse("actioncard:edition_detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == EditionStatus.DRAFT

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def public_url(self) -> str:
        return reverse(
            "actioncard:public_edition",
            kwargs={"code": self.municipality.code, "year": self.year, "version": self.version},
        )

    def public_pdf_url(self) -> str:
        return reverse(
            "actioncard:public_edition_pdf",
            kwargs={"code": self.municipality.code, "year": self.year, "version": self.version},
        )

    def pdf_filename(self) -> str:
        name = f"SSP-handlekort-{self.municipality.name}-{self.year}"
        return f"{name}.pdf" if self.version == 1 else f"{name}-v{self.version}.pdf"


class GuideEntry(models.Model):
    """One line of "Hvem kontakter jeg, når…": a situation and what to do about it."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="guide")
    position = models.PositiveSmallIntegerField()
    situation = models.CharField(_("når …"), max_length=200)
    advice = models.TextField(_("så …"), max_length=1000)

    class Meta:
        verbose_name = _("vejledning")
        verbose_name_plural = _("vejledninger")
        ordering = ("position",)
        constraints = [
            models.UniqueConstraint(
                fields=("edition", "position"), name="actioncard_guide_position"
            )
        ]

    def __str__(self) -> str:
        return self.situation


class RenderPurpose(models.TextChoices):
    PREVIEW = "preview", _("Prøvetryk")
    PUBLISH = "publish", _("Udgivelse")


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("I kø")
    RUNNING = "running", _("Laves")
    DONE = "done", _("Færdig")
    FAILED = "failed", _("Fejlede")


class RenderJob(models.Model):
    """A PDF rendering of an edition, done by a Celery worker on the PDF queue.

    The row, not the broker message, is the job: a sweep re-enqueues jobs whose message was
    lost (Redis restarted) or whose worker died, and a worker claims a job before it starts,
    so a job is rendered once even when its message arrives twice.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="render_jobs")
    purpose = models.CharField(max_length=20, choices=RenderPurpose.choices)
    status = models.CharField(
        max_length=20, choices=RenderStatus.choices, default=RenderStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A readable message for the administrator; the traceback goes to the worker's log.
    error = models.TextField(blank=True)
    pdf = models.FileField(storage=_pdf_storage, upload_to=_preview_pdf_path, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [
            models.Index(
                fields=("status", "enqueued_at"),
                condition=Q(status__in=(RenderStatus.QUEUED, RenderStatus.RUNNING)),
                name="actioncard_job_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition} {self.get_purpose_display()} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in (RenderStatus.QUEUED, RenderStatus.RUNNING)
