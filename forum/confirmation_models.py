"""The spring confirmation of the actors' directory entries (models; rules in
`forum/confirmations.py`).

Every spring each actor on the ActionCard is mailed a signed link to confirm or correct their
own entry. A round per municipality and year; a confirmation per actor in the round; a
correction the actor proposes, which the consultants or the ActionCard's editors accept or
reject. Imported by `forum.models`, so Django finds them.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.models import Municipality, Person


class ConfirmationRound(models.Model):
    """One municipality's spring round of one year. Its links work until `closes_on`
    (included); after that they are refused and answers wait for next year."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="confirmation_rounds"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    closes_on = models.DateField(_("lukker"))
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bekræftelsesrunde")
        verbose_name_plural = _("bekræftelsesrunder")
        constraints = [
            models.UniqueConstraint(
                fields=("municipality", "year"), name="forum_confirmation_round_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"

    def is_open_on(self, day: date) -> bool:
        return day <= self.closes_on


class ConfirmationStatus(models.TextChoices):
    PENDING = "pending", _("Ikke besvaret")
    CONFIRMED = "confirmed", _("Bekræftet")
    CORRECTED = "corrected", _("Rettelser foreslået")


class EntryConfirmation(models.Model):
    """An actor's part in a round. `nonce` is in the signed link: a resend draws a new one,
    so the link mailed before stops working (a link is revoked by resending it)."""

    round = models.ForeignKey(
        ConfirmationRound, on_delete=models.CASCADE, related_name="confirmations"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="entry_confirmations")
    status = models.CharField(
        max_length=12, choices=ConfirmationStatus.choices, default=ConfirmationStatus.PENDING
    )
    nonce = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bekræftelse af oplysninger")
        verbose_name_plural = _("bekræftelser af oplysninger")
        constraints = [
            models.UniqueConstraint(
                fields=("round", "person"), name="forum_entry_confirmation_unique"
            )
        ]
        indexes = [models.Index(fields=("round", "sent_at"))]

    def __str__(self) -> str:
        return f"{self.person} ({self.round})"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Afventer gennemgang")
    ACCEPTED = "accepted", _("Godkendt")
    REJECTED = "rejected", _("Afvist")


class EntryCorrection(models.Model):
    """Changes an actor proposes to their own work contact details. The directory changes only
    when a consultant or editor accepts them; `proposed` holds only the changed fields."""

    confirmation = models.ForeignKey(
        EntryConfirmation, on_delete=models.CASCADE, related_name="corrections"
    )
    proposed = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("bemærkning"), blank=True, max_length=1000)
    status = models.CharField(
        max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rettelse af oplysninger")
        verbose_name_plural = _("rettelser af oplysninger")
        ordering = ("-created_at",)
        constraints = [
            # One correction waits for review per actor and round: a new one replaces it.
            models.UniqueConstraint(
                fields=("confirmation",),
                condition=models.Q(status="pending"),
                name="forum_entry_correction_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.confirmation} – {self.get_status_display()}"
