"""The concern form right the first time: plausible dates, labels that say when a field is
needed, the Barnets lov question only when it applies, one concern per rendered form, and the
author's own list of concerns (closed ones too)."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from cases import services
from cases.concern_dates import BIRTH_YEARS_BACK, OBSERVED_YEARS_BACK
from cases.models import Concern, ConcernCategory, NotificationStatus, SubjectKind
from forum.models import Municipality
from tests.personas import Personas

pytestmark = pytest.mark.django_db

URL = "/bekymringer/ny/"
QUESTION = "Har du eller din leder underrettet kommunen?"


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _category(name: str) -> ConcernCategory:
    return ConcernCategory.objects.get(municipality=_glostrup(), name=name)


def _form(**overrides: object) -> dict[str, object]:
    """Only what a user must give: the defaults of the blank form and three fields."""
    data: dict[str, object] = {
        "municipality": _glostrup().pk,
        "subject_kind": SubjectKind.PERSON,
        "full_name": "Test-Bo Formsen",
        "category": _category("Kriminalitet").pk,
        "description": "Set med en ny knallert uden nummerplade.",
        "observed_on": timezone.localdate().isoformat(),
        "urgency": "normal",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _freja_pk() -> int:
    from cases.models import YoungPerson

    return YoungPerson.objects.get(full_name="Demo-Freja Fantasisen").pk


def _years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


def _input(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, f"no input {name}"
    return match.group(0)


# --- Dates ---------------------------------------------------------------------------------


def test_every_date_input_tells_the_browser_its_plausible_range(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.club)
    page = client.get(URL).content.decode()
    today = timezone.localdate().isoformat()

    for name, years in (
        ("birth_date", BIRTH_YEARS_BACK),
        ("observed_on", OBSERVED_YEARS_BACK),
        ("notified_on", OBSERVED_YEARS_BACK),
    ):
        field = _input(page, name)
        assert f'min="{_years_ago(years).isoformat()}"' in field, name
        assert f'max="{today}"' in field, name


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("observed_on", "0001-01-01", "Datoen kan højst ligge 3 år tilbage"),
        ("observed_on", "future", "Datoen kan ikke ligge i fremtiden."),
        ("birth_date", "1960-05-05", "SSP arbejder med børn og unge"),
        ("notified_on", "future", "Datoen for underretningen kan ikke ligge i fremtiden."),
        ("notified_on", "0001-01-01", "Datoen for underretningen kan højst ligge 3 år tilbage"),
    ],
)
def test_an_implausible_date_is_refused_with_a_clear_message_and_nothing_saved(
    client: Client, personas: Personas, field: str, value: str, message: str
) -> None:
    client.force_login(personas.club)
    if value == "future":
        value = (timezone.localdate() + timedelta(days=1)).isoformat()
    extra = (
        {"notification_status": "done", "notified_by": "Lederen"} if field == "notified_on" else {}
    )
    before = Concern.objects.count()

    response = client.post(URL, _form(**{field: value}, **extra))

    assert response.status_code == 422
    assert message in response.content.decode()
    assert Concern.objects.count() == before


def test_the_service_refuses_implausible_dates_by_field(personas: Personas) -> None:
    with pytest.raises(ValidationError) as refused:
        services.concern_submit(
            author=personas.club,
            municipality=_glostrup(),
            subject_kind=SubjectKind.PERSON,
            reported=services.ReportedIdentity(
                full_name="Test-Bo Formsen", birth_date=date(1950, 1, 1)
            ),
            category=_category("Kriminalitet"),
            description="Set ved hallen.",
            observed_on=date(1, 1, 1),
            notification_status=NotificationStatus.DONE,
            notified_by="Lederen",
            notified_on=timezone.localdate() + timedelta(days=3),
        )

    assert set(refused.value.message_dict) == {"birth_date", "observed_on", "notified_on"}


def test_a_cpr_number_of_someone_far_too_old_is_refused(client: Client, personas: Personas) -> None:
    client.force_login(personas.club)

    response = client.post(URL, _form(cpr_number="010150-1234"))

    assert response.status_code == 422
    assert "CPR-nummeret giver en fødselsdato, SSP ikke arbejder med." in response.content.decode()


# --- Labels and the Barnets lov question ---------------------------------------------------


def test_labels_say_when_a_field_is_needed_instead_of_optional(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.club)
    page = client.get(URL).content.decode()

    for label, when in (
        ("Den unges navn", "skal udfyldes, hvis du ikke har valgt den unge i søgningen"),
        ("Beskriv den unge, gruppen eller stedet", "skal udfyldes, når bekymringen ikke"),
        (QUESTION, "skal besvares, når den unge er under 18 år"),
        ("Hvem underrettede?", "skal udfyldes, hvis der er underrettet"),
    ):
        start = page.index(label)
        label_text = page[start : page.index("</", page.index("</span>", start))]
        assert when in label_text, f"{label!r} does not say when it is needed"
        assert "frivilligt" not in label_text, f"{label!r} is called optional"
    assert "Ikke relevant" not in page, "the question offers an answer refused for under-18s"


def test_the_common_concern_is_accepted_on_the_first_submit(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.club)

    response = client.post(URL, _form())

    assert response.status_code == 302
    concern = Concern.objects.get(reported_name="Test-Bo Formsen")
    assert concern.notification_status == NotificationStatus.NOT_RELEVANT


@pytest.mark.parametrize(
    ("overrides", "asked"),
    [
        ({"category": "Rusmidler"}, True),  # age unknown: asked rather than miss a child
        ({"category": "Rusmidler", "birth_date": "2012-03-04"}, True),
        ({"category": "Rusmidler", "cpr_number": "040312-4123"}, True),
        ({"category": "Rusmidler", "birth_date": "adult"}, False),
        ({"category": "Kriminalitet"}, False),
        ({"category": "Rusmidler", "subject_kind": SubjectKind.PLACE}, False),
        ({"category": "Rusmidler", "young_person": "Demo-Freja Fantasisen"}, True),
        ({"category": None}, False),
    ],
)
def test_the_barnets_lov_question_is_asked_only_when_it_applies(
    client: Client, personas: Personas, overrides: dict, asked: bool
) -> None:
    from cases.models import YoungPerson

    client.force_login(personas.club)
    data = _form(**overrides)
    if data.get("category"):
        data["category"] = _category(str(data["category"])).pk
    if data.get("birth_date") == "adult":
        data["birth_date"] = _years_ago(20).isoformat()
    if "young_person" in data:
        data["young_person"] = YoungPerson.objects.get(full_name=data["young_person"]).pk

    response = client.post("/bekymringer/ny/underretning/", data)

    assert response.status_code == 200
    assert (QUESTION in response.content.decode()) is asked


def test_a_support_concern_about_a_child_is_accepted_with_the_answer(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.club)

    refused = client.post(URL, _form(category=_category("Rusmidler").pk))
    accepted = client.post(
        URL,
        _form(
            category=_category("Rusmidler").pk,
            notification_status=NotificationStatus.WILL_BE_DONE,
        ),
    )

    assert refused.status_code == 422
    assert QUESTION in refused.content.decode()
    assert accepted.status_code == 302


# --- One concern per rendered form ---------------------------------------------------------


def test_the_same_form_sent_twice_makes_one_concern_even_if_resent_incomplete(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.club)
    data = _form()
    before = Concern.objects.count()

    first = client.post(URL, data)
    again = client.post(URL, data)
    partly_restored = client.post(URL, {**data, "description": "", "full_name": ""})

    assert Concern.objects.count() == before + 1
    assert first.status_code == again.status_code == partly_restored.status_code == 302
    assert first["Location"] == again["Location"] == partly_restored["Location"]


def test_back_and_send_with_a_new_token_finds_the_concern_already_made(
    client: Client, personas: Personas
) -> None:
    """Back asks the server for the form again (it is `no-store`): a new token, and the
    browser restores the typed text but not the lookup's result."""
    client.force_login(personas.club)
    data = _form(full_name="", young_person=_freja_pk())
    first = client.post(URL, data)
    before = Concern.objects.count()

    restored = {**data, "submission_token": str(uuid.uuid4())}
    del restored["young_person"]
    again = client.post(URL, restored)

    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Concern.objects.count() == before


