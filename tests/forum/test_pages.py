"""The organisation pages through the test client: refused and accepted forms, the actor
directory's search, filters and pages, and query counts as the organisation grows."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Model
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from forum.models import (
    Body,
    BodyKind,
    Membership,
    MembershipRole,
    Municipality,
    Person,
    Unit,
)
from ssp.models import Sector, User
from tests.personas import Personas

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


# --- Reading the pages ---------------------------------------------------------------------


class _FormValues(HTMLParser):
    """What a rendered form shows, by element id: an input's value, a textarea's text, a
    select's selected option, a checkbox's checked state."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str | bool] = {}
        self.invalid: set[str] = set()
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        element_id = attributes.get("id")
        if element_id and attributes.get("aria-invalid") == "true":
            self.invalid.add(element_id)
        if tag == "input" and element_id:
            if attributes.get("type") == "checkbox":
                self.values[element_id] = "checked" in attributes
            else:
                self.values[element_id] = attributes.get("value") or ""
        elif tag == "textarea" and element_id:
            self._textarea = element_id
            self.values[element_id] = ""
        elif tag == "select" and element_id:
            self._select = element_id
            self.values[element_id] = ""
        elif tag == "option" and self._select and "selected" in attributes:
            self.values[self._select] = attributes.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] = str(self.values[self._textarea]) + data


def _parse_form(response: HttpResponse) -> _FormValues:
    parser = _FormValues()
    parser.feed(response.content.decode())
    return parser


def _form_values(response: HttpResponse) -> dict[str, str | bool]:
    values = _parse_form(response).values
    # Django writes a newline after <textarea> so a value's own first newline survives.
    return {k: v.removeprefix("\n") if isinstance(v, str) else v for k, v in values.items()}


def _invalid_fields(response: HttpResponse) -> set[str]:
    """The ids of the fields marked aria-invalid."""
    return _parse_form(response).invalid


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _error_summary(response: HttpResponse) -> list[str]:
    """The lines of the DKFDS error summary ("Der er problemer på siden"), one per error."""
    page = response.content.decode()
    summaries = re.findall(
        r'<div class="alert alert-error" role="alert" tabindex="-1" data-error-summary>'
        r"(.*?)</ul>",
        page,
        flags=re.DOTALL,
    )
    assert len(summaries) == 1, f"expected one DKFDS error summary, found {len(summaries)}"
    assert "Der er problemer på siden" in summaries[0]
    return [_text(item) for item in re.findall(r"<li>(.*?)</li>", summaries[0], re.DOTALL)]


def _field_error(response: HttpResponse, field_id: str) -> str:
    """The error message DKFDS shows next to one field."""
    match = re.search(
        rf'<span class="form-error-message" id="{field_id}-error">'
        r'<span class="sr-only">Fejl: </span>(.*?)</span>',
        response.content.decode(),
        flags=re.DOTALL,
    )
    assert match, f"no error message next to #{field_id}"
    return _text(match.group(1))


def _assert_refused(response: HttpResponse, field_id: str, label: str, message: str) -> None:
    """422, the error named in the DKFDS error summary, and the field marked invalid."""
    assert response.status_code == 422
    assert f"{label}: {message}" in _error_summary(response)
    assert field_id in _invalid_fields(response)


def _breadcrumb(response: HttpResponse, obj: Model) -> str:
    """The text of the breadcrumb linking to an object."""
    match = re.search(
        rf'<a href="{re.escape(obj.get_absolute_url())}" class="breadcrumbs__link">([^<]*)</a>',
        response.content.decode(),
    )
    assert match, f"no breadcrumb links to {obj.get_absolute_url()}"
    return html.unescape(match.group(1))


def _heading_count(response: HttpResponse, heading_id: str) -> str:
    """The count heading of the directory's people or units: "3 personer", "1 enhed"."""
    match = re.search(rf'<h2 id="{heading_id}">([^<]*)</h2>', response.content.decode())
    assert match, f"no #{heading_id} on the page"
    return match.group(1)


def _people_heading(response: HttpResponse) -> str:
    return _heading_count(response, "people-heading")


def _units_heading(response: HttpResponse) -> str:
    return _heading_count(response, "units-heading")


def _page(response: HttpResponse) -> str:
    return response.content.decode()


# --- The demo organisation -----------------------------------------------------------------


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _albertslund() -> Municipality:
    return Municipality.objects.get(code="165")


