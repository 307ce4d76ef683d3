"""Selectors for the person choosers on a case's forms: who may be offered as a share's
recipient, the coordinator, an ad-hoc member or the person responsible for an action.

Every chooser offers people of the case's municipality with their sector and unit (the forms
label and group them, `cases.forms.people`), and never an administrator without a case role:

- An **administrator** is an account that administers rather than does SSP work: an
  administrator of the case's municipality (`Affiliation.is_administrator`), or an account with
  access to Django admin (`is_staff`) or superuser status.
- A **case role** in the municipality is one of: being one of its SSP consultants
  (`Affiliation.is_ssp_consultant`), holding a seat in one of its bodies that handle cases (a
  school team, the §115 group, a body of a type that handles cases, an ad-hoc group:
  `CASE_BODIES`), or coordinating one of its cases (`Case.coordinator`). A seat in a council
  or the SSP-Forum is not a case role.

Administration and case work are kept apart (docs/legal.md): the municipality's IT staff are
not offered a child's case, even by mistake, unless they also do case work there.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from cases import permissions
from cases.models import Case
from forum.models import Affiliation, BodyKind, Membership, Person, case_handling_q
from ssp.models import User

# The bodies whose seats are a case role: those that can be responsible for a case, and the
# ad-hoc groups formed around one.
CASE_BODIES = case_handling_q("body__") | Q(body__kind=BodyKind.AD_HOC)


def _case_role(municipality_id: int, user: OuterRef) -> Q:
    """The condition "`user` has a case role in the municipality" (see the module docstring)."""
    consultant = Affiliation.objects.filter(
        municipality_id=municipality_id, user=user, is_ssp_consultant=True
    )
    seat = Membership.objects.filter(
        CASE_BODIES, body__municipality_id=municipality_id, person__user=user
    )
    coordinates = Case.objects.filter(municipality_id=municipality_id, coordinator=user)
    return Q(Exists(consultant)) | Q(Exists(seat)) | Q(Exists(coordinates))


def administrators_without_case_role(municipality_id: int) -> QuerySet[User]:
    """The accounts of the municipality that administer and have no case role in it: never
    offered by a chooser on one of its cases."""
    administers = Affiliation.objects.filter(
        municipality_id=municipality_id, user=OuterRef("pk"), is_administrator=True
    )
    return (
        User.objects.filter(affiliations__municipality_id=municipality_id)
        .filter(Q(Exists(administers)) | Q(is_staff=True) | Q(is_superuser=True))
        .exclude(_case_role(municipality_id, OuterRef("pk")))
    )


def _with_unit(users: QuerySet[User], municipality_id: int) -> QuerySet[User]:
    """Each user with `chooser_unit`: the name of their unit in the municipality's directory
    (empty if they have none), in the same query."""
    unit = Person.objects.filter(user=OuterRef("pk"), municipality_id=municipality_id).values(
        "unit__name"
    )[:1]
    return users.annotate(chooser_unit=Subquery(unit))


def share_recipients(case: Case) -> QuerySet[User]:
    """The people a case may be shared with: active users of its municipality, not the
    administrators without a case role."""
    municipality_id = case.municipality_id
    users = (
        User.objects.filter(is_active=True, affiliations__municipality_id=municipality_id)
        .exclude(pk__in=administrators_without_case_role(municipality_id).values("pk"))
        .order_by("full_name", "pk")
    )
    return _with_unit(users, municipality_id)


def coordinator_candidates(case: Case) -> QuerySet[User]:
    """Who may coordinate a case (and so read it under R3): a share recipient whose own sector
    already handles the child."""
    return share_recipients(case).filter(sector__in=permissions.HANDLING_SECTORS)


def _directory(case: Case) -> QuerySet[Person]:
    """The municipality's directory without the administrators' entries and without people
    whose login is switched off; external contacts without a login stay."""
    return (
        Person.objects.filter(municipality_id=case.municipality_id)
        .filter(Q(user__isnull=True) | Q(user__is_active=True))
        .exclude(user__in=administrators_without_case_role(case.municipality_id).values("pk"))
        .select_related("unit", "user")
        .order_by("full_name", "pk")
    )


def adhoc_candidates(case: Case) -> QuerySet[Person]:
    """The people who may join the case's ad-hoc group: the directory, not those already in
    the group."""
    people = _directory(case)
    if case.adhoc_group_id:
        people = people.exclude(memberships__body_id=case.adhoc_group_id)
    return people


def adhoc_coordinator_candidates(case: Case) -> QuerySet[Person]:
    """The people who may coordinate the ad-hoc group, and so the case: directory entries whose
    login may coordinate it (`coordinator_candidates`)."""
    return _directory(case).filter(user__in=coordinator_candidates(case).values("pk"))


def action_responsibles(case: Case) -> QuerySet[Person]:
    """Who may be made responsible for an action: the directory, external contacts included
    (a housing caretaker can own an action)."""
    return _directory(case)
