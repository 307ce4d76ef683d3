"""Django admin is no back door: ticking the consultant role on one's own affiliation, or
adding oneself to a body that reads cases in the membership inline, is refused on the form
with the service's message (no 500), and nothing is saved. Ad-hoc groups are not there at all.

Before this rule, the demo administrator ticked `is_ssp_consultant` on their own affiliation
and read every case of Glostrup and its triage queue.
"""

from __future__ import annotations

import html

import pytest
from django.test import Client

from forum import services
from forum.models import Affiliation, Body, BodyKind, Membership, Municipality, Person
from tests.forum.case_access import assert_reads_no_case
from tests.personas import Personas

pytestmark = pytest.mark.django_db

SELF_CONSULTANT = (
    "Du kan ikke gøre dig selv til SSP-konsulent: rollen giver adgang til alle kommunens "
    "bekymringer og sager. Bed en anden administrator om det."
)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def _affiliation_post(affiliation: Affiliation, **roles: bool) -> dict[str, object]:
    data: dict[str, object] = {
        "user": affiliation.user_id,
        "municipality": affiliation.municipality_id,
        "_save": "Gem",
    }
    for role in ("is_ssp_consultant", "is_administrator"):
        if roles.get(role, getattr(affiliation, role)):
            data[role] = "on"
    return data


def _body_post(body: Body, *, add: Person | None = None, role: str = "member") -> dict:
    """The body's change form as Django admin sends it, its members kept, `add` added."""
    data: dict[str, object] = {
        "kind": body.kind,
        "name": body.name,
        "municipality": body.municipality_id or "",
        "police_district": body.police_district_id or "",
        "parent": body.parent_id or "",
        "unit": body.unit_id or "",
        "purpose": body.purpose,
        "meeting_rhythm": body.meeting_rhythm,
        "_save": "Gem",
    }
    memberships = list(body.memberships.order_by("pk"))
    for index, membership in enumerate(memberships):
        data.update(
            {
                f"memberships-{index}-id": membership.pk,
                f"memberships-{index}-body": body.pk,
                f"memberships-{index}-person": membership.person_id,
                f"memberships-{index}-role": membership.role,
            }
        )
    total = len(memberships)
    if add is not None:
        data.update(
            {
                f"memberships-{total}-id": "",
                f"memberships-{total}-body": body.pk,
                f"memberships-{total}-person": add.pk,
                f"memberships-{total}-role": role,
            }
        )
        total += 1
    data.update(
        {
            "memberships-TOTAL_FORMS": total,
            "memberships-INITIAL_FORMS": len(memberships),
            "memberships-MIN_NUM_FORMS": 0,
            "memberships-MAX_NUM_FORMS": 1000,
        }
    )
    return data


def test_ticking_the_consultant_role_on_ones_own_affiliation_is_refused(
    admin_client: Client, personas: Personas
) -> None:
    affiliation = Affiliation.objects.get(user=personas.admin, municipality__code="161")

    response = admin_client.post(
        f"/admin/forum/affiliation/{affiliation.pk}/change/",
        _affiliation_post(affiliation, is_ssp_consultant=True),
    )

    assert response.status_code == 200, "the form comes back with the refusal"
    assert SELF_CONSULTANT in _text(response)
    assert not Affiliation.objects.get(pk=affiliation.pk).is_ssp_consultant
    assert_reads_no_case(personas.admin)


@pytest.mark.parametrize("body_name", ["SSP-team Vestervang", "Mandagsgruppen (§115)"])
def test_adding_oneself_in_the_membership_inline_is_refused(
    admin_client: Client, personas: Personas, body_name: str
) -> None:
    body = Body.objects.get(name=body_name)
    own = Person.objects.get(user=personas.admin, municipality__code="161")
    memberships = Membership.objects.count()

    response = admin_client.post(
        f"/admin/forum/body/{body.pk}/change/", _body_post(body, add=own, role="chair")
    )

    assert response.status_code == 200, "the form comes back with the refusal"
    assert (
        f"Du kan ikke give dig selv en plads i {body.name}: organets medlemmer læser sager om "
        "børn og unge. Bed en anden administrator om at tilføje dig."
    ) in _text(response)
    assert Membership.objects.count() == memberships
    assert_reads_no_case(personas.admin)


def test_the_membership_inline_still_adds_someone_else(
    admin_client: Client, personas: Personas
) -> None:
    body = Body.objects.get(name="SSP-team Søndervang")
    henrik = Person.objects.get(full_name="Henrik Holm")

    response = admin_client.post(
        f"/admin/forum/body/{body.pk}/change/", _body_post(body, add=henrik)
    )

    assert response.status_code == 302
    assert Membership.objects.filter(body=body, person=henrik).exists()


def test_changing_ones_own_role_in_the_inline_is_refused(
    client: Client, personas: Personas
) -> None:
    # Lars Lund, chair of SSP-team Vestervang, made administrator by another administrator.
    services.affiliation_set(
        user=personas.leader,
        municipality=Municipality.objects.get(code="161"),
        is_administrator=True,
        by=personas.admin,
    )
    body = Body.objects.get(name="SSP-team Vestervang")
    data = _body_post(body)
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-person") and value == Person.objects.get(user=personas.leader).pk
    )
    data[f"memberships-{index}-role"] = "member"
    client.force_login(personas.leader)

    response = client.post(f"/admin/forum/body/{body.pk}/change/", data)

    assert response.status_code == 200
    assert "Du kan ikke ændre din egen rolle i SSP-team Vestervang" in _text(response)
    assert Membership.objects.get(body=body, person__user=personas.leader).role == "chair"


def test_django_admin_lists_no_ad_hoc_group_and_opens_none(
    admin_client: Client, personas: Personas
) -> None:
    group = Body.objects.get(kind=BodyKind.AD_HOC)

    listed = _text(admin_client.get("/admin/forum/body/"))
    opened = admin_client.get(f"/admin/forum/body/{group.pk}/change/")
    posted = admin_client.post(
        f"/admin/forum/body/{group.pk}/change/",
        _body_post(group, add=Person.objects.get(user=personas.admin, municipality__code="161")),
    )

    assert "SSP-team Søndervang" in listed
    assert group.name not in listed, "LEAK: Django admin lists a case's ad-hoc group"
    assert opened.status_code == 302, "Django admin must not open an ad-hoc group"
    assert posted.status_code == 302
    assert not Membership.objects.filter(body=group, person__user=personas.admin).exists()
    assert_reads_no_case(personas.admin)