def _body(name: str) -> Body:
    return Body.objects.get(name=name)


def _unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def _person(name: str, code: str = "161") -> Person:
    return Person.objects.get(full_name=name, municipality__code=code)


@pytest.fixture
def admin_client(client: Client, personas: Personas) -> Client:
    """Signed in as the administrator of Glostrup and Albertslund."""
    client.force_login(personas.admin)
    return client


# --- Refused input on the create and edit forms --------------------------------------------


def test_creating_a_body_without_a_name_is_refused_and_keeps_the_input(
    admin_client: Client,
) -> None:
    forum = _body("SSP-Forum Glostrup")
    bodies, groups = Body.objects.count(), Group.objects.count()

    response = admin_client.post(
        reverse("forum:body_create", args=[_glostrup().pk]),
        {
            "kind": "working_group",
            "name": "",
            "parent": forum.pk,
            "purpose": "Planlægger sommerens aktiviteter.",
            "meeting_rhythm": "Hver torsdag",
        },
    )

    _assert_refused(response, "id_name", "Navn", "Dette felt er påkrævet.")
    values = _form_values(response)
    assert values["id_kind"] == "working_group"
    assert values["id_parent"] == str(forum.pk)
    assert values["id_purpose"] == "Planlægger sommerens aktiviteter."
    assert values["id_meeting_rhythm"] == "Hver torsdag"
    assert (Body.objects.count(), Group.objects.count()) == (bodies, groups)


def test_a_school_team_without_its_school_is_refused_by_the_service(
    admin_client: Client,
) -> None:
    bodies, groups = Body.objects.count(), Group.objects.count()

    response = admin_client.post(
        reverse("forum:body_create", args=[_glostrup().pk]),
        {
            "kind": "school_team",
            "name": "SSP-team Nyskolen",
            "parent": _body("SSP-Forum Glostrup").pk,
        },
    )

    _assert_refused(
        response,
        "id_unit",
        "Skole/afdeling",
        "Vælg den skole eller skoleafdeling, SSP-teamet hører til.",
    )
    assert _form_values(response)["id_name"] == "SSP-team Nyskolen"
    assert (Body.objects.count(), Group.objects.count()) == (bodies, groups)


def test_editing_a_body_under_a_parent_of_the_wrong_kind_is_refused_and_saves_nothing(
    admin_client: Client,
) -> None:
    body = _body("Aktivitetsgruppen")
    forum = body.parent
    lokalraad = _body("Lokalrådet i Glostrup")

    response = admin_client.post(
        reverse("forum:body_edit", args=[body.pk]),
        {"kind": "working_group", "name": "Aktivitetsgruppen 2.0", "parent": lokalraad.pk},
    )

    _assert_refused(
        response, "id_parent", "Hører under", "Arbejdsgruppe kan ikke høre under Lokalråd."
    )
    values = _form_values(response)
    assert values["id_name"] == "Aktivitetsgruppen 2.0"
    assert values["id_parent"] == str(lokalraad.pk)
    # The breadcrumb names the body as saved, not as typed into the refused form.
    assert _breadcrumb(response, body) == "Aktivitetsgruppen"
    body.refresh_from_db()
    assert (body.name, body.parent_id) == ("Aktivitetsgruppen", forum.pk)


def test_creating_a_unit_with_malformed_contact_details_is_refused_and_keeps_the_input(
    admin_client: Client,
) -> None:
    units = Unit.objects.count()

    response = admin_client.post(
        reverse("forum:unit_create", args=[_glostrup().pk]),
        {
            "name": "Ungdomsklubben Nord",
            "sector": "leisure",
            "phone": "ring til mig",
            "email": "nord@",
            "website": "ikke en adresse",
            "description": "Åben mandag til torsdag.",
        },
    )

    assert response.status_code == 422
    assert _error_summary(response) == [
        "Telefon: Skriv et telefonnummer med 8 cifre, eventuelt med landekode, fx +45 43 23 60 00.",
        "E-mail: Indtast en gyldig e-mail-adresse.",
        "Hjemmeside: Indtast en gyldig URL.",
    ]
    assert _invalid_fields(response) == {"id_phone", "id_email", "id_website"}
    values = _form_values(response)
    assert values["id_name"] == "Ungdomsklubben Nord"
    assert values["id_sector"] == "leisure"
    assert values["id_phone"] == "ring til mig"
    assert values["id_email"] == "nord@"
    assert values["id_website"] == "ikke en adresse"
    assert values["id_description"] == "Åben mandag til torsdag."
    assert Unit.objects.count() == units


