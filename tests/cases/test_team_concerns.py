"""The front page's "Nye bekymringer til mine teams": new concerns about a team's pupils for its
chair and coordinator, and concerns routed to a body for its members; never one's own, and not
those of a municipality one triages (they are in the triage queue). The selector narrows the
rows it asks visibility about; the answer must be exactly the visibility rule's."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.test import Client

from cases import permissions, selectors, services
from cases.models import Concern, ConcernStatus
from forum.models import Body
from ssp.models import User
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

HEADING = "Nye bekymringer til mine teams"


def _by_the_rule_alone(user: User) -> list[int]:
    """What the list held before the selector narrowed it: visibility and the list's own
    conditions, nothing else."""
    return list(
        permissions.concerns_visible_to(user)
        .exclude(author=user)
        .filter(Q(status=ConcernStatus.NEW) | Q(status=ConcernStatus.ROUTED))
        .exclude(municipality__in=permissions.municipalities_triaged_by(user).values("pk"))
        .order_by("-submitted_at")
        .values_list("pk", flat=True)
    )


def _listed(user: User) -> list[int]:
    return list(selectors.concerns_for_my_teams(user=user).values_list("pk", flat=True))


def _front_page(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def _freja() -> Concern:
    return Concern.objects.get(young_person__full_name="Demo-Freja Fantasisen")


def _station() -> Concern:
    return Concern.objects.get(subject_description="Stationsforpladsen")


def test_the_chair_of_the_pupils_team_hears_of_a_new_concern(personas: Personas) -> None:
    concern = _freja()

    assert concern.status == ConcernStatus.NEW
    assert concern.pk in _listed(personas.leader)
    page = _front_page(personas.leader)
    assert HEADING in page
    assert f'href="{concern.get_absolute_url()}"' in page


def test_the_members_of_the_body_a_concern_was_routed_to_hear_of_it(personas: Personas) -> None:
    concern = _station()
    services.concern_route(
        concern=concern, body=Body.objects.get(name="Mandagsgruppen (§115)"), by=personas.consultant
    )

    assert concern.pk in _listed(personas.social)
    assert f'href="{concern.get_absolute_url()}"' in _front_page(personas.social)
    assert concern.pk not in _listed(personas.outsider)


def test_the_consultant_finds_their_municipalitys_concerns_in_the_triage_queue_instead(
    personas: Personas,
) -> None:
    assert _freja().pk not in _listed(personas.consultant)
    assert _freja().pk in selectors.triage_queue(user=personas.consultant).values_list(
        "pk", flat=True
    )


@pytest.mark.parametrize("routed", [False, True], ids=["as seeded", "station concern routed"])
def test_the_list_is_exactly_what_the_visibility_rule_gives_every_persona(
    personas: Personas, routed: bool
) -> None:
    if routed:
        services.concern_route(
            concern=_station(),
            body=Body.objects.get(name="Mandagsgruppen (§115)"),
            by=personas.consultant,
        )
    for name in PERSONA_NAMES:
        user = personas[name]
        assert _listed(user) == _by_the_rule_alone(user), name
