"""Who else reads a case: its ad-hoc group and §115 shares, through the case pages.

(Split from test_cases.py to keep each file readable.) Joining the ad-hoc group or receiving
an active share grants access to the case; leaving, revocation and expiry take it away, and
every step shows on the case timeline.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.db.models import QuerySet
from django.test import Client
from django.utils import timezone

from cases import services, tasks
from cases.models import Basis, BasisOrigin, Case, CaseEvent, CaseEventKind
from forum.models import Body, Membership, MembershipRole, Person
from tests.cases.clock import time_passes
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MIKKEL = "Demo-Mikkel Eksempelsen"  # SSP-team Vestervang; Pia Pedersen is not a member
AMALIE = "Demo-Amalie Tænktsen"  # SSP-team Søndervang, ad-hoc group with Peter and Sara
PURPOSE = "Politiet kan bidrage til indsatsen omkring den unge."
ALL_CRITERIA = {"part_of_ssp": "on", "relevant": "on", "necessary": "on"}
BASIS_CRITERIA = {"basis_part_of_ssp": "on", "basis_relevant": "on", "basis_necessary": "on"}


def _case(name: str) -> Case:
    return Case.objects.get(young_person__full_name=name)


def _shares(case: Case) -> QuerySet[Basis]:
    """The bases given by sharing (the demo's Mikkel also has one given when it was opened)."""
    return Basis.objects.filter(case=case, origin=BasisOrigin.SHARE)


def _person(user) -> Person:  # type: ignore[no-untyped-def]
    return Person.objects.get(municipality__code="161", user=user)


def _status(client: Client, user, case: Case) -> int:  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(f"/sager/{case.pk}/").status_code


def _post(client: Client, user, url: str, data: dict | None = None):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.post(url, data or {})


def _timeline(client: Client, user, case: Case) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(f"/sager/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


# --- Ad-hoc group ----------------------------------------------------------------------------


def test_adding_someone_to_the_adhoc_group_grants_the_case_and_removing_them_takes_it_away(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    url = f"/sager/{case.pk}/gruppe/"
    assert _status(client, personas.police2, case) == 404
    client.force_login(personas.consultant)
    assert client.get(url).status_code == 200

    formed = _post(
        client, personas.consultant, url, {"coordinator": _person(personas.consultant).pk}
    )
    added = _post(
        client,
        personas.consultant,
        url,
        {"person": _person(personas.police2).pk, **BASIS_CRITERIA, "basis_purpose": PURPOSE},
    )

    assert formed.status_code == added.status_code == 302
    case.refresh_from_db()
    roles = dict(
        Membership.objects.filter(body=case.adhoc_group).values_list("person__full_name", "role")
    )
    assert roles == {"Kirsten Kragh": MembershipRole.COORDINATOR, "Pia Pedersen": "member"}
    assert case.adhoc_group.parent.name == "SSP-team Vestervang"
    assert _status(client, personas.police2, case) == 200

    membership = Membership.objects.get(body=case.adhoc_group, person__user=personas.police2)
    removed = _post(client, personas.consultant, f"{url}{membership.pk}/fjern/")

    assert removed.status_code == 302
    assert _status(client, personas.police2, case) == 404
    basis = Basis.objects.get(case=case, user=personas.police2)
    assert (basis.origin, basis.ground, basis.purpose, basis.end_reason) == (
        BasisOrigin.ADHOC_MEMBER,
        "section_115",
        PURPOSE,
        "member_left",
    )
    page = _timeline(client, personas.consultant, case)
    assert "Ad hoc-gruppe oprettet med Kirsten Kragh som tovholder" in page
    assert "Pia Pedersen er med i gruppen" in page
    assert "Pia Pedersen er ikke længere med" in page
    assert "Pia Pedersen: Personen er ikke længere med i gruppen" in page


def test_a_police_officer_joins_the_adhoc_group_only_with_a_basis(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    services.adhoc_group_form(
        case=case, by=personas.consultant, coordinator=_person(personas.consultant)
    )
    url = f"/sager/{case.pk}/gruppe/"

    refused = _post(client, personas.consultant, url, {"person": _person(personas.police2).pk})
    half = _post(
        client,
        personas.consultant,
        url,
        {
            "person": _person(personas.police2).pk,
            "basis_part_of_ssp": "on",
            "basis_purpose": PURPOSE,
        },
    )

    assert refused.status_code == half.status_code == 422
    assert "Pia Pedersen arbejder i en sektor, der ikke selv behandler sagen" in (
        refused.content.decode()
    )
    assert "Bekræft alle tre betingelser efter §115 for at give adgang." in half.content.decode()
    assert not Membership.objects.filter(
        body=case.adhoc_group, person__user=personas.police2
    ).exists()
    assert not Basis.objects.filter(case=case, user=personas.police2).exists()
    assert _status(client, personas.police2, case) == 404


def test_a_seeded_adhoc_member_outside_the_team_reads_the_case_until_removed(
    client: Client, personas: Personas
) -> None:
    case = _case(AMALIE)  # Peter Poulsen is not in SSP-team Søndervang, only in its group
    assert _status(client, personas.police, case) == 200
    membership = Membership.objects.get(body=case.adhoc_group, person__user=personas.police)

    services.adhoc_member_remove(case=case, by=personas.consultant, membership=membership)

    assert _status(client, personas.police, case) == 404


@pytest.mark.parametrize(("persona", "expected"), [("leader", 403), ("police2", 404)])
def test_only_the_consultant_or_coordinator_changes_the_adhoc_group(
    client: Client, personas: Personas, persona: str, expected: int
) -> None:
    case = _case(MIKKEL)

    response = _post(
        client,
        personas[persona],
        f"/sager/{case.pk}/gruppe/",
        {"person": _person(personas.leader).pk},
    )

    assert response.status_code == expected
    case.refresh_from_db()
    assert case.adhoc_group is None


# --- §115 shares -----------------------------------------------------------------------------


def _share(client: Client, personas: Personas, case: Case, **data: object):  # type: ignore[no-untyped-def]
    form = {"user": personas.police2.pk, "purpose": PURPOSE, **ALL_CRITERIA}
    form.update(data)
    return _post(client, personas.consultant, f"/sager/{case.pk}/del/", form)


@pytest.mark.parametrize("missing", ["part_of_ssp", "relevant", "necessary"])
def test_sharing_needs_all_three_criteria(client: Client, personas: Personas, missing: str) -> None:
    case = _case(MIKKEL)

    response = _share(client, personas, case, **{missing: ""})

    assert response.status_code == 422
    page = response.content.decode()
    assert "data-error-summary" in page
    assert "Bekræft alle tre betingelser for at dele efter §115, før du deler." in page
    assert not _shares(case).exists()
    assert _status(client, personas.police2, case) == 404


def test_sharing_needs_a_purpose(client: Client, personas: Personas) -> None:
    case = _case(MIKKEL)

    response = _share(client, personas, case, purpose="")

    assert response.status_code == 422
    assert 'href="#id_purpose"' in response.content.decode()
    assert not _shares(case).exists()


def test_sharing_needs_exactly_one_recipient(client: Client, personas: Personas) -> None:
    case = _case(MIKKEL)

    response = _share(client, personas, case, user="")

    assert response.status_code == 422
    assert "Vælg enten et organ eller en person at dele med." in response.content.decode()
    assert not _shares(case).exists()


def test_an_expiry_in_the_past_is_refused(client: Client, personas: Personas) -> None:
    case = _case(MIKKEL)
    yesterday = timezone.localdate() - timedelta(days=1)

    response = _share(client, personas, case, expires_on=yesterday.isoformat())

    assert response.status_code == 422
    assert "Udløbet skal ligge i fremtiden." in response.content.decode()
    assert not _shares(case).exists()


def test_a_share_grants_access_and_its_revocation_takes_it_away_both_on_the_timeline(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    expires_on = timezone.localdate() + timedelta(days=10)

    response = _share(client, personas, case, expires_on=expires_on.isoformat())

    assert response.status_code == 302
    share = _shares(case).get()
    assert (share.user, share.purpose, share.given_by, share.ended_at) == (
        personas.police2,
        PURPOSE,
        personas.consultant,
        None,
    )
    assert share.expires_at == timezone.make_aware(datetime.combine(expires_on, time.max))
    assert _status(client, personas.police2, case) == 200

    revoked = _post(client, personas.consultant, f"/sager/{case.pk}/del/{share.pk}/tilbagekald/")

    assert revoked.status_code == 302
    share.refresh_from_db()
    assert (share.ended_by, share.ended_at is not None) == (personas.consultant, True)
    assert _status(client, personas.police2, case) == 404
    page = _timeline(client, personas.consultant, case)
    assert f"Delt efter §115</strong>: Delt med Pia Pedersen. Formål: {PURPOSE}" in page
    assert "Deling tilbagekaldt</strong>: Pia Pedersen" in page
    assert page.index("Delt efter §115") < page.index("Deling tilbagekaldt")


def test_a_share_with_a_body_grants_access_to_its_members(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    nordvang = Body.objects.get(name="SSP-team Nordvang")  # Pia Pedersen is a member

    response = _share(client, personas, case, user="", body=nordvang.pk)

    assert response.status_code == 302
    assert _shares(case).get().body == nordvang
    assert _status(client, personas.police2, case) == 200
    assert _status(client, personas.neighbour, case) == 404


def test_an_expired_share_stops_granting_access_at_once_and_the_task_only_tidies_up(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    _share(
        client, personas, case, expires_on=(timezone.localdate() + timedelta(days=1)).isoformat()
    )
    share = _shares(case).get()
    assert _status(client, personas.police2, case) == 200

    time_passes(timedelta(days=2))

    assert _status(client, personas.police2, case) == 404, "the expired share still grants access"
    share.refresh_from_db()
    expired_at = share.expires_at
    assert share.ended_at is None, "nothing has run yet"
    assert tasks.expire_shares() == 1
    assert tasks.expire_shares() == 0, "running the task again must change nothing"
    share.refresh_from_db()
    assert (share.ended_at, share.ended_by, share.end_reason) == (expired_at, None, "expired")
    assert _status(client, personas.police2, case) == 404
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.EXPIRED).count() == 1
    assert "Deling udløbet</strong>: Pia Pedersen" in _timeline(client, personas.consultant, case)


def test_a_share_that_has_not_expired_survives_the_expiry_task(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    _share(
        client, personas, case, expires_on=(timezone.localdate() + timedelta(days=1)).isoformat()
    )

    assert tasks.expire_shares() == 0

    assert _shares(case).get().ended_at is None
    assert _status(client, personas.police2, case) == 200


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("consultant", 200), ("leader", 403), ("police", 403), ("police2", 404), ("admin", 404)],
)
def test_only_the_consultant_or_coordinator_may_share(
    client: Client, personas: Personas, persona: str, expected: int
) -> None:
    case = _case(MIKKEL)
    client.force_login(personas[persona])

    assert client.get(f"/sager/{case.pk}/del/").status_code == expected


def test_a_recipient_cannot_revoke_or_see_the_list_of_shares(
    client: Client, personas: Personas
) -> None:
    case = _case("Demo-Oliver Påfundsen")  # shared with Pia Pedersen when seeded
    share = _shares(case).get()

    response = _post(client, personas.police2, f"/sager/{case.pk}/del/{share.pk}/tilbagekald/")

    assert response.status_code == 403
    share.refresh_from_db()
    assert share.ended_at is None
    assert "Delinger efter §115" not in _timeline(client, personas.police2, case)