def test_renaming_a_unit_to_a_name_already_taken_is_refused_and_saves_nothing(
    admin_client: Client,
) -> None:
    unit = _unit("Natteravnene")

    response = admin_client.post(
        reverse("forum:unit_edit", args=[unit.pk]),
        {"name": "varmeværket", "sector": "other", "phone": "+45 20 00 00 02"},
    )

    _assert_refused(response, "id_name", "Navn", "Kommunen har allerede en enhed med det navn.")
    assert _form_values(response)["id_name"] == "varmeværket"
    assert _form_values(response)["id_phone"] == "+45 20 00 00 02"
    # The form accepted the name before the service refused it; the page still names the
    # unit being edited, not the one it clashed with.
    assert _breadcrumb(response, unit) == "Natteravnene"
    unit.refresh_from_db()
    assert (unit.name, unit.phone) == ("Natteravnene", "")


def test_creating_a_person_with_an_unknown_sector_and_a_short_phone_is_refused(
    admin_client: Client,
) -> None:
    people = Person.objects.count()

    response = admin_client.post(
        reverse("forum:person_create", args=[_glostrup().pk]),
        {
            "full_name": "Mette Mikkelsen",
            "job_title": "Gadeplansmedarbejder",
            "sector": "bogus",
            "unit": _unit("Klubberne").pk,
            "phone": "12",
        },
    )

    assert response.status_code == 422
    assert _error_summary(response) == [
        "Sektor: Marker en gyldig valgmulighed. bogus er ikke en af de tilgængelige "
        "valgmuligheder.",
        "Arbejdstelefon: Skriv et telefonnummer med 8 cifre, eventuelt med landekode, "
        "fx +45 43 23 60 00.",
    ]
    values = _form_values(response)
    assert values["id_full_name"] == "Mette Mikkelsen"
    assert values["id_job_title"] == "Gadeplansmedarbejder"
    assert values["id_unit"] == str(_unit("Klubberne").pk)
    assert values["id_phone"] == "12"
    assert Person.objects.count() == people


def test_a_refused_field_shows_its_error_and_its_hint_next_to_it(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("forum:body_create", args=[_glostrup().pk]),
        {"kind": "working_group", "name": "", "parent": _body("SSP-Forum Glostrup").pk},
    )

    assert response.status_code == 422
    assert _field_error(response, "id_name") == "Dette felt er påkrævet."
    assert 'id="id_meeting_rhythm_helptext"' in _page(response)


def test_a_person_with_a_login_but_no_work_email_is_refused_and_no_user_is_created(
    admin_client: Client,
) -> None:
    people, users = Person.objects.count(), User.objects.count()

    response = admin_client.post(
        reverse("forum:person_create", args=[_glostrup().pk]),
        {"full_name": "Mette Mikkelsen", "sector": "leisure", "with_login": "on"},
    )

    _assert_refused(
        response, "id_email", "Arbejdsmail", "En person med login skal have en arbejdsmail."
    )
    assert _form_values(response)["id_with_login"] is True
    assert (Person.objects.count(), User.objects.count()) == (people, users)


def test_editing_a_person_without_a_name_is_refused_and_keeps_the_other_input(
    admin_client: Client,
) -> None:
    person = _person("Jens Juhl")

    response = admin_client.post(
        reverse("forum:person_edit", args=[person.pk]),
        {"full_name": "", "sector": "other", "job_title": "Frivillig koordinator"},
    )

    _assert_refused(response, "id_full_name", "Navn", "Dette felt er påkrævet.")
    assert _form_values(response)["id_job_title"] == "Frivillig koordinator"
    assert _breadcrumb(response, person) == "Jens Juhl"
    person.refresh_from_db()
    assert (person.full_name, person.job_title) == ("Jens Juhl", "Koordinator")


def test_adding_someone_who_is_already_a_member_is_refused_and_keeps_the_chosen_role(
    admin_client: Client,
) -> None:
    body = _body("SSP-team Søndervang")
    memberships = Membership.objects.count()

    response = admin_client.post(
        reverse("forum:membership_add", args=[body.pk]),
        {"person": _person("Gitte Gram").pk, "role": "guest"},
    )

    _assert_refused(
        response,
        "id_person",
        "Person",
        "Vælg en person fra listen. Personen er måske allerede medlem.",
    )
    assert "<html" in _page(response), "a refused form without htmx gets the whole body page"
    assert _form_values(response)["id_role"] == "guest"
    assert Membership.objects.count() == memberships


