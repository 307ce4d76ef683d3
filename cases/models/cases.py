"""A case, the work on it (notes and actions), and the direct foreign-key tables of its
object permissions."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from cases.models.concerns import TEXT_MAX_LENGTH, YoungPerson
from forum.models import Body, Municipality, Person
from ssp.models import Sector


def _today() -> date:
    return timezone.localdate()


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Åben")
    ACTIVE = "active", _("Aktiv")
    FOLLOW_UP = "follow_up", _("Opfølgning")
    CLOSED = "closed", _("Lukket")


# The transitions a case may take; reopening a closed case needs a reason.
CASE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    CaseStatus.OPEN: (CaseStatus.ACTIVE, CaseStatus.CLOSED),
    CaseStatus.ACTIVE: (CaseStatus.FOLLOW_UP, CaseStatus.CLOSED),
    CaseStatus.FOLLOW_UP: (CaseStatus.ACTIVE, CaseStatus.CLOSED),
    CaseStatus.CLOSED: (CaseStatus.OPEN,),
}


class PreventionLevel(models.TextChoices):
    GENERAL = "general", _("Generel")
    SPECIFIC = "specific", _("Specifik")
    INDIVIDUAL = "individual", _("Individorienteret")


class PreventionKind(models.TextChoices):
    PROACTIVE = "proactive", _("Proaktiv")
    REACTIVE = "reactive", _("Reaktiv")
    SITUATIONAL = "situational", _("Situationel")


class Case(models.Model):
    """The SSP organisation's work with one young person, or (at the specific level) with a
    group of named young people (`CaseSubject`) or about a place with no names.

    An individual-level case has exactly one young person; one without a young person says
    what group or place it is about in `subject_description` (the database checks both).
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    young_person = models.ForeignKey(
        YoungPerson,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("den unge"),
    )
    subject_description = models.CharField(_("gruppen eller stedet"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    level = models.CharField(
        _("niveau"),
        max_length=12,
        choices=PreventionLevel.choices,
        default=PreventionLevel.INDIVIDUAL,
    )
    prevention_kind = models.CharField(
        _("type forebyggelse"),
        max_length=12,
        choices=PreventionKind.choices,
        default=PreventionKind.REACTIVE,
    )
    responsible_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="responsible_for_cases",
        verbose_name=_("ansvarligt organ"),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_cases",
        verbose_name=_("tovholder"),
    )
    adhoc_group = models.OneToOneField(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adhoc_case",
        verbose_name=_("ad hoc-gruppe"),
    )
    follow_up_on = models.DateField(_("opfølgning senest"), null=True, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    legal_hold = models.BooleanField(_("retligt tilbageholdt"), default=False)

    class Meta:
        verbose_name = _("sag")
        verbose_name_plural = _("sager")
        ordering = ("-updated_at", "-id")
        default_permissions = ()
        permissions = [("view_case", _("Kan se sagen"))]
        constraints = [
            # An individual case is about one young person; a case without one is about a
            # group or a place, and says which.
            models.CheckConstraint(
                condition=models.Q(young_person__isnull=False)
                | (~models.Q(level="individual") & ~models.Q(subject_description="")),
                name="cases_case_individual_has_young_person",
            ),
        ]
        indexes = [
            models.Index(fields=("municipality", "-updated_at", "-id")),
            models.Index(fields=("responsible_body", "-updated_at")),
            models.Index(fields=("young_person",)),
            models.Index(fields=("status", "closed_at")),
            # The front page's follow-ups due: open cases with a follow-up date only.
            models.Index(
                fields=("follow_up_on",),
                condition=models.Q(follow_up_on__isnull=False)
                & ~models.Q(status=CaseStatus.CLOSED),
                name="cases_case_follow_up_idx",
            ),
            # Statistics count a municipality's cases opened in a period.
            models.Index(fields=("municipality", "opened_at")),
            # The case list's grants part walks all cases newest first and stops at a page
            # (`cases.permissions.visible_case_parts`), whatever the number of grants.
            models.Index(fields=("-updated_at", "-id"), name="cases_case_updated_idx"),
            # The case search finds a group case by its description (`cases.search`).
            GinIndex(
                OpClass(Upper("subject_description"), name="gin_trgm_ops"),
                name="cases_case_subject_trgm",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Sag %(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", kwargs={"pk": self.pk})

    @property
    def is_about_group(self) -> bool:
        """About a group of young people or a place rather than one young person."""
        return self.young_person_id is None

    @property
    def subject_label(self) -> str:
        """What lists show: the young person's name, or the group or place (never the names
        in a group: who is shown those is decided per reader, `cases.subject_access`)."""
        if self.young_person_id is not None:
            return self.young_person.full_name
        return self.subject_description

    def can_move_to(self, status: str) -> bool:
        return status in CASE_TRANSITIONS[CaseStatus(self.status)]

    @property
    def follow_up_overdue(self) -> bool:
        """An open case whose follow-up date has passed."""
        return (
            self.status != CaseStatus.CLOSED
            and self.follow_up_on is not None
            and self.follow_up_on < _today()
        )


class CaseUserObjectPermission(UserObjectPermissionBase):
    """guardian's direct foreign-key table for per-user case grants (the case's coordinator,
    bases given to a person).

    `expires_at` is copied from the basis and tested when the case is read, so an expired
    basis grants nothing even before anything tidies it up. `all_sectors` says whether the
    grant reaches a user outside the handling sectors (a §115 or consent basis) or not (the
    documented rules, another legal ground): the same user may hold one row of each kind.
    """

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)
    expires_at = models.DateTimeField(null=True, blank=True)
    all_sectors = models.BooleanField(default=False)

    class Meta(UserObjectPermissionBase.Meta):
        unique_together = [("user", "permission", "content_object", "all_sectors")]
        indexes = [models.Index(fields=("user", "content_object"))]


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """guardian's direct foreign-key table for case grants to the groups that mirror bodies.

    A row with `all_sectors` False covers the group's members of the handling sectors only
    (the responsible body and the ad-hoc group, a basis on another legal ground); one with
    `all_sectors` True covers every member (a §115 or consent basis given to the body).
    `expires_at` as for users.
    """

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)
    expires_at = models.DateTimeField(null=True, blank=True)
    all_sectors = models.BooleanField(default=False)

    class Meta(GroupObjectPermissionBase.Meta):
        unique_together = [("group", "permission", "content_object", "all_sectors")]
        indexes = [models.Index(fields=("group", "content_object"))]


class Note(models.Model):
    """A note on a case; a restricted note is read only by the author's own sector.

    A note is court-safe: the database refuses to change or delete it (only retention and
    erasure may delete). A mistake is corrected by a new note that `corrects` it, shown under
    the original, which stays as it was written.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("notat"), max_length=TEXT_MAX_LENGTH)
    restricted_to_sector = models.CharField(
        _("kun synligt for sektor"), max_length=20, choices=Sector.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    # A correction goes with the note it corrects.
    corrects = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("retter notat"),
    )

    class Meta:
        verbose_name = _("notat")
        verbose_name_plural = _("notater")
        ordering = ("created_at",)
        indexes = [models.Index(fields=("case", "created_at"))]

    def __str__(self) -> str:
        return str(_("Notat %(number)s") % {"number": self.pk})


class Action(models.Model):
    """An agreed action (indsats) with a responsible person and a due date.

    Court-safe like a note: the database allows one change, marking it done (`done_on` from
    empty to a date), and refuses every other change and deletion outside retention.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("indsats"), max_length=300)
    responsible = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarlig"),
    )
    due_on = models.DateField(_("frist"), null=True, blank=True)
    done_on = models.DateField(_("udført"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("indsats")
        verbose_name_plural = _("indsatser")
        ordering = ("due_on", "created_at")
        indexes = [models.Index(fields=("case", "created_at"))]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        """Not done, and its deadline has passed (a deadline of today is not overdue yet)."""
        return self.done_on is None and self.due_on is not None and self.due_on < _today()

    @property
    def is_unassigned(self) -> bool:
        """Not done, and nobody is responsible: the case's coordinator must find someone."""
        return self.done_on is None and self.responsible_id is None
