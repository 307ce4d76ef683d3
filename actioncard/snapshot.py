"""The contents of an ActionCard, taken from the SSP-Forum as it stands, and how two of them
differ.

The snapshot is plain JSON so a published edition never changes when the forum does. It holds
only what the ActionCard prints: bodies, the forum's actors and the school teams with their
work contact details, and the year's key dates. Nothing about young people is read here, and of
a person only the work phone and work email (never the private contact details).

Shape::

    {"municipality": str, "police_district": str,
     "bodies": [{"key", "name", "kind", "parent", "rhythm"}],
     "actors": [member],
     "teams": [{"key", "name", "rhythm", "unit": {"name", "address", "phone", "email"} | None,
                "contact": member | None, "members": [member]}],
     "dates": [{"key", "kind", "body", "month", "meetings": [iso datetime], "rhythm"}],
     "contacts": [situation], "consultant": entry | None}   (see actioncard.contacts)

where a member is {"key", "name", "job_title", "role", "sector", "unit", "email", "phone"}.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from actioncard import contacts
from forum import selectors as forum_selectors
from forum.models import Body, BodyKind, Membership, MembershipRole, Municipality, Unit
from meetings.models import Meeting, MeetingKind, MeetingStatus
from ssp.models import Sector

SECTOR_ORDER = [sector.value for sector in Sector]
ROLE_ORDER = [role.value for role in MembershipRole]
# The yearly rhythm the ActionCard announces: (body kind, month).
YEARLY_MEETINGS = (
    (BodyKind.FOELGEGRUPPE, 1),
    (BodyKind.SSP_FORUM, 4),
)
SCHOOL_PLANNING_MONTH = 9
# Fields compared when telling what changed since last year, with the words for them.
ACTOR_FIELDS = ("name", "job_title", "sector", "unit", "role", "email", "phone")
FIELD_LABELS = {
    "name": _("navn"),
    "job_title": _("stilling"),
    "sector": _("sektor"),
    "unit": _("enhed"),
    "role": _("rolle"),
    "email": _("e-mail"),
    "phone": _("telefon"),
    "members": _("medlemmer"),
    "contact": _("kontakt"),
}


def _member(membership: Membership) -> dict[str, str]:
    person = membership.person
    return {
        "key": f"person-{person.pk}",
        "name": person.full_name,
        "job_title": person.job_title,
        "role": membership.role,
        "sector": person.sector,
        "unit": person.unit.name if person.unit else "",
        "email": person.email,
        "phone": person.phone,
    }


def _unit(unit: Unit | None) -> dict[str, str] | None:
    if unit is None:
        return None
    return {"name": unit.name, "address": unit.address, "phone": unit.phone, "email": unit.email}


def _by_role(members: Iterable[Membership]) -> list[Membership]:
    return sorted(members, key=lambda m: (ROLE_ORDER.index(m.role), m.person.full_name))


def _contact(members: list[Membership]) -> Membership | None:
    """Whom to call about a school team: its coordinator (tovholder), else its chair."""
    for role in (MembershipRole.COORDINATOR, MembershipRole.CHAIR):
        for membership in members:
            if membership.role == role:
                return membership
    return None


def _members_prefetch() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("person__unit"),
        to_attr="members",
    )


def take(
    municipality: Municipality, year: int, choices: dict[str, dict[str, str]] | None = None
) -> dict[str, Any]:
    """The ActionCard's contents for `year`, from the municipality's forum as it stands, with
    page one's contacts resolved from the editor's `choices` (see actioncard.contacts)."""
    bodies = list(
        forum_selectors.bodies_of_municipality(municipality)
        .exclude(kind=BodyKind.AD_HOC)
        .prefetch_related(_members_prefetch())
        .order_by("name")
    )
    forum = next((body for body in bodies if body.kind == BodyKind.SSP_FORUM), None)
    teams = [body for body in bodies if body.kind == BodyKind.SCHOOL_TEAM]
    actors = [_member(m) for m in (forum.members if forum else [])]
    actors.sort(key=lambda a: (SECTOR_ORDER.index(a["sector"]), a["name"]))
    situations, consultant = contacts.take(
        municipality, choices or {}, contacts.forum_members(bodies)
    )
    return {
        "municipality": municipality.name,
        "police_district": municipality.police_district.name
        if municipality.police_district_id
        else "",
        "bodies": [
            {
                "key": f"body-{body.pk}",
                "name": body.name,
                "kind": body.kind,
                "parent": f"body-{body.parent_id}" if body.parent_id else None,
                "rhythm": body.meeting_rhythm,
            }
            for body in bodies
        ],
        "actors": actors,
        "teams": [_team(team) for team in teams],
        "dates": _dates(bodies, year),
        "contacts": situations,
        "consultant": consultant,
    }


def take_contacts(
    municipality: Municipality, choices: dict[str, dict[str, str]]
) -> tuple[list[dict[str, Any]], dict[str, str] | None]:
    """Page one's contacts alone, as they stand now."""
    forum = (
        forum_selectors.bodies_of_municipality(municipality)
        .filter(kind=BodyKind.SSP_FORUM)
        .prefetch_related(_members_prefetch())
    )
    return contacts.take(municipality, choices, contacts.forum_members(forum))


