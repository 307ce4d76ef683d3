"""The SSP organisation: police districts, municipalities, units, bodies, people, memberships.

Rules about one row live here; anything that spans rows is in `selectors.py`, and every
write goes through `services.py`, which also keeps each body's auth group in sync.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower, Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ssp.models import Sector


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The label of a stored choice, as Django's `get_<field>_display` gives it. Django's
    translates and hashes every label of the field on each call (about 0.1 ms); a page that
    lists a hundred memberships calls it twice per row."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


phone_validator = RegexValidator(
    r"^\+?[0-9 ]{8,20}$",
    _("Skriv et telefonnummer med 8 cifre, eventuelt med landekode, fx +45 43 23 60 00."),
)


class PoliceDistrict(models.Model):
    """One of Denmark's police districts (politikredse); its Kredsråd spans its municipalities."""

    name = models.CharField(_("navn"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("politikreds")
        verbose_name_plural = _("politikredse")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipality running SSP. Its staff are linked through `Affiliation`."""

    name = models.CharField(_("navn"), max_length=120, unique=True)
    code = models.CharField(
        _("kommunekode"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{3}$", _("Kommunekoden er tre cifre, fx 161."))],
    )
    police_district = models.ForeignKey(
        PoliceDistrict,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("politikreds"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Affiliation",
        related_name="municipalities",
        verbose_name=_("medarbejdere"),
    )
    # Age bands are local policy (SSP up to 17 and SSP+ 18–25 in many municipalities; Køge
    # counts to 24, Holbæk to 30). Ages are inclusive.
    ssp_age_limit = models.PositiveSmallIntegerField(
        _("SSP: til og med alder"),
        default=17,
        db_default=17,
        validators=[MinValueValidator(10), MaxValueValidator(30)],
    )
    ssp_plus_age_limit = models.PositiveSmallIntegerField(
        _("SSP+: til og med alder"),
        default=25,
        db_default=25,
        validators=[MinValueValidator(10), MaxValueValidator(40)],
    )

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ssp_plus_age_limit__gte=models.F("ssp_age_limit")),
                name="forum_municipality_age_bands_in_order",
                violation_error_message=_("SSP+ skal gå mindst lige så højt op i alder som SSP."),
            )
        ]
        permissions = [
            ("administer_municipality", _("Kan administrere kommunens organisation")),
            ("triage_municipality", _("Kan visitere kommunens bekymringer og sager")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:organisation", kwargs={"municipality_id": self.pk})

    def age_band(self, age: int) -> str:
        """The municipality's age band for `age`: "SSP", "SSP+" or "" (older than both)."""
        if age <= self.ssp_age_limit:
            return "SSP"
        if age <= self.ssp_plus_age_limit:
            return "SSP+"
        return ""


class Affiliation(models.Model):
    """A user's work for one municipality, and the municipal roles that come with it.

    The roles are the source of truth; `forum.permissions` derives the matching object
    permissions from them whenever `affiliation_set` changes them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affiliations"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="affiliations"
    )
    is_ssp_consultant = models.BooleanField(_("SSP-konsulent"), default=False)
    is_administrator = models.BooleanField(_("administrator"), default=False)

    class Meta:
        verbose_name = _("tilknytning")
        verbose_name_plural = _("tilknytninger")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "municipality"), name="forum_affiliation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.municipality}"


class Unit(models.Model):
    """An institution or department that takes part in SSP: a school, a club, a police station."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="units", verbose_name=_("kommune")
    )
    name = models.CharField(_("navn"), max_length=200)
    # The municipality's own key for the unit (an institution number, a cost centre): an
    # import finds the unit by it, so a spreadsheet imported again updates instead of
    # duplicating. Unique within the municipality when given.
    code = models.CharField(
        _("kode"),
        max_length=40,
        blank=True,
        default="",
        db_default="",
        help_text=_("Kommunens egen kode for enheden, fx institutionsnummer. Bruges ved import."),
    )
    sector = models.CharField(_("sektor"), max_length=20, choices=Sector.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("hører under"),
    )
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    phone = models.CharField(_("telefon"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("hjemmeside"), blank=True)
    description = models.TextField(_("beskrivelse"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("enhed")
        verbose_name_plural = _("enheder")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                "municipality", Lower("name"), name="forum_unit_name_unique_per_municipality"
            ),
            models.UniqueConstraint(
                "municipality",
                Lower("code"),
                condition=~models.Q(code=""),
                name="forum_unit_code_unique_per_municipality",
            ),
        ]
        indexes = [
            models.Index(fields=("municipality", "sector")),
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="forum_unit_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:unit_detail", kwargs={"pk": self.pk})


class BodyKind(models.TextChoices):
    """A body's structural kind, which the rules go by; a municipality's `BodyType`s name it."""

    KREDSRAAD = "kredsraad", _("Kredsråd")
    LOKALRAAD = "lokalraad", _("Lokalråd")
    STEERING_GROUP = "steering_group", _("Styregruppe")
    SSP_UDVALG = "ssp_udvalg", _("SSP-Udvalg")
    FOELGEGRUPPE = "foelgegruppe", _("SSP-Følgegruppe")
    SSP_FORUM = "ssp_forum", _("SSP-Forum")
    INFOHUS = "infohus", _("Infohus")
    NETWORK = "network", _("Netværksgruppe")
    WORKING_GROUP = "working_group", _("Arbejdsgruppe")
    SCHOOL_TEAM = "school_team", _("Skolens SSP-team")
    GROUP_115 = "group_115", _("§115-gruppe")
    AD_HOC = "ad_hoc", _("Ad hoc-gruppe")


K = BodyKind
# Cases are opened and triaged under these kinds, whatever the municipality calls them.
CASE_HANDLING_KINDS = (K.SCHOOL_TEAM, K.GROUP_115)
# Kinds whose types a municipality may let handle cases too (København's SSP-udvalg, an
# Infohus); never a council, the SSP-Forum or a network (docs/legal.md).
MAY_HANDLE_CASES_KINDS = (K.SSP_UDVALG, K.FOELGEGRUPPE, K.WORKING_GROUP, K.INFOHUS)
# Kinds whose bodies may span several municipalities of the police district besides the
# Kredsråd (which belongs to the district itself).
MAY_SPAN_KINDS = (K.NETWORK, K.WORKING_GROUP, K.INFOHUS, K.STEERING_GROUP)

# Which kinds of body may sit directly under which (None: at the top of the tree).
ALLOWED_PARENT_KINDS: dict[str, set[str | None]] = {
    K.KREDSRAAD: {None},
    K.LOKALRAAD: {None, K.KREDSRAAD},
    # Køge's SSP-Styregruppe leads the work under (or instead of) the Lokalråd.
    K.STEERING_GROUP: {None, K.LOKALRAAD},
    K.SSP_UDVALG: {K.LOKALRAAD, K.STEERING_GROUP},
    # København's local Følgegrupper sit under a local SSP-udvalg.
    K.FOELGEGRUPPE: {K.LOKALRAAD, K.STEERING_GROUP, K.SSP_UDVALG},
    K.SSP_FORUM: {K.LOKALRAAD, K.FOELGEGRUPPE, K.STEERING_GROUP},
    K.INFOHUS: {None, K.LOKALRAAD, K.STEERING_GROUP, K.SSP_FORUM},
    K.NETWORK: {None, K.KREDSRAAD, K.LOKALRAAD, K.STEERING_GROUP, K.SSP_FORUM},
    K.WORKING_GROUP: {K.SSP_FORUM, K.SSP_UDVALG, K.STEERING_GROUP, K.INFOHUS, K.NETWORK},
    K.SCHOOL_TEAM: {K.SSP_FORUM, K.SSP_UDVALG},
    K.GROUP_115: {K.LOKALRAAD, K.SSP_FORUM, K.STEERING_GROUP},
    # Formed around one case by the cases app, under the body that handles it; also under a
    # body whose type may handle cases (`Body.handles_cases`, checked by the service).
    K.AD_HOC: set(CASE_HANDLING_KINDS),
}


def case_handling_q(prefix: str = "") -> models.Q:
    """The condition "this body handles cases": one of `CASE_HANDLING_KINDS`, or of a type
    the municipality lets handle cases. `prefix` leads to the body (e.g. "body__")."""
    return models.Q(**{f"{prefix}kind__in": CASE_HANDLING_KINDS}) | models.Q(
        **{f"{prefix}body_type__may_handle_cases": True}
    )


class Body(models.Model):
    """A body of the SSP organisation: a council, committee, forum, team or working group.

    A Kredsråd belongs to a police district and spans its municipalities; every other body
    belongs to one municipality, and may span others of its police district
    (`member_municipalities`) when its type says so. Each body has an auth group holding the
    users among its members, so object permissions can later be granted to the body as a
    whole.
    """

    kind = models.CharField(_("type"), max_length=20, choices=BodyKind.choices)
    # The municipality's own name and rules for the body; its `kind` follows the type.
    body_type = models.ForeignKey(
        "forum.BodyType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("organtype"),
    )
    name = models.CharField(_("navn"), max_length=200)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("kommune"),
    )
    # Other municipalities of the police district a body spans besides its own (a police
    # district's network group); its own municipality's administrators keep it.
    member_municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="spanned_bodies",
        verbose_name=_("også for kommunerne"),
    )
    police_district = models.ForeignKey(
        PoliceDistrict,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("politikreds"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("hører under"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("skole/afdeling"),
    )
    purpose = models.TextField(_("formål og opgaver"), blank=True, max_length=4000)
    meeting_rhythm = models.CharField(
        _("mødeår og -rytme"),
        max_length=300,
        blank=True,
        help_text=_("Fx »Mødes en gang om året i april« eller »Hver mandag kl. 13–15«."),
    )
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="body", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organ")
        verbose_name_plural = _("organer")
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="kredsraad", municipality__isnull=True, police_district__isnull=False
                    )
                    | (~models.Q(kind="kredsraad") & models.Q(municipality__isnull=False))
                ),
                name="forum_body_kredsraad_in_district_others_in_municipality",
            ),
            models.UniqueConstraint(
                "municipality", Lower("name"), name="forum_body_name_unique_per_municipality"
            ),
        ]
        indexes = [
            # The bodies of a kind in a municipality by name: the meetings app's "Planlæg møder"
            # reads the first ad-hoc groups (one per case) off it.
            models.Index(fields=("municipality", "kind", "name"), name="forum_body_kind_name_idx")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:body_detail", kwargs={"pk": self.pk})

    def get_kind_display(self) -> str:
        """The municipality's name for the body's type where it has one, else the kind's.
        The type is read from the cache only: callers that list bodies select it."""
        if self.body_type_id and Body.body_type.field.is_cached(self):
            return self.body_type.name
        return _choice_label(BodyKind, self.kind)

    @property
    def handles_cases(self) -> bool:
        """Whether cases may be opened under the body (see `case_handling_q`)."""
        if self.kind in CASE_HANDLING_KINDS:
            return True
        return self.body_type_id is not None and self.body_type.may_handle_cases


class Person(models.Model):
    """Someone in a municipality's SSP directory: staff with a login, or an external contact.

    The directory and the ActionCard show only work contact details. Some external contacts
    (a night-raven volunteer, a housing caretaker) can only be reached privately: their private
    phone and address are for the municipality's SSP consultants and administrators, shown on
    the person's page to them alone and never in lists, exports or the ActionCard.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="people", verbose_name=_("kommune")
    )
    full_name = models.CharField(_("navn"), max_length=200)
    job_title = models.CharField(_("stilling"), max_length=200, blank=True)
    sector = models.CharField(_("sektor"), max_length=20, choices=Sector.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("enhed"),
    )
    email = models.EmailField(_("arbejdsmail"), blank=True)
    phone = models.CharField(
        _("arbejdstelefon"), max_length=20, blank=True, validators=[phone_validator]
    )
    # Database defaults too: bulk seeding (seed_scale) inserts people with raw SQL.
    private_phone = models.CharField(
        _("privat telefon"),
        max_length=20,
        blank=True,
        default="",
        db_default="",
        validators=[phone_validator],
        help_text=_("Kun for SSP-konsulenter og administratorer; vises aldrig i handlekortet."),
    )
    # For urgent messages only (an urgent concern, when the municipality has an SMS gateway).
    mobile = models.CharField(
        _("mobilnummer til hastebeskeder"),
        max_length=20,
        blank=True,
        default="",
        db_default="",
        validators=[phone_validator],
        help_text=_("Bruges kun til SMS om bekymringer, der haster."),
    )
    private_address = models.CharField(
        _("privatadresse"),
        max_length=300,
        blank=True,
        default="",
        db_default="",
        help_text=_("Kun for SSP-konsulenter og administratorer; vises aldrig i handlekortet."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("login"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ("full_name",)
        constraints = [
            models.UniqueConstraint(
                fields=("municipality", "user"),
                condition=models.Q(user__isnull=False),
                name="forum_person_one_per_user_and_municipality",
            ),
        ]
        indexes = [
            models.Index(fields=("municipality", "sector")),
            models.Index(fields=("municipality", "full_name", "id"), name="forum_person_dir_idx"),
            # The directory searches with icontains, i.e. UPPER(full_name) LIKE '%…%'.
            GinIndex(
                OpClass(Upper("full_name"), name="gin_trgm_ops"), name="forum_person_name_trgm"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("forum:person_detail", kwargs={"pk": self.pk})

    @property
    def has_login(self) -> bool:
        return self.user_id is not None

    @property
    def login_state(self) -> str:
        """The pages' words: "active", "invited" (a new account not yet used, an invitation
        answered or not, a held login being sent: alike, so the page never tells whether the
        address had an account), "held" (`HeldLogin`, not sent) or "none"."""
        if self.user_id is not None:
            user = self.user
            in_use = user.last_login is not None or user.has_usable_password()
            return "active" if in_use else "invited"
        if self.invitations.exclude(status="accepted").exists():
            return "invited"
        held = HeldLogin.objects.filter(person=self).values_list("queued_at", flat=True)[:1]
        return "none" if not held else ("held" if held[0] is None else "invited")


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Formand")
    COORDINATOR = "coordinator", _("Tovholder")
    MEMBER = "member", _("Medlem")
    GUEST = "guest", _("Gæst")


# The roles that lead a body: its chair and coordinator organise its meetings, hear about new
# concerns for a school team, and are reminded of what the body has left undone. Defined once
# here, where memberships live; the apps name it by what it means to them.
LEAD_ROLES = (MembershipRole.CHAIR, MembershipRole.COORDINATOR)


class Membership(models.Model):
    """A person's seat in a body, with the role they hold there."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("rolle"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")
        constraints = [
            models.UniqueConstraint(fields=("body", "person"), name="forum_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.body} ({self.get_role_display()})"

    def get_role_display(self) -> str:
        return _choice_label(MembershipRole, self.role)


class MembershipChange(models.Model):
    """A seat's history, old role → new role: joined (no old role), role changed, or left (no
    new role), by whom and when. Written by the membership services; goes with the body or
    the person. Shown to those who may see the body (its page, and the person's page)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="membership_changes")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="membership_changes")
    old_role = models.CharField(max_length=20, choices=MembershipRole.choices, blank=True)
    new_role = models.CharField(max_length=20, choices=MembershipRole.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-at", "-id")
        indexes = [
            models.Index(fields=("body", "-at")),
            models.Index(fields=("person", "-at")),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.body_id}: {self.old_role} → {self.new_role}"

    @property
    def change(self) -> str:
        """ "Medlem → Tovholder" in the reader's language; a dash for no seat."""
        old = _choice_label(MembershipRole, self.old_role) if self.old_role else "–"
        new = _choice_label(MembershipRole, self.new_role) if self.new_role else "–"
        return f"{old} → {new}"


# Consultants' absences, the confirmation round, invitations and held logins live in modules
# of their own (this one would pass 600 lines); imported here so Django finds their models.
from forum.absence_models import Absence  # noqa: E402, F401
from forum.bodytype_models import BodyType  # noqa: E402, F401
from forum.confirmation_models import (  # noqa: E402, F401
    ConfirmationRound,
    EntryConfirmation,
    EntryCorrection,
)
from forum.invitation_models import InvitationStatus, MunicipalityInvitation  # noqa: E402, F401
from forum.login_models import HeldLogin  # noqa: E402
