"""The concern form's "more young people" rows come only when asked for.

Most concerns are about one young person, so the blank form is sent without the rows: opening
the section fetches them (HTMX, /bekymringer/ny/flere-unge/); without JavaScript the section's
button sends the form back and it is shown again with them, the input kept, nothing judged and
nothing saved. A form sent with its rows gets them back inline. The browser side is in
tests/browser/test_group_case.py.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Concern, ConcernCategory, NotificationStatus, SubjectKind
from forum.models import Municipality, Unit
from tests.personas import Personas

pytestmark = pytest.mark.django_db

URL = "/bekymringer/ny/"
ROWS_URL = "/bekymringer/ny/flere-unge/"
HTMX = {"HX-Request": "true"}
DESCRIPTION = "Tre drenge truede yngre elever ved stationen."


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _albertslund() -> Municipality:
    return Municipality.objects.get(code="165")


def _schools(municipality: Municipality) -> list[Unit]:
    return list(municipality.units.filter(sector="school"))


def _typed_so_far(**more: object) -> dict[str, object]:
    """A form half filled in: the young person typed, no category or description yet."""
    return {
        "municipality": _glostrup().pk,
        "subject_kind": SubjectKind.PERSON,
        "full_name": "Testa Gruppesen",
        "cpr_number": "010203",
        "location": "Stationen",
        "urgency": "normal",
        "submission_token": str(uuid.uuid4()),
        **more,
    }


def _rows_in(page: str) -> list[str]:
    return re.findall(r'name="(andre-\d+-full_name)"', page)


@pytest.fixture
def club(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.club)
    return client


def test_the_blank_form_comes_without_the_rows_and_fetches_them_when_opened(club: Client) -> None:
    page = club.get(URL).content.decode()

    assert _rows_in(page) == []
    assert "andre-TOTAL_FORMS" not in page
    assert 'hx-get="/bekymringer/ny/flere-unge/"' in page
    assert 'hx-trigger="toggle once"' in page
    assert 'name="andre-vis"' in page
    # Enter in a field still sends the form: the first submit button is a hidden "Send".
    first_button = re.search(r"<button[^>]*>", page.split('id="concern-form"', 1)[1])
    assert first_button is not None
    assert "hidden" in first_button.group(0)
    assert 'name="andre-vis"' not in first_button.group(0)

    rows = club.get(ROWS_URL, {"municipality": _glostrup().pk}, headers=HTMX)
    assert rows.status_code == 200
    fetched = rows.content.decode()
    assert _rows_in(fetched) == ["andre-0-full_name", "andre-1-full_name", "andre-2-full_name"]
    assert 'name="andre-TOTAL_FORMS" value="3"' in fetched
    assert "Ung nr. 2: navn" in fetched
    # A fragment to swap in, not a page.
    assert "<html" not in fetched
    assert fetched.lstrip().startswith('<div id="other-young-people-rows">')


@pytest.mark.parametrize(("persona", "asked_for"), [("club", "165"), ("neighbour", "161")])
def test_the_rows_offer_only_the_schools_of_the_users_own_municipality(
    persona: str, asked_for: str, personas: Personas
) -> None:
    """The club worker works in Glostrup, the neighbour in Albertslund: asking for the other
    municipality's rows gets their own municipality's schools, never the other's."""
    client = Client()
    user = personas[persona]
    client.force_login(user)
    own = user.municipalities.get()
    other = Municipality.objects.get(code=asked_for)

    page = client.get(ROWS_URL, {"municipality": other.pk}, headers=HTMX).content.decode()

    assert _schools(own)
    assert _schools(other)
    for school in _schools(own):
        assert f'<option value="{school.pk}">' in page, f"{school} missing for {persona}"
    for school in _schools(other):
        assert f'value="{school.pk}"' not in page, f"LEAK: {other}'s {school} for {persona}"
        assert school.name not in page, f"LEAK: {other}'s {school} for {persona}"


