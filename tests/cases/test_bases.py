"""Recorded bases for access: every reader outside the documented rules holds one, it says who
gave it, why and until when, and access ends with it, at once.

The demo's police officers read only through bases: Mikkel's case was opened with a §115 basis
for SSP-team Vestervang (Peter Poulsen sits in it), Emma's case is shared with the same team on
the parents' consent, Oliver's is shared with Pia Pedersen under §115.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from cases import permissions, selectors, services
from cases.models import (
    Basis,
    BasisEndReason,
    BasisGround,
    BasisOrigin,
    Case,
    CaseEvent,
    ConsentStatus,
)
from forum.models import Body, Membership, Municipality, Person
from ssp.models import AuditAction, AuditEvent, User
from tests.cases.clock import time_passes
from tests.factories import CaseFactory
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

MIKKEL = "Demo-Mikkel Eksempelsen"
EMMA = "Demo-Emma Eksempeldatter"
OLIVER = "Demo-Oliver Påfundsen"
AMALIE = "Demo-Amalie Tænktsen"
CRITERIA = dict.fromkeys(services.SHARE_CRITERIA, True)
PURPOSE = "Politiet kender den unge fra nattelivet."


def _case(name: str) -> Case:
    return Case.objects.get(young_person__full_name=name)


def _reads(user: User, case: Case) -> bool:
    return permissions.cases_visible_to(user).filter(pk=case.pk).exists()


def _status(client: Client, user: User, case: Case) -> int:
    client.force_login(user)
    return client.get(f"/sager/{case.pk}/").status_code


def _vestervang_case(personas: Personas, **extra: object) -> Case:
    return CaseFactory(
        municipality=Municipality.objects.get(code="161"),
        young_person__full_name="Test-Basis Testesen",
        responsible_body=Body.objects.get(name="SSP-team Vestervang"),
        opened_by=personas.consultant,
        **extra,
    )


# --- Expiry at read time ---------------------------------------------------------------------


def test_an_expired_basis_stops_access_at_once_with_no_job_run(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    basis = services.case_share(
        case=case,
        by=personas.consultant,
        purpose=PURPOSE,
        criteria=CRITERIA,
        user=personas.police2,
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert _reads(personas.police2, case)
    assert _status(client, personas.police2, case) == 200

    time_passes(timedelta(days=1, minutes=1))

    assert not _reads(personas.police2, case), "cases_visible_to still lists the expired share"
    assert _status(client, personas.police2, case) == 404
    assert selectors.reader_bases(personas.police2, case).reads is False
    basis.refresh_from_db()
    assert basis.ended_at is None, "no job has run: the basis is not marked ended yet"


def test_a_basis_that_has_not_expired_keeps_granting(personas: Personas) -> None:
    case = _case(MIKKEL)
    services.case_share(
        case=case,
        by=personas.consultant,
        purpose=PURPOSE,
        criteria=CRITERIA,
        user=personas.police2,
        expires_at=timezone.now() + timedelta(days=2),
    )

    time_passes(timedelta(days=1))

    assert _reads(personas.police2, case)


# --- One active basis per case and recipient -------------------------------------------------


def test_a_second_active_share_with_the_same_recipient_is_refused(
    client: Client, personas: Personas
) -> None:
    case = _case(OLIVER)  # shared with Pia Pedersen when seeded
    bases = Basis.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.case_share(
            case=case,
            by=personas.consultant,
            purpose="Igen.",
            criteria=CRITERIA,
            user=personas.police2,
        )
    client.force_login(personas.consultant)
    response = client.post(
        f"/sager/{case.pk}/del/",
        {"user": personas.police2.pk, "purpose": "Igen.", **dict.fromkeys(CRITERIA, "on")},
    )

    message = "Pia Pedersen har allerede adgang til sagen gennem et gældende grundlag (Deling"
    assert message in refused.value.messages[0]
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Basis.objects.count() == bases


def test_a_body_with_a_basis_from_the_cases_opening_is_not_shared_with_again(
    personas: Personas,
) -> None:
    case = _case(MIKKEL)

    with pytest.raises(ValidationError, match="SSP-team Vestervang har allerede adgang"):
        services.case_share(
            case=case,
            by=personas.consultant,
            purpose=PURPOSE,
            criteria=CRITERIA,
            body=Body.objects.get(name="SSP-team Vestervang"),
        )


@pytest.mark.parametrize("recipient", ["user", "body"])
def test_the_database_refuses_a_second_open_basis_for_the_same_recipient(
    personas: Personas, recipient: str
) -> None:
    case = _case(OLIVER)
    target = (
        {"user": personas.police2}
        if recipient == "user"
        else {"body": Body.objects.get(name="SSP-team Nordvang")}
    )
    if recipient == "body":
        services.case_share(
            case=case, by=personas.consultant, purpose=PURPOSE, criteria=CRITERIA, **target
        )

    with pytest.raises(IntegrityError), transaction.atomic():
        Basis.objects.create(case=case, purpose=PURPOSE, given_by=personas.consultant, **target)


def test_a_new_share_after_an_expired_one_ends_the_expired_one_first(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    first = services.case_share(
        case=case,
        by=personas.consultant,
        purpose=PURPOSE,
        criteria=CRITERIA,
        user=personas.police2,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    time_passes(timedelta(hours=2))

    second = services.case_share(
        case=case,
        by=personas.consultant,
        purpose="Ny periode.",
        criteria=CRITERIA,
        user=personas.police2,
    )

    first.refresh_from_db()
    assert (first.end_reason, first.ended_at, first.ended_by) == (
        BasisEndReason.EXPIRED,
        first.expires_at,
        None,
    )
    assert second.ended_at is None
    assert _status(client, personas.police2, case) == 200


# --- Police read only through a §115 or consent basis ----------------------------------------


def test_a_police_member_of_a_team_reads_its_case_only_after_a_section_115_basis_for_it(
    client: Client, personas: Personas
) -> None:
    case = _vestervang_case(personas)
    vestervang = Body.objects.get(name="SSP-team Vestervang")
    assert _status(client, personas.leader, case) == 200, "the team's school leader reads it (R2)"
    assert _status(client, personas.police, case) == 404, "membership alone is not a basis"

    basis = services.case_share(
        case=case, by=personas.consultant, purpose=PURPOSE, criteria=CRITERIA, body=vestervang
    )

    assert _status(client, personas.police, case) == 200
    access = selectors.reader_bases(personas.police, case)
    assert (access.rules, access.bases) == ((), (basis,))
    services.share_revoke(share=basis, by=personas.consultant)
    assert _status(client, personas.police, case) == 404
    assert _status(client, personas.leader, case) == 200


def test_a_legal_ground_reaches_only_the_handling_sectors(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    nordvang = Body.objects.get(name="SSP-team Nordvang")  # Pia Pedersen, Sara Skov

    with pytest.raises(ValidationError, match="Politiet og andre kræver §115 eller samtykke"):
        services.basis_give(
            by=personas.consultant,
            origin=BasisOrigin.SHARE,
            purpose=PURPOSE,
            case=case,
            user=personas.police2,
            ground=BasisGround.LEGAL_GROUND,
            legal_ground="Barnets lov",
        )
    services.basis_give(
        by=personas.consultant,
        origin=BasisOrigin.SHARE,
        purpose="Socialforvaltningen behandler sagen.",
        case=case,
        body=nordvang,
        ground=BasisGround.LEGAL_GROUND,
        legal_ground="Barnets lov",
    )

    assert _status(client, personas.police2, case) == 404, "LEAK: a legal ground reached police"
    assert _status(client, personas.social, case) == 200


def test_no_police_user_of_the_demo_reads_a_case_without_a_section_115_or_consent_basis(
    personas: Personas,
) -> None:
    for persona in ("police", "police2"):
        user = personas[persona]
        for case in permissions.cases_visible_to(user):
            access = selectors.reader_bases(user, case)
            assert access.rules == (), f"{persona} reads {case} under a rule"
            assert any(b.ground in ("section_115", "consent") for b in access.bases), (
                f"{persona} reads {case} without a §115 or consent basis"
            )


def test_a_readers_own_bases_are_what_the_list_of_readers_says_of_them(
    personas: Personas,
) -> None:
    """`reader_bases` reads one user's access for the case page; it must say what
    `case_readers` (the case's readers page) says of that user, for every persona and case,
    also when it is handed every basis of the case (ended ones too), as the page of those who
    steer the case does."""
    # An ended and an expired basis among them: handed over, they must not count.
    ended, expired = Basis.objects.filter(ended_at__isnull=True, case__isnull=False)[:2]
    services.basis_end(basis=ended, by=personas.consultant, reason=BasisEndReason.REVOKED)
    Basis.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    cases = list(Case.objects.all())
    assert cases
    readers_of = {case.pk: {r.user.pk: r for r in selectors.case_readers(case)} for case in cases}
    every_basis = {case.pk: list(selectors.bases_for_case(case)) for case in cases}
    for name in PERSONA_NAMES:
        user = personas[name]
        for case in cases:
            own = selectors.reader_bases(user, case)
            handed = selectors.reader_bases(user, case, bases=every_basis[case.pk])
            listed = readers_of[case.pk].get(user.pk)
            if listed is None:
                assert not own.reads, f"{name} reads case {case.pk} alone, not in its list"
                assert not handed.reads, f"{name} reads case {case.pk} by an ended basis"
            else:
                assert (own.rules, own.bases) == (listed.rules, listed.bases), (name, case.pk)
                assert (handed.rules, handed.bases) == (own.rules, own.bases), (name, case.pk)
    for basis in (ended, expired):
        assert not any(basis in reader.bases for reader in readers_of[basis.case_id].values())


# --- Consent ---------------------------------------------------------------------------------


def test_withdrawing_consent_ends_the_bases_that_rest_on_it_and_no_others(
    client: Client, personas: Personas
) -> None:
    case = _case(EMMA)  # shared with SSP-team Vestervang on the parents' consent
    consent_basis = Basis.objects.get(case=case, ground=BasisGround.CONSENT)
    section_115 = services.case_share(
        case=case, by=personas.consultant, purpose=PURPOSE, criteria=CRITERIA, user=personas.police2
    )
    assert _status(client, personas.police, case) == 200

    services.consent_record(
        case=case, by=personas.consultant, status=ConsentStatus.REFUSED, reason="Trukket tilbage."
    )

    consent_basis.refresh_from_db()
    section_115.refresh_from_db()
    assert (consent_basis.end_reason, consent_basis.ended_by) == (
        BasisEndReason.CONSENT_WITHDRAWN,
        personas.consultant,
    )
    assert section_115.ended_at is None
    assert _status(client, personas.police, case) == 404
    assert _status(client, personas.police2, case) == 200
    assert _status(client, personas.leader, case) == 200, "the team's handling sectors keep it"


def test_a_consent_basis_needs_the_cases_own_obtained_consent(personas: Personas) -> None:
    emma, mikkel = _case(EMMA), _case(MIKKEL)
    emmas_consent = emma.consents.get()

    with pytest.raises(ValidationError, match="kræver et givet samtykke"):
        services.case_share(
            case=mikkel,
            by=personas.consultant,
            purpose=PURPOSE,
            user=personas.police2,
            ground=BasisGround.CONSENT,
            consent=emmas_consent,
        )
    services.consent_record(case=emma, by=personas.consultant, status=ConsentStatus.NOT_SOUGHT)
    with pytest.raises(ValidationError, match="kræver et givet samtykke"):
        services.case_share(
            case=emma,
            by=personas.consultant,
            purpose=PURPOSE,
            user=personas.police2,
            ground=BasisGround.CONSENT,
            consent=emmas_consent,
        )


# --- The ad-hoc group ------------------------------------------------------------------------


def _glostrup_person(user: User) -> Person:
    return Person.objects.get(municipality__code="161", user=user)


def test_a_police_officer_joins_the_adhoc_group_only_with_a_basis_given_in_the_same_step(
    personas: Personas,
) -> None:
    case = _case(MIKKEL)
    services.adhoc_group_form(
        case=case, by=personas.consultant, coordinator=_glostrup_person(personas.consultant)
    )
    pia = _glostrup_person(personas.police2)

    with pytest.raises(ValidationError, match="Pia Pedersen arbejder i en sektor"):
        services.adhoc_member_add(case=case, by=personas.consultant, person=pia)
    assert not Membership.objects.filter(body=case.adhoc_group, person=pia).exists()

    services.adhoc_member_add(
        case=case,
        by=personas.consultant,
        person=pia,
        basis=services.BasisRequest(
            purpose=PURPOSE,
            ground=BasisGround.CONSENT,
            consent=services.current_consent(case),
        ),
    )

    basis = Basis.objects.get(case=case, user=personas.police2)
    assert (basis.origin, basis.ground, basis.given_by) == (
        BasisOrigin.ADHOC_MEMBER,
        BasisGround.CONSENT,
        personas.consultant,
    )
    assert _reads(personas.police2, case)


def test_a_handling_sector_member_joins_the_adhoc_group_without_a_basis(
    personas: Personas,
) -> None:
    case = _case(OLIVER)
    services.adhoc_group_form(
        case=case, by=personas.consultant, coordinator=_glostrup_person(personas.consultant)
    )

    services.adhoc_member_add(
        case=case, by=personas.consultant, person=_glostrup_person(personas.club)
    )

    assert not Basis.objects.filter(case=case, user=personas.club).exists()
    assert selectors.reader_bases(personas.club, case).rules == (permissions.R2,)


def test_closing_the_adhoc_group_ends_its_members_access(
    client: Client, personas: Personas
) -> None:
    case = _case(AMALIE)  # group of the consultant, Peter Poulsen (§115 basis) and Sara Skov
    peters = Basis.objects.get(case=case, user=personas.police)

    client.force_login(personas.consultant)
    response = client.post(f"/sager/{case.pk}/gruppe/luk/")

    assert response.status_code == 302
    case.refresh_from_db()
    peters.refresh_from_db()
    assert case.adhoc_group is None
    assert peters.end_reason == BasisEndReason.GROUP_CLOSED
    assert _status(client, personas.police, case) == 404
    assert _status(client, personas.social, case) == 404
    assert _status(client, personas.consultant, case) == 200


# --- The coordinator -------------------------------------------------------------------------


def _set_coordinator(case: Case, by: User, coordinator: User | None) -> Case:
    return services.case_update_details(
        case=case,
        by=by,
        level=case.level,
        prevention_kind=case.prevention_kind,
        responsible_body=case.responsible_body,
        coordinator=coordinator,
        follow_up_on=None,
    )


def test_the_coordinator_must_be_a_handling_sector_user_of_the_municipality(
    personas: Personas,
) -> None:
    case = _case(OLIVER)
    for outsider in ("police", "admin", "neighbour"):
        with pytest.raises(ValidationError, match="Tovholderen skal arbejde i kommunen"):
            _set_coordinator(case, personas.consultant, personas[outsider])


def test_the_coordinator_reads_and_steers_the_case_and_loses_it_when_replaced(
    client: Client, personas: Personas
) -> None:
    case = _case(OLIVER)  # Søndervang; the club worker sits elsewhere
    assert _status(client, personas.club, case) == 404

    _set_coordinator(case, personas.consultant, personas.club)

    assert _status(client, personas.club, case) == 200
    assert client.get(f"/sager/{case.pk}/rediger/").status_code == 200
    assert selectors.reader_bases(personas.club, case).rules == (permissions.R3,)
    _set_coordinator(case, personas.consultant, None)
    assert _status(client, personas.club, case) == 404


def test_the_forms_offer_no_account_that_only_administers_and_no_police_coordinator(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    client.force_login(personas.consultant)

    share = client.get(f"/sager/{case.pk}/del/").content.decode()
    new_group = client.get(f"/sager/{case.pk}/gruppe/").content.decode()
    services.adhoc_group_form(
        case=case, by=personas.consultant, coordinator=_glostrup_person(personas.consultant)
    )
    group = client.get(f"/sager/{case.pk}/gruppe/").content.decode()
    edit = client.get(f"/sager/{case.pk}/rediger/").content.decode()

    pages = ((share, "share"), (new_group, "new group"), (group, "ad-hoc"), (edit, "coordinator"))
    for page, where in pages:
        assert "Anne Andersen" not in page, f"the {where} form offers the administrator"
    assert "Pia Pedersen" in share
    assert "Pia Pedersen" in group
    assert "Pia Pedersen" not in new_group, "a police officer is offered as the coordinator"
    assert f'value="{personas.police2.pk}"' not in edit
    assert f'value="{personas.leader.pk}"' in edit


# --- The record: timeline and access log -----------------------------------------------------


def test_giving_and_ending_a_basis_writes_the_timeline_and_the_access_log(
    personas: Personas,
) -> None:
    case = _case(MIKKEL)
    start = timezone.now()

    basis = services.basis_give(
        by=personas.consultant,
        origin=BasisOrigin.SHARE,
        purpose=PURPOSE,
        case=case,
        user=personas.police2,
        criteria=CRITERIA,
    )
    services.basis_end(basis=basis, by=personas.consultant, reason=BasisEndReason.REVOKED)

    events = list(
        CaseEvent.objects.filter(at__gte=start, case=case)
        .order_by("at", "id")
        .values_list("kind", "text", "actor")
    )
    assert events == [
        ("shared", f"Delt med Pia Pedersen. Formål: {PURPOSE}", personas.consultant.pk),
        ("revoked", "Pia Pedersen", personas.consultant.pk),
    ]
    logged = list(
        AuditEvent.objects.filter(at__gte=start, object_type="cases.case", object_id=str(case.pk))
        .filter(action__in=(AuditAction.SHARE, AuditAction.REVOKE))
        .order_by("at", "id")
        .values_list("action", "user_id", "subject_id", "municipality_id", "purpose")
    )
    assert logged == [
        ("share", personas.consultant.pk, case.young_person_id, case.municipality_id, PURPOSE),
        (
            "revoke",
            personas.consultant.pk,
            case.young_person_id,
            case.municipality_id,
            "Tilbagekaldt",
        ),
    ]


def test_the_readers_of_a_case_are_explained_by_rules_and_bases(personas: Personas) -> None:
    case = _case(MIKKEL)

    readers = {
        access.user.email: (
            tuple(rule.code for rule in access.rules),
            tuple(basis.origin for basis in access.bases),
        )
        for access in selectors.case_readers(case)
    }

    assert readers == {
        "konsulent@demo.ssp": (("R1", "R2"), ("case_opened",)),
        "leder@demo.ssp": (("R2",), ("case_opened",)),
        "politi@demo.ssp": ((), ("case_opened",)),
        "social@demo.ssp": (("R2",), ("case_opened",)),
        "klub@demo.ssp": (("R2",), ("case_opened",)),
        # Glostrup's second consultant (on holiday in the demo) reads it by R1 all the same.
        "morten.moerch@demo.ssp": (("R1",), ()),
    }
    for user in User.objects.all():
        assert _reads(user, case) == (user.email in readers), f"{user.email} disagrees"


def test_the_bases_of_a_case_list_active_and_ended_with_their_recipients(
    personas: Personas,
) -> None:
    case = _case(OLIVER)
    services.share_revoke(share=case.bases.get(), by=personas.consultant)
    services.case_share(
        case=case, by=personas.consultant, purpose="Igen.", criteria=CRITERIA, user=personas.police2
    )

    rows = [
        (b.recipient_label, b.purpose, b.end_reason, b.given_by.full_name)
        for b in selectors.bases_for_case(case)
    ]

    assert rows == [
        ("Pia Pedersen", "Igen.", "", "Kirsten Kragh"),
        (
            "Pia Pedersen",
            "Politiet kender den unge fra en anden sag og kan bidrage til indsatsen.",
            "revoked",
            "Kirsten Kragh",
        ),
    ]
