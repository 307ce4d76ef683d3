"""What stays on record: the case's timeline, and a trace of deleted young people."""

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


class CaseEvent(models.Model):
    """A line on the case's timeline for something that is not itself a note or a concern."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=CaseEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("at", "id")
        indexes = [models.Index(fields=("case", "at"))]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_kind_display()}"


class DeletionRecord(models.Model):
    """What the retention job deleted, without the personal data itself."""

    record_type = models.CharField(max_length=40)
    record_id = models.BigIntegerField()
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    deleted_at = models.DateTimeField(default=timezone.now)
    rule = models.CharField(max_length=200)

    class Meta:
        ordering = ("-deleted_at",)

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id}"
