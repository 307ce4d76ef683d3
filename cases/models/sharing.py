"""What a case may be shown under: the young person's or parents' consent, and §115 shares."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from forum.models import Body


class ConsentStatus(models.TextChoices):
    OBTAINED = "obtained", _("Samtykke givet")
    REFUSED = "refused", _("Samtykke afvist")
    NOT_SOUGHT = "not_sought", _("Samtykke ikke indhentet")


class Consent(models.Model):
    """A record of consent for the case; the newest record is the current status."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    status = models.CharField(_("samtykke"), max_length=12, choices=ConsentStatus.choices)
    reason = models.CharField(_("begrundelse"), max_length=500, blank=True)
    given_by = models.CharField(
        _("givet eller afvist af"),
        max_length=200,
        blank=True,
        help_text=_("Fx »den unge« eller »forældremyndighedsindehaver«."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("samtykke")
        verbose_name_plural = _("samtykker")
        ordering = ("recorded_at",)
        indexes = [models.Index(fields=("case", "-recorded_at"))]

    def __str__(self) -> str:
        return self.get_status_display()


class Share(models.Model):
    """A disclosure of a case under Retsplejeloven §115 to a body or a person.

    It is made only after the user confirmed the three criteria and stated the purpose; it
    grants access until it expires or is revoked.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organ"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_shares",
        verbose_name=_("person"),
    )
    purpose = models.CharField(_("formål"), max_length=500)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("udløber"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("deling")
        verbose_name_plural = _("delinger")
        ordering = ("-shared_at",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(body__isnull=False, user__isnull=True)
                | models.Q(body__isnull=True, user__isnull=False),
                name="cases_share_with_body_or_user",
            ),
        ]
        indexes = [
            models.Index(
                fields=("expires_at",),
                condition=models.Q(revoked_at__isnull=True, expires_at__isnull=False),
                name="cases_share_expiring",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.recipient_label}"

    def is_active(self, at: object = None) -> bool:
        now = at or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def recipient_label(self) -> str:
        return str(self.body or self.user)
