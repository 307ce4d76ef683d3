"""Young people and the concerns about them: what a professional saw, its category,
corrections and additions, and the triage that follows."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models.functions import Lower, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import cpr
from cases.models.names import normalised_name
from forum.models import Body, Municipality, Unit

TEXT_MAX_LENGTH = 10_000


class YoungPerson(models.Model):
    """A child or young person the SSP organisation is concerned about.

    The CPR number is optional and never stored in clear text (see `cases.cpr`).
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="young_people"
    )
    full_name = models.CharField(_("navn"), max_length=200)
    birth_date = models.DateField(_("fødselsdato"), null=True, blank=True)
    cpr_token = models.TextField(editable=False, blank=True)
    cpr_hash = models.CharField(max_length=64, editable=False, blank=True)
    school = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pupils",
        verbose_name=_("skole"),
    )
    # `db_default`: rows written in bulk outside the ORM (seed_scale's COPY) get "" too.
    school_class = models.CharField(
        _("klasse"),
        max_length=20,
        blank=True,
        default="",
        db_default="",
        help_text=_("Fx »7.b« eller »9. klasse«."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    legal_hold = models.BooleanField(_("retligt tilbageholdt"), default=False)

    class Meta:
        verbose_name = _("ung")
        verbose_name_plural = _("unge")
        ordering = ("full_name",)
        constraints = [
            models.UniqueConstraint(
                fields=("municipality", "cpr_hash"),
                condition=~models.Q(cpr_hash=""),
                name="cases_youngperson_one_per_cpr",
            ),
        ]
        indexes = [
            models.Index(fields=("municipality", "birth_date")),
            # The duplicate rule's lookup (`cases.duplicates.same_child_as`): the triage
            # queue asks it for every concern shown; without the index each asks all the
            # municipality's young people (30 ms each at 100,000).
            models.Index(
                models.F("municipality"),
                normalised_name(models.F("full_name")),
                name="cases_young_name_norm",
            ),
            GinIndex(
                OpClass(Upper("full_name"), name="gin_trgm_ops"), name="cases_young_name_trgm"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def masked_cpr(self) -> str:
        return cpr.mask(cpr.decrypt(self.cpr_token)) if self.cpr_token else ""

    @property
    def age(self) -> int | None:
        return self.age_on()

    def age_on(self, day: object = None) -> int | None:
        if self.birth_date is None:
            return None
        today = day or timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class ConcernCategory(models.Model):
    """A municipality's category of concern; some suggest a need for support (Barnets lov)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="concern_categories"
    )
    name = models.CharField(_("navn"), max_length=100)
    suggests_support_need = models.BooleanField(
        _("kan tyde på behov for støtte"),
        default=False,
        help_text=_("Minder om underretningspligten, når den unge er under 18 år."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("bekymringskategori")
        verbose_name_plural = _("bekymringskategorier")
        ordering = ("position", "name")
        constraints = [
            models.UniqueConstraint(
                "municipality", Lower("name"), name="cases_category_unique_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SubjectKind(models.TextChoices):
    PERSON = "person", _("En bestemt ung")
    UNKNOWN = "unknown", _("En ung, jeg ikke kender navnet på")
    GROUP = "group", _("En gruppe unge")
    PLACE = "place", _("Et sted (situationel bekymring)")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Almindelig")
    SOON = "soon", _("Bør ses på i denne uge")
    URGENT = "urgent", _("Haster")


class ConcernStatus(models.TextChoices):
    NEW = "new", _("Ny")
    LINKED = "linked", _("Knyttet til sag")
    ROUTED = "routed", _("Sendt videre")
    CLOSED = "closed", _("Afsluttet")


class NotificationStatus(models.TextChoices):
    NOT_RELEVANT = "not_relevant", _("Ikke relevant")
    DONE = "done", _("Underretning er sendt")
    WILL_BE_DONE = "will_be_done", _("Underretning bliver sendt")
    NOT_NEEDED = "not_needed", _("Vurderet ikke nødvendig")


class Concern(models.Model):
    """A professional's concern about a young person, a group or a place.

    Once submitted the text, author and time cannot change (the database refuses it):
    corrections are addenda, and changes of category, date or person are logged with who and
    why in `ConcernChange`.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns"
    )
    subject_kind = models.CharField(
        _("bekymringen handler om"), max_length=10, choices=SubjectKind.choices
    )
    young_person = models.ForeignKey(
        YoungPerson,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("den unge"),
    )
    subject_description = models.CharField(
        _("beskrivelse af den unge, gruppen eller stedet"), max_length=300, blank=True
    )
    category = models.ForeignKey(
        ConcernCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("kategori")
    )
    # The young person as the reporter typed them (not picked from their lookup). Kept as
    # typed, never replaced by a registered young person's details: the reporter sees only
    # this, and the consultant decides at triage whether it is someone already registered
    # (cases.identity). The CPR number as everywhere: a Fernet token and a keyed hash.
    # Defaults in the database too, so bulk SQL (devtools/seed_scale) need not name them.
    reported_name = models.CharField(
        _("navn som indberettet"), max_length=200, blank=True, default="", db_default=""
    )
    reported_birth_date = models.DateField(_("fødselsdato som indberettet"), null=True, blank=True)
    reported_cpr_token = models.TextField(editable=False, blank=True, default="", db_default="")
    reported_cpr_hash = models.CharField(
        max_length=64, editable=False, blank=True, default="", db_default=""
    )
    reported_school = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skole som indberettet"),
    )
    description = models.TextField(_("hvad har du set eller hørt?"), max_length=TEXT_MAX_LENGTH)
    observed_on = models.DateField(_("hvornår"))
    location = models.CharField(_("hvor"), max_length=200, blank=True)
    urgency = models.CharField(
        _("hvor hurtigt skal der handles?"),
        max_length=10,
        choices=Urgency.choices,
        default=Urgency.NORMAL,
    )
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)
    submission_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    notification_status = models.CharField(
        _("underretning"),
        max_length=20,
        choices=NotificationStatus.choices,
        default=NotificationStatus.NOT_RELEVANT,
    )
    notified_by = models.CharField(_("underrettet af"), max_length=200, blank=True)
    notified_on = models.DateField(_("underrettet den"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ConcernStatus.choices, default=ConcernStatus.NEW
    )
    school_team = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skolens SSP-team"),
        help_text=_("Teamets formand og tovholder får besked om bekymringen."),
    )
    case = models.ForeignKey(
        "Case", on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )
    routed_to = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sendt videre til"),
    )
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(_("begrundelse"), max_length=500, blank=True)
    legal_hold = models.BooleanField(_("retligt tilbageholdt"), default=False)

    class Meta:
        verbose_name = _("bekymring")
        verbose_name_plural = _("bekymringer")
        ordering = ("-submitted_at",)
        indexes = [
            models.Index(fields=("municipality", "status", "-submitted_at")),
            # Statistics count a municipality's concerns submitted in a period.
            models.Index(fields=("municipality", "submitted_at")),
            models.Index(fields=("author", "-submitted_at")),
            models.Index(fields=("case", "submitted_at")),
            # The front page's concerns for the user's teams: only the few not yet handled.
            models.Index(
                fields=("-submitted_at",),
                condition=models.Q(status__in=(ConcernStatus.NEW, ConcernStatus.ROUTED)),
                name="cases_concern_pending_idx",
            ),
            # The triage queue in its own order, new concerns only: a page of it is read off
            # the index whatever the number of new concerns (`selectors.triage_queue`).
            models.Index(
                fields=("municipality", "-urgency", "submitted_at"),
                condition=models.Q(status=ConcernStatus.NEW),
                name="cases_concern_triage_idx",
            ),
            GinIndex(SearchVector("description", config="danish"), name="cases_concern_text_fts"),
        ]

    def __str__(self) -> str:
        return str(_("Bekymring %(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("cases:concern_detail", kwargs={"pk": self.pk})

    @property
    def subject_label(self) -> str:
        """Who or what the concern is about, for those who read the young person it names."""
        if self.young_person_id is not None:
            return self.young_person.full_name
        return self.reported_name or self.subject_description or self.get_subject_kind_display()

    @property
    def has_reported_identity(self) -> bool:
        """The reporter typed the young person in rather than picking one they know."""
        return bool(self.reported_name)

    @property
    def reported_label(self) -> str:
        """Who or what the concern is about as the reporter gave it: what the author is shown,
        so nothing the organisation already knew about a typed child comes back to them."""
        if self.has_reported_identity:
            return self.reported_name
        return self.subject_label

    @property
    def reported_masked_cpr(self) -> str:
        return cpr.mask(cpr.decrypt(self.reported_cpr_token)) if self.reported_cpr_token else ""


class ConcernAddendum(models.Model):
    """A correction or addition to a submitted concern; the original text stays as it was."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("tilføjelse"), max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tilføjelse")
        verbose_name_plural = _("tilføjelser")
        ordering = ("created_at",)

    def __str__(self) -> str:
        return str(_("Tilføjelse til %(concern)s") % {"concern": self.concern})


class ConcernChange(models.Model):
    """Who changed the category, date or young person of a concern, from what, and why."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField(max_length=40)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)
    reason = models.CharField(_("begrundelse"), max_length=500)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("changed_at",)

    def __str__(self) -> str:
        return f"{self.concern_id}: {self.field}"

    @property
    def field_label(self) -> str:
        """The changed field as the user knows it, e.g. "kategori"."""
        return str(Concern._meta.get_field(self.field).verbose_name)
