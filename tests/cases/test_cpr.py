"""CPR numbers are validated by their date, stored encrypted with a keyed hash for lookup, shown
masked, survive key rotation, and never leave the system in full: not in URLs, emails, the
access log or rendered pages."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases import cpr, services
from cases.models import (
    Case,
    Concern,
    ConcernCategory,
    NotificationStatus,
    PreventionKind,
    PreventionLevel,
    SubjectKind,
    YoungPerson,
)
from forum.models import Body, Municipality
from ssp.models import AuditEvent
from tests.personas import Personas

pytestmark = pytest.mark.django_db

WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
BIRTH_DATE = date(2012, 5, 17)  # the 7th digit 4 with year 12 means 2012


def _passes_modulus_11(digits: str) -> bool:
    return sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11 == 0


def _cpr(*, modulus_11: bool, prefix: str = "1705124") -> str:
    """A CPR number for BIRTH_DATE that passes, or fails, the old modulus-11 check."""
    for tail in range(1000):
        digits = f"{prefix}{tail:03d}"
        if _passes_modulus_11(digits) == modulus_11:
            return digits
    raise AssertionError("no such number")


VALID = _cpr(modulus_11=True)
WITHOUT_MODULUS_11 = _cpr(modulus_11=False)
DASHED = f"{VALID[:6]}-{VALID[6:]}"
MASKED = f"{VALID[:6]}-XXXX"


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _register(personas: Personas, cpr_number: str, name: str = "Test-Cpr Ungsen") -> YoungPerson:
    return services.young_person_find_or_create(
        municipality=_glostrup(),
        full_name=name,
        cpr_number=cpr_number,
        created_by=personas.consultant,
    )


def _raw_row(young_person: YoungPerson) -> str:
    """The young person's row exactly as PostgreSQL holds it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT row_to_json(p)::text FROM cases_youngperson p WHERE id = %s",
            [young_person.pk],
        )
        return cursor.fetchone()[0]


# --- Validation ----------------------------------------------------------------------------


def test_a_valid_number_gives_its_digits_and_birth_date() -> None:
    assert cpr.validate(DASHED) == (VALID, BIRTH_DATE)
    assert cpr.validate(f" {VALID} ") == (VALID, BIRTH_DATE)


def test_a_number_failing_modulus_11_with_a_real_date_is_accepted(personas: Personas) -> None:
    assert not _passes_modulus_11(WITHOUT_MODULUS_11)

    young_person = _register(personas, WITHOUT_MODULUS_11)

    assert young_person.birth_date == BIRTH_DATE
    assert young_person.masked_cpr == f"{WITHOUT_MODULUS_11[:6]}-XXXX"


@pytest.mark.parametrize(
    ("number", "born"),
    [
        ("290200-4000", date(2000, 2, 29)),  # a leap day: 2000 was a leap year
        ("010190-1234", date(1990, 1, 1)),  # 7th digit 0-3: the 1900s
        ("010160-5234", date(1860, 1, 1)),  # 7th digit 5-8 and year above 57: the 1800s
        ("010170-9234", date(1970, 1, 1)),  # 7th digit 9 and year above 36: the 1900s
    ],
)
def test_the_seventh_digit_gives_the_century(number: str, born: date) -> None:
    assert cpr.validate(number)[1] == born


@pytest.mark.parametrize(
    "number",
    ["310299-1234", "300299-1234", "290201-1234", "320112-4000", "011312-4000", "000112-4000"],
)
def test_an_impossible_date_is_refused_in_danish(number: str) -> None:
    with pytest.raises(ValidationError) as refused:
        cpr.validate(number)

    assert refused.value.code == "cpr_date"
    assert refused.value.messages == ["CPR-nummeret begynder ikke med en gyldig dato (DDMMÅÅ)."]


def test_a_birth_date_in_the_future_is_refused() -> None:
    year2 = (timezone.localdate().year + 1) % 100
    with pytest.raises(ValidationError) as refused:
        cpr.validate(f"0101{year2:02d}-4000")

    assert refused.value.messages == ["CPR-nummeret angiver en fødselsdato i fremtiden."]


