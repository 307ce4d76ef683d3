"""Onboarding of new staff: a welcome package for every body someone joins, and the short
checklist their leader ticks.

- `Welcome`: one per person and body, the outbox row of the welcome email. Written in the
  transaction that seats the person (`forum.hooks`), sent by a Celery task after the commit,
  swept when its message was lost; the unique (person, body) pair means one welcome per
  person and body however often the task or the seat is repeated. A person's first welcome is
  the full package; a welcome for a later body is a short update about that body.
- `Onboarding`: one per person, created with their first welcome: the checklist (introduction
  talk, tour, first meeting). The first meeting also counts as done when the meetings app
  recorded that the person attended a meeting after they joined.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.models import Body, Person


class WelcomeKind(models.TextChoices):
    FULL = "full", _("Velkomstpakke")
    UPDATE = "update", _("Opdatering")


class WelcomeStatus(models.TextChoices):
    PENDING = "pending", _("Afventer")
    SENT = "sent", _("Sendt")


class Onboarding(models.Model):
    """A newcomer's introduction, from their first seat in a body until the checklist is done."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="onboarding")
    started_at = models.DateTimeField(auto_now_add=True)
    intro_talk_at = models.DateTimeField(_("introduktionssamtale holdt"), null=True, blank=True)
    intro_talk_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tour_at = models.DateTimeField(_("rundvisning givet"), null=True, blank=True)
    tour_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Ticked by the leader; also done, without a tick, once the person attended a meeting.
    first_meeting_at = models.DateTimeField(_("første møde"), null=True, blank=True)
    first_meeting_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("introduktion")
        verbose_name_plural = _("introduktioner")
        indexes = [models.Index(fields=("started_at",))]

    def __str__(self) -> str:
        return str(self.person)


class Welcome(models.Model):
    """The welcome (full package or update) for one person's seat in one body."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="welcomes")
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=WelcomeKind.choices)
    status = models.CharField(
        max_length=10, choices=WelcomeStatus.choices, default=WelcomeStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the sweep may hand a still-pending row to a worker again.
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("velkomst")
        verbose_name_plural = _("velkomster")
        constraints = [
            models.UniqueConstraint(fields=("person", "body"), name="onboarding_welcome_once"),
        ]
        indexes = [
            models.Index(
                fields=("next_attempt_at",),
                condition=models.Q(status="pending"),
                name="onboarding_welcome_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.body}"