def _team(team: Body) -> dict[str, Any]:
    members = _by_role(team.members)
    contact = _contact(members)
    return {
        "key": f"body-{team.pk}",
        "name": team.name,
        "rhythm": team.meeting_rhythm,
        "unit": _unit(team.unit),
        "contact": _member(contact) if contact else None,
        "members": [_member(m) for m in members],
    }


def _meetings_in(bodies: list[Body], year: int, month: int, kind: str | None = None) -> dict:
    first = date(year, month, 1)
    after = date(year + (month == 12), month % 12 + 1, 1)
    meetings = Meeting.objects.filter(
        body__in=bodies,
        status=MeetingStatus.PLANNED,
        starts_at__date__gte=first,
        starts_at__date__lt=after,
    ).order_by("starts_at")
    if kind is not None:
        meetings = meetings.filter(kind=kind)
    found: dict[int, list[str]] = {}
    for body_id, starts_at in meetings.values_list("body_id", "starts_at"):
        found.setdefault(body_id, []).append(starts_at.isoformat())
    return found


def _dates(bodies: list[Body], year: int) -> list[dict[str, Any]]:
    """The key dates of `year` and the year after (the card shows the coming twelve months
    from the day it is read or printed): planned meetings where there are any, else the
    month the body meets in; the §115 group's rhythm once."""
    rows: list[dict[str, Any]] = []
    teams = [body for body in bodies if body.kind == BodyKind.SCHOOL_TEAM]
    for this in (year, year + 1):
        for kind, month in YEARLY_MEETINGS:
            of_kind = [body for body in bodies if body.kind == kind]
            planned = _meetings_in(of_kind, this, month)
            rows += [_date_row(body, this, month, planned.get(body.pk, [])) for body in of_kind]
        planning = _meetings_in(teams, this, SCHOOL_PLANNING_MONTH, kind=MeetingKind.PLANNING)
        rows += [
            _date_row(team, this, SCHOOL_PLANNING_MONTH, planning.get(team.pk, []))
            for team in teams
        ]
    rows += [_date_row(body, year, None, []) for body in bodies if body.kind == BodyKind.GROUP_115]
    return rows


def _date_row(body: Body, year: int, month: int | None, meetings: list[str]) -> dict[str, Any]:
    return {
        "key": f"body-{body.pk}",
        "kind": body.kind,
        "body": body.name,
        "year": year,
        "month": month,
        "meetings": meetings,
        "rhythm": body.meeting_rhythm,
    }


def is_empty(contents: dict[str, Any]) -> bool:
    """An ActionCard needs a forum with actors in it."""
    return not contents.get("actors")


@dataclass
class Changes:
    """What changed between last year's published edition and this one."""

    actors_added: list[dict] = field(default_factory=list)
    actors_removed: list[dict] = field(default_factory=list)
    # (actor or team, names of the fields that changed: keys of FIELD_LABELS)
    actors_changed: list[tuple[dict, list[str]]] = field(default_factory=list)
    teams_added: list[dict] = field(default_factory=list)
    teams_removed: list[dict] = field(default_factory=list)
    teams_changed: list[tuple[dict, list[str]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(vars(self).values())

    @property
    def actors_changed_labelled(self) -> list[tuple[dict, str]]:
        return [(actor, _labels(fields)) for actor, fields in self.actors_changed]

    @property
    def teams_changed_labelled(self) -> list[tuple[dict, str]]:
        return [(team, _labels(fields)) for team, fields in self.teams_changed]


def _labels(fields: list[str]) -> str:
    return ", ".join(str(FIELD_LABELS[name]) for name in fields)


def _member_line(member: dict) -> tuple[str, str]:
    return (member["name"], member["role"])


def compare(before: dict[str, Any], after: dict[str, Any]) -> Changes:
    """Actors and school teams added, removed and changed, matched by their keys."""
    changes = Changes()
    old = {actor["key"]: actor for actor in before.get("actors", [])}
    new = {actor["key"]: actor for actor in after.get("actors", [])}
    changes.actors_added = [actor for key, actor in new.items() if key not in old]
    changes.actors_removed = [actor for key, actor in old.items() if key not in new]
    for key, actor in new.items():
        if key in old:
            fields = [name for name in ACTOR_FIELDS if old[key].get(name) != actor.get(name)]
            if fields:
                changes.actors_changed.append((actor, fields))
    old_teams = {team["key"]: team for team in before.get("teams", [])}
    new_teams = {team["key"]: team for team in after.get("teams", [])}
    changes.teams_added = [team for key, team in new_teams.items() if key not in old_teams]
    changes.teams_removed = [team for key, team in old_teams.items() if key not in new_teams]
    for key, team in new_teams.items():
        if key not in old_teams:
            continue
        previous = old_teams[key]
        fields = []
        if previous["name"] != team["name"]:
            fields.append("name")
        if sorted(map(_member_line, previous["members"])) != sorted(
            map(_member_line, team["members"])
        ):
            fields.append("members")
        if previous.get("contact") != team.get("contact"):
            fields.append("contact")
        if previous.get("unit") != team.get("unit"):
            fields.append("unit")
        if fields:
            changes.teams_changed.append((team, fields))
    return changes