@pytest.mark.parametrize("number", ["12345", "170512-41", "17O512-4123", "170512/4123"])
def test_anything_but_ten_digits_is_refused(number: str) -> None:
    with pytest.raises(ValidationError) as refused:
        cpr.normalise(number)

    assert refused.value.messages == ["Skriv CPR-nummeret som 10 cifre, fx 010203-1234."]


def test_the_service_reports_an_impossible_date_on_the_cpr_field(personas: Personas) -> None:
    before = YoungPerson.objects.count()

    with pytest.raises(ValidationError) as refused:
        _register(personas, "310299-1234")

    assert refused.value.message_dict == {
        "cpr_number": ["CPR-nummeret begynder ikke med en gyldig dato (DDMMÅÅ)."]
    }
    assert YoungPerson.objects.count() == before


def test_a_birth_date_that_contradicts_the_number_is_refused(personas: Personas) -> None:
    with pytest.raises(ValidationError) as refused:
        services.young_person_find_or_create(
            municipality=_glostrup(),
            full_name="Test-Cpr Ungsen",
            birth_date=date(2012, 5, 18),
            cpr_number=VALID,
            created_by=personas.consultant,
        )

    assert refused.value.message_dict == {
        "birth_date": ["Fødselsdatoen passer ikke med CPR-nummeret."]
    }


# --- Storage --------------------------------------------------------------------------------


def test_the_number_is_stored_encrypted_and_never_in_clear_text(personas: Personas) -> None:
    young_person = _register(personas, DASHED)

    row = _raw_row(young_person)

    assert VALID not in row, "the database row holds the CPR number in clear text"
    assert VALID[6:] not in row, "the database row holds the last four digits"
    assert young_person.cpr_token.startswith("gAAAAA"), "not a Fernet token"
    assert cpr.decrypt(young_person.cpr_token) == VALID
    assert young_person.birth_date == BIRTH_DATE


def test_the_keyed_hash_finds_the_same_young_person_again(personas: Personas) -> None:
    first = _register(personas, DASHED, name="Test-Første Registrering")

    again = _register(personas, f"  {VALID}  ", name="Test-Anden Registrering")
    other = _register(personas, WITHOUT_MODULUS_11, name="Test-Tredje Registrering")

    assert first.cpr_hash == cpr.lookup_hash(VALID)
    assert again.pk == first.pk
    assert again.full_name == "Test-Første Registrering"
    assert other.pk != first.pk
    assert YoungPerson.objects.get(cpr_hash=cpr.lookup_hash(VALID)).pk == first.pk


def test_the_hash_depends_on_the_secret_key(settings) -> None:  # type: ignore[no-untyped-def]
    ours = cpr.lookup_hash(VALID)
    settings.CPR_HASH_KEY = "another-installation"

    theirs = cpr.lookup_hash(VALID)

    assert ours != theirs
    assert VALID not in ours
    assert VALID not in theirs


def test_the_display_is_masked(personas: Personas) -> None:
    young_person = _register(personas, VALID)

    assert young_person.masked_cpr == MASKED
    assert cpr.mask(VALID) == MASKED


def test_a_young_person_without_a_number_has_nothing_to_mask(personas: Personas) -> None:
    young_person = YoungPerson.objects.get(full_name="Demo-Mikkel Eksempelsen")

    assert (young_person.cpr_token, young_person.cpr_hash, young_person.masked_cpr) == ("", "", "")


# --- Key rotation ---------------------------------------------------------------------------


