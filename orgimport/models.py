"""An uploaded spreadsheet waiting for its administrator's confirmation.

The file is kept here, in the database, between the preview and the confirmation: not on disk
(a second web server would not see it) and not in the session (a few hundred kilobytes per
session, and gone with it). The confirmation reads the bytes again, validates them against the
organisation as it is by then, applies them in one transaction and empties the row, which it
locks first: a second click (or a second tab) finds it confirmed and imports nothing. Rows
older than `KEEP_FOR` are deleted (`orgimport.services.import_purge`).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

KEEP_FOR = timedelta(days=1)


class ImportKind(models.TextChoices):
    """What an uploaded file holds: a workbook with every sheet, or one CSV of one kind."""

    WORKBOOK = "workbook", _("Regneark med alle ark")
    UNITS = "units", _("Enheder")
    PEOPLE = "people", _("Personer")
    MEMBERSHIPS = "memberships", _("Medlemskaber og SSP-teams")


class OrgImport(models.Model):
    """One upload of a municipality's organisation, by one administrator."""

    municipality = models.ForeignKey(
        "forum.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("filnavn"), max_length=200)
    # For a CSV file, the kind the administrator chose (or the headers showed); a workbook's
    # sheets each say their own.
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # What the confirmation did, per sheet: {"units": {"created": 3, "changed": 1, ...}}.
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("import af organisation")
        verbose_name_plural = _("importer af organisation")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=("municipality", "created_at"))]

    def __str__(self) -> str:
        return f"{self.filename} ({self.municipality_id})"
