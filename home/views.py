"""The front page ("my page"): meetings on top of case work and the organisation. It only reads
the apps below it, through their selectors and permissions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases import permissions as case_permissions
from cases import selectors as case_selectors
from forum import selectors as forum_selectors
from forum.models import BodyKind
from home import selectors
from meetings import selectors as meeting_selectors
from meetings.views.meetings import FOLD_BODIES_OVER
from ssp.audit import Shown, audit_shown

DASHBOARD_LIST_SIZE = 10


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs the user's attention today."""
    user = request.user
    # One read for the triage queue and for the menu's `triages_anywhere` (kept on the user:
    # the access log is the consultants' page), which is whether there are any.
    triaged = case_permissions.triaged_municipality_pks(user)
    memberships = list(forum_selectors.memberships_of(user))
    ad_hoc = [m for m in memberships if m.body.kind == BodyKind.AD_HOC]
    context = {
        "affiliations": forum_selectors.affiliations_of(user),
        # Standing bodies first; the ad-hoc groups around one child each (a police officer
        # can be in a hundred) after them, folded away when there are many, as on Mine møder.
        "memberships": [m for m in memberships if m.body.kind != BodyKind.AD_HOC],
        "ad_hoc_memberships": ad_hoc,
        "ad_hoc_folded": len(ad_hoc) > FOLD_BODIES_OVER,
        "upcoming_meetings": meeting_selectors.soonest_meetings(user, limit=5),
        "case_counts": selectors.case_counts(user=user),
        "follow_ups": list(selectors.follow_ups_due(user=user)[:DASHBOARD_LIST_SIZE]),
        "open_actions": list(selectors.my_open_actions(user=user)[:DASHBOARD_LIST_SIZE]),
        "unassigned_actions": list(
            selectors.unassigned_actions_to_coordinate(user=user)[:DASHBOARD_LIST_SIZE]
        ),
        "open_tasks": list(selectors.open_tasks(user)[:DASHBOARD_LIST_SIZE]),
        "notification_tasks": list(
            selectors.open_notification_tasks(user=user)[:DASHBOARD_LIST_SIZE]
        ),
        "triage_queue": list(
            case_selectors.triage_queue(user=user, municipality_ids=triaged)[:DASHBOARD_LIST_SIZE]
        )
        if triaged
        else None,
        "team_concerns": list(
            case_selectors.concerns_for_my_teams(user=user)[:DASHBOARD_LIST_SIZE]
        ),
        "can_log_concern": case_permissions.can_log_concern(user),
    }
    # The lists name young people (or, for a task, come from a meeting about one): one log
    # row per municipality names everyone the page showed.
    audit_shown(user=user, object_type="home.dashboard", shown=_shown(context))
    return render(request, "home/dashboard.html", context)


def _shown(context: dict) -> list[Shown]:
    actions = [*context["open_actions"], *context["unassigned_actions"]]
    cases = [*context["follow_ups"], *(action.case for action in actions)]
    cases += [task.decision.item.case for task in context["open_tasks"] if task.decision.item.case]
    concerns = [*(context["triage_queue"] or ()), *context["team_concerns"]]
    return [(case.municipality_id, case.young_person_id) for case in cases] + [
        (concern.municipality_id, concern.young_person_id) for concern in concerns
    ]