def test_rows_asked_for_by_someone_who_cannot_log_a_concern_are_not_found(
    personas: Personas,
) -> None:
    client = Client()
    client.force_login(personas.outsider)

    assert client.get(ROWS_URL, headers=HTMX).status_code == 404


def test_without_javascript_the_button_shows_the_form_again_with_the_rows(club: Client) -> None:
    concerns = Concern.objects.count()
    with CaptureQueriesContext(connection) as captured:
        response = club.post(URL, _typed_so_far(**{"andre-vis": "1"}))
    page = response.content.decode()

    assert response.status_code == 200
    assert Concern.objects.count() == concerns
    # The input as typed, not judged: no error for the category and description not yet
    # filled in, none for the half CPR number.
    assert 'value="Testa Gruppesen"' in page
    assert 'value="010203"' in page
    assert 'value="Stationen"' in page
    assert "form-error" not in page
    assert "error-summary" not in page
    # The section open with its rows, the first of them focused; no button any more.
    assert re.search(r'<details[^>]*id="other-young-people"[^>]* open', page)
    assert _rows_in(page) == ["andre-0-full_name", "andre-1-full_name", "andre-2-full_name"]
    assert re.search(r'<input[^>]*name="andre-0-full_name"[^>]*autofocus', page)
    assert 'name="andre-vis"' not in page
    assert 'hx-trigger="toggle once"' not in page
    # The form and its rows share one read of the schools.
    assert sum('FROM "forum_unit"' in query["sql"] for query in captured) == 1


def test_a_form_asked_for_rows_is_then_sent_with_them(club: Client) -> None:
    """The whole round without JavaScript: ask for the rows, fill one in, send."""
    token = str(uuid.uuid4())
    shown = club.post(URL, _typed_so_far(submission_token=token, **{"andre-vis": "1"}))
    assert shown.status_code == 200
    assert f'value="{token}"' in shown.content.decode()

    data = _typed_so_far(
        submission_token=token,
        cpr_number="",
        category=ConcernCategory.objects.filter(municipality=_glostrup()).first().pk,
        description=DESCRIPTION,
        observed_on=timezone.localdate().isoformat(),
        notification_status=NotificationStatus.NOT_RELEVANT,
        **{
            "andre-TOTAL_FORMS": "3",
            "andre-INITIAL_FORMS": "0",
            "andre-0-full_name": "Bertram Skjultsen",
        },
    )
    response = club.post(URL, data)

    assert response.status_code == 302
    concern = Concern.objects.get(description=DESCRIPTION)
    assert concern.subject_kind == SubjectKind.GROUP
    assert [p.reported_name for p in concern.people.order_by("position")] == [
        "Testa Gruppesen",
        "Bertram Skjultsen",
    ]


def test_a_form_sent_back_with_errors_keeps_its_rows_inline_and_open(club: Client) -> None:
    response = club.post(
        URL,
        _typed_so_far(
            **{
                "andre-TOTAL_FORMS": "3",
                "andre-INITIAL_FORMS": "0",
                "andre-0-full_name": "Bertram Skjultsen",
            }
        ),
    )
    page = response.content.decode()

    assert response.status_code == 422
    assert 'value="Bertram Skjultsen"' in page
    assert re.search(r'<details[^>]*id="other-young-people"[^>]* open', page)
    assert 'hx-trigger="toggle once"' not in page
    assert not re.search(r"autofocus", page.split('id="other-young-people"', 1)[1])


def test_a_form_sent_back_without_rows_still_fetches_them_when_opened(club: Client) -> None:
    response = club.post(URL, _typed_so_far())
    page = response.content.decode()

    assert response.status_code == 422
    assert _rows_in(page) == []
    assert 'hx-trigger="toggle once"' in page
    assert not re.search(r'<details[^>]*id="other-young-people"[^>]* open', page)