def test_the_same_text_about_another_child_is_a_new_concern(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.club)
    client.post(URL, _form(full_name="Test-Ene Barnesen"))
    before = Concern.objects.count()

    other = client.post(
        URL, _form(full_name="Test-Anden Barnesen", submission_token=str(uuid.uuid4()))
    )

    assert other.status_code == 302
    assert Concern.objects.count() == before + 1


# --- Mine bekymringer ----------------------------------------------------------------------


def test_mine_bekymringer_is_in_the_menu_and_on_the_front_page(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.club)

    front = client.get("/").content.decode()

    assert front.count('href="/bekymringer/mine/"') >= 2, "not in both the menu and the page"


def test_a_concern_closed_without_a_case_stays_in_the_authors_and_consultants_lists(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.club)
    client.post(URL, _form(description="Lukkes uden sag."))
    concern = Concern.objects.get(description="Lukkes uden sag.")
    services.concern_close(concern=concern, by=personas.consultant, reason="Klaret i klubben.")

    mine = client.get("/bekymringer/mine/").content.decode()
    client.force_login(personas.consultant)
    closed = client.get("/bekymringer/visitation/?vis=afsluttede").content.decode()
    queue = client.get("/bekymringer/visitation/").content.decode()

    item = mine[mine.index(f"/bekymringer/{concern.pk}/") :]
    assert "Afsluttet uden sag" in item[: item.index("</li>")]
    assert f"/bekymringer/{concern.pk}/" in closed
    assert "Klaret i klubben." in closed
    assert f"/bekymringer/{concern.pk}/" not in queue
    assert "?vis=afsluttede" in queue
