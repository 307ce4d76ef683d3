"""What stays on record: the case's timeline, and a trace of what retention deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from forum.models import Municipality


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("Sagen er oprettet")
    CONCERN_LINKED = "concern_linked", _("Bekymring knyttet til sagen")
    STATUS = "status", _("Status ændret")
    DETAILS = "details", _("Oplysninger ændret")
    CONSENT = "consent", _("Samtykke registreret")
    ACTION = "action", _("Indsats")
    SHARED = "shared", _("Delt efter §115")
    REVOKED = "revoked", _("Deling tilbagekaldt")
    EXPIRED = "expired", _("Deling udløbet")
    GROUP = "group", _("Ad hoc-gruppe")
    MEETING = "meeting", _("Sat på dagsordenen")
    BASIS = "basis", _("Adgang givet")
    BASIS_ENDED = "basis_ended", _("Adgang ophørt")
    MERGED = "merged", _("Dubletter lagt sammen")


class CaseEvent(models.Model):
    """A line on the case's timeline for something that is not itself a note or a concern.

    What happened is stored as data (`params`: a message code and its values, see
    `cases.event_texts`) and put into words when shown, in the reader's language. `text` is
    the Danish wording at the time of writing: what a line written before `params` existed
    shows, and the fallback when its values cannot be rendered."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=CaseEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=500, blank=True)
    params = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("at", "id")
        indexes = [models.Index(fields=("case", "at"))]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_kind_display()}"

    @property
    def message(self) -> str:
        """The line's words in the active language."""
        from cases.event_texts import event_message  # the texts import the models' choices

        return event_message(self.params, self.text)


class DeletionCause(models.TextChoices):
    RETENTION = "retention", _("Opbevaringsperioden er udløbet")
    REQUEST = "request", _("Slettet efter anmodning")


class DeletionOutcome(models.TextChoices):
    DELETED = "deleted", _("Slettet")
    # The row stays for another record's sake (a meeting's agenda), without the personal data.
    ANONYMISED = "anonymised", _("Anonymiseret")


class DeletionRecord(models.Model):
    """What retention or an erasure on request removed, one row per record, without the
    personal data itself: its type, its id, the municipality, the rule and the cause."""

    record_type = models.CharField(_("posttype"), max_length=40)
    record_id = models.BigIntegerField(_("id"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    deleted_at = models.DateTimeField(_("slettet"), default=timezone.now)
    rule = models.CharField(_("regel"), max_length=200)
    cause = models.CharField(
        _("årsag"),
        max_length=10,
        choices=DeletionCause.choices,
        default=DeletionCause.RETENTION,
    )
    outcome = models.CharField(
        _("udfald"),
        max_length=10,
        choices=DeletionOutcome.choices,
        default=DeletionOutcome.DELETED,
    )

    class Meta:
        verbose_name = _("sletning")
        verbose_name_plural = _("sletningslog")
        ordering = ("-deleted_at", "-id")
        indexes = [
            # The administrators' deletion log: a municipality's rows, newest first, by type.
            models.Index(fields=("municipality", "-deleted_at"), name="cases_deletion_log"),
            models.Index(
                fields=("municipality", "record_type", "-deleted_at"),
                name="cases_deletion_log_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id}"
