"""Projects and annual plans: a body's projects, its year plan built from them and from the
activities of the year, and the plan's approval at one of the body's meetings.

The SSP-Følgegruppe's January approval of the municipality's teaching and activity plan is
one case of it: an annual plan of the Følgegruppe for the school year that covers the school
teams, approved at a Følgegruppe meeting (`activity_plan_approve`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Body, BodyKind, Municipality
from meetings.dates import school_year_bounds
from meetings.models import Meeting, SchoolYearPlan, school_year_label
from prevention.models import AnnualPlan, Project, ProjectStatus
from prevention.services.activities import _check_body
from ssp.models import User


def _check_period(starts_on: date, ends_on: date, *, strictly: bool = False) -> None:
    if ends_on < starts_on or (strictly and ends_on == starts_on):
        raise ValidationError({"ends_on": [_("Slutdatoen skal ligge efter startdatoen.")]})


def _check_evaluation(status: str, evaluation: str) -> None:
    if evaluation.strip() and status in (ProjectStatus.PLANNED,):
        raise ValidationError(
            {"evaluation": [_("Et projekt evalueres, når det er i gang eller afsluttet.")]}
        )


@transaction.atomic
def project_create(
    *,
    body: Body,
    by: User,
    title: str,
    goal: str,
    starts_on: date,
    ends_on: date,
    budget_note: str = "",
    status: str = ProjectStatus.PLANNED,
    evaluation: str = "",
) -> Project:
    """Start a body's project: its goal and period; activities are linked to it as logged."""
    _check_body(body)
    _check_period(starts_on, ends_on)
    _check_evaluation(status, evaluation)
    return Project.objects.create(
        municipality_id=body.municipality_id,
        body=body,
        title=title.strip(),
        goal=goal.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        budget_note=budget_note.strip(),
        status=status,
        evaluation=evaluation.strip(),
        created_by=by,
    )


@transaction.atomic
def project_update(
    *,
    project: Project,
    by: User,
    title: str,
    goal: str,
    starts_on: date,
    ends_on: date,
    budget_note: str = "",
    status: str = ProjectStatus.PLANNED,
    evaluation: str = "",
) -> Project:
    """Change a project: move its period, its status, write its short evaluation."""
    _check_period(starts_on, ends_on)
    _check_evaluation(status, evaluation)
    project.title, project.goal = title.strip(), goal.strip()
    project.starts_on, project.ends_on = starts_on, ends_on
    project.budget_note, project.status = budget_note.strip(), status
    project.evaluation = evaluation.strip()
    project.save()
    return project


@transaction.atomic
def plan_create(
    *,
    body: Body,
    by: User,
    title: str,
    starts_on: date,
    ends_on: date,
    summary: str = "",
    covers: Sequence[Body] = (),
) -> AnnualPlan:
    """Draw up a body's year plan for a period. Its content is the body's projects and the
    activities of the period (its own and those of the bodies it covers), read when shown."""
    _check_body(body)
    _check_period(starts_on, ends_on, strictly=True)
    if any(other.municipality_id != body.municipality_id for other in covers):
        raise ValidationError({"covers": [_("Planen kan kun omfatte organer i samme kommune.")]})
    if AnnualPlan.objects.filter(body=body, starts_on=starts_on).exists():
        raise ValidationError(
            {"starts_on": [_("Organet har allerede en årsplan, der begynder denne dag.")]}
        )
    plan = AnnualPlan.objects.create(
        body=body,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        summary=summary.strip(),
        created_by=by,
    )
    plan.covers.set([other for other in covers if other.pk != body.pk])
    return plan


def _check_meeting(plan: AnnualPlan, meeting: Meeting, body_name: str) -> None:
    if meeting.body_id != plan.body_id:
        raise ValidationError(
            {"meeting": [_("Planen godkendes på et møde i %(body)s.") % {"body": body_name}]}
        )
    if meeting.is_cancelled:
        raise ValidationError({"meeting": [_("Mødet er aflyst.")]})
    if timezone.localdate(meeting.starts_at) > plan.ends_on:
        raise ValidationError({"meeting": [_("Mødet ligger efter planens periode.")]})


@transaction.atomic
def plan_approve(*, plan: AnnualPlan, meeting: Meeting, by: User, note: str = "") -> AnnualPlan:
    """Record that the body approved its plan at one of its meetings; once only."""
    locked = AnnualPlan.objects.select_for_update().select_related("body").get(pk=plan.pk)
    if locked.is_approved:
        raise ValidationError(_("Planen er allerede godkendt."))
    # As the meeting stands now: it may have been cancelled since the form was shown.
    meeting = Meeting.objects.get(pk=meeting.pk)
    _check_meeting(locked, meeting, locked.body.name)
    locked.approval_meeting = meeting
    locked.approval_note = note.strip()
    locked.approved_by = by
    locked.approved_at = timezone.now()
    locked.save(update_fields=["approval_meeting", "approval_note", "approved_by", "approved_at"])
    return locked


def activity_plan_title(school_year: int) -> str:
    return _("Undervisnings- og aktivitetsplan %(year)s") % {"year": school_year_label(school_year)}


@transaction.atomic
def activity_plan_approve(
    *, municipality: Municipality, school_year: int, meeting: Meeting, by: User, note: str = ""
) -> AnnualPlan:
    """Record that the SSP-Følgegruppe approved the municipality's teaching and activity plan
    for a school year at one of its meetings: the Følgegruppe's annual plan for the school
    year, covering the school teams, drawn up if it is not yet."""
    label = school_year_label(school_year)
    first, last = school_year_bounds(school_year)
    group = Body.objects.filter(municipality=municipality, kind=BodyKind.FOELGEGRUPPE).first()
    if group is None or meeting.body_id != group.pk:
        raise ValidationError(
            {"meeting": [_("Planen godkendes på et møde i kommunens SSP-Følgegruppe.")]}
        )
    if not first <= timezone.localdate(meeting.starts_at) <= last:
        raise ValidationError(
            {"meeting": [_("Mødet skal ligge i skoleåret %(year)s.") % {"year": label}]}
        )
    if not SchoolYearPlan.objects.filter(
        body__municipality=municipality, school_year=school_year
    ).exists():
        raise ValidationError(
            _("Ingen skoler har lagt en plan for %(year)s endnu.") % {"year": label}
        )
    Body.objects.select_for_update().filter(pk=group.pk).first()  # one approver at a time
    plan = AnnualPlan.objects.filter(body=group, starts_on=first).first()
    if plan is None:
        plan = plan_create(
            body=group,
            by=by,
            title=activity_plan_title(school_year),
            starts_on=first,
            ends_on=last,
            covers=list(Body.objects.filter(municipality=municipality, kind=BodyKind.SCHOOL_TEAM)),
        )
    elif plan.is_approved:
        raise ValidationError(_("Planen for %(year)s er allerede godkendt.") % {"year": label})
    return plan_approve(plan=plan, meeting=meeting, by=by, note=note)
