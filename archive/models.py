"""Exports of a municipality's data as a versioned archive (docs/archive.md).

`ArchiveExport` is the record of one export: who asked, when, for what and with which scope;
the archive itself is a `ssp.StoredFile` that lives until it is downloaded once or expires.
`ControllerRepresentative` names who may act for the data controller (the municipality) when
cases leave the installation (docs/legal.md, "Export of a municipality's data").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("I kø")
    RUNNING = "running", _("Dannes")
    READY = "ready", _("Klar til hentning")
    DOWNLOADED = "downloaded", _("Hentet")
    EXPIRED = "expired", _("Udløbet")
    FAILED = "failed", _("Mislykkedes")


class ArchiveExport(models.Model):
    """One export of a municipality's data. Never deleted: the row is the record of the
    export (who, when, scope, purpose); the archive file is deleted after the one download or
    when it expires."""

    municipality = models.ForeignKey(
        "forum.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    purpose = models.CharField(_("formål"), max_length=300)
    include_cases = models.BooleanField(_("med sager"), default=False)
    status = models.CharField(
        max_length=12, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    # The StoredFile's name while the archive exists; emptied when it is deleted.
    file_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    # The key-derivation parameters and salt are in the archive's manifest; the passphrase's
    # derived key travels to the worker only inside the task's encrypted payload (see tasks).

    class Meta:
        verbose_name = _("eksport af kommunens data")
        verbose_name_plural = _("eksporter af kommunens data")
        ordering = ("-requested_at", "-id")
        indexes = [models.Index(fields=("municipality", "-requested_at"))]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.requested_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def in_progress(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)


class ControllerRepresentative(models.Model):
    """An administrator whom the municipality (the data controller) has named to act for it
    when its cases leave the installation. Recorded by a platform operator in Django admin
    from the municipality's written instruction, which `instruction` refers to."""

    municipality = models.ForeignKey(
        "forum.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("kommune"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("bruger"),
    )
    instruction = models.CharField(
        _("instruks fra kommunen"),
        max_length=300,
        help_text=_("Journalnummer eller dato for kommunens skriftlige udpegning."),
    )
    named_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("repræsentant for den dataansvarlige")
        verbose_name_plural = _("repræsentanter for den dataansvarlige")
        constraints = [
            models.UniqueConstraint(
                fields=("municipality", "user"), name="archive_representative_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.municipality}"
