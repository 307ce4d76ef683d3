"""The case's coordinator (tovholder), who is also its ad-hoc group's coordinator.

One source of truth: `Case.coordinator`. The coordinator's seat in the ad-hoc group (the
membership role "Tovholder", which the meetings app and the reminders read) follows it: every
change of the case's coordinator moves the group's seat, and forming the group names the
case's coordinator. The coordinator reads the case under R3, so only a handling-sector user of
the municipality may be chosen (`check_coordinator`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import grants, permissions
from cases.models import Case, CaseEventKind
from cases.services._common import event_add, log_case_update, touch
from forum import services as forum_services
from forum.models import Membership, MembershipRole, Person
from ssp.models import User


def check_coordinator(coordinator: User | None, municipality_id: int) -> None:
    """The coordinator (R3 reads the case) is a handling-sector user of the municipality."""
    if coordinator is None:
        return
    if (
        not coordinator.is_active
        or coordinator.sector not in permissions.HANDLING_SECTORS
        or not coordinator.municipalities.filter(pk=municipality_id).exists()
    ):
        raise ValidationError(
            {
                "coordinator": [
                    _(
                        "Tovholderen skal arbejde i kommunen i en sektor, der selv behandler "
                        "sagen: skole, socialforvaltning, PPR, sundhed, fritid og klub eller "
                        "SSP-sekretariatet."
                    )
                ]
            }
        )


def _directory_entry(case: Case, coordinator: User) -> Person:
    person = Person.objects.filter(municipality_id=case.municipality_id, user=coordinator).first()
    if person is None:
        raise ValidationError(
            {
                "coordinator": [
                    _(
                        "%(name)s står ikke i kommunens aktøroversigt og kan derfor ikke have "
                        "en plads i ad hoc-gruppen. Bed en administrator om at oprette personen."
                    )
                    % {"name": coordinator.full_name}
                ]
            }
        )
    return person


def group_coordinator_sync(*, case: Case, by: User) -> None:
    """Give the case's coordinator the coordinator's seat in its ad-hoc group, and make whoever
    held it an ordinary member (they stay in the group: leaving it is a choice of its own).

    The role changes are made as the system's (`by=None`): they follow a change of the case's
    coordinator that the calling service has checked against R3 and logged, and they widen
    nobody's access (a new seat is given as `by`, logged and told to the consultants).
    """
    if case.adhoc_group_id is None:
        return
    if case.coordinator_id is None:
        raise ValidationError(
            {
                "coordinator": [
                    _(
                        "Sagen har en ad hoc-gruppe, og gruppen skal have en tovholder. Vælg en "
                        "ny tovholder, eller luk gruppen først."
                    )
                ]
            }
        )
    person = _directory_entry(case, case.coordinator)
    seats = list(Membership.objects.filter(body_id=case.adhoc_group_id).select_related("person"))
    for seat in seats:
        if seat.person_id != person.pk and seat.role == MembershipRole.COORDINATOR:
            forum_services.membership_change_role(
                membership=seat, role=MembershipRole.MEMBER, by=None
            )
    own = next((seat for seat in seats if seat.person_id == person.pk), None)
    if own is None:
        forum_services.membership_add(
            body=case.adhoc_group, person=person, role=MembershipRole.COORDINATOR, by=by
        )
    elif own.role != MembershipRole.COORDINATOR:
        forum_services.membership_change_role(
            membership=own, role=MembershipRole.COORDINATOR, by=None
        )


def coordinator_apply(*, case: Case, by: User, coordinator: User | None) -> dict | None:
    """Make `coordinator` the case's coordinator and its group's, unsaved grants aside: the
    caller saves the case's other fields, syncs the grants and writes the timeline. Returns the
    timeline's field change (coordinator: old name → new name), or None when nothing changed."""
    check_coordinator(coordinator, case.municipality_id)
    old = case.coordinator if case.coordinator_id else None
    if (old.pk if old else None) == (coordinator.pk if coordinator else None):
        return None
    case.coordinator = coordinator
    case.save(update_fields=["coordinator"])
    group_coordinator_sync(case=case, by=by)
    return {
        "field": "coordinator",
        "old": old.full_name if old else None,
        "new": coordinator.full_name if coordinator else None,
    }


@transaction.atomic
def case_coordinator_change(*, case: Case, by: User, coordinator: User) -> Case:
    """Choose a new coordinator for the case and its ad-hoc group in one step: the old one
    loses R3 (and stays in the group as a member), the new one reads the case under R3 and
    holds the group's coordinator seat. On the timeline and in the access log."""
    change = coordinator_apply(case=case, by=by, coordinator=coordinator)
    if not change:
        return case
    grants.sync_case_grants(case)
    event_add(case, CaseEventKind.DETAILS, by, "details", changes=[change])
    touch(case)
    log_case_update(case, by)
    return case
