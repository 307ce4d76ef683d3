"""Matching without revealing: a reporter who types a child in learns nothing about whether the
SSP organisation already knows the child; the consultant sees the possible match at triage.

The concern form was a CPR → identity oracle: typing someone else's CPR number with a made-up
name led to a page with the stored real name and school team, and put the child in the
reporter's own lookup. Now a typed-in child is kept on the concern as typed, identically for a
known and an unknown child (cases.services.identity), and only the consultant, who may see
every young person of the municipality, is shown "possible match" and settles who it is.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from cases import cpr, permissions, selectors, services
from cases.models import Concern, ConcernCategory, ConcernChange, SubjectKind, YoungPerson
from forum.models import Body, Municipality, Unit
from ssp.models import AuditAction, AuditEvent
from tests.personas import Personas

pytestmark = pytest.mark.django_db

URL = "/bekymringer/ny/"
HIDDEN_NAME = "Test-Skjult Barnesen"
TYPED_NAME = "Test-Opdigtet Navnesen"
SCHOOL = "Glostrup Skole, afdeling Vestervang"
BORN = "010312"  # 1 March 2012: both CPR numbers below share it, so both mask alike


def _cpr(serial: str) -> str:
    digits = BORN + serial
    cpr.validate(digits)
    return f"{digits[:6]}-{digits[6:]}"


REGISTERED_CPR = _cpr("4123")
UNKNOWN_CPR = _cpr("4567")


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _hidden_child(personas: Personas) -> YoungPerson:
    """A child registered in Glostrup whom the club worker may not see."""
    child = services.young_person_find_or_create(
        municipality=_glostrup(),
        full_name=HIDDEN_NAME,
        cpr_number=REGISTERED_CPR,
        school=Unit.objects.get(name="Glostrup Skole, afdeling Nordvang"),
        created_by=personas.consultant,
    )
    assert not permissions.young_people_visible_to(personas.club).filter(pk=child.pk).exists()
    return child


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "municipality": _glostrup().pk,
        "subject_kind": SubjectKind.PERSON,
        "full_name": TYPED_NAME,
        "cpr_number": "",
        "school": Unit.objects.get(name=SCHOOL).pk,
        "category": ConcernCategory.objects.get(municipality=_glostrup(), name="Kriminalitet").pk,
        "description": "Har solgt tyvekoster i klubben.",
        "observed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "urgency": "normal",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def _normalised(page: str, concern: Concern) -> str:
    """The page with what differs between two submissions of the same form anyway: the
    concern's number, the time, and the CSRF token."""
    page = page.replace(f"/bekymringer/{concern.pk}/", "/bekymringer/N/")
    page = page.replace(f"Bekymring {concern.pk}", "Bekymring N")
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', "", page)
    return re.sub(r"\d{1,2}\. \w+ \d{4} \d{2}:\d{2}", "TIME", page)


def _submit_and_read(client: Client, **overrides: object) -> tuple[int, str, Concern]:
    response = client.post(URL, _form(**overrides))
    concern = Concern.objects.filter(author__email="klub@demo.ssp").latest("pk")
    page = client.get(response["Location"]).content.decode()  # the confirmation, with message
    return response.status_code, _normalised(page, concern), concern


def _lookup(client: Client, query: str) -> str:
    return client.post(
        "/bekymringer/find-ung/", {"lookup": query, "municipality": _glostrup().pk}
    ).content.decode()


