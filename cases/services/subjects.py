"""Concerns and cases about a group or a place (Herning's "specifik" level): triaging a
concern into a case about a group of named young people or about a place with no names."""

from __future__ import annotations

from django.db import transaction

from cases.models import Case, Concern, PreventionLevel, YoungPerson
from cases.services.bases import BasisRequest
from cases.services.cases import case_open
from cases.services.concerns import concern_link_to_case
from cases.services.identity import concern_settle_people
from cases.subjects import concern_subject_ids
from forum.models import Body
from ssp.models import User


@transaction.atomic
def concern_open_group_case(
    *,
    concern: Concern,
    by: User,
    responsible_body: Body,
    prevention_kind: str,
    subject_description: str,
    coordinator: User | None = None,
    body_basis: BasisRequest | None = None,
) -> Case:
    """Triage: open a case at the specific level about the young people the concern names
    (a group), or about the place it describes when it names no one.

    Members of the responsible body read the case (R2) but are shown only the young people
    they may see anyway; `body_basis` shows the body the whole group (rule S).
    """
    concern_settle_people(concern=concern, by=by)
    named = concern_subject_ids(concern)
    people = list(YoungPerson.objects.filter(pk__in=named))
    people.sort(key=lambda person: named.index(person.pk))
    case = case_open(
        municipality=concern.municipality,
        subjects=people,
        subject_description=subject_description or concern.subject_description,
        responsible_body=responsible_body,
        level=PreventionLevel.SPECIFIC,
        prevention_kind=prevention_kind,
        coordinator=coordinator,
        opened_by=by,
        body_basis=body_basis,
    )
    return concern_link_to_case(concern=concern, case=case, by=by).case
