"""The shared core: the custom user and the sectors every person and unit belongs to."""

from __future__ import annotations

from datetime import time
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """The sector a professional or a unit belongs to (the S, S and P of SSP, and the rest)."""

    SCHOOL = "school", _("Skole")
    SOCIAL = "social", _("Socialforvaltning")
    POLICE = "police", _("Politi")
    LEISURE = "leisure", _("Fritid og klub")
    PPR = "ppr", _("PPR")
    HEALTH = "health", _("Sundhed")
    SSP_SECRETARIAT = "ssp", _("SSP-sekretariat")
    # The partners SSP works with beyond the municipality's child services (København's
    # SSP counts the Kriminalforsorgen and the employment administration among its parties;
    # Herning and Glostrup the housing associations and their social projects, the youth
    # guidance and the volunteers). None of them is a handling sector (docs/legal.md).
    HOUSING = "housing", _("Boligsocialt arbejde og boligforeninger")
    JOBCENTER = "jobcenter", _("Jobcenter og beskæftigelse")
    PROBATION = "probation", _("Kriminalforsorgen")
    YOUTH_GUIDANCE = "youth_guidance", _("Ungdomsvejledning og uddannelse (UU)")
    VOLUNTEER = "volunteer", _("Frivillige og foreninger")
    OTHER = "other", _("Andet")


