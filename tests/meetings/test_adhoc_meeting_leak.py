"""A meeting of a case's ad-hoc group names the case: it is listed and shown only to those
who read the case. The municipality's administrator administers the group but reads no case,
so its meetings are neither listed to them, shown, nor offered for planning."""

from __future__ import annotations

import pytest
from django.test import Client

from cases.models import Case
from meetings import permissions
from tests.factories import MeetingFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db

AMALIE = "Demo-Amalie Tænktsen"
TITLE = "Ad hoc-møde om billederne i gruppechatten"


def _adhoc_meeting(personas: Personas):  # type: ignore[no-untyped-def]
    case = Case.objects.get(young_person__full_name=AMALIE)
    return MeetingFactory(body=case.adhoc_group, organiser=personas.consultant, title=TITLE)


def test_an_administrator_gets_404_on_a_meeting_of_an_adhoc_group_whose_case_they_do_not_read(
    client: Client, personas: Personas
) -> None:
    meeting = _adhoc_meeting(personas)
    client.force_login(personas.admin)

    detail = client.get(f"/moeder/{meeting.pk}/")
    listed = client.get("/moeder/")

    assert detail.status_code == 404
    assert listed.status_code == 200
    assert TITLE not in listed.content.decode()
    assert not permissions.meetings_visible_to(personas.admin).filter(pk=meeting.pk).exists()
    assert not permissions.can_organise(personas.admin, meeting.body)


def test_the_readers_of_the_case_still_see_the_adhoc_groups_meeting(
    client: Client, personas: Personas
) -> None:
    meeting = _adhoc_meeting(personas)

    for reader in (personas.consultant, personas.social, personas.police):
        client.force_login(reader)
        response = client.get(f"/moeder/{meeting.pk}/")
        assert response.status_code == 200, reader
        assert TITLE in response.content.decode()


def test_an_administrator_still_sees_the_meetings_of_the_bodies_they_administer(
    personas: Personas,
) -> None:
    case = Case.objects.get(young_person__full_name=AMALIE)
    meeting = MeetingFactory(body=case.responsible_body, organiser=personas.consultant)

    assert permissions.meetings_visible_to(personas.admin).filter(pk=meeting.pk).exists()
    assert permissions.can_organise(personas.admin, case.responsible_body)