def test_a_reporter_typing_a_registered_childs_cpr_learns_nothing(
    client: Client, personas: Personas
) -> None:
    hidden = _hidden_child(personas)
    client.force_login(personas.club)
    visible_before = set(permissions.young_people_visible_to(personas.club).values_list("pk"))
    people_before = YoungPerson.objects.count()

    known = _submit_and_read(client, cpr_number=REGISTERED_CPR)
    unknown = _submit_and_read(client, cpr_number=UNKNOWN_CPR)

    assert known[0] == unknown[0] == 302
    assert known[1] == unknown[1], "the reporter's page differs for a registered child"
    page = known[1]
    assert "Tak. Bekymringen er sendt til SSP-konsulenten og skolens SSP-team." in page
    assert TYPED_NAME in page
    assert f"{BORN}-XXXX" in page
    for secret in (HIDDEN_NAME, "Nordvang"):
        assert secret not in page, f"LEAK: {secret!r} on the reporter's concern page"
    assert known[2].young_person is None
    assert unknown[2].young_person is None
    assert YoungPerson.objects.count() == people_before, "a young person was registered"
    assert (
        set(permissions.young_people_visible_to(personas.club).values_list("pk")) == visible_before
    ), "the reporter's lookup changed"
    for query in (HIDDEN_NAME, TYPED_NAME, "01.03.2012"):
        assert HIDDEN_NAME not in _lookup(client, query), f"LEAK: lookup for {query!r}"
    mine = client.get("/bekymringer/mine/").content.decode()
    assert HIDDEN_NAME not in mine
    assert mine.count(TYPED_NAME) == 2
    assert known[2].school_team == Body.objects.get(name="SSP-team Vestervang"), (
        "the school team is the one of the school the reporter typed"
    )
    assert (
        not permissions.concerns_visible_to(personas.club)
        .exclude(author=personas.club)
        .filter(young_person=hidden)
    )


def test_a_refused_form_is_refused_alike_for_a_registered_and_an_unknown_cpr(
    client: Client, personas: Personas
) -> None:
    _hidden_child(personas)
    client.force_login(personas.club)

    known = client.post(URL, _form(cpr_number=REGISTERED_CPR, description=""))
    unknown = client.post(URL, _form(cpr_number=UNKNOWN_CPR, description=""))

    assert known.status_code == unknown.status_code == 422

    def strip(response) -> str:  # type: ignore[no-untyped-def]
        """Without the form's token, the CSRF token and the typed CPR number itself."""
        return re.sub(
            r'value="[0-9a-f-]{36}"|csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"'
            r"|\d{6}-\d{4}",
            "",
            response.content.decode(),
        )

    assert strip(known) == strip(unknown)


def test_the_consultant_sees_the_possible_match_and_settles_it_in_one_click(
    client: Client, personas: Personas
) -> None:
    hidden = _hidden_child(personas)
    client.force_login(personas.club)
    client.post(URL, _form(cpr_number=REGISTERED_CPR))
    concern = Concern.objects.get(reported_name=TYPED_NAME)
    client.force_login(personas.consultant)

    page = client.get(f"/bekymringer/{concern.pk}/").content.decode()

    assert "Muligt match" in page
    assert HIDDEN_NAME in page
    assert "Samme CPR-nummer" in page
    assert f'name="young_person" value="{hidden.pk}"' in page

    response = client.post(f"/bekymringer/{concern.pk}/ung/", {"young_person": str(hidden.pk)})

    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.young_person == hidden
    assert concern.reported_name == TYPED_NAME, "what the reporter typed was replaced"
    change = ConcernChange.objects.get(concern=concern)
    assert (change.field, change.new_value, change.changed_by) == (
        "young_person",
        str(hidden.pk),
        personas.consultant,
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(concern.pk), subject_id=hidden.pk
    ).exists()
    # The reporter still sees only what they typed, and their lookup still lacks the child.
    client.force_login(personas.club)
    author_page = client.get(f"/bekymringer/{concern.pk}/").content.decode()
    assert TYPED_NAME in author_page
    assert HIDDEN_NAME not in author_page, "LEAK: the settled child's name to the reporter"
    assert "ændrede den unge" not in author_page, "LEAK: the reporter sees it was settled"
    assert HIDDEN_NAME not in client.get("/bekymringer/mine/").content.decode()
    assert not permissions.young_people_visible_to(personas.club).filter(pk=hidden.pk).exists()


def test_a_name_and_birth_date_match_is_suggested_too(personas: Personas) -> None:
    child = services.young_person_find_or_create(
        municipality=_glostrup(),
        full_name=HIDDEN_NAME,
        birth_date=date(2012, 3, 1),
        created_by=personas.consultant,
    )
    concern = services.concern_submit(
        author=personas.club,
        municipality=_glostrup(),
        subject_kind=SubjectKind.PERSON,
        reported=services.ReportedIdentity(
            full_name=f"  {HIDDEN_NAME.lower()} ", birth_date=date(2012, 3, 1)
        ),
        category=ConcernCategory.objects.get(municipality=_glostrup(), name="Kriminalitet"),
        description="Set ved stationen.",
        observed_on=timezone.localdate(),
    )

    from cases import identity

    matches = identity.suggested_matches(user=personas.consultant, concern=concern)
    assert [(m.young_person, str(m.reason)) for m in matches] == [
        (child, "Samme navn og fødselsdato")
    ]
    assert identity.suggested_matches(user=personas.club, concern=concern) == [], (
        "LEAK: the reporter is offered the match"
    )