# The municipality's own sectors that already handle children under their own legislation
# (the Folkeskole act, Barnets lov, health and leisure services, the SSP secretariat): their
# staff may be SSP consultants and read the cases of the bodies they sit in. Police and
# "other" are not among them, nor are housing, the jobcentre, the Kriminalforsorgen, the
# youth guidance and the volunteers; they read a case only through a recorded basis
# (docs/legal.md, "The handling sectors").
HANDLING_SECTORS: frozenset[str] = frozenset(
    {
        Sector.SCHOOL,
        Sector.SOCIAL,
        Sector.PPR,
        Sector.HEALTH,
        Sector.LEISURE,
        Sector.SSP_SECRETARIAT,
    }
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        # Logins are case-insensitive: addresses are stored in lower case.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: staff of a municipality, the police or a platform operator.

    The email address is the login. The municipalities a user works in are linked from the
    organisation (`forum.Affiliation`), so this shared core does not depend on `forum`.
    """

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("navn"), max_length=200)
    sector = models.CharField(
        _("sektor"), max_length=20, choices=Sector.choices, default=Sector.OTHER
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    is_staff = models.BooleanField(
        _("adgang til Django admin"),
        default=False,
        help_text=_(
            "Giver adgang til administrationssiden for de kommuner, brugeren administrerer."
        ),
    )
    date_joined = models.DateTimeField(_("oprettet"), default=timezone.now)
    session_generation = models.PositiveIntegerField(
        _("sessionsgeneration"),
        default=0,
        editable=False,
        help_text=_(
            "Tælles op, når brugerens sessioner skal ophøre, fx når totrinslogin nulstilles."
        ),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")
        ordering = ("full_name",)
        constraints = [
            models.UniqueConstraint(Lower("email"), name="ssp_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django ends every session whose stored hash no longer matches this one. Besides the
        password (Django's own input), the hash covers `session_generation`, so resetting a
        user's second factor signs them out everywhere, as changing the password would."""
        key_salt = "ssp.models.User.session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class AuditAction(models.TextChoices):
    VIEW = "view", _("Læst")
    CREATE = "create", _("Oprettet")
    UPDATE = "update", _("Ændret")
    DELETE = "delete", _("Slettet")
    SEARCH = "search", _("Søgt")
    EXPORT = "export", _("Eksporteret")
    SHARE = "share", _("Delt")
    REVOKE = "revoke", _("Deling tilbagekaldt")
    # A role that reads cases was given: a seat in a body that reads them, or the SSP
    # consultant role. The grant itself is a disclosure (forum.grants).
    GRANT = "grant", _("Adgang givet")


class AuditEvent(models.Model):
    """One read or write of personal data: who, when, what, whose data, why and from where.

    The table is append-only in the database itself (a trigger refuses UPDATE and DELETE;
    only the retention job may delete rows older than the legal minimum). It therefore holds
    plain ids and a copy of the user's email instead of foreign keys, which would have to be
    updated or cascade when a user or a young person is deleted.
    """

    at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    user_id = models.BigIntegerField(_("bruger-id"), null=True, blank=True)
    user_email = models.CharField(_("bruger"), max_length=254, blank=True)
    action = models.CharField(_("handling"), max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(_("objekttype"), max_length=60)
    object_id = models.CharField(_("objekt-id"), max_length=40, blank=True)
    subject_id = models.BigIntegerField(
        _("den unges id"),
        null=True,
        blank=True,
        help_text=_("Den unge, hvis oplysninger blev læst eller ændret."),
    )
    # A list or search shows many young people: one row per page (and municipality) names
    # them all here, so reading a page costs one INSERT however many rows it shows.
    shown_subjects = ArrayField(
        models.BigIntegerField(),
        verbose_name=_("viste unges id'er"),
        default=list,
        blank=True,
        help_text=_("De unge, som en liste eller søgning viste."),
    )
    municipality_id = models.BigIntegerField(_("kommune-id"), null=True, blank=True)
    # As typed, except that a CPR number is kept masked (`ssp.audit.mask_search_term`).
    search_term = models.CharField(_("søgeord"), max_length=200, blank=True)
    purpose = models.CharField(_("formål"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)
    path = models.CharField(_("adresse"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("adgangslog-hændelse")
        verbose_name_plural = _("adgangslog")
        ordering = ("-at", "-id")
        indexes = [
            models.Index(fields=("user_id", "-at"), name="ssp_audit_user_at"),
            models.Index(fields=("subject_id", "-at"), name="ssp_audit_subject_at"),
            models.Index(fields=("at",), name="ssp_audit_at"),
            models.Index(fields=("municipality_id", "-at"), name="ssp_audit_municipality_at"),
            # "Every page that showed this young person": `shown_subjects && ARRAY[...]`.
            GinIndex(fields=("shown_subjects",), name="ssp_audit_shown_subjects"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_email} {self.action} {self.object_type}"


class OutgoingEmailStatus(models.TextChoices):
    PENDING = "pending", _("Venter")
    SENT = "sent", _("Sendt")
    FAILED = "failed", _("Opgivet")


class OutgoingEmail(models.Model):
    """One email to one recipient, waiting to be sent or kept a while after (`ssp.notify`).

    It is written in the transaction that caused it, so a change that rolls back mails no one
    and a change that commits always mails, however long the mail server is away. Parts and
    attachments are stored as JSON (attachments base64-encoded). Rows are pruned after
    `EMAIL_RETENTION_DAYS`: the addresses are personal data.
    """

    to = models.EmailField(max_length=254)
    from_email = models.CharField(max_length=254)
    subject = models.TextField()
    body = models.TextField()
    # [{"content": str, "mimetype": str}], e.g. the text/calendar part of an invitation.
    alternatives = models.JSONField(default=list, blank=True)
    # [{"filename": str, "content": base64 str, "mimetype": str}]
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=OutgoingEmailStatus.choices, default=OutgoingEmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the sweep hands the row to a worker again if it is still pending by then.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # The exception's class and message, never the email's content.
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("udgående e-mail")
        verbose_name_plural = _("udgående e-mails")
        indexes = [
            models.Index(
                fields=("next_attempt_at",),
                condition=models.Q(status=OutgoingEmailStatus.PENDING),
                name="ssp_outgoing_email_due",
            ),
            models.Index(
                fields=("created_at",),
                condition=~models.Q(status=OutgoingEmailStatus.PENDING),
                name="ssp_outgoing_email_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.status}"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Venter")
    QUEUED = "queued", _("Sendes")
    SENT = "sent", _("Sendt")
    CANCELLED = "cancelled", _("Annulleret")


class Reminder(models.Model):
    """One reminder to one person. Due reminders live here, in PostgreSQL, not as countdowns
    in Redis: a beat task claims the due rows every minute and hands them to workers, and the
    unique key makes scheduling the same reminder twice a no-op."""

    # Registered by the apps whose objects are reminded of (`ssp.notify.reminders`).
    kind = models.CharField(max_length=20)
    # What the reminder is about: "meetings.meeting" 12, "cases.action" 7, "forum.body" 3.
    object_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    # The moment the reminder is about (part of the key); it is sent at `send_at`, which
    # quiet hours and the daily digest may push later.
    due_at = models.DateTimeField()
    send_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Moved from the meetings app; the table kept its name.
        db_table = "meetings_reminder"
        verbose_name = _("påmindelse")
        verbose_name_plural = _("påmindelser")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id", "recipient", "due_at"],
                name="reminder_once_per_kind_object_recipient_and_time",
            )
        ]
        indexes = [
            # The dispatcher's query: due rows waiting to be sent.
            models.Index(
                fields=["send_at"],
                condition=models.Q(status__in=["pending", "queued"]),
                name="reminder_waiting_by_send_at",
            ),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id} ({self.send_at:%Y-%m-%d %H:%M})"


def default_meeting_offsets() -> list[int]:
    """Minutes before a meeting: two days and two hours."""
    return [2 * 24 * 60, 2 * 60]


class ReminderSettings(models.Model):
    """A user's choices about reminders; a user without a row gets the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    meeting_offsets = ArrayField(
        models.PositiveIntegerField(),
        default=default_meeting_offsets,
        size=5,
        verbose_name=_("påmindelser før møder (minutter)"),
    )
    quiet_from = models.TimeField(_("stille fra"), default=time(18))
    quiet_until = models.TimeField(_("stille til"), default=time(7))
    daily_digest = models.BooleanField(_("saml påmindelser i én daglig e-mail"), default=False)

    class Meta:
        db_table = "meetings_remindersettings"
        verbose_name = _("indstillinger for påmindelser")
        verbose_name_plural = _("indstillinger for påmindelser")

    def __str__(self) -> str:
        return str(self.user)


class SmsGateway(models.Model):
    """An HTTP gateway that sends text messages, under a municipality's own contract (the
    cases app's escalation settings point at one). A generic JSON POST: the message as
    `{"to", "message", "sender"}` with the token as a bearer token. The token is stored
    encrypted (`ssp.secrets`) and never shown again or logged."""

    url = models.URLField(_("gatewayens adresse"), max_length=500)
    token_encrypted = models.TextField(editable=False, blank=True)
    sender = models.CharField(
        _("afsendernavn"),
        max_length=11,
        blank=True,
        help_text=_("Det navn, beskeden kommer fra, højst 11 tegn, fx »SSP Glostrup«."),
    )
    is_active = models.BooleanField(_("send SMS"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SMS-gateway")
        verbose_name_plural = _("SMS-gateways")

    def __str__(self) -> str:
        return self.url

    @property
    def has_token(self) -> bool:
        return bool(self.token_encrypted)


class OutgoingSms(models.Model):
    """One text message to one number through one gateway, waiting to be sent or kept a
    while after (`ssp.notify.sms`), like `OutgoingEmail`. It never names a young person."""

    gateway = models.ForeignKey(SmsGateway, on_delete=models.CASCADE, related_name="messages")
    to = models.CharField(max_length=20)
    body = models.CharField(max_length=480)
    status = models.CharField(
        max_length=10, choices=OutgoingEmailStatus.choices, default=OutgoingEmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # The exception's class and the HTTP status, never the number, the token or the body.
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("udgående SMS")
        verbose_name_plural = _("udgående SMS'er")
        indexes = [
            models.Index(
                fields=("next_attempt_at",),
                condition=models.Q(status=OutgoingEmailStatus.PENDING),
                name="ssp_outgoing_sms_due",
            ),
            models.Index(
                fields=("created_at",),
                condition=~models.Q(status=OutgoingEmailStatus.PENDING),
                name="ssp_outgoing_sms_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.status}"


class StoredFile(models.Model):
    """One stored file (an agenda attachment, an ActionCard PDF): the storage of every FileField
    of the app (`ssp.storage.DatabaseStorage`), so the files live with the records that name
    them, in the same transactions and the same backup, on whichever node asks."""

    name = models.CharField(max_length=255, unique=True)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("gemt fil")
        verbose_name_plural = _("gemte filer")

    def __str__(self) -> str:
        return self.name


from ssp.otp_devices import EncryptedTOTPDevice  # noqa: E402, F401
