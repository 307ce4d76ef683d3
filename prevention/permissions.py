"""Who reads and writes a body's prevention work.

A body's activities, projects and annual plans are read by its members, by the SSP consultants
of its municipality and by the municipality's administrators. They are written (an activity
logged, a street round or a counselling session noted) by the body's members and the
consultants; a project or an annual plan is kept by the body's leads (chair, coordinator) and
the consultants, and a plan's approval is recorded by them. Administrators read only.

An activity is changed by whoever logged it, by the consultants, and by the body's leads; a
police officer changes only the activities they logged themselves (a seat in a body lets the
police log their own prevention work there, not edit the others'). The records hold no
personal data about children, so these rules are about the organisation's work, not §115.

Only the bodies of a municipality keep prevention records: the Kredsråd (a police district's)
and the ad-hoc groups (one per case) have none, and their pages answer 404. A body the user
may not read answers 404; one they read but may not write, 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from forum.models import LEAD_ROLES, Body, BodyKind, Membership, MembershipRole, Municipality
from forum.permissions import municipalities_administered_by, triaged_municipality_ids
from meetings.permissions import municipalities_overseen_by
from prevention.models import Activity, AnnualPlan, Project
from ssp.models import Sector, User

AnyUser = User | AnonymousUser

# Bodies without prevention records of their own.
NO_PREVENTION_KINDS = (BodyKind.KREDSRAAD, BodyKind.AD_HOC)
# A guest is invited to a meeting, not part of the body's work.
WRITING_ROLES = (MembershipRole.CHAIR, MembershipRole.COORDINATOR, MembershipRole.MEMBER)


def _active(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active


def _prevention_bodies() -> QuerySet[Body]:
    return Body.objects.filter(municipality__isnull=False).exclude(kind__in=NO_PREVENTION_KINDS)


def bodies_readable_by(user: AnyUser) -> QuerySet[Body]:
    """Bodies whose prevention work the user reads, as one query over three index scans."""
    if not _active(user):
        return Body.objects.none()
    member = Membership.objects.filter(person__user=user).order_by().values("body_id")
    overseen = municipalities_administered_by(user).order_by().values("pk")
    return _prevention_bodies().filter(
        Q(pk__in=member)
        | Q(municipality__in=triaged_municipality_ids(user))
        | Q(municipality__in=overseen)
    )


def bodies_writable_by(user: AnyUser) -> QuerySet[Body]:
    """Bodies the user logs activities for: their seats (not as a guest), and every body of
    the municipalities they are SSP consultant in."""
    if not _active(user):
        return Body.objects.none()
    member = (
        Membership.objects.filter(person__user=user, role__in=WRITING_ROLES)
        .order_by()
        .values("body_id")
    )
    return _prevention_bodies().filter(
        Q(pk__in=member) | Q(municipality__in=triaged_municipality_ids(user))
    )


def bodies_led_by(user: AnyUser) -> QuerySet[Body]:
    """Bodies whose projects and annual plans the user keeps: as chair or coordinator, or as
    SSP consultant of the municipality."""
    if not _active(user):
        return Body.objects.none()
    led = (
        Membership.objects.filter(person__user=user, role__in=LEAD_ROLES)
        .order_by()
        .values("body_id")
    )
    return _prevention_bodies().filter(
        Q(pk__in=led) | Q(municipality__in=triaged_municipality_ids(user))
    )


def body_for_user_or_404(user: AnyUser, pk: int) -> Body:
    try:
        return bodies_readable_by(user).select_related("municipality").get(pk=pk)
    except Body.DoesNotExist:
        raise Http404 from None


def can_log_for(user: AnyUser, body: Body) -> bool:
    return bodies_writable_by(user).filter(pk=body.pk).exists()


def can_lead(user: AnyUser, body: Body) -> bool:
    return bodies_led_by(user).filter(pk=body.pk).exists()


def can_mark_done(user: AnyUser, activity: Activity) -> bool:
    """Reporting that an activity took place: whoever logs for its body (the police only
    their own activities)."""
    if not _active(user):
        return False
    if user.sector == Sector.POLICE and activity.created_by_id != user.pk:
        return False
    return can_log_for(user, activity.body)


def activities_visible_to(user: AnyUser) -> QuerySet[Activity]:
    return Activity.objects.filter(body__in=bodies_readable_by(user).values("pk"))


def activity_for_user_or_404(user: AnyUser, pk: int) -> Activity:
    try:
        return (
            activities_visible_to(user)
            .select_related("body", "municipality", "school", "responsible", "project", "plan")
            .get(pk=pk)
        )
    except Activity.DoesNotExist:
        raise Http404 from None


def can_edit_activity(user: AnyUser, activity: Activity) -> bool:
    """Its author; otherwise not the police; otherwise the body's leads and consultants."""
    if not _active(user):
        return False
    if activity.created_by_id == user.pk:
        return can_log_for(user, activity.body)
    if user.sector == Sector.POLICE:
        return False
    return can_lead(user, activity.body)


def projects_visible_to(user: AnyUser) -> QuerySet[Project]:
    return Project.objects.filter(body__in=bodies_readable_by(user).values("pk"))


def project_for_user_or_404(user: AnyUser, pk: int) -> Project:
    try:
        return projects_visible_to(user).select_related("body", "created_by").get(pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None


def plans_visible_to(user: AnyUser) -> QuerySet[AnnualPlan]:
    return AnnualPlan.objects.filter(body__in=bodies_readable_by(user).values("pk"))


def plan_for_user_or_404(user: AnyUser, pk: int) -> AnnualPlan:
    try:
        return (
            plans_visible_to(user)
            .select_related("body", "created_by", "approved_by", "approval_meeting")
            .get(pk=pk)
        )
    except AnnualPlan.DoesNotExist:
        raise Http404 from None


def can_see_activity_plan(user: AnyUser, municipality: Municipality) -> bool:
    """The municipality's teaching and activity plan: its consultants and administrators, and
    the members of its SSP-Følgegruppe, who approve it."""
    if not _active(user):
        return False
    if municipalities_overseen_by(user).filter(pk=municipality.pk).exists():
        return True
    return Membership.objects.filter(
        body__municipality=municipality, body__kind=BodyKind.FOELGEGRUPPE, person__user=user
    ).exists()


def can_approve_activity_plan(user: AnyUser, municipality: Municipality) -> bool:
    """Those who keep the SSP-Følgegruppe's plans: its leads and the consultants."""
    return (
        bodies_led_by(user).filter(municipality=municipality, kind=BodyKind.FOELGEGRUPPE).exists()
    )


def can_see_org_wheel(user: AnyUser, municipality: Municipality) -> bool:
    """The organisation's year wheel: whoever reads the prevention work of one of the
    municipality's bodies (its members, consultants and administrators)."""
    return bodies_readable_by(user).filter(municipality=municipality).exists()


def can_see_readiness(user: AnyUser, municipality: Municipality) -> bool:
    """The readiness board: the municipality's SSP consultants and administrators, who book
    the forum, chase the school teams and publish the ActionCard."""
    return _active(user) and municipalities_overseen_by(user).filter(pk=municipality.pk).exists()
