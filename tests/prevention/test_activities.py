"""Logging prevention work: an activity with its reach, done only on or after its date, the
street-level log and the counselling log (no names; a concern leads on to the concern form),
and the school teams' year wheel stored here for the meetings app."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from forum.models import Body, Person, Unit
from meetings.hooks import year_wheel
from meetings.models import SchoolYearPlan
from prevention import services
from prevention.models import Activity, ActivityKind, AskedBy, CounsellingOutcome
from prevention.services import ActivityData
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _team() -> Body:
    return Body.objects.get(name="SSP-team Vestervang")


def test_a_member_logs_a_done_activity_with_its_reach(client: Client, personas: Personas) -> None:
    team = _team()
    school = Unit.objects.get(name="Glostrup Skole, afdeling Vestervang")
    sara = Person.objects.get(full_name="Sara Skov")
    client.force_login(personas.social)

    response = client.post(
        f"/forebyggelse/organ/{team.pk}/aktivitet/ny/",
        {
            "kind": ActivityKind.TEACHING,
            "title": "Sociale medier i 6.b",
            "planned_on": timezone.localdate().isoformat(),
            "prevention_kind": "proactive",
            "level": "general",
            "age_band": "children",
            "grade": "6. klasse",
            "school": school.pk,
            "people": [sara.pk],
            "pupils": "24",
            "professionals": "2",
            "done": "on",
        },
    )

    activity = Activity.objects.get(title="Sociale medier i 6.b")
    assert response.status_code == 302
    assert response["Location"] == f"/forebyggelse/aktivitet/{activity.pk}/"
    assert (activity.body, activity.municipality_id, activity.school) == (
        team,
        team.municipality_id,
        school,
    )
    assert (activity.pupils, activity.parents, activity.professionals, activity.reach) == (
        24,
        0,
        2,
        26,
    )
    assert activity.is_done
    assert activity.done_by == personas.social
    assert list(activity.people.all()) == [sara]
    assert activity.created_by == personas.social


def test_an_activity_cannot_be_done_before_its_date(client: Client, personas: Personas) -> None:
    team = _team()
    next_week = timezone.localdate() + timedelta(days=7)
    client.force_login(personas.leader)

    response = client.post(
        f"/forebyggelse/organ/{team.pk}/aktivitet/ny/",
        {
            "kind": ActivityKind.PARENT_MEETING,
            "title": "Forældremøde i næste uge",
            "planned_on": next_week.isoformat(),
            "prevention_kind": "proactive",
            "level": "general",
            "parents": "30",
            "done": "on",
        },
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "En aktivitet kan først markeres som gennemført på eller efter sin dato" in page
    assert 'value="Forældremøde i næste uge"' in page, "the input is kept"
    assert not Activity.objects.filter(title="Forældremøde i næste uge").exists()


def test_a_planned_activity_is_marked_done_on_its_day_not_before(personas: Personas) -> None:
    today = timezone.localdate()
    planned = services.activity_create(
        body=_team(),
        by=personas.leader,
        data=ActivityData(kind=ActivityKind.THEME_DAY, title="Temadag", planned_on=today),
    )
    ahead = services.activity_create(
        body=_team(),
        by=personas.leader,
        data=ActivityData(
            kind=ActivityKind.THEME_DAY, title="Senere", planned_on=today + timedelta(days=1)
        ),
    )

    done = services.activity_mark_done(activity=planned, by=personas.club, reach={"pupils": 80})
    with pytest.raises(ValidationError) as refused:
        services.activity_mark_done(activity=ahead, by=personas.club)

    assert (done.is_done, done.pupils, done.done_by, done.sequence) == (True, 80, personas.club, 1)
    assert "først markeres som gennemført" in refused.value.messages[0]
    ahead.refresh_from_db()
    assert not ahead.is_done
    # Done twice is done once: the second click changes nothing.
    again = services.activity_mark_done(activity=done, by=personas.leader, reach={"pupils": 1})
    assert (again.pupils, again.done_by, again.sequence) == (80, personas.club, 1)


def test_the_detail_page_offers_done_only_when_the_day_has_come(
    client: Client, personas: Personas
) -> None:
    ahead = services.activity_create(
        body=_team(),
        by=personas.leader,
        data=ActivityData(
            kind=ActivityKind.COURSE,
            title="Kursus om en måned",
            planned_on=timezone.localdate() + timedelta(days=30),
        ),
    )
    client.force_login(personas.leader)

    page = client.get(f"/forebyggelse/aktivitet/{ahead.pk}/").content.decode()
    posted = client.post(f"/forebyggelse/aktivitet/{ahead.pk}/gennemfoert/", {})

    assert "kan markeres som gennemført fra" in page
    assert "Marker som gennemført" not in page
    assert posted.status_code == 422
    ahead.refresh_from_db()
    assert not ahead.is_done


def test_an_activity_names_nobody_from_another_municipality(personas: Personas) -> None:
    stranger = Person.objects.filter(municipality__code="165").first()
    assert stranger is not None

    with pytest.raises(ValidationError) as refused:
        services.activity_create(
            body=_team(),
            by=personas.leader,
            data=ActivityData(
                kind=ActivityKind.TEACHING,
                title="Med en fremmed",
                planned_on=timezone.localdate(),
                responsible=stranger,
                people=[stranger],
            ),
        )

    assert set(refused.value.message_dict) == {"responsible", "people"}


def test_a_street_round_is_logged_and_the_form_is_ready_for_the_next(
    client: Client, personas: Personas
) -> None:
    aktivitetsgruppen = Body.objects.get(name="Aktivitetsgruppen")
    client.force_login(personas.club)
    today = timezone.localdate()

    response = client.post(
        "/forebyggelse/gadeplan/",
        {
            "body": aktivitetsgruppen.pk,
            "planned_on": today.isoformat(),
            "time_of_day": "21:30",
            "place": "Stationen",
            "young_people": "12",
            "mood": "tense",
            "issues": ["alcohol", "conflict"],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/forebyggelse/gadeplan/"
    entry = Activity.objects.filter(kind=ActivityKind.STREET_ROUND).latest("pk")
    assert (entry.body, entry.place, entry.young_people, entry.mood, entry.issues) == (
        aktivitetsgruppen,
        "Stationen",
        12,
        "tense",
        ["alcohol", "conflict"],
    )
    assert (entry.planned_on, entry.time_of_day, entry.is_done) == (today, time(21, 30), True)
    page = client.get("/forebyggelse/gadeplan/").content.decode()
    assert "Runden ved Stationen er gemt" in page
    assert '<option value="Stationen">' in page, "the place is offered next time"


def test_a_street_round_cannot_be_logged_ahead(personas: Personas) -> None:
    with pytest.raises(ValidationError):
        services.street_round_log(
            body=Body.objects.get(name="Aktivitetsgruppen"),
            by=personas.club,
            planned_on=timezone.localdate() + timedelta(days=1),
            time_of_day=None,
            place="Byparken",
            young_people=3,
        )


def test_counselling_counts_who_asked_and_a_concern_leads_to_the_concern_form(
    client: Client, personas: Personas
) -> None:
    forum = Body.objects.get(name="SSP-Forum Glostrup")
    client.force_login(personas.consultant)

    advice = client.post(
        "/forebyggelse/raadgivning/",
        {
            "body": forum.pk,
            "planned_on": timezone.localdate().isoformat(),
            "asked_by": AskedBy.PARENT,
            "topic": "digital",
            "outcome": CounsellingOutcome.ADVICE,
        },
    )
    concern = client.post(
        "/forebyggelse/raadgivning/",
        {
            "body": forum.pk,
            "planned_on": timezone.localdate().isoformat(),
            "asked_by": AskedBy.PROFESSIONAL,
            "topic": "crime",
            "outcome": CounsellingOutcome.CONCERN,
        },
    )

    assert advice["Location"] == "/forebyggelse/raadgivning/"
    logged = Activity.objects.filter(kind=ActivityKind.COUNSELLING).order_by("-pk")[:2]
    became, asked = list(logged)
    assert (asked.parents, asked.professionals, asked.topic) == (1, 0, "digital")
    assert (became.professionals, became.outcome) == (1, CounsellingOutcome.CONCERN)
    assert concern["Location"] == f"/forebyggelse/aktivitet/{became.pk}/"
    page = client.get(concern["Location"]).content.decode()
    assert "Rådgivningen blev til en bekymring" in page
    assert 'href="/bekymringer/ny/"' in page


def test_the_year_wheel_of_a_school_plan_is_kept_here(personas: Personas) -> None:
    plan = SchoolYearPlan.objects.filter(activities__isnull=False).distinct().first()
    assert plan is not None, "the demo has year plans with activities"
    wheel = year_wheel()

    activities = list(wheel.of_plan(plan))
    counts = wheel.counts([plan.pk])

    assert activities
    assert all(a.body_id == plan.body_id for a in activities)
    assert counts[plan.pk] == (len(activities), sum(a.is_done for a in activities))
    assert [a.planned_on for a in activities] == sorted(a.planned_on for a in activities)


def test_the_year_plan_page_ticks_off_an_activity_through_prevention(
    client: Client, personas: Personas
) -> None:
    activity = Activity.objects.filter(
        plan__body__name="SSP-team Nordvang", done_at__isnull=True
    ).first()
    assert activity is not None
    Activity.objects.filter(pk=activity.pk).update(
        planned_on=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(personas.social)
    plan_page = f"/moeder/organ/{activity.body_id}/aarsplan/?aar={activity.plan.school_year}"

    page = client.get(plan_page).content.decode()
    response = client.post(activity.done_url, {"next": plan_page})

    assert f'action="{activity.done_url}"' in page
    assert response.status_code == 302
    assert response["Location"] == plan_page
    activity.refresh_from_db()
    assert activity.is_done
