"""What keeps data and for how long: a municipality's own retention periods, and legal holds.

Each municipality is its own data controller, so its administrators set its periods (within the
bounds of `settings.RETENTION_LIMITS`); without a row, the installation's `RETENTION_*_DAYS`
apply. A legal hold keeps a case, or a young person and everything about them, from retention
and erasure; the `legal_hold` flags on the rows are what the job reads, a `LegalHold` row says
who placed the hold, when and why, and who released it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from cases.models.concerns import YoungPerson
from forum.models import Municipality

# The periods a municipality sets, each a field of `RetentionPolicy` and a key of
# `settings.RETENTION_LIMITS`, with the setting that gives its default.
PERIOD_DEFAULTS: dict[str, str] = {
    "concern_without_case_days": "RETENTION_CONCERN_WITHOUT_CASE_DAYS",
    "closed_case_days": "RETENTION_CLOSED_CASE_DAYS",
    "note_days": "RETENTION_NOTE_DAYS",
    "audit_log_days": "RETENTION_AUDIT_LOG_DAYS",
}


@dataclass(frozen=True)
class RetentionPeriods:
    """How many days each kind of record is kept."""

    concern_without_case_days: int
    closed_case_days: int
    note_days: int
    audit_log_days: int

    @classmethod
    def defaults(cls) -> RetentionPeriods:
        """The installation's periods, read when asked (tests and operators may change them)."""
        return cls(**{field: getattr(settings, name) for field, name in PERIOD_DEFAULTS.items()})


class RetentionPolicy(models.Model):
    """A municipality's own retention periods, set by its administrators."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="retention_policy"
    )
    concern_without_case_days = models.PositiveIntegerField(
        _("bekymringer uden sag (dage)"),
        help_text=_("Fra bekymringen blev modtaget, når den ikke førte til en sag."),
    )
    closed_case_days = models.PositiveIntegerField(
        _("lukkede sager (dage)"), help_text=_("Fra sagen blev lukket.")
    )
    note_days = models.PositiveIntegerField(
        _("notater (dage)"), help_text=_("Fra notatet blev skrevet, også på åbne sager.")
    )
    audit_log_days = models.PositiveIntegerField(
        _("adgangslog (dage)"), help_text=_("Fra opslaget eller ændringen blev logget.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("opbevaringsperioder")
        verbose_name_plural = _("opbevaringsperioder")
        constraints = [
            # The access log's own trigger keeps six months whatever this says.
            models.CheckConstraint(
                condition=Q(audit_log_days__gte=183), name="cases_retention_audit_log_six_months"
            ),
        ]

    def __str__(self) -> str:
        return str(self.municipality)

    def periods(self) -> RetentionPeriods:
        return RetentionPeriods(**{field: getattr(self, field) for field in PERIOD_DEFAULTS})


class HoldScope(models.TextChoices):
    """What a hold placed by case number keeps."""

    CASE = "case", _("Sagen")
    YOUNG_PERSON = "young_person", _("Den unge og alt om den unge (alle sager og bekymringer)")


class LegalHold(models.Model):
    """One period of legal hold on a case, or on a young person and so on everything about them.

    While it is active (not released), retention and erasure on request leave the held data
    alone. Exactly one of `case` and `young_person` is set.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="legal_holds"
    )
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.CASCADE, null=True, blank=True, related_name="legal_holds"
    )
    reason = models.CharField(_("begrundelse"), max_length=500, blank=True)
    # Empty only for holds placed before their history was kept.
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(_("begrundelse for ophævelse"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("retlig tilbageholdelse")
        verbose_name_plural = _("retlige tilbageholdelser")
        ordering = ("-placed_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, young_person__isnull=True)
                | Q(case__isnull=True, young_person__isnull=False),
                name="cases_legalhold_case_or_young_person",
            ),
            models.UniqueConstraint(
                fields=("case",),
                condition=Q(released_at__isnull=True, case__isnull=False),
                name="cases_legalhold_one_active_per_case",
            ),
            models.UniqueConstraint(
                fields=("young_person",),
                condition=Q(released_at__isnull=True, young_person__isnull=False),
                name="cases_legalhold_one_active_per_young_person",
            ),
        ]
        indexes = [
            models.Index(
                fields=("municipality", "-placed_at"),
                condition=Q(released_at__isnull=True),
                name="cases_legalhold_active",
            ),
        ]

    def __str__(self) -> str:
        if self.case_id is not None:
            return str(_("Tilbageholdelse af sag %(number)s") % {"number": self.case_id})
        return str(_("Tilbageholdelse af ung %(number)s") % {"number": self.young_person_id})

    @property
    def is_active(self) -> bool:
        return self.released_at is None

    @property
    def subject_id(self) -> int | None:
        """The young person whose data the hold keeps (for the access log)."""
        if self.young_person_id is not None:
            return self.young_person_id
        return self.case.young_person_id if self.case_id is not None else None
