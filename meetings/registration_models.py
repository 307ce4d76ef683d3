"""Registration for meetings open to many (the April SSP-Forum, theme meetings, courses).

An organiser opens registration on a meeting with a capacity and a deadline. Signed-in users
and outside invitees without a login register through the meeting's public link (a random
token); each registration is one row, counted against the capacity under a row lock on the
opening (`meetings.registration.registration_add`). Outside invitees' rows are deleted some
days after the meeting (`REGISTRATION_RETENTION_DAYS`, the nightly `prune_registrations`).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting


def _public_token() -> str:
    return secrets.token_urlsafe(16)


class RegistrationOpening(models.Model):
    """A meeting's registration: how many seats, until when, and its public link."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="registration")
    capacity = models.PositiveIntegerField(
        _("antal pladser"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    deadline = models.DateTimeField(_("tilmeldingsfrist"))
    token = models.CharField(max_length=32, unique=True, default=_public_token, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tilmelding til møde")
        verbose_name_plural = _("tilmeldinger til møder")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="meetings_registration_capacity_positive"
            )
        ]

    def __str__(self) -> str:
        return str(self.meeting)


class Registration(models.Model):
    """One person coming to a meeting: a signed-in user, or an outside invitee."""

    opening = models.ForeignKey(
        RegistrationOpening, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    full_name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("arbejdssted eller organisation"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tilmelding")
        verbose_name_plural = _("tilmeldinger")
        constraints = [
            models.UniqueConstraint(
                "opening", Lower("email"), name="meetings_registration_once_per_email"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_outside(self) -> bool:
        return self.user_id is None
