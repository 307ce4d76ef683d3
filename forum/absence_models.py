"""A consultant's absence and the colleague who stands in meanwhile (`forum.absences`).

Kept in its own module (imported by `forum.models`) so the organisation's models stay short.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Absence(models.Model):
    """A consultant's absence (holiday, leave) and the colleague who stands in meanwhile.

    From `starts_on` to `ends_on` (both included) what is meant for the consultant alone (a
    routing rule's notice, an escalation, a chased notification) goes to the stand-in, another
    SSP consultant of the same municipality, who reads the same concerns already. The service
    `forum.services.absence_add` checks both are consultants there.
    """

    municipality = models.ForeignKey(
        "forum.Municipality", on_delete=models.CASCADE, related_name="absences"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name=_("fraværende"),
    )
    stand_in = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="stand_in_for",
        verbose_name=_("stedfortræder"),
    )
    starts_on = models.DateField(_("fra og med"))
    ends_on = models.DateField(_("til og med"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fravær")
        verbose_name_plural = _("fravær")
        ordering = ("starts_on", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="forum_absence_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(stand_in=models.F("user")),
                name="forum_absence_stand_in_is_someone_else",
            ),
        ]
        indexes = [models.Index(fields=("municipality", "ends_on"))]

    def __str__(self) -> str:
        return f"{self.user} {self.starts_on}–{self.ends_on} → {self.stand_in}"
