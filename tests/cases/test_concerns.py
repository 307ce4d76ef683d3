"""Logging a concern through the page, keeping it court-safe, and triage by the consultant.

Concerns are logged on /bekymringer/ny/ by any professional of the municipality. The
consultants and the chair/coordinator of the pupil's school team hear about it by an email
carrying only a link. Once submitted, the text is frozen by a database trigger; corrections
are addenda or logged changes. Only the municipality's SSP consultants triage.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import ProgrammingError, transaction
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import (
    Concern,
    ConcernCategory,
    ConcernChange,
    NotificationStatus,
    SubjectKind,
    YoungPerson,
)
from forum import services as forum_services
from forum.models import Body, Membership, MembershipRole, Municipality, Unit
from tests.personas import Personas

pytestmark = pytest.mark.django_db

URL = "/bekymringer/ny/"
VESTERVANG_SCHOOL = "Glostrup Skole, afdeling Vestervang"
ERROR_SUMMARY = "data-error-summary"


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _category(name: str) -> ConcernCategory:
    return ConcernCategory.objects.get(municipality=_glostrup(), name=name)


def _young(name: str) -> YoungPerson:
    return YoungPerson.objects.get(full_name=name)


def _form(**overrides: object) -> dict[str, object]:
    """A valid concern about a new young person at Vestervang, in a category that needs no
    answer about notification."""
    data: dict[str, object] = {
        "municipality": _glostrup().pk,
        "subject_kind": SubjectKind.PERSON,
        "full_name": "Test-Ida Nyberg",
        "birth_date": "",
        "cpr_number": "",
        "school": Unit.objects.get(name=VESTERVANG_SCHOOL).pk,
        "subject_description": "",
        "category": _category("Kriminalitet").pk,
        "description": "Set med en ny knallert uden nummerplade flere aftener i træk.",
        "observed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "location": "Ved hallen",
        "urgency": "normal",
        "notification_status": NotificationStatus.NOT_RELEVANT,
        "notified_by": "",
        "notified_on": "",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def _post(client: Client, user, **overrides: object):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.post(URL, _form(**overrides))


def _refused(response, *messages: str) -> str:  # type: ignore[no-untyped-def]
    """The page re-rendered with the DKFDS error summary listing the given messages."""
    assert response.status_code == 422
    page = response.content.decode()
    assert ERROR_SUMMARY in page
    assert "Der er problemer på siden" in page
    for message in messages:
        assert message in page, f"missing error message {message!r}"
    return page


def _cpr_with_check(prefix: str, *, valid_modulus: bool) -> str:
    """A ten-digit CPR number starting with `prefix` (nine digits) that passes or fails the
    old modulus-11 check."""
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    for last in range(10):
        digits = prefix + str(last)
        passes = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0
        if passes == valid_modulus:
            return f"{digits[:6]}-{digits[6:]}"
    raise AssertionError("no such check digit")


# --- Logging a concern ---------------------------------------------------------------------


def test_logging_a_concern_saves_one_and_mails_only_a_link_to_consultant_and_team_chair(
    client: Client, personas: Personas, django_capture_on_commit_callbacks
) -> None:
    before = Concern.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, personas.club)

    assert Concern.objects.count() == before + 1
    concern = Concern.objects.get(author=personas.club, reported_name="Test-Ida Nyberg")
    assert response.status_code == 302
    assert response["Location"] == f"/bekymringer/{concern.pk}/"
    assert concern.school_team == Body.objects.get(name="SSP-team Vestervang")
    # The consultant (also the team's coordinator) and the team's chair; not the team's
    # other members, and not the author.
    assert sorted(to for m in mail.outbox for to in m.to) == [
        personas.consultant.email,
        personas.leader.email,
    ]
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert f"/bekymringer/{concern.pk}/" in message.body
        for secret in ("Test-Ida", "Nyberg", "knallert", personas.club.full_name, "Kriminalitet"):
            assert secret not in text, f"LEAK: {secret!r} in a concern email"


def test_the_school_teams_coordinator_is_mailed_and_its_other_members_are_not(
    client: Client, personas: Personas, django_capture_on_commit_callbacks
) -> None:
    # SSP-team Nordvang: Erik Eriksen (chair, no login), Pia Pedersen and Sara Skov (members).
    sara = Membership.objects.get(body__name="SSP-team Nordvang", person__user=personas.social)
    forum_services.membership_change_role(membership=sara, role=MembershipRole.COORDINATOR, by=None)
    nordvang_school = Unit.objects.get(name="Glostrup Skole, afdeling Nordvang")

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, personas.club, school=nordvang_school.pk)

    assert response.status_code == 302
    assert sorted(to for m in mail.outbox for to in m.to) == [
        personas.consultant.email,
        personas.social.email,
    ]


def test_a_refused_concern_mails_nobody(
    client: Client, personas: Personas, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, personas.club, description="")

    _refused(response)
    assert mail.outbox == []


def test_a_concern_can_be_about_a_young_person_already_registered(
    client: Client, personas: Personas
) -> None:
    freja = _young("Demo-Freja Fantasisen")
    people_before = YoungPerson.objects.count()

    response = _post(client, personas.consultant, young_person=freja.pk, full_name="", school="")

    assert response.status_code == 302
    assert YoungPerson.objects.count() == people_before
    concern = Concern.objects.filter(author=personas.consultant).latest("submitted_at")
    assert concern.young_person == freja


def test_a_young_person_typed_into_the_form_is_kept_as_typed_until_the_consultant_settles_it(
    client: Client, personas: Personas
) -> None:
    people_before = YoungPerson.objects.count()

    response = _post(client, personas.club, birth_date="2012-03-04")

    assert response.status_code == 302
    assert YoungPerson.objects.count() == people_before, "registered before triage"
    concern = Concern.objects.get(reported_name="Test-Ida Nyberg")
    assert concern.young_person is None
    assert concern.reported_birth_date == date(2012, 3, 4)
    assert concern.reported_school.name == VESTERVANG_SCHOOL
    client.force_login(personas.consultant)

    settled = client.post(f"/bekymringer/{concern.pk}/ung/", {"young_person": "new"})

    assert settled.status_code == 302
    ida = _young("Test-Ida Nyberg")
    assert ida.birth_date == date(2012, 3, 4)
    assert ida.school.name == VESTERVANG_SCHOOL
    assert ida.concerns.get().author == personas.club
    change = ConcernChange.objects.get(concern=concern)
    assert (change.field, change.old_value, change.new_value) == ("young_person", "", str(ida.pk))


@pytest.mark.parametrize(
    ("kind", "description"),
    [
        (SubjectKind.UNKNOWN, "Dreng på ca. 14 år i grøn jakke"),
        (SubjectKind.GROUP, "Gruppe på fem unge ved skurene"),
        (SubjectKind.PLACE, "Stien bag idrætsparken"),
    ],
)
def test_a_concern_about_an_unknown_person_a_group_or_a_place_has_no_young_person(
    client: Client, personas: Personas, kind: str, description: str
) -> None:
    people_before = YoungPerson.objects.count()

    response = _post(client, personas.police, subject_kind=kind, subject_description=description)

    assert response.status_code == 302
    concern = Concern.objects.get(subject_description=description)
    assert concern.subject_kind == kind
    assert concern.young_person is None
    assert YoungPerson.objects.count() == people_before, "the typed-in name was registered"
    page = client.get(f"/bekymringer/{concern.pk}/").content.decode()
    assert description in page


def test_a_concern_about_a_group_needs_a_description_of_it(
    client: Client, personas: Personas
) -> None:
    before = Concern.objects.count()

    response = _post(client, personas.police, subject_kind=SubjectKind.GROUP, full_name="")

    _refused(response, "Beskriv kort den unge, gruppen eller stedet, bekymringen handler om.")
    assert Concern.objects.count() == before


def test_submitting_the_same_form_twice_creates_one_concern(
    client: Client, personas: Personas
) -> None:
    before = Concern.objects.count()
    data = _form()
    client.force_login(personas.club)

    first = client.post(URL, data)
    second = client.post(URL, data)

    assert Concern.objects.count() == before + 1
    assert Concern.objects.filter(reported_name="Test-Ida Nyberg").count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_another_user_resubmitting_a_used_form_logs_their_own_concern(
    client: Client, personas: Personas
) -> None:
    data = _form()
    client.force_login(personas.club)
    client.post(URL, data)
    before = Concern.objects.count()
    client.force_login(personas.police)

    response = client.post(URL, data)

    assert response.status_code == 302
    assert Concern.objects.count() == before + 1
    mine = Concern.objects.filter(author=personas.police).latest("submitted_at")
    assert response["Location"] == f"/bekymringer/{mine.pk}/"
    assert str(mine.submission_token) != data["submission_token"]


def test_a_missing_description_is_refused_with_the_input_kept_and_nothing_saved(
    client: Client, personas: Personas
) -> None:
    concerns, people = Concern.objects.count(), YoungPerson.objects.count()

    response = _post(client, personas.club, description="", location="Ved den gamle kiosk")

    page = _refused(response, "Dette felt er påkrævet.")
    assert 'href="#id_description"' in page, "the summary does not link to the field"
    assert 'value="Test-Ida Nyberg"' in page
    assert 'value="Ved den gamle kiosk"' in page
    assert (Concern.objects.count(), YoungPerson.objects.count()) == (concerns, people)


@pytest.mark.parametrize(
    ("field", "length", "limit"),
    [("description", 10_001, 10_000), ("full_name", 201, 200), ("location", 201, 200)],
)
def test_over_long_input_is_refused_and_nothing_saved(
    client: Client, personas: Personas, field: str, length: int, limit: int
) -> None:
    concerns, people = Concern.objects.count(), YoungPerson.objects.count()

    response = _post(client, personas.club, **{field: "x" * length})

    page = _refused(response, f"Denne værdi må højst have {limit} tegn (den har {length}).")
    assert f'href="#id_{field}"' in page
    assert (Concern.objects.count(), YoungPerson.objects.count()) == (concerns, people)


def test_html_in_a_concern_is_shown_as_text_not_run(client: Client, personas: Personas) -> None:
    script = "<script>alert('x')</script><b>fed</b>"
    response = _post(
        client,
        personas.police,
        subject_kind=SubjectKind.PLACE,
        subject_description=f"Sted {script}",
        description=f"Tekst {script}",
        location=f"Hvor {script}",
    )
    concern = Concern.objects.get(author=personas.police, description__startswith="Tekst")
    assert response.status_code == 302

    page = client.get(f"/bekymringer/{concern.pk}/").content.decode()

    assert "<script>alert" not in page
    assert "<b>fed</b>" not in page
    assert page.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") == 3


# --- Birth dates and CPR numbers -----------------------------------------------------------


def test_a_birth_date_in_the_future_is_refused(client: Client, personas: Personas) -> None:
    people = YoungPerson.objects.count()
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = _post(client, personas.club, birth_date=tomorrow.isoformat())

    _refused(response, "Fødselsdatoen kan ikke ligge i fremtiden.")
    assert YoungPerson.objects.count() == people


def test_a_cpr_number_that_is_not_a_date_is_refused(client: Client, personas: Personas) -> None:
    people = YoungPerson.objects.count()

    response = _post(client, personas.club, cpr_number="320110-4123")

    page = _refused(response, "CPR-nummeret begynder ikke med en gyldig dato (DDMMÅÅ).")
    assert YoungPerson.objects.count() == people
    assert 'value="320110-4123"' in page


def test_a_cpr_number_failing_modulus_11_with_a_valid_date_is_accepted(
    client: Client, personas: Personas
) -> None:
    number = _cpr_with_check("010110412", valid_modulus=False)

    response = _post(client, personas.club, cpr_number=number)

    assert response.status_code == 302
    ida = Concern.objects.get(reported_name="Test-Ida Nyberg")
    assert ida.reported_birth_date == date(2010, 1, 1)
    assert ida.reported_masked_cpr == "010110-XXXX"
    assert number.replace("-", "") not in ida.reported_cpr_token, "CPR stored in clear text"


# --- Barnets lov: the duty to notify -------------------------------------------------------


def test_under_18_with_a_support_category_must_answer_about_notification(
    client: Client, personas: Personas
) -> None:
    concerns, people = Concern.objects.count(), YoungPerson.objects.count()

    response = _post(
        client, personas.club, category=_category("Rusmidler").pk, birth_date="2012-03-04"
    )

    _refused(
        response,
        "Svar på, om du eller din leder har underrettet kommunen: den unge er under 18 år "
        "(eller alderen er ukendt), og bekymringen kan tyde på behov for støtte.",
    )
    assert (Concern.objects.count(), YoungPerson.objects.count()) == (concerns, people)


def test_an_unknown_age_with_a_support_category_must_answer_about_notification(
    client: Client, personas: Personas
) -> None:
    response = _post(client, personas.club, category=_category("Rusmidler").pk)

    _refused(response, "Svar på, om du eller din leder har underrettet kommunen")


def test_18_or_older_with_a_support_category_needs_no_answer(
    client: Client, personas: Personas
) -> None:
    today = timezone.localdate()
    adult = today.replace(year=today.year - 19).isoformat()

    response = _post(client, personas.club, category=_category("Rusmidler").pk, birth_date=adult)

    assert response.status_code == 302


def test_a_notification_made_must_say_by_whom_and_when(client: Client, personas: Personas) -> None:
    before = Concern.objects.count()

    response = _post(
        client,
        personas.club,
        category=_category("Rusmidler").pk,
        birth_date="2012-03-04",
        notification_status=NotificationStatus.DONE,
    )

    _refused(response, "Skriv, hvem der har underrettet.", "Skriv, hvornår der blev underrettet.")
    assert Concern.objects.count() == before


def test_a_notification_cannot_be_dated_in_the_future(client: Client, personas: Personas) -> None:
    response = _post(
        client,
        personas.club,
        notification_status=NotificationStatus.DONE,
        notified_by="Kasper Krog",
        notified_on=(timezone.localdate() + timedelta(days=2)).isoformat(),
    )

    _refused(response, "Datoen for underretningen kan ikke ligge i fremtiden.")


def test_who_notified_and_when_is_recorded_and_the_system_sends_nothing_itself(
    client: Client, personas: Personas, django_capture_on_commit_callbacks
) -> None:
    client.force_login(personas.club)
    form_page = client.get(URL).content.decode()
    assert "Systemet sender ikke underretningen for dig." in form_page
    notified_on = timezone.localdate() - timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            personas.club,
            category=_category("Rusmidler").pk,
            birth_date="2012-03-04",
            notification_status=NotificationStatus.DONE,
            notified_by="Kasper Krog",
            notified_on=notified_on.isoformat(),
        )

    assert response.status_code == 302
    concern = Concern.objects.get(reported_name="Test-Ida Nyberg")
    assert concern.notification_status == NotificationStatus.DONE
    assert (concern.notified_by, concern.notified_on) == ("Kasper Krog", notified_on)
    # Only the SSP mails go out: nothing to the family department on the user's behalf.
    assert sorted(to for m in mail.outbox for to in m.to) == [
        personas.consultant.email,
        personas.leader.email,
    ]
    for message in mail.outbox:
        assert "underret" not in message.body.lower()
    page = client.get(response["Location"], follow=False).content.decode()
    assert "Tak. Bekymringen er sendt til SSP-konsulenten og skolens SSP-team." in page
    assert "Underretning er sendt – Kasper Krog" in page


# --- Court-safety --------------------------------------------------------------------------


def _submitted(personas: Personas, text: str = "Oprindelig tekst.") -> Concern:
    return services.concern_submit(
        author=personas.club,
        municipality=_glostrup(),
        subject_kind=SubjectKind.PLACE,
        subject_description="Stationen",
        category=_category("Kriminalitet"),
        description=text,
        observed_on=timezone.localdate() - timedelta(days=2),
    )


def test_the_database_refuses_to_change_a_submitted_concerns_text(personas: Personas) -> None:
    concern = _submitted(personas)

    with pytest.raises(ProgrammingError, match="cannot change"), transaction.atomic():
        Concern.objects.filter(pk=concern.pk).update(description="Omskrevet.")

    concern.refresh_from_db()
    assert concern.description == "Oprindelig tekst."


@pytest.mark.parametrize("field", ["author", "submitted_at"])
def test_the_database_refuses_to_change_who_submitted_a_concern_or_when(
    personas: Personas, field: str
) -> None:
    concern = _submitted(personas)
    value = personas.police if field == "author" else timezone.now() - timedelta(days=30)

    with pytest.raises(ProgrammingError, match="cannot change"), transaction.atomic():
        Concern.objects.filter(pk=concern.pk).update(**{field: value})


def test_the_database_refuses_to_delete_a_submitted_concern(personas: Personas) -> None:
    concern = _submitted(personas)

    with pytest.raises(ProgrammingError, match="cannot be deleted"), transaction.atomic():
        Concern.objects.filter(pk=concern.pk).delete()

    assert Concern.objects.filter(pk=concern.pk).exists()


def test_an_addendum_is_appended_and_the_original_text_stays(
    client: Client, personas: Personas
) -> None:
    concern = _submitted(personas)
    client.force_login(personas.club)

    response = client.post(
        f"/bekymringer/{concern.pk}/tilfoejelse/", {"text": "Rettelse: det var torsdag."}
    )

    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.description == "Oprindelig tekst."
    assert [a.text for a in concern.addenda.all()] == ["Rettelse: det var torsdag."]
    page = client.get(f"/bekymringer/{concern.pk}/").content.decode()
    assert page.index("Oprindelig tekst.") < page.index("Rettelse: det var torsdag.")
    assert f"Tilføjet af {personas.club.full_name}" in page


def test_an_empty_addendum_is_refused(client: Client, personas: Personas) -> None:
    concern = _submitted(personas)
    client.force_login(personas.club)

    response = client.post(f"/bekymringer/{concern.pk}/tilfoejelse/", {"text": "  "})

    _refused(response)
    assert concern.addenda.count() == 0


def test_someone_who_sees_a_concern_but_did_not_write_it_cannot_add_to_it(
    client: Client, personas: Personas
) -> None:
    freja_concern = Concern.objects.get(young_person__full_name="Demo-Freja Fantasisen")
    client.force_login(personas.leader)  # chair of the school team: reads it, did not write it

    response = client.post(f"/bekymringer/{freja_concern.pk}/tilfoejelse/", {"text": "Hej"})

    assert response.status_code == 403
    assert freja_concern.addenda.count() == 0


def test_a_correction_of_category_date_and_person_logs_who_what_and_why(
    personas: Personas,
) -> None:
    concern = Concern.objects.get(young_person__full_name="Demo-Freja Fantasisen")
    old_date = concern.observed_on
    new_date = old_date - timedelta(days=7)
    mikkel = _young("Demo-Mikkel Eksempelsen")

    services.concern_correct(
        concern=concern,
        changed_by=personas.consultant,
        reason="Forvekslet ved indberetningen.",
        category=_category("Vold"),
        observed_on=new_date,
        young_person=mikkel,
    )

    changes = {
        c.field: (c.old_value, c.new_value, c.changed_by, c.reason)
        for c in ConcernChange.objects.filter(concern=concern)
    }
    why = (personas.consultant, "Forvekslet ved indberetningen.")
    assert changes == {
        "category": ("Mistrivsel", "Vold", *why),
        "observed_on": (old_date.isoformat(), new_date.isoformat(), *why),
        "young_person": (str(_young("Demo-Freja Fantasisen").pk), str(mikkel.pk), *why),
    }
    concern.refresh_from_db()
    assert (concern.category.name, concern.observed_on, concern.young_person) == (
        "Vold",
        new_date,
        mikkel,
    )


def test_a_correction_needs_a_reason_and_saves_nothing_without_one(personas: Personas) -> None:
    concern = _submitted(personas)

    with pytest.raises(ValidationError) as error:
        services.concern_correct(
            concern=concern, changed_by=personas.consultant, reason=" ", category=_category("Vold")
        )

    assert error.value.message_dict == {"reason": ["Skriv en begrundelse."]}
    concern.refresh_from_db()
    assert concern.category.name == "Kriminalitet"
    assert not ConcernChange.objects.filter(concern=concern).exists()


def test_a_logged_correction_is_shown_on_the_concern_page(
    client: Client, personas: Personas
) -> None:
    concern = _submitted(personas)
    services.concern_correct(
        concern=concern,
        changed_by=personas.consultant,
        reason="Forkert kategori valgt.",
        category=_category("Vold"),
    )
    client.force_login(personas.club)

    page = client.get(f"/bekymringer/{concern.pk}/").content.decode()

    assert f"Rettet af {personas.consultant.full_name}" in page
    assert "Kategori: <del>Kriminalitet</del> → <ins>Vold</ins>" in page
    assert "Begrundelse: Forkert kategori valgt." in page
