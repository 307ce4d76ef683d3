"""A municipality's own body types (see `BodyType`); kept beside `forum.models`, which
imports it, so that module stays small enough to read."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from forum.models import BodyKind


class BodyType(models.Model):
    """A kind of body as one municipality names and runs it ("Styregruppe", "Lokal
    Følgegruppe Nord", "Infohus"), behaving as one structural `BodyKind`.

    `max_per_municipality` is 1 for a body the municipality has one of (its Lokalråd, its
    SSP-Forum) or empty for as many as it likes (København's local Følgegrupper). Written
    through `forum.bodytypes`, which checks the combinations.
    """

    municipality = models.ForeignKey(
        "forum.Municipality",
        on_delete=models.CASCADE,
        related_name="body_types",
        verbose_name=_("kommune"),
    )
    name = models.CharField(_("navn"), max_length=120)
    kind = models.CharField(_("fungerer som"), max_length=20, choices=BodyKind.choices)
    description = models.TextField(_("beskrivelse"), blank=True, max_length=2000)
    meeting_rhythm = models.CharField(_("mødeår og -rytme"), max_length=300, blank=True)
    max_per_municipality = models.PositiveSmallIntegerField(
        _("højst antal i kommunen"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("1, hvis kommunen kun har ét organ af typen; tomt for ubegrænset."),
    )
    may_handle_cases = models.BooleanField(
        _("kan behandle sager"),
        default=False,
        help_text=_("Sager kan oprettes under organer af typen, som under et SSP-team."),
    )
    spans_municipalities = models.BooleanField(
        _("går på tværs af kommuner"),
        default=False,
        help_text=_("Organer af typen kan have medlemmer fra andre kommuner i politikredsen."),
    )

    class Meta:
        verbose_name = _("organtype")
        verbose_name_plural = _("organtyper")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                "municipality", Lower("name"), name="forum_bodytype_name_unique_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return self.name
