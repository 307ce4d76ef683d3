"""The rules of `cases.permissions` that the views ask, persona by persona: who may change a
case's status (and reopen a closed one), add to a concern, see the triage queue, and search
the access log. The URL tables prove the views ask them; these tables pin the rules."""

from __future__ import annotations

import pytest
from django.http import Http404

from cases import oversight, permissions
from cases.models import Case, CaseStatus, Concern
from forum.models import Municipality
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

AMALIE = "Demo-Amalie Tænktsen"  # ad-hoc group of consultant, police and social
FREJA = "Demo-Freja Fantasisen"  # a new concern by the club worker, untriaged


def _case(name: str, status: str) -> Case:
    Case.objects.filter(young_person__full_name=name).update(status=status)
    return Case.objects.select_related("responsible_body").get(young_person__full_name=name)


def _only(*names: str) -> dict[str, bool]:
    return {name: name in names for name in PERSONA_NAMES}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        # Everyone of a handling sector who works on the case moves it along; not the police
        # officer in its ad-hoc group, who reads it through a §115 basis.
        (CaseStatus.ACTIVE, _only("consultant", "social")),
        # Reopening is for those who manage it: the consultant (the case has no coordinator).
        (CaseStatus.CLOSED, _only("consultant")),
    ],
)
def test_who_may_change_a_cases_status(
    personas: Personas, status: str, expected: dict[str, bool]
) -> None:
    case = _case(AMALIE, status)
    answers = {name: permissions.can_change_status(personas[name], case) for name in PERSONA_NAMES}
    assert answers == expected


def test_who_may_add_to_a_concern(personas: Personas) -> None:
    concern = Concern.objects.get(young_person__full_name=FREJA)
    answers = {
        name: permissions.can_add_addendum(personas[name], concern) for name in PERSONA_NAMES
    }
    # Its author and the consultant who triages it; not the team's chair, who only reads it.
    assert answers == _only("club", "consultant")


def test_the_concern_page_asks_the_same_questions_as_the_forms(personas: Personas) -> None:
    concern = Concern.objects.get(young_person__full_name=FREJA)
    for name in PERSONA_NAMES:
        user = personas[name]
        assert permissions.concern_abilities(user, concern) == (
            permissions.can_triage(user, concern.municipality_id),
            permissions.can_add_addendum(user, concern),
        ), f"{name}: the concern page and its forms disagree"


def test_only_consultants_see_the_triage_queue(personas: Personas) -> None:
    answers = {name: permissions.can_see_triage_queue(personas[name]) for name in PERSONA_NAMES}
    assert answers == _only("consultant")


def test_only_administrators_and_consultants_search_the_access_log(personas: Personas) -> None:
    answers = {name: oversight.can_search_audit(personas[name]) for name in PERSONA_NAMES}
    assert answers == _only("admin", "consultant")


def test_the_access_log_covers_the_administered_and_the_triaged_municipalities(
    personas: Personas,
) -> None:
    administered = set(
        Municipality.objects.filter(code__in=("161", "165")).values_list("pk", flat=True)
    )
    glostrup = Municipality.objects.get(code="161").pk
    assert set(oversight.audit_scope_or_404(personas.admin)) == administered
    assert oversight.audit_scope_or_404(personas.consultant) == [glostrup]
    for name in PERSONA_NAMES:
        if name not in ("admin", "consultant"):
            with pytest.raises(Http404):
                oversight.audit_scope_or_404(personas[name])


def test_only_the_consultant_reads_who_a_logged_young_person_is(personas: Personas) -> None:
    both = list(Municipality.objects.filter(code__in=("161", "165")).values_list("pk", flat=True))
    glostrup = Municipality.objects.get(code="161").pk
    assert oversight.audit_readers_of_content(personas.consultant, both) == {glostrup}
    assert oversight.audit_readers_of_content(personas.admin, both) == set()
