"""Projects and annual plans: a project with its activities and evaluation, a body's year plan
built from its projects and the activities of the period, approved at one of its meetings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from forum.models import Body
from meetings import services as meeting_services
from meetings.models import Meeting
from prevention import selectors, services
from prevention.models import ActivityKind, AnnualPlan, ProjectStatus
from prevention.services import ActivityData
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _udvalg() -> Body:
    return Body.objects.get(name="SSP-Udvalget i Glostrup")


def _meeting(body: Body, day: date, personas: Personas) -> Meeting:
    return meeting_services.meeting_create(
        body=body,
        organiser=personas.consultant,
        title="Møde om årsplanen",
        starts_at=timezone.make_aware(datetime.combine(day, time(14))),
        ends_at=timezone.make_aware(datetime.combine(day, time(16))),
        notify=False,
    )


def test_a_project_gathers_its_activities_and_is_evaluated(
    client: Client, personas: Personas
) -> None:
    body = _udvalg()
    today = timezone.localdate()
    client.force_login(personas.consultant)

    created = client.post(
        f"/forebyggelse/organ/{body.pk}/projekt/ny/",
        {
            "title": "Tryg skolevej",
            "goal": "Færre konflikter på vej hjem fra skole.",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=120)).isoformat(),
            "budget_note": "10.000 kr.",
            "status": ProjectStatus.RUNNING,
        },
    )
    project = body.prevention_projects.get(title="Tryg skolevej")
    form = client.get(f"/forebyggelse/organ/{body.pk}/aktivitet/ny/?projekt={project.pk}")
    for title, pupils in [("Cykelhjelme og lys", 40), ("Skolepatrulje", 25)]:
        services.activity_create(
            body=body,
            by=personas.consultant,
            data=ActivityData(
                kind=ActivityKind.CAMPAIGN,
                title=title,
                planned_on=today,
                project=project,
                pupils=pupils,
            ),
            done=True,
        )
    evaluated = client.post(
        f"/forebyggelse/projekt/{project.pk}/rediger/",
        {
            "title": "Tryg skolevej",
            "goal": "Færre konflikter på vej hjem fra skole.",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=120)).isoformat(),
            "status": ProjectStatus.DONE,
            "evaluation": "Godt modtaget; gentages næste år.",
        },
    )
    page = client.get(f"/forebyggelse/projekt/{project.pk}/").content.decode()

    assert created.status_code == 302
    assert f'<option value="{project.pk}" selected>' in form.content.decode()
    assert evaluated.status_code == 302
    project.refresh_from_db()
    assert (project.status, project.evaluation) == (
        ProjectStatus.DONE,
        "Godt modtaget; gentages næste år.",
    )
    assert "Cykelhjelme og lys" in page
    assert "Skolepatrulje" in page
    assert selectors.tally(project.activities.all()).pupils == 65


def test_a_project_ends_after_it_starts_and_is_evaluated_once_begun(personas: Personas) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as backwards:
        services.project_create(
            body=_udvalg(),
            by=personas.consultant,
            title="Baglæns",
            goal="x",
            starts_on=today,
            ends_on=today - timedelta(days=1),
        )
    with pytest.raises(ValidationError) as early:
        services.project_create(
            body=_udvalg(),
            by=personas.consultant,
            title="Tidligt",
            goal="x",
            starts_on=today,
            ends_on=today,
            evaluation="Allerede evalueret",
        )
    assert set(backwards.value.message_dict) == {"ends_on"}
    assert set(early.value.message_dict) == {"evaluation"}


def test_a_bodys_annual_plan_is_built_from_its_work_and_approved_in_its_meeting(
    client: Client, personas: Personas
) -> None:
    body = _udvalg()
    today = timezone.localdate()
    forum = Body.objects.get(name="SSP-Forum Glostrup")
    client.force_login(personas.consultant)
    services.project_create(
        body=body,
        by=personas.consultant,
        title="Forældrecaféer",
        goal="Forældre mødes.",
        starts_on=today,
        ends_on=today + timedelta(days=60),
    )
    services.activity_create(
        body=forum,
        by=personas.consultant,
        data=ActivityData(
            kind=ActivityKind.NETWORK_MEETING, title="Netværk i forummet", planned_on=today
        ),
    )

    created = client.post(
        f"/forebyggelse/organ/{body.pk}/aarsplan/ny/",
        {
            "title": "Årsplan for udvalget",
            "starts_on": (today - timedelta(days=10)).isoformat(),
            "ends_on": (today + timedelta(days=355)).isoformat(),
            "summary": "Forældre og netværk.",
            "covers": [forum.pk],
        },
    )
    plan = AnnualPlan.objects.get(title="Årsplan for udvalget")
    meeting = _meeting(body, today + timedelta(days=3), personas)
    page = client.get(plan.get_absolute_url()).content.decode()
    approved = client.post(
        f"/forebyggelse/aarsplan/{plan.pk}/godkend/", {"meeting": meeting.pk, "note": "Enig"}
    )
    again = client.post(f"/forebyggelse/aarsplan/{plan.pk}/godkend/", {"meeting": meeting.pk})

    assert created.status_code == 302
    assert "Forældrecaféer" in page
    assert "Netværk i forummet" in page
    assert "Planen er ikke godkendt endnu." in page
    assert f'<option value="{meeting.pk}">' in page
    assert approved.status_code == 302
    assert again.status_code == 302
    plan.refresh_from_db()
    assert (plan.approval_meeting, plan.approved_by, plan.approval_note) == (
        meeting,
        personas.consultant,
        "Enig",
    )
    shown = client.get(plan.get_absolute_url()).content.decode()
    assert "Godkendt på »Møde om årsplanen«" in shown


def test_a_plan_is_approved_only_in_a_meeting_of_its_own_body(personas: Personas) -> None:
    today = timezone.localdate()
    plan = services.plan_create(
        body=_udvalg(),
        by=personas.consultant,
        title="Plan",
        starts_on=today,
        ends_on=today + timedelta(days=30),
    )
    elsewhere = _meeting(
        Body.objects.get(name="SSP-Forum Glostrup"), today + timedelta(days=1), personas
    )
    too_late = _meeting(_udvalg(), today + timedelta(days=60), personas)
    cancelled = _meeting(_udvalg(), today + timedelta(days=2), personas)
    meeting_services.meeting_cancel(meeting=cancelled, by=personas.consultant, reason="Syg")

    for meeting, message in [
        (elsewhere, "Planen godkendes på et møde i SSP-Udvalget i Glostrup."),
        (too_late, "Mødet ligger efter planens periode."),
        (cancelled, "Mødet er aflyst."),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.plan_approve(plan=plan, meeting=meeting, by=personas.consultant)
        assert refused.value.message_dict["meeting"] == [message]
    plan.refresh_from_db()
    assert not plan.is_approved


def test_the_demo_council_action_plan_is_approved_and_counts_a_year_of_work(
    personas: Personas,
) -> None:
    plan = AnnualPlan.objects.get(body__name="Lokalrådet i Glostrup")
    contents = selectors.plan_contents(plan)

    assert plan.is_approved
    assert contents.tally.activities >= 100
    assert {label for label, _n in contents.tally.by_kind} >= {"Gadeplansrunde", "Netværksmøde"}
    assert any(project.title == "Tryg i Byparken" for project in contents.projects)
