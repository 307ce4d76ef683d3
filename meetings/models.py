"""Meetings of the SSP bodies, their agendas and participants, recurring series, the school
teams' year plans and the personal calendar feeds. The year wheel's activities are the
prevention app's (`prevention.Activity`, reached through `meetings.hooks`).

Rules about one row live here; every write goes through `services`, which also tells the
participants (by email with an iCalendar attachment) when a meeting is planned, moved or
cancelled.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from forum.models import Body, Person

# Re-exported: the school year is part of these models' vocabulary, and callers import it here.
from meetings.dates import SCHOOL_YEAR_FIRST_MONTH, school_year_label, school_year_of  # noqa: F401

# Migration 0002 names this as a field default; the field has since moved to ssp.ReminderSettings.
from ssp.models import default_meeting_offsets  # noqa: F401
from ssp.storage import private_storage

TEXT_MAX_LENGTH = 4000


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Møde")
    PLANNING = "planning", _("Planlægningsmøde")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    CANCELLED = "cancelled", _("Aflyst")


class MeetingSeries(models.Model):
    """A body's recurring meetings, e.g. the §115 group every Monday 13–15.

    Occurrences are real `Meeting` rows generated ahead of time; each remembers the date the
    series gave it, so moving or cancelling one never breaks the series and generating again
    never duplicates it.
    """

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meeting_series")
    title = models.CharField(_("titel"), max_length=200)
    first_date = models.DateField(_("første dato"))
    last_date = models.DateField(_("sidste dato"), null=True, blank=True)
    interval_weeks = models.PositiveSmallIntegerField(_("hver n'te uge"), default=1)
    start_time = models.TimeField(_("starttid"))
    end_time = models.TimeField(_("sluttid"))
    location = models.CharField(_("sted"), max_length=300, blank=True)
    online_url = models.URLField(_("link til onlinemøde"), blank=True)
    skip_holidays = models.BooleanField(_("spring helligdage over"), default=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mødeserie")
        verbose_name_plural = _("mødeserier")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="meeting_series_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(last_date__isnull=True) | Q(last_date__gte=F("first_date")),
                name="meeting_series_last_after_first",
            ),
            models.CheckConstraint(
                condition=Q(interval_weeks__gte=1) & Q(interval_weeks__lte=52),
                name="meeting_series_interval_1_to_52_weeks",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    # The iCalendar UID: stable for the meeting's life, so calendars update it in place.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("organ")
    )
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    # The date the series gave this occurrence, kept when the occurrence is moved.
    series_date = models.DateField(null=True, blank=True, editable=False)
    kind = models.CharField(
        _("type"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    title = models.CharField(_("titel"), max_length=200)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("slut"))
    location = models.CharField(_("sted"), max_length=300, blank=True)
    online_url = models.URLField(_("link til onlinemøde"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    cancel_reason = models.CharField(_("årsag til aflysning"), max_length=500, blank=True)
    # Minutes are written item by item on the agenda; once approved they are locked.
    minutes_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # iCalendar SEQUENCE: raised on every change the participants are told about.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organised_meetings",
        verbose_name=_("mødeleder"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["series", "series_date"],
                condition=Q(series__isnull=False),
                name="meeting_one_occurrence_per_series_date",
            ),
        ]
        indexes = [
            models.Index(fields=["body", "starts_at"]),
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def minutes_approved(self) -> bool:
        return self.minutes_approved_at is not None


class ApprovedAtMeeting(models.Model):
    """A plan approved at a meeting of the body that owns it (a body's annual plan, the
    Kredsråd's samarbejdsplan): which meeting, with what note, recorded by whom and when."""

    approval_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkendt på mødet"),
    )
    approval_note = models.CharField(_("bemærkning"), max_length=1000, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class Rsvp(models.TextChoices):
    YES = "yes", _("Deltager")
    MAYBE = "maybe", _("Måske")
    NO = "no", _("Deltager ikke")


class Participant(models.Model):
    """A person invited to a meeting: a member of its body, or a guest."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    is_guest = models.BooleanField(_("gæst"), default=False)
    rsvp = models.CharField(_("svar"), max_length=5, choices=Rsvp.choices, blank=True)
    rsvp_at = models.DateTimeField(null=True, blank=True)
    # None until attendance is taken at the meeting.
    attended = models.BooleanField(_("mødt"), null=True, blank=True)
    # The meeting's start, copied by the database (triggers of migration 0012, on every
    # insert and whenever the meeting moves): "Mine møder" reads a page of a person's
    # meetings off `meetings_participant_time_idx` in time order, whatever their number.
    starts_at = models.DateTimeField(editable=False, db_default=Now())

    class Meta:
        verbose_name = _("deltager")
        verbose_name_plural = _("deltagere")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="participant_once_per_meeting"
            )
        ]
        indexes = [
            models.Index(
                fields=["person", "starts_at", "meeting"], name="meetings_participant_time_idx"
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class StandingAgendaItem(models.Model):
    """An item that opens every meeting of a body, e.g. "SSP siden sidst"."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="standing_items")
    title = models.CharField(_("punkt"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("fast dagsordenspunkt")
        verbose_name_plural = _("faste dagsordenspunkter")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


def case_erased_text() -> str:
    """The neutral words an agenda item, its decisions and their tasks show in place of their
    own text once the case they were about has been erased."""
    return gettext("Sag slettet efter reglerne om opbevaring og sletning")


class AgendaItem(models.Model):
    """One item of a meeting's agenda. An item about a case exists only after the organiser
    confirmed the three §115 criteria, which gives the meeting's body a §115 basis to read the
    case until some days after the meeting (`basis`); participants who may not see the case
    see it redacted."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField()
    title = models.CharField(_("punkt"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True, max_length=TEXT_MAX_LENGTH)
    # When the case is erased (retention or on request) the item stays for the meeting's
    # record, without the case and its personal text: `case_erased_at` says so, and the pages
    # show a neutral placeholder (`meetings.erasure`).
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("sag"),
    )
    case_erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    purpose = models.CharField(_("formål"), max_length=500, blank=True)
    # The basis the item gave the meeting's body (or found already given); it ends when the
    # item is removed before anyone needed it.
    basis = models.ForeignKey(
        "cases.Basis", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Sanitised HTML (see meetings.minutes); empty until the organiser writes the minutes.
    minutes = models.TextField(_("referat"), blank=True, max_length=20_000)
    criteria_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    criteria_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dagsordenspunkt")
        verbose_name_plural = _("dagsordenspunkter")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=True)
                | (Q(criteria_confirmed_by__isnull=False) & Q(criteria_confirmed_at__isnull=False)),
                name="agenda_case_item_needs_section_115_confirmation",
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_item_position_unique",
                deferrable=models.Deferrable.DEFERRED,
            ),
        ]

    def __str__(self) -> str:
        return case_erased_text() if self.case_erased else self.title

    @property
    def case_erased(self) -> bool:
        return self.case_erased_at is not None


class SchoolYearPlan(models.Model):
    """A school SSP-team's plan for one school year, agreed at its September planning meeting
    (or, for a team that missed September, laid later for what remains of the year): the
    year's meeting series and its activities (the year wheel). It can be edited afterwards."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="year_plans")
    school_year = models.PositiveSmallIntegerField(_("skoleår"))
    planning_meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    series = models.OneToOneField(
        MeetingSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="year_plan"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The last edit after the plan was laid (`meetings.services.year_plan_edit`).
    changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("årsplan")
        verbose_name_plural = _("årsplaner")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "school_year"], name="year_plan_once_per_team_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.body} {school_year_label(self.school_year)}"

    def get_absolute_url(self) -> str:
        return f"{reverse('meetings:year_plan', args=[self.body_id])}?aar={self.school_year}"

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


def _private_storage() -> Storage:
    # Named in migration 0005; the storage itself is shared with the ActionCard.
    return private_storage()


def _attachment_path(instance: AgendaAttachment, filename: str) -> str:
    # A random name: the user's file name is kept in the row, never trusted as a path.
    return f"agenda/{instance.item.meeting_id}/{uuid.uuid4().hex}"


class AgendaAttachment(models.Model):
    """A file attached to an agenda item. Its type was checked by content on upload; it is
    served only through the meeting's permission check (and not at all on redacted items)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=_private_storage, upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("filnavn"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Decision(models.Model):
    """A decision recorded under an agenda item, with the follow-up task it may create."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(_("beslutning"), max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("beslutning")
        verbose_name_plural = _("beslutninger")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class Task(models.Model):
    """A follow-up task from a meeting's decision: who does what by when."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="task")
    title = models.CharField(_("opgave"), max_length=300)
    responsible = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("ansvarlig"),
    )
    due_on = models.DateField(_("frist"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("opgave")
        verbose_name_plural = _("opgaver")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ActivityKind(models.TextChoices):
    """The kinds of prevention activity. Kept here, below the prevention app that stores the
    activities (`prevention.Activity`), because the school team's year plan form offers them."""

    TEACHING = "teaching", _("Undervisningsforløb")
    PARENT_MEETING = "parent_meeting", _("Forældremøde")
    THEME_DAY = "theme_day", _("Temadag")
    COURSE = "course", _("Kursus")
    CAMPAIGN = "campaign", _("Kampagne")
    STREET_ROUND = "street_round", _("Gadeplansrunde")
    NETWORK_MEETING = "network_meeting", _("Netværksmøde")
    COUNSELLING = "counselling", _("Rådgivning")
    SITUATIONAL = "situational", _("Situationel foranstaltning")
    OTHER = "other", _("Anden aktivitet")


class CalendarFeed(models.Model):
    """A user's secret calendar subscription. Only a hash of the token is stored: the URL is
    shown once, and a lost URL is replaced by a new one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kalenderabonnement")
        verbose_name_plural = _("kalenderabonnementer")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class ReminderKind(models.TextChoices):
    """The meetings app's kinds of reminder (registered in `meetings/reminders.py`); case work
    and the ActionCard have their own (`cases.reminders.CaseReminderKind`,
    `actioncard.reminders.ActionCardReminderKind`)."""

    MEETING = "meeting", _("Mødepåmindelse")
    AGENDA_DEADLINE = "agenda_deadline", _("Frist for dagsorden")
    MINUTES_OVERDUE = "minutes_overdue", _("Referat mangler")
    TASK_DUE = "task_due", _("Opgave med frist")
    PLANNING_CYCLE = "planning_cycle", _("Planlæg septembermødet")
    FOLLOW_GROUP_CYCLE = "follow_group_cycle", _("Planlæg SSP-Følgegruppens januarmøde")


# Registration for meetings open to many lives in its own module; imported here so Django
# finds its models with the app's.
from meetings.registration_models import Registration, RegistrationOpening  # noqa: E402, F401
