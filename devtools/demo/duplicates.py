"""A young person registered twice, for the consultant to find and merge.

Ida-Marie has a case with SSP-team Vestervang. The club worker, who may not see that case,
could not find her in the concern form's lookup and registered her again as "Ida Marie"
(no hyphen, no school): her new concern waits in the triage queue marked as a possible
duplicate, and the pair is on the consultant's list of suspected duplicates.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from cases import services
from cases.models import (
    NotificationStatus,
    PreventionKind,
    PreventionLevel,
    SubjectKind,
    YoungPerson,
)
from devtools.demo.cases import _birth_date
from forum.models import Body, Municipality, Unit
from ssp.models import User

REGISTERED = "Demo-Ida-Marie Dublettesen"
AGAIN = "Demo-Ida Marie Dublettesen"
SCHOOL = "Glostrup Skole, afdeling Vestervang"
AGE = 12


def seed() -> None:
    municipality = Municipality.objects.get(name="Glostrup")
    if YoungPerson.objects.filter(municipality=municipality, full_name=REGISTERED).exists():
        return
    users = {user.email: user for user in User.objects.filter(email__endswith="@demo.ssp")}
    category = municipality.concern_categories.get(name="Mistrivsel")
    born = _birth_date(AGE)
    registered = services.young_person_find_or_create(
        municipality=municipality,
        full_name=REGISTERED,
        birth_date=born,
        school=Unit.objects.get(municipality=municipality, name=SCHOOL),
        school_class="6.b",
        created_by=users["leder@demo.ssp"],
    )
    first = services.concern_submit(
        author=users["leder@demo.ssp"],
        municipality=municipality,
        subject_kind=SubjectKind.PERSON,
        young_person=registered,
        category=category,
        description="Græder ofte i frikvartererne og siger, at hun ikke vil hjem.",
        observed_on=_days_ago(20),
        notification_status=NotificationStatus.DONE,
        notified_by="Skolens leder",
        notified_on=_days_ago(19),
    )
    services.concern_open_case(
        concern=first,
        by=users["konsulent@demo.ssp"],
        responsible_body=Body.objects.get(municipality=municipality, name="SSP-team Vestervang"),
        level=PreventionLevel.INDIVIDUAL,
        prevention_kind=PreventionKind.REACTIVE,
    )
    again = services.young_person_find_or_create(
        municipality=municipality,
        full_name=AGAIN,
        birth_date=born,
        created_by=users["klub@demo.ssp"],
    )
    services.concern_submit(
        author=users["klub@demo.ssp"],
        municipality=municipality,
        subject_kind=SubjectKind.PERSON,
        young_person=again,
        category=category,
        description="Sidder alene i klubben hele aftenen og vil ikke tale med nogen.",
        observed_on=_days_ago(2),
        notification_status=NotificationStatus.WILL_BE_DONE,
    )


def _days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)
