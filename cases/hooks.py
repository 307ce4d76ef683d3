"""What the cases app tells the organisation (`forum.access`) about who reads cases.

- A body reads cases when its members do: the school teams, §115 groups and bodies of a type
  that may handle cases, which cases are opened under (also before their first case), a
  case's ad-hoc group, and any body holding a grant on a case (the responsible body, the
  ad-hoc group, a recipient of a share or basis).
  For one user, a seat widens their access when the body reads a case they cannot read today.
- A body type stops handling cases only while none of its bodies is responsible for one.
- An ad-hoc group is seen only by the readers of its case; one whose case is gone (erased,
  its meetings kept), by its own members.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cases.models import Case, CaseGroupObjectPermission
from cases.permissions import VIEW_CASE, AnyUser, can_triage, cases_visible_to
from forum import access
from forum.models import Body, BodyKind
from ssp.models import User


def _cases_read_through(body: Body) -> QuerySet[Case]:
    grants = CaseGroupObjectPermission.objects.filter(
        group_id=body.group_id, permission__codename=VIEW_CASE
    ).values("content_object_id")
    return Case.objects.filter(Q(responsible_body=body) | Q(adhoc_group=body) | Q(pk__in=grants))


def body_reads_cases(body: Body, unread_by: User | None) -> bool:
    if unread_by is None:
        if body.handles_cases or body.kind == BodyKind.AD_HOC:
            return True
        return body.pk is not None and _cases_read_through(body).exists()
    # Cases are opened under it: its members read the cases to come as well.
    if body.handles_cases and not can_triage(unread_by, body.municipality_id):
        # The cases opened under it tomorrow, which its consultants read already.
        return True
    if body.pk is None:
        return False
    return (
        _cases_read_through(body).exclude(pk__in=cases_visible_to(unread_by).values("pk")).exists()
    )


def adhoc_groups_visible_to(user: AnyUser) -> QuerySet:
    """The ids of the ad-hoc groups the user may see, as one subquery."""
    readable = (
        cases_visible_to(user).filter(adhoc_group__isnull=False).order_by().values("adhoc_group_id")
    )
    if not user.is_authenticated:
        return readable
    orphaned = (
        Body.objects.filter(
            kind=BodyKind.AD_HOC, adhoc_case__isnull=True, memberships__person__user=user
        )
        .order_by()
        .values("pk")
    )
    return readable.union(orphaned)


def bodies_responsible_for_cases(bodies: QuerySet[Body]) -> bool:
    return Case.objects.filter(responsible_body__in=bodies).exists()


def register() -> None:
    access.case_reading_body_register(body_reads_cases)
    access.case_responsibility_register(bodies_responsible_for_cases)
    access.body_visibility_register(BodyKind.AD_HOC, adhoc_groups_visible_to)