def test_htmx_adding_a_member_who_is_refused_answers_the_members_partial_with_the_errors(
    admin_client: Client,
) -> None:
    body = _body("SSP-team Søndervang")
    memberships = Membership.objects.count()

    response = admin_client.post(
        reverse("forum:membership_add", args=[body.pk]),
        {"person": "999999", "role": "coordinator"},
        headers=HTMX,
    )

    # htmx swaps only 2xx answers, so the refused inline form comes back as 200.
    assert response.status_code == 200
    assert "<html" not in _page(response)
    assert "Person: Vælg en person fra listen. Personen er måske allerede medlem." in (
        _error_summary(response)
    )
    assert _form_values(response)["id_role"] == "coordinator"
    assert Membership.objects.count() == memberships


def test_choosing_an_unknown_role_is_refused_with_a_message_and_changes_nothing(
    admin_client: Client,
) -> None:
    membership = Membership.objects.get(
        body__name="SSP-team Søndervang", person__full_name="Gitte Gram"
    )
    body = membership.body

    response = admin_client.post(
        reverse("forum:membership_role", args=[body.pk, membership.pk]), {"role": "king"}
    )

    # The role select offers only valid roles, so this answers like the other inline
    # actions: back to the body, where the message says what went wrong.
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:body_detail", args=[body.pk])
    assert "Vælg en gyldig rolle." in _page(admin_client.get(response["Location"]))
    membership.refresh_from_db()
    assert membership.role == MembershipRole.MEMBER


