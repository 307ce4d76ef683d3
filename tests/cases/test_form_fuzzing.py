"""Hostile strings in every form of the case work: the concern and its addendum and triage,
the case page's notes (and their corrections), actions, consent, status, details and §115
shares, the two searches (GET), the access log's search for a young person (POST), and the
data-protection pages (legal holds, retention periods, the deletion log's filter). The
machinery and the rules are in tests/fuzzing.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cases import services
from cases.models import (
    TEXT_MAX_LENGTH,
    Action,
    Basis,
    Case,
    CaseEvent,
    Concern,
    ConcernAddendum,
    ConcernCategory,
    Consent,
    HoldScope,
    LegalHold,
    Note,
    SubjectKind,
)
from forum.models import Body, Municipality
from tests.fuzzing import (
    FUZZ_SETTINGS,
    Endpoint,
    Refused,
    Text,
    assert_not_live,
    post_and_check,
    sign_in,
)
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MIKKEL = "Demo-Mikkel Eksempelsen"  # SSP-team Vestervang, active


@dataclass(frozen=True)
class World:
    case: Case
    concern: Concern
    glostrup: Municipality
    category: ConcernCategory
    hold: LegalHold  # on Jonas's case, to be released


def _world(personas: Personas) -> World:
    glostrup = Municipality.objects.get(code="161")
    category = ConcernCategory.objects.get(municipality=glostrup, name="Kriminalitet")
    concern = services.concern_submit(
        author=personas.police,
        municipality=glostrup,
        subject_kind=SubjectKind.PLACE,
        subject_description="Stationsforpladsen",
        category=category,
        description="Uro om aftenen.",
        observed_on=timezone.localdate(),
    )
    case = Case.objects.get(young_person__full_name=MIKKEL)
    hold = services.legal_hold_place(
        municipality=glostrup,
        by=personas.admin,
        case_number=Case.objects.get(young_person__full_name="Demo-Jonas Fiktivsen").pk,
        scope=HoldScope.CASE,
        reason="Verserende retssag.",
    )
    return World(case=case, concern=concern, glostrup=glostrup, category=category, hold=hold)


def _case_url(path: str) -> Any:
    return lambda world: f"/sager/{world.case.pk}/{path}"


def _latest(model: Any, **filters: Any) -> Any:
    return model.objects.filter(**filters).latest("pk")


def _status_reason(world: World) -> str:
    text = _latest(CaseEvent, case=world.case, kind="status").text
    return text.split(": ", 1)[1] if ": " in text else ""


ENDPOINTS = [
    Endpoint(
        "concern_create",
        "police",
        lambda world: "/bekymringer/ny/",
        fields={
            "full_name": Text(200),
            "description": Text(TEXT_MAX_LENGTH, multiline=True),
            "location": Text(200, required=False),
            "subject_description": Text(300, required=False),
        },
        base=lambda world: {
            "municipality": world.glostrup.pk,
            "subject_kind": SubjectKind.PERSON,
            "category": world.category.pk,
            "observed_on": timezone.localdate().isoformat(),
            "urgency": "normal",
            "notification_status": "not_relevant",
            "submission_token": "6f1c7a52-8f4e-4a53-9a0c-0b7c3d1e2f40",
        },
        stored=lambda world: (
            lambda concern: {
                "full_name": concern.reported_name,
                "description": concern.description,
                "location": concern.location,
                "subject_description": concern.subject_description,
            }
        )(_latest(Concern)),
        rows=lambda world: Concern.objects.count(),
    ),
    Endpoint(
        "concern_addendum",
        "police",
        lambda world: f"/bekymringer/{world.concern.pk}/tilfoejelse/",
        fields={"text": Text(TEXT_MAX_LENGTH, multiline=True)},
        stored=lambda world: {"text": _latest(ConcernAddendum, concern=world.concern).text},
        rows=lambda world: ConcernAddendum.objects.count(),
    ),
    Endpoint(
        "concern_triage",
        "consultant",
        lambda world: f"/bekymringer/{world.concern.pk}/visiter/",
        fields={"reason": Text(500)},
        base=lambda world: {
            "decision": "close",
            "level": "individual",
            "prevention_kind": "reactive",
        },
        stored=lambda world: {"reason": Concern.objects.get(pk=world.concern.pk).closed_reason},
    ),
    Endpoint(
        "note_add",
        "consultant",
        _case_url("notat/"),
        fields={"text": Text(TEXT_MAX_LENGTH, multiline=True)},
        stored=lambda world: {"text": _latest(Note, case=world.case).text},
        rows=lambda world: Note.objects.count(),
    ),
    Endpoint(
        "action_add",
        "consultant",
        _case_url("indsats/"),
        fields={"title": Text(300)},
        stored=lambda world: {"title": _latest(Action, case=world.case).title},
        rows=lambda world: Action.objects.count(),
    ),
    Endpoint(
        "consent_record",
        "consultant",
        _case_url("samtykke/"),
        fields={"given_by": Text(200, required=False), "reason": Text(500, required=False)},
        base=lambda world: {"status": "obtained"},
        stored=lambda world: (
            lambda consent: {"given_by": consent.given_by, "reason": consent.reason}
        )(_latest(Consent, case=world.case)),
        rows=lambda world: Consent.objects.count(),
    ),
    Endpoint(
        "status_change",
        "consultant",
        _case_url("status/"),
        fields={"reason": Text(450, required=False)},
        base=lambda world: {"status": "follow_up"},
        stored=lambda world: {"reason": _status_reason(world)},
    ),
    Endpoint(
        "status_change_to_an_unknown_status",
        "consultant",
        _case_url("status/"),
        fields={"status": Refused()},
    ),
    Endpoint(
        "case_edit",
        "consultant",
        _case_url("rediger/"),
        fields={"level": Refused(), "follow_up_on": Refused()},
        base=lambda world: {
            "prevention_kind": world.case.prevention_kind,
            "responsible_body": world.case.responsible_body_id,
        },
    ),
    Endpoint(
        "share_add",
        "consultant",
        _case_url("del/"),
        fields={"purpose": Text(500)},
        base=lambda world: {
            "body": Body.objects.get(name="Mandagsgruppen (§115)").pk,
            "part_of_ssp": "on",
            "relevant": "on",
            "necessary": "on",
        },
        stored=lambda world: {"purpose": _latest(Basis, case=world.case).purpose},
        rows=lambda world: Basis.objects.count(),
    ),
    Endpoint(
        "share_add_with_a_hostile_expiry",
        "consultant",
        _case_url("del/"),
        fields={"expires_on": Refused(), "body": Refused()},
        base=lambda world: {"purpose": "Forebyggelse", "part_of_ssp": "on"},
    ),
    Endpoint(
        # The concern form's live lookup reads its text without a form: whatever is typed,
        # it answers with its list (a NUL byte dropped), never a 500.
        "young_person_lookup",
        "consultant",
        lambda world: "/bekymringer/find-ung/",
        fields={"lookup": Text(100, required=False)},
        base=lambda world: {"municipality": world.glostrup.pk},
        accepted_status=200,
        refused_status=200,
    ),
    Endpoint(
        "case_search",
        "consultant",
        lambda world: "/sager/",
        method="GET",
        fields={"q": Text(100, required=False)},
        accepted_status=200,
    ),
    Endpoint(
        "case_search_with_hostile_filters",
        "consultant",
        lambda world: "/sager/",
        method="GET",
        fields={"status": Refused(), "body": Refused()},
    ),
    Endpoint(
        "note_correct",
        "consultant",
        lambda world: (
            f"/sager/{world.case.pk}/notat/{Note.objects.filter(case=world.case).first().pk}/ret/"
        ),
        fields={"text": Text(TEXT_MAX_LENGTH, multiline=True)},
        stored=lambda world: {"text": _latest(Note, case=world.case, corrects__isnull=False).text},
        rows=lambda world: Note.objects.count(),
    ),
    Endpoint(
        "legal_hold_place",
        "admin",
        lambda world: f"/opbevaring/{world.glostrup.pk}/tilbageholdelse/",
        fields={"reason": Text(500)},
        base=lambda world: {"case_number": world.case.pk, "scope": "case"},
        stored=lambda world: {"reason": _latest(LegalHold, case=world.case).reason},
        rows=lambda world: LegalHold.objects.count(),
    ),
    Endpoint(
        "legal_hold_place_with_hostile_choices",
        "consultant",
        lambda world: f"/opbevaring/{world.glostrup.pk}/tilbageholdelse/",
        fields={"case_number": Refused(), "scope": Refused()},
        base=lambda world: {"reason": "Retssag."},
    ),
    Endpoint(
        "legal_hold_release",
        "consultant",
        lambda world: f"/opbevaring/{world.glostrup.pk}/tilbageholdelse/{world.hold.pk}/ophaev/",
        fields={"reason": Text(500)},
        stored=lambda world: {"reason": LegalHold.objects.get(pk=world.hold.pk).release_reason},
    ),
    Endpoint(
        "retention_policy",
        "admin",
        lambda world: f"/opbevaring/{world.glostrup.pk}/perioder/",
        fields={
            "concern_without_case_days": Refused(),
            "closed_case_days": Refused(),
            "note_days": Refused(),
            "audit_log_days": Refused(),
        },
    ),
    Endpoint(
        "deletion_log_with_hostile_filters",
        "admin",
        lambda world: f"/opbevaring/{world.glostrup.pk}/sletningslog/",
        method="GET",
        fields={"record_type": Refused(), "date_from": Refused(), "date_to": Refused()},
    ),
    Endpoint(
        "audit_search",
        "admin",
        lambda world: "/adgangslog/",
        method="GET",
        fields={"user": Text(254, required=False)},
        accepted_status=200,
    ),
    Endpoint(
        # Posted, so that a CPR number never stands in an address; resolved to young people
        # by name, CPR or case number, whatever is typed.
        "audit_search_for_a_young_person",
        "consultant",
        lambda world: "/adgangslog/",
        fields={"young_person": Text(100, required=False)},
        accepted_status=200,
    ),
    Endpoint(
        "audit_search_with_hostile_filters",
        "admin",
        lambda world: "/adgangslog/",
        method="GET",
        fields={"subject": Refused(), "date_from": Refused(), "date_to": Refused()},
    ),
]


@pytest.fixture
def world(personas: Personas) -> World:
    return _world(personas)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@FUZZ_SETTINGS
@given(data=st.data())
def test_hostile_input_is_refused_or_stored_as_typed_and_never_rendered_live(
    client: Client, personas: Personas, world: World, endpoint: Endpoint, data: st.DataObject
) -> None:
    sign_in(client, personas, endpoint)
    post_and_check(client, endpoint, world, data.draw(endpoint.values()))


# Invalid UTF-8 as the browser would never send it: raw, and percent-encoded.
broken_bodies = st.binary(min_size=1, max_size=300).flatmap(
    lambda raw: st.sampled_from((b"text=" + raw, b"text=" + quote_from_bytes(raw).encode()))
)


@FUZZ_SETTINGS
@given(body=broken_bodies)
def test_a_note_in_broken_utf8_is_refused_or_stored_as_django_decodes_it(
    client: Client, personas: Personas, world: World, body: bytes
) -> None:
    client.force_login(personas.consultant)
    # Django decodes what it cannot read as U+FFFD; the note must hold exactly that text.
    decoded = QueryDict(body).get("text", "")
    rule = Text(TEXT_MAX_LENGTH, multiline=True)
    with transaction.atomic():
        before = Note.objects.count()
        response = client.post(
            f"/sager/{world.case.pk}/notat/", body, content_type="application/x-www-form-urlencoded"
        )
        expected = 302 if rule.accepts(decoded) else 422
        assert response.status_code == expected, f"{body[:80]!r} answered {response.status_code}"
        assert_not_live(response, f"the note {body[:80]!r}")
        if expected == 302:
            assert _latest(Note, case=world.case).text == decoded.strip()
        else:
            assert Note.objects.count() == before, f"the refused note {body[:80]!r} was stored"
        transaction.set_rollback(True)
