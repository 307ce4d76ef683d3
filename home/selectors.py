"""Reads only the front page makes. Each starts from the visibility queryset of the app whose
rows it reads (`cases.permissions.cases_visible_to`), so the front page never counts or lists
more than the pages it links to would show."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from cases.models import Action, Case, CaseStatus, NotificationTask
from cases.permissions import cases_visible_to, municipalities_triaged_by
from meetings.models import Task
from ssp.models import User


def case_counts(*, user: User) -> dict[str, int]:
    """Open, active and follow-up counts, in one query."""
    counts = (
        cases_visible_to(user)
        .exclude(status=CaseStatus.CLOSED)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result = dict.fromkeys((CaseStatus.OPEN, CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP), 0)
    for row in counts:
        result[row["status"]] = row["n"]
    return result


def follow_ups_due(*, user: User, within_days: int = 14) -> QuerySet[Case]:
    today = timezone.localdate()
    return (
        cases_visible_to(user)
        .exclude(status=CaseStatus.CLOSED)
        .filter(follow_up_on__lte=today + timedelta(days=within_days))
        .select_related("young_person")
        .order_by("follow_up_on")
    )


def my_open_actions(*, user: User) -> QuerySet[Action]:
    """Actions the user is responsible for and has not done, on cases they may see."""
    return (
        Action.objects.filter(
            responsible__user=user,
            done_on__isnull=True,
            case__in=cases_visible_to(user).values("pk"),
        )
        .select_related("case", "case__young_person")
        .order_by(F("due_on").asc(nulls_last=True), "created_at")
    )


def unassigned_actions_to_coordinate(*, user: User) -> QuerySet[Action]:
    """Actions nobody is responsible for, not done, on the open cases the user coordinates, or,
    for a case with no coordinator, whose municipality's SSP consultant they are: whoever
    steers the case names who takes them, so no action is in nobody's list."""
    steers = Q(case__coordinator=user) | Q(
        case__coordinator__isnull=True,
        case__municipality__in=municipalities_triaged_by(user).values("pk"),
    )
    return (
        Action.objects.filter(
            steers,
            responsible__isnull=True,
            done_on__isnull=True,
            case__in=cases_visible_to(user).exclude(status=CaseStatus.CLOSED).values("pk"),
        )
        .select_related("case", "case__young_person")
        .order_by(F("due_on").asc(nulls_last=True), "created_at")
    )


def open_tasks(user: User) -> QuerySet[Task]:
    """Follow-up tasks from meetings the user is responsible for and has not done (not those
    whose case was erased: nothing is left of them to act on)."""
    return (
        Task.objects.filter(
            responsible__user=user, done_at__isnull=True, decision__item__case_erased_at=None
        )
        .filter(
            Q(decision__item__case__isnull=True)
            | Q(decision__item__case__in=cases_visible_to(user).values("pk"))
        )
        # The case, for the access log: a task under an item about a case is the young
        # person's data.
        .select_related("decision__item__meeting", "decision__item__case")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def open_notification_tasks(*, user: User) -> QuerySet[NotificationTask]:
    """Notifications under Barnets lov not yet recorded as sent: the user's own, and for a
    consultant those overdue in the municipalities they triage (whose concerns they read)."""
    today = timezone.localdate()
    return (
        NotificationTask.objects.filter(recorded_at__isnull=True)
        .filter(
            Q(responsible=user)
            | Q(
                due_on__lt=today,
                concern__municipality__in=municipalities_triaged_by(user).values("pk"),
            )
        )
        .select_related("concern")
        .order_by("due_on", "pk")
    )
