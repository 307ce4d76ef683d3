"""The Kredsråd's samarbejdsplan (cooperation plan, retsplejeloven § 111 and § 113).

A Kredsråd spans the municipalities of its police district. Its plan for a year is drafted from
what those municipalities already hold: their approved annual plans (`prevention.AnnualPlan`)
and their figures (the prevention account and the case figures). The draft is a stored
document of sections; each is filled from the data until someone edits it, and an edited
section keeps its text when the draft is refreshed. The plan is approved at one of the
Kredsråd's meetings, like a body's annual plan, and is not changed after that.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forum.models import Body, Municipality
from meetings.models import ApprovedAtMeeting

SECTION_MAX_LENGTH = 10_000


class CooperationPlan(ApprovedAtMeeting):
    """A Kredsråd's samarbejdsplan for a calendar year: a draft until approved at a meeting."""

    kredsraad = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="cooperation_plans", verbose_name=_("kredsråd")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    title = models.CharField(_("titel"), max_length=200)
    refreshed_at = models.DateTimeField(_("tal hentet"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("samarbejdsplan")
        verbose_name_plural = _("samarbejdsplaner")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kredsraad", "year"], name="cooperation_plan_once_per_kredsraad_and_year"
            ),
            models.CheckConstraint(
                condition=(
                    Q(approval_meeting__isnull=True, approved_at__isnull=True)
                    | Q(approval_meeting__isnull=False, approved_at__isnull=False)
                ),
                name="cooperation_plan_approved_at_a_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:cooperation_plan", args=[self.pk])


class SectionKind(models.TextChoices):
    INTRODUCTION = "introduction", _("Indledning")
    MUNICIPALITY = "municipality", _("Kommune")
    JOINT = "joint", _("Fælles indsatser")


class CooperationPlanSection(models.Model):
    """One section of a samarbejdsplan: the introduction, one per member municipality, and
    the joint efforts. `generated` is what the data says; `text` is what the plan says, the
    generated text until someone edits it (`edited`), after which a refresh leaves it alone."""

    plan = models.ForeignKey(CooperationPlan, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=12, choices=SectionKind.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(_("overskrift"), max_length=200)
    generated = models.TextField(max_length=SECTION_MAX_LENGTH, blank=True)
    text = models.TextField(_("tekst"), max_length=SECTION_MAX_LENGTH, blank=True)
    edited = models.BooleanField(default=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("afsnit")
        verbose_name_plural = _("afsnit")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "municipality"],
                nulls_distinct=False,
                name="cooperation_section_once_per_plan",
            )
        ]

    def __str__(self) -> str:
        return self.heading

    @property
    def differs_from_data(self) -> bool:
        """An edited section whose data has changed since: the page offers the new text."""
        return self.edited and self.generated.strip() != self.text.strip()


COMMENTARY_MAX_LENGTH = 5_000


class StatusCommentary(models.Model):
    """The SSP consultant's commentary on the yearly status of a period: what the figures
    mean, written on the status PDF's cover before it goes to the Lokalråd. One per
    municipality and period, kept so the next download of the same period carries it."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="status_commentaries"
    )
    period_start = models.DateField(_("fra"))
    period_end = models.DateField(_("til og med"))
    text = models.TextField(_("kommentar"), max_length=COMMENTARY_MAX_LENGTH, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kommentar til årsstatus")
        verbose_name_plural = _("kommentarer til årsstatus")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period_start", "period_end"],
                name="status_commentary_once_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.period_start}–{self.period_end}"
