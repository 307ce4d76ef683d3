"""A municipality's body types (`forum.BodyType`, `forum.bodytypes`): what a type may be, the
label a body shows, and how the existing data got its types (migration
`forum/0007_orgkinds_bodytypes`).

- A case-handling type only behaves as an udvalg, a Følgegruppe, a working group or an
  Infohus (besides the school teams and §115 groups, which always handle cases); never as a
  council, the whole SSP-Forum or a network, and never spanning municipalities.
- A type spans municipalities only as a network, working group, Infohus or Styregruppe.
- An ad-hoc group is formed under a body that handles cases, and only there.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from forum import bodytypes, services
from forum.models import Body, BodyKind, BodyType, Municipality
from forum.presets import TypeSpec
from tests.forum.service_helpers import field_errors, row_counts

pytestmark = pytest.mark.django_db

K = BodyKind


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


@pytest.mark.parametrize("kind", [K.LOKALRAAD, K.STEERING_GROUP, K.SSP_FORUM, K.NETWORK])
def test_a_council_forum_or_network_type_may_not_handle_cases(kind: str) -> None:
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        bodytypes.body_type_create(
            municipality=_glostrup(),
            spec=TypeSpec(name="Sagsrådet", kind=kind, may_handle_cases=True),
        )

    assert field_errors(excinfo, "may_handle_cases") == [
        "Kun organer, der fungerer som SSP-Udvalg, SSP-Følgegruppe, Arbejdsgruppe, Infohus, "
        "kan behandle sager."
    ]
    assert row_counts() == before


def test_a_case_handling_type_may_not_span_municipalities() -> None:
    with pytest.raises(ValidationError) as excinfo:
        bodytypes.body_type_create(
            municipality=_glostrup(),
            spec=TypeSpec(
                name="Fælles Infohus",
                kind=K.INFOHUS,
                may_handle_cases=True,
                spans_municipalities=True,
            ),
        )

    assert field_errors(excinfo, "spans_municipalities") == [
        "En sag hører til én kommune: et organ, der behandler sager, kan ikke gå på tværs."
    ]


def test_a_school_team_type_may_not_span_municipalities() -> None:
    with pytest.raises(ValidationError) as excinfo:
        bodytypes.body_type_create(
            municipality=_glostrup(),
            spec=TypeSpec(name="Fælles SSP-team", kind=K.SCHOOL_TEAM, spans_municipalities=True),
        )

    assert "spans_municipalities" in excinfo.value.message_dict


def test_two_types_of_one_municipality_may_not_share_a_name() -> None:
    with pytest.raises(ValidationError) as excinfo:
        bodytypes.body_type_create(
            municipality=_glostrup(), spec=TypeSpec(name="arbejdsgruppe", kind=K.WORKING_GROUP)
        )

    assert field_errors(excinfo, "name") == ["Kommunen har allerede en organtype med det navn."]


def test_a_type_with_bodies_may_not_change_kind_or_go_below_their_number() -> None:
    working = BodyType.objects.get(municipality=_glostrup(), kind=K.WORKING_GROUP)

    with pytest.raises(ValidationError) as excinfo:
        bodytypes.body_type_update(body_type=working, kind=K.SSP_UDVALG, max_per_municipality=1)

    assert set(excinfo.value.message_dict) == {"kind", "max_per_municipality"}
    assert BodyType.objects.get(pk=working.pk).kind == K.WORKING_GROUP


def test_a_body_shows_its_types_name_instead_of_the_kinds(admin_client: Client) -> None:
    working = BodyType.objects.get(municipality=_glostrup(), kind=K.WORKING_GROUP)
    bodytypes.body_type_update(body_type=working, name="Temagruppe")
    body = Body.objects.select_related("body_type").get(name="Aktivitetsgruppen")

    page = admin_client.get(f"/organisation/organ/{body.pk}/").content.decode()
    tree = admin_client.get(f"/organisation/kommune/{_glostrup().pk}/").content.decode()

    assert body.get_kind_display() == "Temagruppe"
    assert "Temagruppe" in page
    assert "Temagruppe" in tree
    assert "Kommunens organtyper" in tree


def test_every_demo_body_of_a_municipality_has_a_type_of_its_kind() -> None:
    """What the data migration gave the existing bodies, and the services every new one."""
    municipal = Body.objects.filter(municipality__isnull=False)

    assert municipal.exists()
    assert not municipal.filter(body_type__isnull=True).exists()
    for body in municipal.select_related("body_type"):
        assert body.body_type.kind == body.kind, f"{body} has a type of another kind"
        assert body.body_type.municipality_id == body.municipality_id
    assert not Body.objects.filter(kind=K.KREDSRAAD, body_type__isnull=False).exists()


def test_the_default_types_keep_one_lokalraad_foelgegruppe_and_forum_per_municipality() -> None:
    maximum = dict(
        BodyType.objects.filter(municipality=_glostrup()).values_list(
            "kind", "max_per_municipality"
        )
    )

    assert maximum[K.LOKALRAAD] == 1
    assert maximum[K.FOELGEGRUPPE] == 1
    assert maximum[K.SSP_FORUM] == 1
    assert maximum[K.WORKING_GROUP] is None


def test_an_ad_hoc_group_may_sit_under_a_case_handling_udvalg_only() -> None:
    glostrup = _glostrup()
    lokalraad = Body.objects.get(name="Lokalrådet i Glostrup")
    handling = bodytypes.body_type_create(
        municipality=glostrup,
        spec=TypeSpec(name="Lokalt SSP-udvalg", kind=K.SSP_UDVALG, may_handle_cases=True),
    )
    udvalg = services.body_create(body_type=handling, name="SSP-udvalg Syd", parent=lokalraad)
    plain = Body.objects.get(name="SSP-Udvalget i Glostrup")

    group = services.body_create(
        kind=K.AD_HOC, municipality=glostrup, name="Ad hoc-gruppe X", parent=udvalg
    )
    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=K.AD_HOC, municipality=glostrup, name="Ad hoc-gruppe Y", parent=plain
        )

    assert group.parent == udvalg
    assert field_errors(excinfo, "parent") == ["Ad hoc-gruppe kan ikke høre under SSP-Udvalg."]
    with pytest.raises(ValidationError) as turned_off:
        bodytypes.body_type_update(body_type=handling, may_handle_cases=False)
    assert "may_handle_cases" in turned_off.value.message_dict


def test_a_body_not_yet_given_a_type_is_held_to_its_kinds_type() -> None:
    """Django admin's form validates before the service gives the body its default type."""
    body = Body(kind=K.LOKALRAAD, name="Lokalrådet nr. 2", municipality=_glostrup())

    with pytest.raises(ValidationError) as excinfo:
        services.body_validate(body)

    assert field_errors(excinfo, "body_type") == [
        "Kommunen har allerede et organ af typen Lokalråd og kan højst have 1."
    ]