def test_an_old_key_still_decrypts_after_a_new_key_is_prepended(
    personas: Personas,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    old_key = Fernet.generate_key().decode()
    new_key = Fernet.generate_key().decode()
    settings.CPR_ENCRYPTION_KEYS = [old_key]
    young_person = _register(personas, VALID)

    settings.CPR_ENCRYPTION_KEYS = [new_key, old_key]
    young_person.refresh_from_db()
    newer = _register(personas, WITHOUT_MODULUS_11, name="Test-Efter Rotation")

    assert young_person.masked_cpr == MASKED
    assert cpr.decrypt(young_person.cpr_token) == VALID
    assert cpr.decrypt(newer.cpr_token) == WITHOUT_MODULUS_11
    settings.CPR_ENCRYPTION_KEYS = [new_key]
    assert cpr.decrypt(newer.cpr_token) == WITHOUT_MODULUS_11, "the first key encrypts"
    with pytest.raises(InvalidToken):
        cpr.decrypt(young_person.cpr_token)


def test_a_retired_key_no_longer_decrypts(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CPR_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    token = cpr.encrypt(VALID)

    settings.CPR_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(InvalidToken):
        cpr.decrypt(token)


# --- The number never leaves in full --------------------------------------------------------


def _assert_no_cpr(text: str, where: str) -> None:
    assert VALID not in text, f"LEAK: the CPR number in {where}"
    assert DASHED not in text, f"LEAK: the CPR number in {where}"


def test_a_concern_with_a_cpr_number_leaks_it_nowhere(
    client: Client,
    personas: Personas,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    glostrup = _glostrup()
    client.force_login(personas.club)
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/bekymringer/ny/",
            {
                "municipality": glostrup.pk,
                "subject_kind": SubjectKind.PERSON,
                "full_name": "Test-Cpr Ungsen",
                "cpr_number": DASHED,
                "category": ConcernCategory.objects.get(
                    municipality=glostrup, name="Kriminalitet"
                ).pk,
                "description": "Set med en kniv i skoletasken.",
                "observed_on": timezone.localdate().isoformat(),
                "urgency": "normal",
                "notification_status": NotificationStatus.NOT_RELEVANT,
                "submission_token": str(uuid.uuid4()),
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    concern = Concern.objects.get(reported_name="Test-Cpr Ungsen")
    assert response["Location"] == f"/bekymringer/{concern.pk}/"
    assert cpr.decrypt(concern.reported_cpr_token) == VALID
    assert VALID not in concern.reported_cpr_token, "CPR stored in clear text"
    assert mail.outbox, "the consultants should have been told"
    for message in mail.outbox:
        _assert_no_cpr(message.subject + message.body, f"the email to {message.to}")
        assert "Test-Cpr Ungsen" not in message.body
    client.force_login(personas.consultant)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Test-Cpr Ungsen" in page.content.decode()
    _assert_no_cpr(page.content.decode(), "the concern page")
    events = AuditEvent.objects.filter(id__gt=last_event or 0)
    assert events.exists()
    for event in events.values():
        _assert_no_cpr(str(event), f"audit event {event['id']}")


def test_the_case_page_shows_only_the_masked_number(client: Client, personas: Personas) -> None:
    glostrup = _glostrup()
    young_person = _register(personas, VALID)
    case = services.case_open(
        municipality=glostrup,
        young_person=young_person,
        responsible_body=Body.objects.get(municipality=glostrup, name="Mandagsgruppen (§115)"),
        opened_by=personas.consultant,
        level=PreventionLevel.INDIVIDUAL,
        prevention_kind=PreventionKind.REACTIVE,
    )
    client.force_login(personas.consultant)

    page = client.get(f"/sager/{case.pk}/")
    listing = client.get("/sager/", {"q": "Test-Cpr"})

    assert page.status_code == 200
    _assert_no_cpr(page.content.decode(), "the case page")
    assert MASKED in page.content.decode()
    assert listing.status_code == 200
    assert "Test-Cpr Ungsen" in listing.content.decode()
    _assert_no_cpr(listing.content.decode(), "the case list")
    assert Case.objects.get(pk=case.pk).young_person.masked_cpr == MASKED


def test_searching_cases_by_cpr_number_is_refused_and_not_logged_in_full(
    client: Client, personas: Personas
) -> None:
    _register(personas, VALID)
    client.force_login(personas.consultant)
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    response = client.get("/sager/", {"q": DASHED}, headers={"HX-Request": "true"})

    assert response.status_code == 422
    assert response.context["form"].errors["q"] == [
        "Søg ikke på CPR-nummer her: det ville stå i adresselinjen. Søg på navn eller fødselsdato."
    ]
    assert response.context["page_obj"].count == 0, (
        "a refused search lists nothing: neither matches for the number nor every case"
    )
    for event in AuditEvent.objects.filter(id__gt=last_event).values():
        _assert_no_cpr(str(event), f"audit event {event['id']}")