def test_htmx_choosing_an_unknown_role_answers_the_members_partial_with_the_message(
    admin_client: Client,
) -> None:
    membership = Membership.objects.get(
        body__name="SSP-team Søndervang", person__full_name="Gitte Gram"
    )

    response = admin_client.post(
        reverse("forum:membership_role", args=[membership.body_id, membership.pk]),
        {"role": "king"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "<html" not in _page(response)
    assert '<p class="alert-text">Vælg en gyldig rolle.</p>' in _page(response)
    membership.refresh_from_db()
    assert membership.role == MembershipRole.MEMBER


# --- Accepted input ------------------------------------------------------------------------


def test_creating_a_body_redirects_to_it_and_saves_the_submitted_values(
    admin_client: Client,
) -> None:
    forum = _body("SSP-Forum Glostrup")

    response = admin_client.post(
        reverse("forum:body_create", args=[_glostrup().pk]),
        {
            "kind": "working_group",
            "name": "Sommergruppen",
            "parent": forum.pk,
            "purpose": "Planlægger sommerens aktiviteter.",
            "meeting_rhythm": "Hver torsdag",
        },
    )

    body = Body.objects.get(name="Sommergruppen")
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:body_detail", args=[body.pk])
    assert body.kind == BodyKind.WORKING_GROUP
    assert body.municipality == _glostrup()
    assert body.parent == forum
    assert body.purpose == "Planlægger sommerens aktiviteter."
    assert body.meeting_rhythm == "Hver torsdag"
    assert body.group.name == f"body:{body.pk}"


def test_editing_a_body_redirects_to_it_and_saves_the_changes(admin_client: Client) -> None:
    body = _body("Aktivitetsgruppen")

    response = admin_client.post(
        reverse("forum:body_edit", args=[body.pk]),
        {
            "kind": "working_group",
            "name": "Aktivitets- og eventgruppen",
            "parent": body.parent_id,
            "meeting_rhythm": "Hver anden måned",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:body_detail", args=[body.pk])
    body.refresh_from_db()
    assert body.name == "Aktivitets- og eventgruppen"
    assert body.meeting_rhythm == "Hver anden måned"


def test_creating_a_unit_redirects_to_it_and_saves_the_submitted_values(
    admin_client: Client,
) -> None:
    parent = _unit("Klubberne")

    response = admin_client.post(
        reverse("forum:unit_create", args=[_glostrup().pk]),
        {
            "name": "Ungdomsklubben Nord",
            "sector": "leisure",
            "parent": parent.pk,
            "phone": "+45 43 23 61 20",
            "email": "nord@demo.ssp",
            "website": "klubnord.dk",
        },
    )

    unit = Unit.objects.get(name="Ungdomsklubben Nord")
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:unit_detail", args=[unit.pk])
    assert unit.municipality == _glostrup()
    assert unit.sector == Sector.LEISURE
    assert unit.parent == parent
    assert (unit.phone, unit.email) == ("+45 43 23 61 20", "nord@demo.ssp")
    assert unit.website == "https://klubnord.dk"


def test_editing_a_unit_redirects_to_it_and_saves_the_changes(admin_client: Client) -> None:
    unit = _unit("Natteravnene")

    response = admin_client.post(
        reverse("forum:unit_edit", args=[unit.pk]),
        {"name": "Natteravnene Glostrup", "sector": "other", "address": "Hovedvejen 1"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:unit_detail", args=[unit.pk])
    unit.refresh_from_db()
    assert (unit.name, unit.address) == ("Natteravnene Glostrup", "Hovedvejen 1")


def test_creating_a_person_redirects_to_them_and_saves_the_submitted_values(
    admin_client: Client,
) -> None:
    users = User.objects.count()

    response = admin_client.post(
        reverse("forum:person_create", args=[_glostrup().pk]),
        {
            "full_name": "Mette Mikkelsen",
            "job_title": "Gadeplansmedarbejder",
            "sector": "leisure",
            "unit": _unit("Klubberne").pk,
            "email": "Mette.Mikkelsen@demo.ssp",
            "phone": "+45 43 23 61 11",
        },
    )

    person = Person.objects.get(full_name="Mette Mikkelsen")
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:person_detail", args=[person.pk])
    assert person.municipality == _glostrup()
    assert (person.job_title, person.sector) == ("Gadeplansmedarbejder", Sector.LEISURE)
    assert person.unit == _unit("Klubberne")
    assert (person.email, person.phone) == ("mette.mikkelsen@demo.ssp", "+45 43 23 61 11")
    assert person.user is None
    assert User.objects.count() == users


def test_editing_a_person_redirects_to_them_and_saves_the_changes(admin_client: Client) -> None:
    person = _person("Jens Juhl")

    response = admin_client.post(
        reverse("forum:person_edit", args=[person.pk]),
        {"full_name": "Jens Juhl", "sector": "other", "job_title": "Frivillig koordinator"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:person_detail", args=[person.pk])
    person.refresh_from_db()
    assert person.job_title == "Frivillig koordinator"


def test_adding_a_member_redirects_to_the_body_and_saves_the_role(admin_client: Client) -> None:
    body = _body("SSP-team Søndervang")
    person = _person("Henrik Holm")

    response = admin_client.post(
        reverse("forum:membership_add", args=[body.pk]),
        {"person": person.pk, "role": "coordinator"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:body_detail", args=[body.pk])
    assert Membership.objects.get(body=body, person=person).role == MembershipRole.COORDINATOR


def test_htmx_adding_a_member_answers_the_members_partial_listing_them(
    admin_client: Client,
) -> None:
    body = _body("SSP-team Søndervang")
    person = _person("Henrik Holm")

    response = admin_client.post(
        reverse("forum:membership_add", args=[body.pk]),
        {"person": person.pk, "role": "guest"},
        headers=HTMX,
    )

    assert response.status_code == 200
    page = _page(response)
    assert "<html" not in page
    assert "Henrik Holm er tilføjet som medlem." in page
    assert f'<a href="{person.get_absolute_url()}">Henrik Holm</a>' in page
    assert Membership.objects.get(body=body, person=person).role == MembershipRole.GUEST


def test_changing_a_role_redirects_to_the_body_and_saves_it(admin_client: Client) -> None:
    membership = Membership.objects.get(
        body__name="SSP-team Søndervang", person__full_name="Gitte Gram"
    )

    response = admin_client.post(
        reverse("forum:membership_role", args=[membership.body_id, membership.pk]),
        {"role": "coordinator"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:body_detail", args=[membership.body_id])
    membership.refresh_from_db()
    assert membership.role == MembershipRole.COORDINATOR


# --- The actor directory -------------------------------------------------------------------


def _add_people(count: int, *, sector: str = Sector.LEISURE) -> list[Person]:
    unit = _unit("Klubberne")
    return [
        services.person_create(
            municipality=_glostrup(), full_name=f"Testperson {n:02}", sector=sector, unit=unit
        )
        for n in range(1, count + 1)
    ]


def test_searching_the_directory_by_name_finds_only_that_person(admin_client: Client) -> None:
    response = admin_client.get(reverse("forum:directory"), {"q": "gitte"})

    assert response.status_code == 200
    assert _people_heading(response) == "1 person"
    assert "Gitte Gram" in _page(response)
    assert "Henrik Holm" not in _page(response)


def test_searching_the_directory_by_unit_finds_its_people_and_the_unit(
    admin_client: Client,
) -> None:
    response = admin_client.get(reverse("forum:directory"), {"q": "Varmeværket"})

    assert _people_heading(response) == "1 person"
    assert "Kasper Krog" in _page(response)
    assert _units_heading(response) == "1 enhed"
    assert f'<a href="{_unit("Varmeværket").get_absolute_url()}">Varmeværket</a>' in (
        _page(response)
    )


def test_filtering_the_directory_by_sector_shows_only_that_sector(admin_client: Client) -> None:
    response = admin_client.get(reverse("forum:directory"), {"sector": "police"})

    # Dorthe Dahl in Glostrup; Peter Poulsen and Pia Pedersen in both municipalities.
    assert _people_heading(response) == "5 personer"
    assert _units_heading(response) == "2 enheder"
    page = _page(response)
    for name in ("Dorthe Dahl", "Peter Poulsen", "Pia Pedersen", "Albertslund Lokalpoliti"):
        assert name in page
    for name in ("Gitte Gram", "Sara Skov", "Varmeværket"):
        assert name not in page, f"{name} is not police, yet the police filter shows them"


def test_filtering_the_directory_by_municipality_shows_only_that_municipality(
    admin_client: Client,
) -> None:
    response = admin_client.get(reverse("forum:directory"), {"municipality": _albertslund().pk})

    assert _people_heading(response) == "6 personer"
    assert _units_heading(response) == "5 enheder"
    assert "Nina Nielsen" in _page(response)
    assert "Gitte Gram" not in _page(response)


def test_an_htmx_directory_search_answers_only_the_results_partial(
    admin_client: Client,
) -> None:
    response = admin_client.get(reverse("forum:directory"), {"q": "Gitte"}, headers=HTMX)

    assert response.status_code == 200
    page = _page(response)
    assert "<html" not in page
    assert 'role="search"' not in page
    assert _people_heading(response) == "1 person"
    assert "Gitte Gram" in page


def test_the_directorys_page_links_keep_the_search_and_the_filters(
    admin_client: Client,
) -> None:
    _add_people(30)

    first = admin_client.get(reverse("forum:directory"), {"q": "Testperson", "sector": "leisure"})

    assert _people_heading(first) == "30 personer"
    assert "Side 1 af 2" in _page(first)
    assert "Testperson 25" in _page(first)
    assert "Testperson 26" not in _page(first)
    assert 'href="?q=Testperson&amp;sector=leisure&amp;side=2">Næste</a>' in _page(first)

    second = admin_client.get(reverse("forum:directory") + "?q=Testperson&sector=leisure&side=2")

    assert "Side 2 af 2" in _page(second)
    assert "Testperson 26" in _page(second)
    assert "Testperson 25" not in _page(second)
    assert 'href="?q=Testperson&amp;sector=leisure&amp;side=1">Forrige</a>' in _page(second)


@pytest.mark.parametrize(
    ("side", "shown"),
    [("999", "Side 2 af 2"), ("0", "Side 2 af 2"), ("x", "Side 1 af 2"), ("", "Side 1 af 2")],
)
def test_an_out_of_range_or_malformed_page_number_shows_a_real_page(
    admin_client: Client, side: str, shown: str
) -> None:
    _add_people(30)

    response = admin_client.get(reverse("forum:directory"), {"q": "Testperson", "side": side})

    assert response.status_code == 200
    assert shown in _page(response)
    assert _people_heading(response) == "30 personer"


@pytest.mark.parametrize(
    "params",
    [
        {"sector": "bogus"},
        {"municipality": "abc"},
        {"municipality": "999999"},
        {"unit": "abc"},
        {"page": "999"},
        {"page": "x"},
        {"q": "x" * 101},
    ],
    ids=lambda params: "&".join(f"{k}={v[:10]}" for k, v in params.items()),
)
def test_an_unknown_or_malformed_filter_shows_the_whole_directory(
    admin_client: Client, params: dict[str, str]
) -> None:
    visible = Person.objects.filter(municipality__in=[_glostrup(), _albertslund()]).count()

    response = admin_client.get(reverse("forum:directory"), params)

    assert response.status_code == 200
    assert _people_heading(response) == f"{visible} personer"


@pytest.mark.parametrize(
    ("params", "error"),
    [
        (
            {"sector": "bogus"},
            "Sektor: Marker en gyldig valgmulighed. bogus er ikke en af de tilgængelige "
            "valgmuligheder.",
        ),
        ({"q": "x" * 101}, "Denne værdi må højst have 100 tegn (den har 101)."),
    ],
)
def test_a_malformed_filter_is_named_in_the_error_summary(
    admin_client: Client, params: dict[str, str], error: str
) -> None:
    response = admin_client.get(reverse("forum:directory"), params)

    assert response.status_code == 200
    assert any(line.endswith(error) for line in _error_summary(response)), _error_summary(response)


def test_a_malformed_filter_leaves_the_valid_search_in_force(admin_client: Client) -> None:
    response = admin_client.get(reverse("forum:directory"), {"q": "Gitte", "sector": "bogus"})

    assert response.status_code == 200
    assert _people_heading(response) == "1 person"
    assert "Gitte Gram" in _page(response)


# --- Query counts as the organisation grows ------------------------------------------------


def _grow_glostrup(count: int = 20) -> None:
    """Add units, people, working groups under SSP-Forum Glostrup, and their memberships."""
    glostrup = _glostrup()
    forum = _body("SSP-Forum Glostrup")
    for n in range(1, count + 1):
        unit = services.unit_create(
            municipality=glostrup,
            name=f"Vækstklub {n:02}",
            sector=Sector.LEISURE,
            parent=_unit("Klubberne"),
            phone="+45 43 23 62 00",
        )
        person = services.person_create(
            municipality=glostrup,
            full_name=f"Vækstperson {n:02}",
            job_title="Klubmedarbejder",
            sector=Sector.LEISURE,
            unit=unit,
            email=f"vaekst{n:02}@demo.ssp",
            phone="+45 43 23 62 01",
        )
        group = services.body_create(
            kind=BodyKind.WORKING_GROUP,
            name=f"Vækstgruppe {n:02}",
            municipality=glostrup,
            parent=forum,
            meeting_rhythm="Efter behov.",
        )
        services.membership_add(body=forum, person=person, role=MembershipRole.MEMBER)
        services.membership_add(body=group, person=person, role=MembershipRole.CHAIR)


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _assert_queries_stay_at(client: Client, url: str, expected: int) -> None:
    """The page takes `expected` queries, and as many again once Glostrup has grown."""
    client.get(url)  # Warm the per-process caches (content types), so both counts compare.
    before = _count_queries(client, url)

    _grow_glostrup()

    after = _count_queries(client, url)
    assert after == before, f"{url}: {before} queries before the growth, {after} after (N+1)"
    assert before == expected, f"{url}: {before} queries, pinned at {expected}"


def test_the_organisation_tree_takes_as_many_queries_with_twenty_more_bodies(
    admin_client: Client,
) -> None:
    url = reverse("forum:organisation", args=[_glostrup().pk])

    # User, municipality, the tree, two guardian permission checks, the police district.
    _assert_queries_stay_at(admin_client, url, expected=6)

    assert "Vækstgruppe 20" in _page(admin_client.get(url))


def test_a_body_page_takes_as_many_queries_with_twenty_more_members_and_bodies_under_it(
    admin_client: Client,
) -> None:
    url = reverse("forum:body_detail", args=[_body("SSP-Forum Glostrup").pk])

    # User, body, two guardian permission checks, children, members, the add form's people.
    _assert_queries_stay_at(admin_client, url, expected=7)

    page = _page(admin_client.get(url))
    assert "Vækstperson 20" in page
    assert "Vækstgruppe 20" in page


def test_the_directory_takes_as_many_queries_with_twenty_more_people_and_units(
    admin_client: Client,
) -> None:
    url = reverse("forum:directory")

    # User, two counts, the municipality choices, a page of people, a page of units.
    _assert_queries_stay_at(admin_client, url, expected=6)

    response = admin_client.get(url, {"q": "Vækst"})
    assert _people_heading(response) == "20 personer"
    assert _units_heading(response) == "20 enheder"
