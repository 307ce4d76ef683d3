"""What the archive holds: one member per kind of record, in the order they are imported.

Each `Member` names a model, the rows of it that a municipality owns, the scope it belongs to
and whether it holds personal data (then it is encrypted). Columns are the model's own
concrete fields (`archive.codec` turns references into natural keys or archive-local ids), so
a field added to a model reaches the archive without a change here; docs/archive.md lists
them. The order is the import order: every member refers only to members above it (a model's
reference to itself, a unit's parent, is ordered within the member by `archive.codec`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet

from actioncard.models import Edition, GuideEntry
from cases.models import (
    Action,
    Basis,
    Case,
    CaseEvent,
    CaseSubject,
    Concern,
    ConcernAddendum,
    ConcernCategory,
    ConcernChange,
    ConcernPerson,
    Consent,
    Note,
    YoungPerson,
)
from forum.models import (
    Absence,
    Affiliation,
    Body,
    BodyKind,
    BodyType,
    Membership,
    MembershipChange,
    Municipality,
    Person,
    Unit,
)
from meetings.models import (
    AgendaAttachment,
    AgendaItem,
    Decision,
    Meeting,
    MeetingSeries,
    Participant,
    SchoolYearPlan,
    StandingAgendaItem,
    Task,
)
from prevention.models import Activity, AnnualPlan, Project

ORGANISATION = "organisation"
MEETINGS = "meetings"
ACTIONCARDS = "actioncards"
PREVENTION = "prevention"
STATISTICS = "statistics"
CASES = "cases"
# Everything a municipality's administrator may export; cases only for the data controller.
BASE_SCOPES = (ORGANISATION, MEETINGS, ACTIONCARDS, PREVENTION, STATISTICS)
ALL_SCOPES = (*BASE_SCOPES, CASES)

USERS_MEMBER = "organisation/users.json"

Rows = Callable[[Municipality], QuerySet]


@dataclass(frozen=True)
class Member:
    name: str
    model: type[Model]
    rows: Rows
    scope: str
    personal: bool = True
    # Fields left out: derived on import (a body's auth group, a CPR number's lookup hash).
    exclude: tuple[str, ...] = ()
    m2m: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label


def _own(municipality: Municipality) -> Q:
    return Q(municipality=municipality)


def _seats(municipality: Municipality) -> Q:
    return Q(body__municipality=municipality) | Q(person__municipality=municipality)


MEMBERS: tuple[Member, ...] = (
    Member(
        "organisation/municipality.json",
        Municipality,
        lambda m: Municipality.objects.filter(pk=m.pk),
        ORGANISATION,
        personal=False,
    ),
    Member(
        "organisation/affiliations.json",
        Affiliation,
        lambda m: Affiliation.objects.filter(_own(m)),
        ORGANISATION,
    ),
    Member(
        "organisation/body_types.json",
        BodyType,
        lambda m: BodyType.objects.filter(_own(m)),
        ORGANISATION,
        personal=False,
    ),
    Member(
        "organisation/units.json",
        Unit,
        lambda m: Unit.objects.filter(_own(m)),
        ORGANISATION,
        personal=False,
    ),
    Member(
        "organisation/people.json",
        Person,
        lambda m: Person.objects.filter(_own(m)),
        ORGANISATION,
    ),
    Member(
        "organisation/bodies.json",
        Body,
        lambda m: Body.objects.filter(_own(m)).exclude(kind=BodyKind.AD_HOC),
        ORGANISATION,
        personal=False,
        exclude=("group",),
        m2m=("member_municipalities",),
    ),
    # Seats in the municipality's bodies, and its people's seats in other bodies (the
    # Kredsråd, another municipality's network group), which refer to those as `external`.
    Member(
        "organisation/memberships.json",
        Membership,
        lambda m: Membership.objects.filter(_seats(m)).exclude(body__kind=BodyKind.AD_HOC),
        ORGANISATION,
    ),
    Member(
        "organisation/membership_changes.json",
        MembershipChange,
        lambda m: MembershipChange.objects.filter(_seats(m)).exclude(body__kind=BodyKind.AD_HOC),
        ORGANISATION,
    ),
    Member(
        "organisation/absences.json",
        Absence,
        lambda m: Absence.objects.filter(_own(m)),
        ORGANISATION,
    ),
    Member(
        "organisation/concern_categories.json",
        ConcernCategory,
        lambda m: ConcernCategory.objects.filter(_own(m)),
        ORGANISATION,
        personal=False,
    ),
    # Cases come before the meetings, whose agenda items and bases may name them.
    Member(
        "cases/young_people.json",
        YoungPerson,
        lambda m: YoungPerson.objects.filter(_own(m)),
        CASES,
        exclude=("cpr_hash",),
    ),
    Member(
        "cases/adhoc_groups.json",
        Body,
        lambda m: Body.objects.filter(_own(m), kind=BodyKind.AD_HOC),
        CASES,
        exclude=("group",),
        m2m=("member_municipalities",),
    ),
    Member(
        "cases/adhoc_memberships.json",
        Membership,
        lambda m: Membership.objects.filter(body__municipality=m, body__kind=BodyKind.AD_HOC),
        CASES,
    ),
    Member("cases/cases.json", Case, lambda m: Case.objects.filter(_own(m)), CASES),
    Member(
        "cases/case_subjects.json",
        CaseSubject,
        lambda m: CaseSubject.objects.filter(case__municipality=m),
        CASES,
    ),
    Member(
        "cases/concerns.json",
        Concern,
        lambda m: Concern.objects.filter(_own(m)),
        CASES,
        exclude=("reported_cpr_hash",),
    ),
    Member(
        "cases/concern_people.json",
        ConcernPerson,
        lambda m: ConcernPerson.objects.filter(concern__municipality=m),
        CASES,
        exclude=("reported_cpr_hash",),
    ),
    Member(
        "cases/concern_addenda.json",
        ConcernAddendum,
        lambda m: ConcernAddendum.objects.filter(concern__municipality=m),
        CASES,
    ),
    Member(
        "cases/concern_changes.json",
        ConcernChange,
        lambda m: ConcernChange.objects.filter(concern__municipality=m),
        CASES,
    ),
    Member(
        "cases/consents.json",
        Consent,
        lambda m: Consent.objects.filter(case__municipality=m),
        CASES,
    ),
    Member(
        "cases/bases.json",
        Basis,
        lambda m: Basis.objects.filter(
            Q(case__municipality=m) | Q(case__isnull=True, concern__municipality=m)
        ),
        CASES,
    ),
    Member("cases/notes.json", Note, lambda m: Note.objects.filter(case__municipality=m), CASES),
    Member(
        "cases/actions.json", Action, lambda m: Action.objects.filter(case__municipality=m), CASES
    ),
    Member(
        "cases/events.json",
        CaseEvent,
        lambda m: CaseEvent.objects.filter(case__municipality=m),
        CASES,
    ),
    Member(
        "meetings/series.json",
        MeetingSeries,
        lambda m: MeetingSeries.objects.filter(body__municipality=m),
        MEETINGS,
    ),
    Member(
        "meetings/meetings.json",
        Meeting,
        lambda m: Meeting.objects.filter(body__municipality=m),
        MEETINGS,
    ),
    Member(
        "meetings/participants.json",
        Participant,
        lambda m: Participant.objects.filter(meeting__body__municipality=m),
        MEETINGS,
    ),
    Member(
        "meetings/standing_items.json",
        StandingAgendaItem,
        lambda m: StandingAgendaItem.objects.filter(body__municipality=m),
        MEETINGS,
    ),
    Member(
        "meetings/agenda_items.json",
        AgendaItem,
        lambda m: AgendaItem.objects.filter(meeting__body__municipality=m),
        MEETINGS,
    ),
    Member(
        "meetings/agenda_attachments.json",
        AgendaAttachment,
        lambda m: AgendaAttachment.objects.filter(item__meeting__body__municipality=m),
        MEETINGS,
    ),
    Member(
        "meetings/decisions.json",
        Decision,
        lambda m: Decision.objects.filter(item__meeting__body__municipality=m),
        MEETINGS,
    ),
    Member(
        "meetings/tasks.json",
        Task,
        lambda m: Task.objects.filter(decision__item__meeting__body__municipality=m),
        MEETINGS,
    ),
    Member(
        "meetings/school_year_plans.json",
        SchoolYearPlan,
        lambda m: SchoolYearPlan.objects.filter(body__municipality=m),
        MEETINGS,
    ),
    Member(
        "prevention/projects.json",
        Project,
        lambda m: Project.objects.filter(_own(m)),
        PREVENTION,
    ),
    Member(
        "prevention/annual_plans.json",
        AnnualPlan,
        lambda m: AnnualPlan.objects.filter(body__municipality=m),
        PREVENTION,
        m2m=("covers",),
    ),
    Member(
        "prevention/activities.json",
        Activity,
        lambda m: Activity.objects.filter(_own(m)),
        PREVENTION,
        m2m=("people", "partner_bodies"),
    ),
    Member(
        "actioncards/editions.json",
        Edition,
        lambda m: Edition.objects.filter(_own(m)),
        ACTIONCARDS,
    ),
    Member(
        "actioncards/guide_entries.json",
        GuideEntry,
        lambda m: GuideEntry.objects.filter(edition__municipality=m),
        ACTIONCARDS,
    ),
)


def members_for(scopes: tuple[str, ...]) -> list[Member]:
    return [member for member in MEMBERS if member.scope in scopes]
