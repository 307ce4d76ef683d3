"""The Kredsråd's samarbejdsplan: a draft assembled from two municipalities' approved plans and
figures, edits kept when the data is fetched again, approval at a Kredsråd meeting, and who
may read and edit it.

Tællekredsen spans Tællekommune (the statistics' data set, `tests/reports/tally.py`) and
Nabokommune. The draft is for 2027, so its figures are those of 2026: Tællekommune has five
activities in 2026 (two done, no reach) and 13 new cases; Nabokommune two activities (one done;
40 parents, 12 professionals) and no cases.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum import services as forum_services
from forum.models import Body, BodyKind, MembershipRole, Municipality, Person
from meetings import services as meeting_services
from meetings.models import Meeting
from prevention import services as prevention_services
from prevention.models import Activity, ActivityKind, AnnualPlan
from reports import cooperation
from reports.models import CooperationPlan, SectionKind
from ssp.models import Sector, User
from tests.reports.statistics_helpers import pdf_text
from tests.reports.tally import CPH, Tally

pytestmark = pytest.mark.django_db


class World:
    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        district = tally.municipality.police_district
        self.neighbour = Municipality.objects.create(
            name="Nabokommune", code="996", police_district=district
        )
        self.neighbour_council = forum_services.body_create(
            kind=BodyKind.LOKALRAAD, name="Lokalrådet i Nabokommune", municipality=self.neighbour
        )
        self.council = tally.municipality.bodies.get(kind=BodyKind.LOKALRAAD)
        self.kredsraad = forum_services.body_create(
            kind=BodyKind.KREDSRAAD, name="Tællekredsens kredsråd", police_district=district
        )
        # Nabokommune's chair of the Kredsråd, and a Lokalråd member of Tællekommune who does
        # not sit in the Kredsråd.
        self.chair = self.user(self.neighbour, "Kaj Kreds", "kaj@test.ssp")
        self.seat(self.kredsraad, self.chair, self.neighbour, MembershipRole.CHAIR)
        self.member = self.user(self.neighbour, "Mona Medlem", "mona@test.ssp")
        self.seat(self.kredsraad, self.member, self.neighbour, MembershipRole.MEMBER)
        self.lokal = self.user(tally.municipality, "Lone Lokal", "lone@test.ssp")
        self.seat(self.council, self.lokal, tally.municipality, MembershipRole.MEMBER)
        consultant = tally.consultant
        self.handleplan = self.approved_plan(
            self.council, "Handleplan 2027", "Tryghed ved stationen.", consultant
        )
        self.aarsplan = self.approved_plan(
            self.neighbour_council, "Årsplan 2027", "Forældrenetværk i alle klasser.", consultant
        )
        # Not approved: no part of the draft.
        prevention_services.plan_create(
            body=self.neighbour_council,
            by=consultant,
            title="Udkast til plan 2027",
            starts_on=date(2027, 2, 1),
            ends_on=date(2027, 12, 31),
        )
        for day, kind, done, reach in [
            (date(2026, 2, 2), ActivityKind.PARENT_MEETING, True, {"parents": 40}),
            (date(2026, 3, 3), ActivityKind.COURSE, False, {"professionals": 12}),
            (date(2025, 6, 1), ActivityKind.CAMPAIGN, True, {"pupils": 999}),  # not in 2026
        ]:
            Activity.objects.create(
                municipality=self.neighbour,
                body=self.neighbour_council,
                kind=kind,
                title=str(kind),
                planned_on=day,
                done_at=datetime.combine(day, time(18), tzinfo=CPH) if done else None,
                **reach,
            )
        self.meeting = self.meeting_of(self.kredsraad, date(2026, 11, 5))

    def user(self, municipality: Municipality, name: str, email: str) -> User:
        user = User.objects.create_user(email, password="x", full_name=name, sector=Sector.OTHER)
        forum_services.affiliation_set(user=user, municipality=municipality, by=None)
        return user

    def seat(self, body: Body, user: User, municipality: Municipality, role: str) -> None:
        person = Person.objects.create(
            municipality=municipality, full_name=user.full_name, sector=Sector.OTHER, user=user
        )
        forum_services.membership_add(body=body, person=person, role=role, by=None)

    def meeting_of(self, body: Body, day: date) -> Meeting:
        return meeting_services.meeting_create(
            body=body,
            organiser=self.tally.consultant,
            title=f"Møde i {body.name}",
            starts_at=datetime.combine(day, time(14), tzinfo=CPH),
            ends_at=datetime.combine(day, time(16), tzinfo=CPH),
            notify=False,
        )

    def approved_plan(self, body: Body, title: str, summary: str, by: User) -> AnnualPlan:
        plan = prevention_services.plan_create(
            body=body,
            by=by,
            title=title,
            summary=summary,
            starts_on=date(2027, 1, 1),
            ends_on=date(2027, 12, 31),
        )
        return prevention_services.plan_approve(
            plan=plan, meeting=self.meeting_of(body, date(2026, 12, 1)), by=by
        )

    def draft(self) -> CooperationPlan:
        return cooperation.cooperation_plan_draft(
            kredsraad=self.kredsraad, year=2027, by=self.tally.consultant
        )


@pytest.fixture
def world(tally: Tally) -> World:
    return World(tally)


def _texts(plan: CooperationPlan) -> dict[str, str]:
    return {section.heading: section.text for section in plan.sections.all()}


def test_the_draft_is_built_from_both_municipalities_plans_and_figures(world: World) -> None:
    plan = world.draft()

    sections = list(plan.sections.all())
    assert [(s.kind, s.heading) for s in sections] == [
        (SectionKind.INTRODUCTION, "Indledning"),
        (SectionKind.MUNICIPALITY, "Nabokommune"),
        (SectionKind.MUNICIPALITY, "Tællekommune"),
        (SectionKind.JOINT, "Fælles indsatser"),
    ]
    texts = _texts(plan)
    assert "tal for 2026 fra Nabokommune, Tællekommune" in texts["Indledning"]
    assert (
        "– Årsplan 2027 (Lokalrådet i Nabokommune, 1. januar 2027 – 31. december 2027)"
        in (texts["Nabokommune"])
    )
    assert "Forældrenetværk i alle klasser." in texts["Nabokommune"]
    assert "Udkast til plan 2027" not in texts["Nabokommune"], "an unapproved plan is in"
    assert (
        "Forebyggelse i 2026: 2 aktiviteter (1 gennemført), der nåede 0 elever, 40 forældre, "
        "12 fagfolk og 0 unge mødt på gadeplan. Nye sager: 0." in texts["Nabokommune"]
    )
    assert (
        "– Handleplan 2027 (Lokalrådet, 1. januar 2027 – 31. december 2027)"
        in (texts["Tællekommune"])
    )
    assert "Forebyggelse i 2026: 5 aktiviteter (2 gennemført)" in texts["Tællekommune"]
    assert "Nye sager: 13." in texts["Tællekommune"]
    assert "I alt i 2026: 7 forebyggende aktiviteter" in texts["Fælles indsatser"]


def test_a_small_case_count_in_the_draft_is_suppressed(world: World) -> None:
    from cases.models import Case

    keep = Case.objects.filter(municipality=world.tally.municipality).order_by("pk")[:3]
    Case.objects.filter(municipality=world.tally.municipality).exclude(
        pk__in=[case.pk for case in keep]
    ).update(opened_at=datetime(2024, 1, 1, tzinfo=CPH))

    plan = world.draft()

    texts = _texts(plan)
    assert "Nye sager: <5." in texts["Tællekommune"]


def test_edits_are_kept_when_the_plans_and_figures_are_fetched_again(world: World) -> None:
    plan = world.draft()
    sections = {s.heading: s for s in plan.sections.all()}
    cooperation.cooperation_plan_edit(
        plan=plan,
        texts={
            sections["Tællekommune"].pk: "Tællekommune satser på stationen.",
            sections["Nabokommune"].pk: sections["Nabokommune"].text,  # unchanged
        },
        by=world.chair,
    )
    # Since then: Nabokommune approved its second plan, and Tællekommune did more.
    second = AnnualPlan.objects.get(title="Udkast til plan 2027")
    prevention_services.plan_approve(
        plan=second,
        meeting=world.meeting_of(world.neighbour_council, date(2026, 12, 2)),
        by=world.tally.consultant,
    )
    Activity.objects.create(
        municipality=world.tally.municipality,
        body=world.council,
        kind=ActivityKind.CAMPAIGN,
        title="Kampagne",
        planned_on=date(2026, 4, 1),
    )

    cooperation.cooperation_plan_refresh(plan=plan)

    sections = {s.heading: s for s in plan.sections.all()}
    assert sections["Tællekommune"].text == "Tællekommune satser på stationen."
    assert sections["Tællekommune"].edited_by == world.chair
    assert sections["Tællekommune"].differs_from_data
    assert "6 aktiviteter" in sections["Tællekommune"].generated
    assert not sections["Nabokommune"].edited
    assert "Udkast til plan 2027" in sections["Nabokommune"].text
    assert "I alt i 2026: 8 forebyggende aktiviteter" in sections["Fælles indsatser"].text


def test_the_plan_is_approved_at_a_kredsraad_meeting_once_and_then_not_changed(
    world: World,
) -> None:
    plan = world.draft()
    other_meeting = world.meeting_of(world.council, date(2026, 11, 6))

    with pytest.raises(ValidationError, match="kredsrådet"):
        cooperation.cooperation_plan_approve(plan=plan, meeting=other_meeting, by=world.chair)
    approved = cooperation.cooperation_plan_approve(
        plan=plan, meeting=world.meeting, by=world.chair, note="Enstemmigt."
    )

    assert approved.is_approved
    assert approved.approval_meeting == world.meeting
    section = approved.sections.first()
    with pytest.raises(ValidationError, match="godkendt"):
        cooperation.cooperation_plan_edit(plan=approved, texts={section.pk: "Nyt"}, by=world.chair)
    with pytest.raises(ValidationError, match="godkendt"):
        cooperation.cooperation_plan_refresh(plan=approved)
    with pytest.raises(ValidationError, match="godkendt"):
        cooperation.cooperation_plan_approve(plan=approved, meeting=world.meeting, by=world.chair)


def test_one_plan_per_kredsraad_and_year(world: World) -> None:
    world.draft()

    with pytest.raises(ValidationError, match="allerede"):
        world.draft()


# Through the pages ------------------------------------------------------------------------------


def test_the_chair_drafts_edits_and_approves_through_the_pages(
    client: Client, world: World
) -> None:
    client.force_login(world.chair)

    created = client.post(
        f"/samarbejdsplan/kredsraad/{world.kredsraad.pk}/ny/",
        {f"k{world.kredsraad.pk}-year": "2027"},
    )
    plan = CooperationPlan.objects.get(kredsraad=world.kredsraad, year=2027)
    section = plan.sections.get(municipality=world.neighbour)
    data = {f"section_{s.pk}": s.text for s in plan.sections.all()}
    data[f"section_{section.pk}"] = "Nabokommunens egne ord."
    edited = client.post(f"/samarbejdsplan/{plan.pk}/rediger/", data)
    too_long = client.post(
        f"/samarbejdsplan/{plan.pk}/rediger/", {**data, f"section_{section.pk}": "x" * 10_001}
    )
    approved = client.post(
        f"/samarbejdsplan/{plan.pk}/godkend/", {"meeting": world.meeting.pk, "note": ""}
    )
    page = client.get(f"/samarbejdsplan/{plan.pk}/")

    assert created.status_code == 302
    assert edited.status_code == 302
    assert too_long.status_code == 422
    assert "x" * 100 in too_long.content.decode(), "the typed text is kept"
    assert approved.status_code == 302
    section.refresh_from_db()
    assert section.text == "Nabokommunens egne ord."
    html = page.content.decode()
    assert "Nabokommunens egne ord." in html
    assert "Godkendt på »Møde i Tællekredsens kredsråd«" in html
    assert "rediger/" not in html, "an approved plan offers an edit form"


def test_the_printed_plan_carries_every_section(client: Client, world: World) -> None:
    plan = world.draft()
    client.force_login(world.member)

    html = client.get(f"/samarbejdsplan/{plan.pk}/udskrift/").content.decode()
    text = pdf_text(client.get(f"/samarbejdsplan/{plan.pk}/samarbejdsplan.pdf").content)

    for heading in ["Indledning", "Nabokommune", "Tællekommune", "Fælles indsatser"]:
        assert heading in html
        assert heading in text
    assert "Udkast – ikke godkendt endnu." in text
    assert "Handleplan 2027" in text


@pytest.mark.parametrize(
    ("who", "read", "edit"),
    [
        ("chair", 200, 302),  # the Kredsråd's chair
        ("member", 200, 403),  # a member reads, does not edit
        ("consultant", 200, 302),  # a member municipality's consultant
        ("lokal", 404, 404),  # a Lokalråd member outside the Kredsråd
    ],
)
def test_who_reads_and_edits_the_draft(
    client: Client, world: World, who: str, read: int, edit: int
) -> None:
    plan = world.draft()
    user = world.tally.consultant if who == "consultant" else getattr(world, who)
    client.force_login(user)

    page = client.get(f"/samarbejdsplan/{plan.pk}/")
    pdf = client.get(f"/samarbejdsplan/{plan.pk}/samarbejdsplan.pdf")
    refresh = client.post(f"/samarbejdsplan/{plan.pk}/opdater/")

    assert page.status_code == read
    assert pdf.status_code == read
    assert refresh.status_code == edit


def test_the_list_shows_only_the_kredsraad_of_the_readers_district(
    client: Client, world: World
) -> None:
    world.draft()
    other = forum_services.body_create(
        kind=BodyKind.KREDSRAAD,
        name="Fjernkredsens kredsråd",
        police_district=world.tally.municipality.police_district.__class__.objects.create(
            name="Fjernkredsen"
        ),
    )
    client.force_login(world.chair)

    html = client.get("/samarbejdsplan/").content.decode()
    client.force_login(world.lokal)
    outside = client.get("/samarbejdsplan/").content.decode()

    assert "Tællekredsens kredsråd" in html
    assert "Samarbejdsplan 2027" in html
    assert other.name not in html, "a Kredsråd of another district is listed"
    assert "Samarbejdsplan 2027" not in outside, "the draft leaks to a non-member"


def test_the_plan_page_takes_the_same_queries_however_many_sections(
    client: Client, world: World
) -> None:
    plan = world.draft()
    client.force_login(world.chair)
    client.get(f"/samarbejdsplan/{plan.pk}/")

    with CaptureQueriesContext(connection) as before:
        client.get(f"/samarbejdsplan/{plan.pk}/")
    # A third municipality joins the police district: one more section, no more queries.
    Municipality.objects.create(
        name="Tredjekommune", code="995", police_district=world.kredsraad.police_district
    )
    cooperation.cooperation_plan_refresh(plan=plan)
    with CaptureQueriesContext(connection) as after:
        response = client.get(f"/samarbejdsplan/{plan.pk}/")

    assert "Tredjekommune" in response.content.decode()
    assert len(after) == len(before) == PLAN_PAGE_QUERIES, "\n".join(
        q["sql"] for q in after.captured_queries
    )


# session, user, the plan through its permission, may-edit, the sections, "any meeting to
# approve at?", the meetings for the form, the member municipalities
PLAN_PAGE_QUERIES = 8
