"""Correcting a submitted concern in the browser (category, date, young person, with a reason)
and joining a concern already triaged to an existing case.

A correction never changes what was submitted: it is shown as an addendum, old → new, on the
concern page and on the timeline of the concern's case. The author and the municipality's
consultants correct; other readers of the concern get 403 (the permission table has the rest).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from cases import services
from cases.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    Concern,
    ConcernCategory,
    ConcernChange,
    ConcernStatus,
    SubjectKind,
    YoungPerson,
)
from forum.models import Municipality
from tests.personas import Personas

pytestmark = pytest.mark.django_db

FREJA = "Demo-Freja Fantasisen"
MIKKEL = "Demo-Mikkel Eksempelsen"


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _category(name: str) -> ConcernCategory:
    return ConcernCategory.objects.get(municipality=_glostrup(), name=name)


def _freja_concern() -> Concern:
    return Concern.objects.get(young_person__full_name=FREJA)


def _form(concern: Concern, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": concern.category_id,
        "observed_on": concern.observed_on.isoformat(),
        "young_person": concern.young_person_id or "",
        "reason": "Forkert kategori valgt ved indberetningen.",
    }
    data.update(overrides)
    return data


def _page(client: Client, concern: Concern) -> str:
    response = client.get(f"/bekymringer/{concern.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_author_corrects_category_and_date_and_the_page_shows_old_and_new(
    client: Client, personas: Personas
) -> None:
    concern = _freja_concern()
    old_date = concern.observed_on
    new_date = old_date - timedelta(days=5)
    client.force_login(personas.club)

    response = client.post(
        f"/bekymringer/{concern.pk}/ret/",
        _form(concern, category=_category("Vold").pk, observed_on=new_date.isoformat()),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/bekymringer/{concern.pk}/"
    concern.refresh_from_db()
    assert (concern.category.name, concern.observed_on) == ("Vold", new_date)
    page = _page(client, concern)
    assert f"Rettet af {personas.club.full_name}" in page
    assert "Kategori: <del>Mistrivsel</del> → <ins>Vold</ins>" in page
    old, new = (date_format(day, "j. F Y") for day in (old_date, new_date))
    assert f"Hvornår: <del>{old}</del> → <ins>{new}</ins>" in page
    assert "Begrundelse: Forkert kategori valgt ved indberetningen." in page
    # Court-safe: the original text is still there, word for word.
    assert "virker bange for at gå hjem" in page
    assert set(ConcernChange.objects.filter(concern=concern).values_list("field", flat=True)) == {
        "category",
        "observed_on",
    }


def test_a_correction_without_a_reason_is_refused_with_the_input_kept(
    client: Client, personas: Personas
) -> None:
    concern = _freja_concern()
    client.force_login(personas.consultant)

    response = client.post(
        f"/bekymringer/{concern.pk}/ret/",
        _form(concern, category=_category("Vold").pk, reason=""),
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Der er problemer på siden" in page
    assert f'<option value="{_category("Vold").pk}" selected>' in page
    concern.refresh_from_db()
    assert concern.category.name == "Mistrivsel"
    assert not ConcernChange.objects.filter(concern=concern).exists()


def test_a_correction_that_changes_nothing_is_refused(client: Client, personas: Personas) -> None:
    concern = _freja_concern()
    client.force_login(personas.consultant)

    response = client.post(f"/bekymringer/{concern.pk}/ret/", _form(concern))

    assert response.status_code == 422
    assert "Der er ikke ændret noget." in response.content.decode()


def test_the_consultant_moves_a_concern_to_the_right_young_person_shown_by_name(
    client: Client, personas: Personas
) -> None:
    concern = _freja_concern()
    twin = services.young_person_find_or_create(
        municipality=_glostrup(), full_name="Demo-Freja Fantasi", created_by=personas.consultant
    )
    client.force_login(personas.consultant)

    response = client.post(f"/bekymringer/{concern.pk}/ret/", _form(concern, young_person=twin.pk))

    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.young_person == twin
    assert f"Den unge: <del>{FREJA}</del> → <ins>Demo-Freja Fantasi</ins>" in _page(client, concern)


def test_a_reader_who_may_not_see_the_other_young_person_sees_a_number_not_a_name(
    client: Client, personas: Personas
) -> None:
    """The club worker wrote a concern about Freja; the consultant moved it to a record the
    club worker has no concern or case about: the worker learns no name from the correction."""
    concern = _freja_concern()
    other = services.young_person_find_or_create(
        municipality=_glostrup(), full_name="Demo-Skjult Personsen", created_by=personas.consultant
    )
    services.concern_correct(
        concern=concern, changed_by=personas.consultant, reason="Forveksling.", young_person=other
    )
    services.concern_correct(
        concern=concern,
        changed_by=personas.consultant,
        reason="Alligevel Freja.",
        young_person=YoungPerson.objects.get(full_name=FREJA),
    )
    client.force_login(personas.club)

    page = _page(client, concern)

    assert "Demo-Skjult Personsen" not in page, "the correction named a child the reader can't see"
    assert f"<del>ung nr. {other.pk}</del> → <ins>{FREJA}</ins>" in page


def test_the_young_person_of_a_concern_in_another_childs_case_cannot_be_changed(
    client: Client, personas: Personas
) -> None:
    mikkel_concern = Concern.objects.filter(young_person__full_name=MIKKEL).first()
    freja = YoungPerson.objects.get(full_name=FREJA)
    client.force_login(personas.consultant)

    response = client.post(
        f"/bekymringer/{mikkel_concern.pk}/ret/", _form(mikkel_concern, young_person=freja.pk)
    )

    assert response.status_code == 422
    assert "Bekymringen hører til en sag om en anden ung." in response.content.decode()
    mikkel_concern.refresh_from_db()
    assert mikkel_concern.young_person.full_name == MIKKEL


def test_a_young_person_the_author_may_not_see_cannot_be_chosen(
    client: Client, personas: Personas
) -> None:
    """The club worker may not see Amalie (her case is another team's): choosing her id is
    refused like any invalid choice, and nothing changes."""
    concern = _freja_concern()
    amalie = YoungPerson.objects.get(full_name="Demo-Amalie Tænktsen")
    client.force_login(personas.club)

    response = client.post(
        f"/bekymringer/{concern.pk}/ret/", _form(concern, young_person=amalie.pk)
    )

    assert response.status_code == 422
    assert "Demo-Amalie Tænktsen" not in response.content.decode()
    concern.refresh_from_db()
    assert concern.young_person.full_name == FREJA


def test_the_case_timeline_shows_a_correction_of_its_concern_old_and_new(
    client: Client, personas: Personas
) -> None:
    case = Case.objects.get(young_person__full_name=MIKKEL)
    concern = case.concerns.get()
    services.concern_correct(
        concern=concern,
        changed_by=personas.consultant,
        reason="Det var vold, ikke kriminalitet i øvrigt.",
        category=_category("Vold"),
    )
    client.force_login(personas.police)  # a reader of the case through the team's §115 basis

    page = client.get(f"/sager/{case.pk}/").content.decode()

    assert "Kategori: <del>Kriminalitet</del> → <ins>Vold</ins>" in page
    assert "Begrundelse: Det var vold, ikke kriminalitet i øvrigt." in page
    assert "nye, dyre ting" in page  # the original text is still on the timeline


def _closed_concern_about_mikkel(personas: Personas) -> Concern:
    concern = services.concern_submit(
        author=personas.club,
        municipality=_glostrup(),
        subject_kind=SubjectKind.PERSON,
        young_person=YoungPerson.objects.get(full_name=MIKKEL),
        category=_category("Kriminalitet"),
        description="Set med en ny knallert.",
        observed_on=timezone.localdate(),
    )
    return services.concern_close(
        concern=concern, by=personas.consultant, reason="Klubben tager den."
    )


def test_the_consultant_joins_a_closed_concern_to_the_young_persons_case(
    client: Client, personas: Personas
) -> None:
    concern = _closed_concern_about_mikkel(personas)
    case = Case.objects.get(young_person__full_name=MIKKEL)
    client.force_login(personas.consultant)
    page = _page(client, concern)
    assert "Knyt bekymringen til en sag om den unge" in page
    assert f'<option value="{case.pk}">Sag {case.pk} (Aktiv, oprettet ' in page

    response = client.post(
        f"/bekymringer/{concern.pk}/knyt-til-sag/",
        {"case": case.pk, "reason": "Hører til samme forløb."},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/sager/{case.pk}/"
    concern.refresh_from_db()
    assert (concern.case, concern.status, concern.closed_reason) == (
        case,
        ConcernStatus.LINKED,
        "Klubben tager den.",
    )
    assert CaseEvent.objects.filter(
        case=case, kind=CaseEventKind.CONCERN_LINKED, text__contains="Hører til samme forløb."
    ).exists()
    assert "Sag: <del>Afsluttet</del> → <ins>Sag" in _page(client, concern)


def test_a_case_about_another_young_person_cannot_be_chosen(
    client: Client, personas: Personas
) -> None:
    concern = _closed_concern_about_mikkel(personas)
    amalie_case = Case.objects.get(young_person__full_name="Demo-Amalie Tænktsen")
    client.force_login(personas.consultant)

    response = client.post(
        f"/bekymringer/{concern.pk}/knyt-til-sag/", {"case": amalie_case.pk, "reason": "Fejl."}
    )

    assert response.status_code == 422
    concern.refresh_from_db()
    assert concern.case_id is None


def test_a_new_concern_joins_a_case_by_triage_not_by_this_form(personas: Personas) -> None:
    from django.core.exceptions import ValidationError

    concern = _freja_concern()
    case = Case.objects.get(young_person__full_name=MIKKEL)

    with pytest.raises(ValidationError) as error:
        services.concern_attach_to_case(
            concern=concern, case=case, by=personas.consultant, reason="Test."
        )

    assert "Visiter bekymringen" in str(error.value)
