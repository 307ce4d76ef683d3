"""The municipality's teaching and activity plan: the school teams' year wheels together,
approved by the SSP-Følgegruppe at one of its meetings (an annual plan of the Følgegruppe that
covers the school teams)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.test import Client
from django.utils import timezone

from forum.models import BodyKind, Municipality
from meetings.models import Meeting, school_year_of
from prevention import services
from prevention.models import AnnualPlan
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _glostrup() -> Municipality:
    return Municipality.objects.get(name="Glostrup")


def _url() -> str:
    return f"/forebyggelse/aktivitetsplan/{_glostrup().pk}/"


def _approved() -> QuerySet[AnnualPlan]:
    return AnnualPlan.objects.filter(body__name="SSP-Følgen", approved_at__isnull=False)


def _january_meeting() -> Meeting:
    """The demo SSP-Følgen's January meeting (seeded in the coming January)."""
    return Meeting.objects.get(body__name="SSP-Følgen")


def _year_of(meeting: Meeting) -> int:
    return school_year_of(timezone.localdate(meeting.starts_at))


def test_the_plan_lists_every_school_teams_activities(client: Client, personas: Personas) -> None:
    client.force_login(personas.consultant)
    year = _year_of(_january_meeting())

    page = client.get(_url(), {"aar": year}).content.decode()

    # Demo plans: Nordvang and Søndervang made theirs; Vestervang did not.
    assert "Digital dannelse" in page
    assert "Gode venner – dårlige valg" in page
    assert "Teamet har ikke lagt en plan for skoleåret endnu." in page
    assert "Planen er ikke godkendt endnu." in page


def test_the_consultant_records_the_approval_at_the_january_meeting(
    client: Client, personas: Personas
) -> None:
    meeting = _january_meeting()
    year = _year_of(meeting)
    client.force_login(personas.consultant)

    response = client.post(f"{_url()}?aar={year}", {"meeting": meeting.pk, "note": "Enig"})

    assert response.status_code == 302
    approval = _approved().get()
    assert (approval.approval_meeting, approval.approved_by, approval.approval_note) == (
        meeting,
        personas.consultant,
        "Enig",
    )
    assert approval.starts_on.year == year
    assert set(approval.covers.values_list("kind", flat=True)) == {BodyKind.SCHOOL_TEAM}
    page = client.get(_url(), {"aar": year}).content.decode()
    assert "Godkendt på »Årsmøde: Undervisnings- og Aktivitetsplanen«" in page


def test_a_second_approval_changes_nothing(client: Client, personas: Personas) -> None:
    meeting = _january_meeting()
    year = _year_of(meeting)
    client.force_login(personas.consultant)
    client.post(f"{_url()}?aar={year}", {"meeting": meeting.pk})

    again = client.post(f"{_url()}?aar={year}", {"meeting": meeting.pk, "note": "Igen"})

    assert again.status_code == 302
    assert _approved().count() == 1
    assert _approved().get().approval_note == ""


def test_only_a_folgegruppe_meeting_in_the_school_year_can_approve(personas: Personas) -> None:
    meeting = _january_meeting()
    year = _year_of(meeting)
    forum_meeting = Meeting.objects.get(body__name="SSP-Forum Glostrup")

    with pytest.raises(ValidationError) as other_body:
        services.activity_plan_approve(
            municipality=_glostrup(), school_year=year, meeting=forum_meeting, by=personas.admin
        )
    with pytest.raises(ValidationError) as other_year:
        services.activity_plan_approve(
            municipality=_glostrup(), school_year=year + 1, meeting=meeting, by=personas.admin
        )

    assert other_body.value.message_dict["meeting"] == [
        "Planen godkendes på et møde i kommunens SSP-Følgegruppe."
    ]
    assert other_year.value.message_dict["meeting"] == [
        f"Mødet skal ligge i skoleåret {year + 1}/{str(year + 2)[-2:]}."
    ]
    assert not _approved().exists()


def test_a_year_without_any_school_plan_cannot_be_approved(personas: Personas) -> None:
    meeting = _january_meeting()
    year = _year_of(meeting)
    later = meeting.starts_at + timedelta(days=365)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=later, ends_at=later + timedelta(hours=2)
    )
    meeting.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.activity_plan_approve(
            municipality=_glostrup(), school_year=year + 1, meeting=meeting, by=personas.admin
        )

    assert refused.value.messages == [
        f"Ingen skoler har lagt en plan for {year + 1}/{str(year + 2)[-2:]} endnu."
    ]


@pytest.mark.parametrize(
    ("persona", "get", "post"),
    [
        ("consultant", 200, 302),
        # Administrators read the prevention work; they do not approve it.
        ("admin", 200, 403),
        # Staff who neither oversee the municipality nor sit in SSP-Følgen.
        ("leader", 404, 404),
        ("police", 404, 404),
        ("police2", 404, 404),
        ("social", 404, 404),
        ("club", 404, 404),
        ("neighbour", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_who_sees_and_approves_the_plan(
    client: Client, personas: Personas, persona: str, get: int, post: int
) -> None:
    meeting = _january_meeting()
    client.force_login(personas[persona])

    seen = client.get(_url())
    approved = client.post(f"{_url()}?aar={_year_of(meeting)}", {"meeting": meeting.pk})

    assert (seen.status_code, approved.status_code) == (get, post)
    assert _approved().exists() == (post == 302)
