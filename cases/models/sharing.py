"""What a case may be shown under: the young person's or parents' consent, and the recorded
bases for access (`Basis`, "grundlag for adgang") that every disclosure of a case leaves."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from cases.models.concerns import Concern
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


class BasisGround(models.TextChoices):
    """The lawful ground a basis rests on."""

    SECTION_115 = "section_115", _("Retsplejelovens §115")
    CONSENT = "consent", _("Samtykke")
    LEGAL_GROUND = "legal_ground", _("Anden hjemmel")


class BasisOrigin(models.TextChoices):
    """The act that gave the basis: each is a disclosure of the case."""

    SHARE = "share", _("Deling")
    CASE_OPENED = "case_opened", _("Sagen oprettet under organet")
    CONCERN_ROUTED = "concern_routed", _("Bekymringen sendt videre")
    ADHOC_MEMBER = "adhoc_member", _("Medlem af ad hoc-gruppen")
    AGENDA_ITEM = "agenda_item", _("Sat på et mødes dagsorden")
    DECISION = "decision", _("Beslutning på et møde")
    ROUTING_RULE = "routing_rule", _("Kommunens regel for kategorien")


class BasisEndReason(models.TextChoices):
    REVOKED = "revoked", _("Tilbagekaldt")
    EXPIRED = "expired", _("Udløbet")
    MEMBER_LEFT = "member_left", _("Personen er ikke længere med i gruppen")
    GROUP_CLOSED = "group_closed", _("Gruppen er lukket eller har ikke længere sagen")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Samtykket er trukket tilbage")
    CASE_ERASED = "case_erased", _("Sagen er slettet")


class BasisQuerySet(models.QuerySet["Basis"]):
    def active(self, at: datetime | None = None) -> BasisQuerySet:
        """Not ended, and not past its expiry at `at` (now)."""
        now = at or timezone.now()
        return self.filter(ended_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class Basis(models.Model):
    """A recorded basis for access ("grundlag for adgang"): who may read a case (or, for a
    routed concern, the concern) beyond the documented rules of `cases.permissions`, why, on
    which ground, given by whom, and until when.

    A basis names one recipient, a body (it covers every current member, whatever their
    sector; a basis on another legal ground covers the members of the handling sectors only)
    or one user. It is active until it ends (`ended_at`) or its expiry passes; the expiry is
    evaluated when a case is read, so access ends at once without any job. The services in
    `cases.services.bases` are the only writers.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="bases"
    )
    concern = models.ForeignKey(
        Concern, on_delete=models.CASCADE, null=True, blank=True, related_name="bases"
    )
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
        related_name="case_bases",
        verbose_name=_("person"),
    )
    ground = models.CharField(
        _("grundlag"), max_length=20, choices=BasisGround.choices, default=BasisGround.SECTION_115
    )
    purpose = models.CharField(_("formål"), max_length=500)
    origin = models.CharField(
        _("givet ved"), max_length=20, choices=BasisOrigin.choices, default=BasisOrigin.SHARE
    )
    # RESTRICT: a consent record goes only with its case (the basis is deleted with it too).
    consent = models.ForeignKey(
        Consent,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="bases",
        verbose_name=_("samtykke"),
    )
    legal_ground = models.CharField(_("hjemmel"), max_length=300, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("udløber"), null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(
        _("ophørt fordi"), max_length=20, choices=BasisEndReason.choices, blank=True
    )

    objects = BasisQuerySet.as_manager()

    class Meta:
        verbose_name = _("grundlag for adgang")
        verbose_name_plural = _("grundlag for adgang")
        ordering = ("-given_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(body__isnull=False, user__isnull=True)
                | Q(body__isnull=True, user__isnull=False),
                name="cases_basis_body_xor_user",
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False, concern__isnull=True)
                | Q(case__isnull=True, concern__isnull=False),
                name="cases_basis_case_xor_routed_concern",
            ),
            models.CheckConstraint(
                condition=Q(ground=BasisGround.SECTION_115, consent__isnull=True, legal_ground="")
                | Q(ground=BasisGround.CONSENT, consent__isnull=False, legal_ground="")
                | (Q(ground=BasisGround.LEGAL_GROUND, consent__isnull=True) & ~Q(legal_ground="")),
                name="cases_basis_ground_fields",
            ),
            models.CheckConstraint(condition=~Q(purpose=""), name="cases_basis_has_purpose"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, ended_by__isnull=True, end_reason="")
                | (Q(ended_at__isnull=False) & ~Q(end_reason="")),
                name="cases_basis_end_fields",
            ),
            # At most one basis not yet ended per case and recipient (an expired one is ended
            # by the service before a new one is given).
            models.UniqueConstraint(
                fields=("case", "body"),
                condition=Q(ended_at__isnull=True, case__isnull=False, body__isnull=False),
                name="cases_basis_one_open_per_case_body",
            ),
            models.UniqueConstraint(
                fields=("case", "user"),
                condition=Q(ended_at__isnull=True, case__isnull=False, user__isnull=False),
                name="cases_basis_one_open_per_case_user",
            ),
            models.UniqueConstraint(
                fields=("concern", "body"),
                condition=Q(ended_at__isnull=True, concern__isnull=False),
                name="cases_basis_one_open_per_concern_body",
            ),
            # A routing rule to a named person gives the basis to them.
            models.UniqueConstraint(
                fields=("concern", "user"),
                condition=Q(ended_at__isnull=True, concern__isnull=False, user__isnull=False),
                name="cases_basis_one_open_per_concern_user",
            ),
        ]
        indexes = [
            models.Index(
                fields=("expires_at",),
                condition=Q(ended_at__isnull=True, expires_at__isnull=False),
                name="cases_basis_expiring",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case or self.concern} → {self.recipient_label}"

    def is_active(self, at: object = None) -> bool:
        now = at or timezone.now()
        return self.ended_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def covers_all_sectors(self) -> bool:
        """A §115 or consent basis covers its recipients whatever their sector; another legal
        ground only those whose own sector already handles the child."""
        return self.ground != BasisGround.LEGAL_GROUND

    @property
    def recipient_label(self) -> str:
        return str(self.body or self.user)