def test_registering_anew_a_child_whose_cpr_is_registered_is_refused(
    client: Client, personas: Personas
) -> None:
    _hidden_child(personas)
    client.force_login(personas.club)
    client.post(URL, _form(cpr_number=REGISTERED_CPR))
    concern = Concern.objects.get(reported_name=TYPED_NAME)
    client.force_login(personas.consultant)

    response = client.post(f"/bekymringer/{concern.pk}/ung/", {"young_person": "new"})

    assert response.status_code == 422
    assert "En ung med samme CPR-nummer er allerede registreret" in response.content.decode()
    concern.refresh_from_db()
    assert concern.young_person is None


def test_a_case_is_opened_from_a_typed_in_child_only_once_a_possible_match_is_settled(
    personas: Personas,
) -> None:
    _hidden_child(personas)
    category = ConcernCategory.objects.get(municipality=_glostrup(), name="Kriminalitet")

    def typed(cpr_number: str) -> Concern:
        return services.concern_submit(
            author=personas.club,
            municipality=_glostrup(),
            subject_kind=SubjectKind.PERSON,
            reported=services.ReportedIdentity(full_name=TYPED_NAME, cpr_number=cpr_number),
            category=category,
            description="Set ved stationen.",
            observed_on=timezone.localdate(),
        )

    body = Body.objects.get(name="Mandagsgruppen (§115)")
    open_case = {
        "by": personas.consultant,
        "responsible_body": body,
        "level": "individual",
        "prevention_kind": "reactive",
    }

    with pytest.raises(ValidationError, match="ligner en allerede registreret ung"):
        services.concern_open_case(concern=typed(REGISTERED_CPR), **open_case)
    case = services.concern_open_case(concern=typed(UNKNOWN_CPR), **open_case)

    assert case.young_person.full_name == TYPED_NAME
    assert cpr.decrypt(case.young_person.cpr_token) == UNKNOWN_CPR.replace("-", "")


def test_only_the_consultant_settles_who_the_child_is(client: Client, personas: Personas) -> None:
    client.force_login(personas.club)
    client.post(URL, _form())
    concern = Concern.objects.get(reported_name=TYPED_NAME)

    response = client.post(f"/bekymringer/{concern.pk}/ung/", {"young_person": "new"})

    assert response.status_code == 403
    assert Concern.objects.get(pk=concern.pk).young_person is None


def test_the_database_keeps_what_the_reporter_typed(personas: Personas) -> None:
    from django.db import ProgrammingError, transaction

    concern = services.concern_submit(
        author=personas.club,
        municipality=_glostrup(),
        subject_kind=SubjectKind.PERSON,
        reported=services.ReportedIdentity(full_name=TYPED_NAME),
        category=ConcernCategory.objects.get(municipality=_glostrup(), name="Kriminalitet"),
        description="Set ved stationen.",
        observed_on=timezone.localdate(),
    )

    with pytest.raises(ProgrammingError, match="cannot change"), transaction.atomic():
        Concern.objects.filter(pk=concern.pk).update(reported_name="Omskrevet")


def test_a_child_picked_from_the_lookup_is_attached_at_once(personas: Personas) -> None:
    freja = YoungPerson.objects.get(full_name="Demo-Freja Fantasisen")
    assert selectors.young_people_matching(
        user=personas.club, municipality=_glostrup(), query="Freja"
    ) == [freja]

    concern = services.concern_submit(
        author=personas.club,
        municipality=_glostrup(),
        subject_kind=SubjectKind.PERSON,
        young_person=freja,
        category=ConcernCategory.objects.get(municipality=_glostrup(), name="Kriminalitet"),
        description="Igen i klubben.",
        observed_on=timezone.localdate(),
    )

    assert concern.young_person == freja
    assert not concern.has_reported_identity
