"""The prevention work of every body, the roughly 80 % of SSP work that is not about one young
person: activities and their reach, street-level rounds, counselling, projects and the bodies'
year plans.

Nothing here names a child. An activity counts whom it reached (pupils, parents, professionals,
young people met) and names only the professionals who took part; a counselling entry says who
asked (a professional, a parent, a young person) and about what, never about whom. When a
conversation becomes a concern about a named young person, that concern is made in the cases
app, with its own rules.

Rules about one row live here; every write goes through `services`.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The kinds (Glostrup: proaktiv, reaktiv, situationel) and levels (Herning: generel, specifik,
# individorienteret) of prevention are the same words for a case and for an activity.
from cases.models import PreventionKind, PreventionLevel
from forum.models import Body, Municipality, Person, Unit

# The vocabulary of activity kinds is shared with the school team's year plan form (meetings).
from meetings.models import ActivityKind, ApprovedAtMeeting, SchoolYearPlan

__all__ = [
    "Activity",
    "ActivityKind",
    "AgeBand",
    "AnnualPlan",
    "AskedBy",
    "CounsellingOutcome",
    "CounsellingTopic",
    "Mood",
    "PreventionKind",
    "PreventionLevel",
    "Project",
    "ProjectStatus",
    "StreetIssue",
]

TEXT_MAX_LENGTH = 2000

# An activity's reach: how many it reached, by group.
REACH_FIELDS = ("pupils", "parents", "professionals", "young_people")


class AgeBand(models.TextChoices):
    """Whom an activity is for. The SSP and SSP+ bands end at the ages the municipality sets
    (`Municipality.ssp_age_limit`, `ssp_plus_age_limit`)."""

    CHILDREN = "children", _("Børn (indskoling og mellemtrin)")
    YOUNG = "young", _("Unge (SSP)")
    YOUNG_ADULTS = "young_adults", _("Unge voksne (SSP+)")
    ADULTS = "adults", _("Forældre og fagfolk")
    ALL = "all", _("Alle aldre")


class Mood(models.TextChoices):
    """The mood on the street during a round, as the worker judged it."""

    CALM = "calm", _("Rolig")
    MIXED = "mixed", _("Blandet")
    TENSE = "tense", _("Urolig")


class StreetIssue(models.TextChoices):
    ALCOHOL = "alcohol", _("Alkohol")
    DRUGS = "drugs", _("Hash og stoffer")
    VANDALISM = "vandalism", _("Hærværk")
    CONFLICT = "conflict", _("Konflikter")
    INSECURITY = "insecurity", _("Utryghed")
    GATHERING = "gathering", _("Store grupper")
    OTHER = "other", _("Andet")


class AskedBy(models.TextChoices):
    """Who sought counselling. Never who it was about."""

    PROFESSIONAL = "professional", _("Fagperson")
    PARENT = "parent", _("Forælder")
    YOUNG_PERSON = "young_person", _("Ung")


class CounsellingTopic(models.TextChoices):
    WELLBEING = "wellbeing", _("Trivsel")
    CRIME = "crime", _("Kriminalitet")
    DRUGS = "drugs", _("Rusmidler")
    DIGITAL = "digital", _("Digitale medier")
    GROUPS = "groups", _("Grupper og bander")
    RADICALISATION = "radicalisation", _("Radikalisering")
    OTHER = "other", _("Andet")


class CounsellingOutcome(models.TextChoices):
    ADVICE = "advice", _("Råd og vejledning")
    REFERRED = "referred", _("Henvist videre")
    FOLLOW_UP = "follow_up", _("Aftalt opfølgning")
    CONCERN = "concern", _("Blev til en bekymring")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    RUNNING = "running", _("I gang")
    DONE = "done", _("Afsluttet")
    CANCELLED = "cancelled", _("Aflyst")


class Project(models.Model):
    """A body's project, usually for one year (København's and Folehaven's local projects):
    a goal, a period, a note on its budget, the activities under it and, once over, a short
    evaluation."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="prevention_projects", verbose_name=_("organ")
    )
    title = models.CharField(_("titel"), max_length=200)
    goal = models.TextField(_("mål"), max_length=TEXT_MAX_LENGTH)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("slut"))
    budget_note = models.CharField(_("budget"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    evaluation = models.TextField(_("evaluering"), max_length=TEXT_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("projekt")
        verbose_name_plural = _("projekter")
        ordering = ["-starts_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="project_ends_after_start"
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "starts_on"]),
            models.Index(fields=["body", "starts_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("prevention:project_detail", args=[self.pk])


class Activity(models.Model):
    """One piece of prevention work of a body: a lesson, a parent meeting, a course, a
    campaign, a street-level round, a network meeting, a counselling session or a place made
    safer. A school team's year wheel is its activities linked to its year plan (`plan`).

    Planned first, done on or after its date (`mark_done`); its reach is counted, never named.
    `uid` and `sequence` let calendars update the activity in place (iCalendar UID/SEQUENCE).
    The street round's and the counselling's few fields of their own live on this row, so the
    prevention account counts every kind from one table.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="prevention_activities",
        verbose_name=_("organ"),
    )
    plan = models.ForeignKey(
        SchoolYearPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("årsplan"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("projekt"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=ActivityKind.choices)
    prevention_kind = models.CharField(
        _("type forebyggelse"),
        max_length=12,
        choices=PreventionKind.choices,
        default=PreventionKind.PROACTIVE,
    )
    level = models.CharField(
        _("niveau"),
        max_length=12,
        choices=PreventionLevel.choices,
        default=PreventionLevel.GENERAL,
    )
    title = models.CharField(_("aktivitet"), max_length=200)
    description = models.TextField(_("beskrivelse"), max_length=TEXT_MAX_LENGTH, blank=True)
    planned_on = models.DateField(_("dato"))
    time_of_day = models.TimeField(_("tidspunkt"), null=True, blank=True)
    # The target group: an age band, a school (a unit of the organisation) and a place.
    age_band = models.CharField(_("aldersgruppe"), max_length=12, choices=AgeBand, blank=True)
    grade = models.CharField(_("klassetrin"), max_length=50, blank=True)
    school = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skole eller institution"),
    )
    place = models.CharField(_("sted"), max_length=200, blank=True)
    responsible = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarlig"),
    )
    # Who took part: professionals and bodies; never a child.
    people = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("deltagende fagfolk")
    )
    partner_bodies = models.ManyToManyField(
        Body, blank=True, related_name="+", verbose_name=_("samarbejdspartnere")
    )
    # The reach: how many were there, by group.
    pupils = models.PositiveIntegerField(_("elever"), default=0)
    parents = models.PositiveIntegerField(_("forældre"), default=0)
    professionals = models.PositiveIntegerField(_("fagfolk"), default=0)
    young_people = models.PositiveIntegerField(_("unge mødt"), default=0)
    # A street-level round.
    mood = models.CharField(_("stemning"), max_length=10, choices=Mood, blank=True)
    issues = ArrayField(
        models.CharField(max_length=12, choices=StreetIssue),
        default=list,
        blank=True,
        verbose_name=_("observationer"),
    )
    # A counselling session.
    asked_by = models.CharField(_("hvem spurgte"), max_length=12, choices=AskedBy, blank=True)
    topic = models.CharField(_("emne"), max_length=16, choices=CounsellingTopic, blank=True)
    outcome = models.CharField(_("udfald"), max_length=10, choices=CounsellingOutcome, blank=True)
    done_at = models.DateTimeField(null=True, blank=True, editable=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Empty only for the year wheel's activities planned before the prevention app.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["planned_on", "pk"]
        indexes = [
            # The prevention account: a municipality's activities by date, kind and level.
            models.Index(fields=["municipality", "planned_on"], name="prev_act_muni_date"),
            models.Index(fields=["municipality", "kind", "planned_on"], name="prev_act_muni_kind"),
            models.Index(
                fields=["municipality", "level", "planned_on"], name="prev_act_muni_level"
            ),
            models.Index(fields=["body", "planned_on"], name="prev_act_body_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("prevention:activity_detail", args=[self.pk])

    @property
    def done_url(self) -> str:
        return reverse("prevention:activity_done", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_due(self) -> bool:
        """Whether the activity's day has come, so it may be marked done."""
        return self.planned_on <= timezone.localdate()

    @property
    def reach(self) -> int:
        return self.pupils + self.parents + self.professionals + self.young_people


class AnnualPlan(ApprovedAtMeeting):
    """A body's plan for a year, approved at one of its meetings: the Lokalråd's action plan,
    a local SSP-udvalg's årsplan, the SSP-Følgegruppe's teaching and activity plan.

    The plan is built from what already exists: the projects of its body that run in the
    period and the activities in the period of its body and of the bodies it `covers` (the
    Følgegruppe's plan covers the school teams' year wheels). Approval records the meeting
    where it was given; an approved plan is not approved again.
    """

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="annual_plans", verbose_name=_("organ")
    )
    title = models.CharField(_("titel"), max_length=200)
    starts_on = models.DateField(_("gælder fra"))
    ends_on = models.DateField(_("gælder til"))
    summary = models.TextField(_("indsatser og mål"), max_length=TEXT_MAX_LENGTH, blank=True)
    covers = models.ManyToManyField(
        Body, blank=True, related_name="+", verbose_name=_("omfatter også")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("årsplan")
        verbose_name_plural = _("årsplaner")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="annual_plan_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["body", "starts_on"], name="annual_plan_once_per_body_and_start"
            ),
            models.CheckConstraint(
                condition=(
                    Q(approval_meeting__isnull=True, approved_at__isnull=True)
                    | Q(approval_meeting__isnull=False, approved_at__isnull=False)
                ),
                name="annual_plan_approved_at_a_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("prevention:plan_detail", args=[self.pk])

    def covers_day(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on
