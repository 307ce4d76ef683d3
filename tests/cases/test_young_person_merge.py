"""Young people registered twice: suspected at triage and on the consultants' list, merged
with a trace.

A merge moves the removed record's concerns, cases, legal holds and CPR number to the record
that stays. Bases and consents belong to the cases, so they keep working. The access log is
append-only: its rows keep the removed id, and the kept person's insight report finds them
through the merge's record.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from cases import duplicates, permissions, services
from cases.models import (
    Basis,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseSubject,
    Concern,
    ConcernCategory,
    ConcernChange,
    ConcernPerson,
    Consent,
    ConsentStatus,
    HoldScope,
    LegalHold,
    PreventionKind,
    PreventionLevel,
    SubjectKind,
    YoungPerson,
    YoungPersonMerge,
)
from devtools.demo.duplicates import AGAIN, REGISTERED
from forum.models import Body, Municipality
from ssp.audit import audit_log, audit_shown
from ssp.models import AuditAction, AuditEvent, User
from tests.html import without_cell_labels
from tests.personas import Personas

pytestmark = pytest.mark.django_db

BORN = date(2012, 3, 4)
CPR = "040312-4234"  # fictional; the 7th digit puts the birth in 2012
CRITERIA = dict.fromkeys(services.SHARE_CRITERIA, True)


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _person(name: str, by: User, **details: object) -> YoungPerson:
    return services.young_person_find_or_create(
        municipality=_glostrup(), full_name=name, created_by=by, **details
    )


def _concern(author: User, young_person: YoungPerson, text: str) -> Concern:
    return services.concern_submit(
        author=author,
        municipality=_glostrup(),
        subject_kind=SubjectKind.PERSON,
        young_person=young_person,
        category=ConcernCategory.objects.get(municipality=_glostrup(), name="Kriminalitet"),
        description=text,
        observed_on=timezone.localdate(),
    )


def _open_case(concern: Concern, consultant: User, team: str) -> Case:
    return services.concern_open_case(
        concern=concern,
        by=consultant,
        responsible_body=Body.objects.get(municipality=_glostrup(), name=team),
        level=PreventionLevel.INDIVIDUAL,
        prevention_kind=PreventionKind.REACTIVE,
        body_basis=services.BasisRequest(purpose="Teamets politi kender ham.", criteria=CRITERIA),
    )


@pytest.fixture
def twins(personas: Personas) -> tuple[YoungPerson, YoungPerson, Case, Case]:
    """Two records of one boy: each with a concern that became a case. The second record has
    the CPR number, consent on its case, a §115 share with police2, and a legal hold."""
    keep = _person("Demo-Test Tvilling", personas.leader, birth_date=BORN, school_class="6.a")
    remove = _person("demo-test  tvilling", personas.club, cpr_number=CPR)
    kept_case = _open_case(
        _concern(personas.leader, keep, "Pjækker."), personas.consultant, "SSP-team Vestervang"
    )
    removed_case = _open_case(
        _concern(personas.club, remove, "Set ved stationen."),
        personas.consultant,
        "SSP-team Søndervang",
    )
    services.consent_record(
        case=removed_case, by=personas.consultant, status=ConsentStatus.OBTAINED, given_by="Mor"
    )
    services.case_share(
        case=removed_case,
        by=personas.consultant,
        purpose="Politiet kender ham fra stationen.",
        criteria=CRITERIA,
        user=personas.police2,
    )
    services.legal_hold_place(
        municipality=_glostrup(),
        by=personas.admin,
        case_number=removed_case.pk,
        scope=HoldScope.YOUNG_PERSON,
        reason="Verserende retssag.",
    )
    return keep, YoungPerson.objects.get(pk=remove.pk), kept_case, removed_case


def test_a_merge_moves_concerns_cases_holds_and_cpr_and_deletes_the_removed_record(
    twins: tuple[YoungPerson, YoungPerson, Case, Case], personas: Personas
) -> None:
    keep, remove, kept_case, removed_case = twins
    removed_id = remove.pk
    removed_concern = removed_case.concerns.get()
    bases_before = set(Basis.objects.filter(case=removed_case).values_list("pk", "ended_at"))

    merge = services.young_person_merge(
        keep=keep, remove=remove, by=personas.consultant, reason="Samme dreng; bekræftet af skolen."
    )

    assert not YoungPerson.objects.filter(pk=removed_id).exists()
    keep.refresh_from_db()
    assert keep.masked_cpr == "040312-XXXX"
    assert (keep.birth_date, keep.school_class, keep.legal_hold) == (BORN, "6.a", True)
    removed_case.refresh_from_db()
    removed_concern.refresh_from_db()
    assert removed_case.young_person == keep
    assert removed_concern.young_person == keep
    assert ConcernChange.objects.filter(
        concern=removed_concern,
        field="young_person",
        old_value=str(removed_id),
        new_value=str(keep.pk),
        reason="Samme dreng; bekræftet af skolen.",
    ).exists()
    # Bases and consent belong to the case: untouched, and they still grant what they did.
    assert set(Basis.objects.filter(case=removed_case).values_list("pk", "ended_at")) == (
        bases_before
    )
    assert permissions.can_read_case(personas.police2, removed_case)
    assert Consent.objects.get(case=removed_case).status == ConsentStatus.OBTAINED
    assert LegalHold.objects.get(released_at__isnull=True, young_person=keep)
    for case in (kept_case, removed_case):
        event = CaseEvent.objects.get(case=case, kind=CaseEventKind.MERGED)
        assert f"nr. {removed_id}" in event.text
        assert "Samme dreng; bekræftet af skolen." in event.text
    assert (merge.removed_id, merge.removed_name, merge.cases_moved, merge.concerns_moved) == (
        removed_id,
        "demo-test  tvilling",
        1,
        1,
    )
    assert merge.cpr_from_removed


def test_the_log_is_not_rewritten_and_the_kept_persons_insight_report_shows_both_histories(
    client: Client, twins: tuple[YoungPerson, YoungPerson, Case, Case], personas: Personas
) -> None:
    keep, remove, _kept_case, removed_case = twins
    removed_id = remove.pk
    audit_log(
        user=personas.police2,
        action=AuditAction.VIEW,
        obj=removed_case,
        subject_id=removed_id,
        purpose="Læst før sammenlægningen",
    )
    audit_shown(
        user=personas.social, object_type="cases.case", shown=[(_glostrup().pk, removed_id)]
    )
    rows_before = list(
        AuditEvent.objects.filter(subject_id=removed_id).values_list("pk", "subject_id", "purpose")
    )

    services.young_person_merge(keep=keep, remove=remove, by=personas.consultant, reason="Dublet.")

    assert (
        list(
            AuditEvent.objects.filter(pk__in=[pk for pk, *_rest in rows_before]).values_list(
                "pk", "subject_id", "purpose"
            )
        )
        == rows_before
    ), "the access log was rewritten"
    client.force_login(personas.consultant)
    page = client.get(f"/adgangslog/ung/{keep.pk}/").content.decode()
    assert "Læst før sammenlægningen" in page, "the removed record's history is missing"
    assert personas.social.full_name in page  # the list that showed the removed record
    assert f"Ung nr. {removed_id}, lagt sammen" in page
    # The log search for the kept person finds the removed id's rows too.
    search = client.post("/adgangslog/", {"young_person": "Demo-Test Tvilling"})
    found = without_cell_labels(search.content.decode())
    assert f"<td>{personas.police2.email}</td><td>Læst</td>" in found
    assert f"<td>{removed_id}</td>" in found
    assert duplicates.merged_ids(keep.pk) == [removed_id]


def test_merging_into_a_third_record_carries_the_earlier_merge_along(
    personas: Personas,
) -> None:
    first = _person("Demo-Tre Gange", personas.club, birth_date=BORN)
    second = _person("Demo-Tre-Gange", personas.leader, birth_date=BORN)
    third = _person("demo-tre gange", personas.consultant)
    first_id, second_id = first.pk, second.pk

    services.young_person_merge(keep=second, remove=first, by=personas.consultant, reason="Ens.")
    services.young_person_merge(keep=third, remove=second, by=personas.consultant, reason="Ens.")

    assert duplicates.merged_ids(third.pk) == sorted([first_id, second_id])


def test_a_merge_makes_the_kept_record_the_one_named_in_group_concerns_and_cases(
    twins: tuple[YoungPerson, YoungPerson, Case, Case], personas: Personas
) -> None:
    keep, remove, kept_case, _removed_case = twins
    both = _concern(personas.leader, keep, "Begge var med.")
    ConcernPerson.objects.create(concern=both, young_person=keep, position=0)
    ConcernPerson.objects.create(concern=both, young_person=remove, position=1)
    CaseSubject.objects.create(case=kept_case, young_person=remove, position=1)

    services.young_person_merge(keep=keep, remove=remove, by=personas.consultant, reason="Samme")

    assert list(
        ConcernPerson.objects.filter(concern=both).values_list("young_person", flat=True)
    ) == [keep.pk], "a concern naming both records names the kept one once"
    assert list(
        CaseSubject.objects.filter(case=kept_case).values_list("young_person", flat=True)
    ) == [keep.pk]


def test_two_records_with_different_cpr_numbers_are_never_merged(personas: Personas) -> None:
    first = _person("Demo-To Numre", personas.club, cpr_number=CPR)
    second = _person("Demo-To Numre", personas.club, cpr_number="040312-4242")

    with pytest.raises(ValidationError) as error:
        services.young_person_merge(
            keep=first, remove=second, by=personas.consultant, reason="Ens navn."
        )

    assert "hvert sit CPR-nummer" in str(error.value)
    assert YoungPerson.objects.filter(pk__in=(first.pk, second.pk)).count() == 2
    assert not YoungPersonMerge.objects.exists()
    assert not duplicates.possible_duplicates(user=personas.consultant, young_person=first)


def test_when_both_records_are_held_the_removed_hold_is_released_in_favour_of_the_kept(
    twins: tuple[YoungPerson, YoungPerson, Case, Case], personas: Personas
) -> None:
    keep, remove, kept_case, _removed_case = twins
    services.legal_hold_place(
        municipality=_glostrup(),
        by=personas.admin,
        case_number=kept_case.pk,
        scope=HoldScope.YOUNG_PERSON,
        reason="Også tilbageholdt.",
    )
    removed_hold = LegalHold.objects.get(young_person=remove)

    services.young_person_merge(keep=keep, remove=remove, by=personas.consultant, reason="Dublet.")

    removed_hold.refresh_from_db()
    assert removed_hold.young_person == keep
    assert removed_hold.released_at is not None
    assert "fortsat er tilbageholdt" in removed_hold.release_reason
    assert LegalHold.objects.filter(young_person=keep, released_at__isnull=True).count() == 1


def test_the_merge_moves_every_kind_of_row_that_points_at_a_young_person() -> None:
    """A model that points at a young person and is added later is moved as it is by the
    merge (`_move_the_rest`); this list makes its author look at whether that is right."""
    relations = {relation.name for relation in YoungPerson._meta.related_objects}

    assert relations == {
        "concerns",
        "cases",
        "legal_holds",
        "merges",
        "concern_mentions",
        "group_cases",
    }


# --- Suspected duplicates ---------------------------------------------------------------------


def test_the_consultants_list_shows_the_demo_pair_and_not_two_different_cpr_numbers(
    client: Client, personas: Personas
) -> None:
    _person("Demo-To Numre", personas.club, cpr_number=CPR)
    _person("Demo-To Numre", personas.club, cpr_number="040312-4242")
    _person("Demo-Uden Dato", personas.club, birth_date=BORN)
    _person("DEMO-UDEN. DATO", personas.club)  # no birth date: may be the same child
    client.force_login(personas.consultant)

    page = client.get("/unge/dubletter/").content.decode()

    registered = YoungPerson.objects.get(full_name=REGISTERED)
    again = YoungPerson.objects.get(full_name=AGAIN)
    assert f"/unge/dubletter/{registered.pk}/{again.pk}/" in page
    assert "DEMO-UDEN. DATO" in page
    assert "Demo-To Numre" not in page, "two records with different CPR numbers were suggested"
    assert "Demo-Mikkel Eksempelsen" not in page


def test_the_list_is_the_consultants_own_municipalitys_only(
    client: Client, personas: Personas
) -> None:
    albertslund = Municipality.objects.get(code="165")
    for name in ("Demo-Albert Dublet", "Demo-Albert-Dublet"):
        services.young_person_find_or_create(
            municipality=albertslund, full_name=name, birth_date=BORN, created_by=personas.police2
        )
    client.force_login(personas.consultant)

    page = client.get("/unge/dubletter/").content.decode()

    assert "Demo-Albert" not in page, "another municipality's young people were listed"
    albert = YoungPerson.objects.filter(full_name__startswith="Demo-Albert").order_by("pk")
    response = client.get(f"/unge/dubletter/{albert[0].pk}/{albert[1].pk}/")
    assert response.status_code == 404


def test_the_consultant_merges_the_demo_pair_from_the_merge_page(
    client: Client, personas: Personas
) -> None:
    registered = YoungPerson.objects.get(full_name=REGISTERED)
    again = YoungPerson.objects.get(full_name=AGAIN)
    again_concern = again.concerns.get()
    client.force_login(personas.consultant)
    page = client.get(f"/unge/dubletter/{registered.pk}/{again.pk}/").content.decode()
    assert "ligner ikke hinanden" not in page
    assert f"Sag {registered.cases.get().pk}" in page

    refused = client.post(
        f"/unge/dubletter/{registered.pk}/{again.pk}/", {"keep": registered.pk, "reason": ""}
    )
    assert refused.status_code == 422
    assert YoungPerson.objects.filter(pk=again.pk).exists()

    response = client.post(
        f"/unge/dubletter/{registered.pk}/{again.pk}/",
        {"keep": registered.pk, "reason": "Samme pige; skolen bekræfter."},
    )

    assert response.status_code == 302
    assert response["Location"] == "/unge/dubletter/"
    assert not YoungPerson.objects.filter(pk=again.pk).exists()
    again_concern.refresh_from_db()
    assert again_concern.young_person == registered
    assert (
        f"/unge/dubletter/{registered.pk}/" not in client.get("/unge/dubletter/").content.decode()
    )


def test_the_suggestion_at_triage_is_shown_to_the_consultant_only(
    client: Client, personas: Personas
) -> None:
    """A police officer registers Freja again (the lookup hid her): the new concern reaches
    the chair of her school team too, who reads it but does not see the suggestion."""
    freja = YoungPerson.objects.get(full_name="Demo-Freja Fantasisen")
    again = services.young_person_find_or_create(
        municipality=_glostrup(),
        full_name="Demo-Freja  Fantasisen",
        birth_date=freja.birth_date,
        school=freja.school,
        created_by=personas.police,
    )
    concern = _concern(personas.police, again, "Set alene ved stationen sent om aftenen.")
    freja_concern = freja.concerns.get()
    url = f"/bekymringer/{concern.pk}/"

    for persona in ("police", "leader"):
        client.force_login(personas[persona])
        page = client.get(url).content.decode()
        assert "Mulig dublet" not in page, f"{persona} saw the suggested duplicate"
        assert f"nr. {freja.pk}" not in page
    client.force_login(personas.consultant)
    page = client.get(url).content.decode()

    assert f"Mulig dublet: Demo-Freja Fantasisen (nr. {freja.pk})" in page
    assert f'href="/bekymringer/{freja_concern.pk}/"' in page
    assert f'href="/unge/dubletter/{again.pk}/{freja.pk}/"' in page
    shown = AuditEvent.objects.filter(
        user_id=personas.consultant.pk, shown_subjects__contains=[freja.pk]
    )
    assert shown.exists(), "showing the suggestion was not logged"
