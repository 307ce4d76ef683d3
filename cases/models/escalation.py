"""What happens to a concern nobody acts on: the municipality's escalation ladder, its SMS
gateway, its routing rules by category, and the follow-through of a notification under
Barnets lov that the reporter said will be sent."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.concerns import Concern, ConcernCategory, Urgency
from forum.models import Body, Municipality
from ssp.models import SmsGateway

# A ladder step counts at most this many working days (four weeks).
MAX_STEP_WORKING_DAYS = 20


class EscalationScope(models.TextChoices):
    """Which concerns a step of the ladder applies to, by their urgency."""

    ALL = "all", _("Alle bekymringer")
    SOON = "soon", _("»Bør ses på i denne uge« og »Haster«")
    URGENT = "urgent", _("Kun »Haster«")


SCOPE_URGENCIES: dict[str, tuple[str, ...]] = {
    EscalationScope.ALL: (Urgency.NORMAL, Urgency.SOON, Urgency.URGENT),
    EscalationScope.SOON: (Urgency.SOON, Urgency.URGENT),
    EscalationScope.URGENT: (Urgency.URGENT,),
}


class EscalationSettings(models.Model):
    """A municipality's settings for escalation: the SMS gateway its urgent messages use."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="escalation_settings"
    )
    sms_gateway = models.OneToOneField(
        SmsGateway, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("indstillinger for eskalering")
        verbose_name_plural = _("indstillinger for eskalering")

    def __str__(self) -> str:
        return str(self.municipality)


class EscalationStep(models.Model):
    """One step of a municipality's escalation ladder: a concern it applies to that is still
    not triaged `after_working_days` working days after it came in (0: at once) is sent to the
    municipality's SSP consultants again (an absent one's stand-in instead), by email and,
    with `by_sms`, by text message. Each step fires once per concern (`ConcernEscalation`)
    and only for concerns that came in after the step was made."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="escalation_steps"
    )
    applies_to = models.CharField(
        _("gælder"), max_length=10, choices=EscalationScope.choices, default=EscalationScope.ALL
    )
    after_working_days = models.PositiveSmallIntegerField(
        _("efter antal arbejdsdage"),
        validators=[MaxValueValidator(MAX_STEP_WORKING_DAYS)],
        help_text=_("0 betyder med det samme."),
    )
    by_sms = models.BooleanField(_("også som SMS"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("eskaleringstrin")
        verbose_name_plural = _("eskaleringstrin")
        ordering = ("after_working_days", "applies_to", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("municipality", "applies_to", "after_working_days"),
                name="cases_escalation_step_unique",
            ),
            models.CheckConstraint(
                condition=Q(after_working_days__lte=MAX_STEP_WORKING_DAYS),
                name="cases_escalation_step_days_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_applies_to_display()}: {self.after_working_days}"

    def applies_to_urgency(self, urgency: str) -> bool:
        return urgency in SCOPE_URGENCIES[self.applies_to]


class ConcernEscalation(models.Model):
    """A step of the ladder that fired for a concern. The unique key makes it fire once, however
    often the job runs; the row stays when the step is later deleted."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="escalations")
    step = models.ForeignKey(
        EscalationStep, on_delete=models.SET_NULL, null=True, related_name="fired"
    )
    after_working_days = models.PositiveSmallIntegerField()
    fired_at = models.DateTimeField()
    emails = models.PositiveIntegerField(default=0)
    text_messages = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("fired_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=("concern", "step"), name="cases_escalation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.concern_id} @ {self.fired_at:%Y-%m-%d %H:%M}"


class RoutingRule(models.Model):
    """A municipality's standing rule: every new concern in `category` goes also to a named
    person or a body (radicalisation to the Infohus contact). Who may read what it routes, and
    why, is in docs/legal.md: the concern gets a basis on another legal ground for the
    recipient, which covers handling-sector readers only."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="routing_rules"
    )
    category = models.ForeignKey(
        ConcernCategory,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("kategori"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organ"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("routingregel")
        verbose_name_plural = _("routingregler")
        ordering = ("category__position", "category__name", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, body__isnull=True)
                | Q(user__isnull=True, body__isnull=False),
                name="cases_routing_rule_user_xor_body",
            ),
            models.UniqueConstraint(
                fields=("category", "user"),
                condition=Q(user__isnull=False),
                name="cases_routing_rule_unique_user",
            ),
            models.UniqueConstraint(
                fields=("category", "body"),
                condition=Q(body__isnull=False),
                name="cases_routing_rule_unique_body",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.recipient_label}"

    @property
    def recipient_label(self) -> str:
        return str(self.user or self.body)


class NotificationTask(models.Model):
    """Barnets lov follow-through: the reporter said a notification (underretning) will be
    sent. Until someone records when and by whom it was sent, the responsible person is
    reminded from the due date, and the consultants are told when it is overdue. The
    system never sends the notification itself."""

    concern = models.OneToOneField(
        Concern, on_delete=models.CASCADE, related_name="notification_task"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notification_tasks",
        verbose_name=_("ansvarlig"),
    )
    # Whom the reporter named as the one who will send it, if not themselves.
    named_person = models.CharField(_("sendes af"), max_length=200, blank=True)
    due_on = models.DateField(_("frist"))
    sent_on = models.DateField(_("sendt den"), null=True, blank=True)
    sent_by = models.CharField(_("sendt af"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opfølgning på underretning")
        verbose_name_plural = _("opfølgninger på underretninger")
        constraints = [
            models.CheckConstraint(
                condition=Q(recorded_at__isnull=True, sent_on__isnull=True)
                | (Q(recorded_at__isnull=False, sent_on__isnull=False) & ~Q(sent_by="")),
                name="cases_notification_task_recorded_fields",
            ),
        ]
        indexes = [
            # The morning scan and "Mine opgaver": the open tasks by due date.
            models.Index(
                fields=("due_on",),
                condition=Q(recorded_at__isnull=True),
                name="cases_notification_task_open",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Underretning til %(concern)s") % {"concern": self.concern})

    @property
    def is_open(self) -> bool:
        return self.recorded_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()
