"""The demo's concern about a group ("ældre drenge ved stationen"), named by the club worker
with three obviously invented boys, triaged by the consultant into a case at the specific
level handled by SSP-team Vestervang.

No basis is given to the team, so rule S shows: the team's chair and club worker see only
their own pupil by name (the two others are "En anden ung"), the social worker (also in
Nordvang's team) sees the Nordvang pupil too, and the consultant sees all three.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cases import services
from cases.models import (
    CaseStatus,
    ConcernCategory,
    NotificationStatus,
    PreventionKind,
    SubjectKind,
    YoungPerson,
)
from forum.models import Body, Municipality, Unit
from ssp.models import User

GROUP = "Ældre drenge ved stationen"
# (name, age, school or "")
BOYS = [
    ("Demo-Malthe Perronsen", 16, "Glostrup Skole, afdeling Vestervang"),
    ("Demo-Villads Sporsen", 17, "Glostrup Skole, afdeling Nordvang"),
    ("Demo-Anton Togbanesen", 18, ""),
]
TEXT = (
    "Tre ældre drenge står ved stationen de fleste aftener og presser yngre elever til at "
    "handle for dem. Flere yngre fra klubben er blevet bedt om at »holde« en taske."
)


def seed(users: dict[str, User], consultant: User) -> None:
    municipality = Municipality.objects.get(name="Glostrup")
    if YoungPerson.objects.filter(municipality=municipality, full_name=BOYS[0][0]).exists():
        return
    today = timezone.localdate()
    boys = [
        services.ReportedIdentity(
            full_name=name,
            birth_date=today.replace(year=today.year - age) - timedelta(days=60),
            school=Unit.objects.get(municipality=municipality, name=school) if school else None,
        )
        for name, age, school in BOYS
    ]
    concern = services.concern_submit(
        author=users["klub@demo.ssp"],
        municipality=municipality,
        subject_kind=SubjectKind.GROUP,
        subject_description=GROUP,
        other_young_people=boys,
        category=ConcernCategory.objects.get(municipality=municipality, name="Kriminalitet"),
        description=TEXT,
        observed_on=today - timedelta(days=5),
        location="Glostrup Station",
        notification_status=NotificationStatus.NOT_RELEVANT,
    )
    case = services.concern_open_group_case(
        concern=concern,
        by=consultant,
        responsible_body=Body.objects.get(municipality=municipality, name="SSP-team Vestervang"),
        prevention_kind=PreventionKind.SITUATIONAL,
        subject_description=GROUP,
    )
    services.case_change_status(case=case, status=CaseStatus.ACTIVE, by=consultant)
    services.note_add(
        case=case,
        author=consultant,
        text="Gadeplansteamet tager forbi stationen fredag og lørdag aften i de næste fire uger.",
    )
