"""The welcome package: what a newcomer needs to know, built from the organisation as it is.

The same package is the page (for people with a login, their leaders and the consultants) and
the email (for everyone, login or not). It holds no personal data about children or young
people: the bodies, their purpose and rhythm, the coming meetings' titles and times, the link
to the public ActionCard, the rules by sector and body, the municipality's SSP consultants.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actioncard.permissions import current_edition_or_404
from forum import access
from forum.models import Affiliation, BodyKind, Membership, Person
from meetings.models import Meeting, MeetingStatus, Participant
from onboarding.models import Onboarding
from ssp.models import Sector

# How many coming meetings the package lists.
NEXT_MEETINGS = 5

# Sectors whose staff are public employees with the stricter duty to notify (Barnets lov).
PROFESSIONAL_SECTORS = frozenset(
    {
        Sector.SCHOOL,
        Sector.SOCIAL,
        Sector.POLICE,
        Sector.LEISURE,
        Sector.PPR,
        Sector.HEALTH,
        Sector.SSP_SECRETARIAT,
    }
)


@dataclass(frozen=True)
class Rule:
    title: str
    text: str


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done_at: datetime | None
    automatic: bool = False

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass
class Package:
    person: Person
    memberships: list[Membership]
    meetings: list[Meeting]
    actioncard_url: str
    rules: list[Rule]
    consultants: list[Person]
    checklist: list[ChecklistItem] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return all(item.done for item in self.checklist)


def onboarding_memberships(person: Person) -> QuerySet[Membership]:
    """The seats a welcome is about: every body but a case's ad-hoc group."""
    return (
        Membership.objects.filter(person=person)
        .exclude(body__kind=BodyKind.AD_HOC)
        .select_related("body", "body__parent")
        .order_by("body__name")
    )


def next_meetings(person: Person, body_ids: list[int]) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            body_id__in=body_ids, starts_at__gte=timezone.now(), status=MeetingStatus.PLANNED
        )
        .select_related("body")
        .order_by("starts_at", "pk")[:NEXT_MEETINGS]
    )


def actioncard_url(person: Person) -> str:
    try:
        edition = current_edition_or_404(person.municipality.code)
    except Http404:
        return ""
    return reverse("actioncard:public_current", kwargs={"code": edition.municipality.code})


def rules_for(person: Person, memberships: list[Membership]) -> list[Rule]:
    """The rules that apply to this person, by their sector and the bodies they sit in."""
    rules: list[Rule] = []
    case_bodies = [m.body.name for m in memberships if access.body_reads_cases(m.body)]
    if case_bodies:
        rules.append(
            Rule(
                _("Tavshedspligt og retsplejelovens §115"),
                _(
                    "I %(bodies)s udveksler I oplysninger om enkelte børn og unge efter "
                    "retsplejelovens §115. Del kun det, der er nødvendigt for at forebygge "
                    "kriminalitet; oplysningerne er fortrolige og må ikke bringes videre uden "
                    "for samarbejdet."
                )
                % {"bodies": ", ".join(case_bodies)},
            )
        )
    if person.sector == Sector.POLICE:
        rules.append(
            Rule(
                _("Ikke til efterforskning (§115, stk. 2)"),
                _(
                    "Oplysninger, du får i SSP-samarbejdet, må ikke bruges i efterforskningen "
                    "af en straffesag."
                ),
            )
        )
    if person.sector in PROFESSIONAL_SECTORS:
        rules.append(
            Rule(
                _("Skærpet underretningspligt (Barnets lov)"),
                _(
                    "Som offentligt ansat skal du underrette kommunen, hvis du får kendskab "
                    "til, at et barn eller en ung kan have brug for særlig støtte. En "
                    "SSP-bekymring er ikke en underretning: underret kommunen selv, eller "
                    "sørg for at din leder gør det."
                ),
            )
        )
    else:
        rules.append(
            Rule(
                _("Underretningspligt (Barnets lov)"),
                _(
                    "Får du kendskab til, at et barn eller en ung bliver udsat for vanrøgt, "
                    "vold eller andet, der bringer barnet i fare, skal du underrette kommunen. "
                    "Spørg SSP-konsulenten, hvis du er i tvivl."
                ),
            )
        )
    if person.user_id is not None:
        rules.append(
            Rule(
                _("Adgangsloggen"),
                _(
                    "Alt, hvad du læser og skriver om børn og unge i SSP-samarbejde, bliver "
                    "registreret i adgangsloggen: hvem, hvornår, hvad og hvorfor. Den unge og "
                    "forældrene kan få indsigt i, hvem der har læst hvad."
                ),
            )
        )
    return rules


def consultants_of(person: Person) -> list[Person]:
    """Who to ask: the municipality's SSP consultants, as its directory lists them."""
    consultant = Affiliation.objects.filter(
        municipality_id=person.municipality_id, is_ssp_consultant=True, user=OuterRef("user")
    )
    return list(
        Person.objects.filter(municipality_id=person.municipality_id, user__isnull=False)
        .filter(Exists(consultant))
        .exclude(pk=person.pk)
        .order_by("full_name")
    )


def attended_since(onboarding: Onboarding) -> datetime | None:
    """When the newcomer first attended a meeting after they started, as the meetings app
    recorded attendance; None if they have not yet."""
    first = (
        Participant.objects.filter(
            person_id=onboarding.person_id,
            attended=True,
            meeting__starts_at__gte=onboarding.started_at,
        )
        .order_by("meeting__starts_at")
        .values_list("meeting__starts_at", flat=True)
        .first()
    )
    return first


def checklist(onboarding: Onboarding) -> list[ChecklistItem]:
    attended = None if onboarding.first_meeting_at else attended_since(onboarding)
    return [
        ChecklistItem(
            "intro_talk", _("Introduktionssamtale med lederen"), onboarding.intro_talk_at
        ),
        ChecklistItem("tour", _("Rundvisning og præsentation for kollegerne"), onboarding.tour_at),
        ChecklistItem(
            "first_meeting",
            _("Første møde i organet"),
            onboarding.first_meeting_at or attended,
            automatic=attended is not None,
        ),
    ]


def package_for(person: Person, onboarding: Onboarding | None = None) -> Package:
    memberships = list(onboarding_memberships(person))
    return Package(
        person=person,
        memberships=memberships,
        meetings=next_meetings(person, [m.body_id for m in memberships]),
        actioncard_url=actioncard_url(person),
        rules=rules_for(person, memberships),
        consultants=consultants_of(person),
        checklist=checklist(onboarding) if onboarding is not None else [],
    )
