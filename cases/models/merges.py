"""The trace a merge of two records of the same young person leaves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.concerns import YoungPerson
from forum.models import Municipality


class YoungPersonMerge(models.Model):
    """Two records of one young person became one: `removed_id` was merged into `kept`.

    The access log is append-only, so its rows keep naming the removed id; this row is how
    the kept person's insight report and access-log search find that history too
    (`cases.duplicates.merged_ids`). The removed record's name and birth date are kept as they
    were, so the merge can be read back (and undone by hand) if it was a mistake. When the kept
    person merges into a third record later, these rows move along with them.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    kept = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="merges")
    removed_id = models.BigIntegerField(_("den fjernede posts id"))
    removed_name = models.CharField(_("den fjernede posts navn"), max_length=200)
    removed_birth_date = models.DateField(null=True, blank=True)
    # Whether the CPR number the kept record has now came from the removed one.
    cpr_from_removed = models.BooleanField(default=False)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("begrundelse"), max_length=500)
    concerns_moved = models.PositiveIntegerField(default=0)
    cases_moved = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sammenlægning af dubletter")
        verbose_name_plural = _("sammenlægninger af dubletter")
        ordering = ("merged_at", "id")
        indexes = [models.Index(fields=("removed_id",))]

    def __str__(self) -> str:
        return f"{self.removed_id} → {self.kept_id}"
