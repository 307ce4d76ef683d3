"""An invitation for an existing account to join another municipality.

An administrator who adds a person with a login whose email already belongs to an account does
not link that account: it may be another municipality's staff, and a silent link would let one
municipality's administrator reach (reset, sign out) another's people, and would tell them the
address has an account. Instead the person gets an invitation that they accept, signed in as
themselves, seeing which municipality invites them and with which roles. The administrator sees
the same page and message either way (`forum.services.person_create`).

Kept in its own module (imported by `forum.models`) so the organisation's models stay short.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Afventer svar")
    ACCEPTED = "accepted", _("Accepteret")
    DECLINED = "declined", _("Afvist")


class MunicipalityInvitation(models.Model):
    """An existing account invited to join a municipality as the directory entry `person`,
    with the roles given; nothing is linked or granted until the account's owner accepts."""

    municipality = models.ForeignKey(
        "forum.Municipality", on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey("forum.Person", on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="municipality_invitations"
    )
    is_ssp_consultant = models.BooleanField(_("SSP-konsulent"), default=False)
    is_administrator = models.BooleanField(_("administrator"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation til kommune")
        verbose_name_plural = _("invitationer til kommuner")
        constraints = [
            models.UniqueConstraint(
                fields=("person",),
                condition=models.Q(status="pending"),
                name="forum_invitation_one_pending_per_person",
            ),
        ]
        indexes = [models.Index(fields=("user", "status"))]

    def __str__(self) -> str:
        return f"{self.user} → {self.municipality}"

    @property
    def expires_at(self) -> datetime:
        """As long as the password link a new address gets (`PASSWORD_RESET_TIMEOUT`)."""
        return self.created_at + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)

    def is_open(self) -> bool:
        return self.status == InvitationStatus.PENDING and timezone.now() < self.expires_at
