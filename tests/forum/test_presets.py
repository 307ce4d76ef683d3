"""A municipality made from a preset (`forum.setup.municipality_create_from_preset`): the
preset's body types with their rules, its standing bodies in their hierarchy, meeting
rhythms and age bands, in one transaction; applied again, it adds nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from forum import services
from forum.models import Body, BodyKind, BodyType, Municipality, PoliceDistrict
from forum.presets import PRESETS
from forum.setup import municipality_create_from_preset
from tests.forum.service_helpers import field_errors, row_counts

pytestmark = pytest.mark.django_db

K = BodyKind


@pytest.fixture
def district() -> PoliceDistrict:
    return PoliceDistrict.objects.create(name="Midt- og Vestsjællands Politi")


def _tree(municipality: Municipality) -> dict[str, tuple[str, str, str]]:
    """Each body: (its type's name, its kind, the name of the body above it)."""
    return {
        body.name: (body.body_type.name, body.kind, body.parent.name if body.parent else "")
        for body in Body.objects.filter(municipality=municipality).select_related(
            "body_type", "parent"
        )
    }


def test_the_koege_preset_gives_a_styregruppe_an_infohus_and_ages_up_to_24(
    district: PoliceDistrict,
) -> None:
    koege = municipality_create_from_preset(
        preset="koege", name="Køge", code="259", police_district=district
    )

    assert (koege.ssp_age_limit, koege.ssp_plus_age_limit) == (17, 24)
    assert _tree(koege) == {
        "Lokalrådet": ("Lokalråd", K.LOKALRAAD, ""),
        "SSP-Styregruppen": ("SSP-Styregruppe", K.STEERING_GROUP, "Lokalrådet"),
        "SSP-Forum": ("SSP-Forum", K.SSP_FORUM, "SSP-Styregruppen"),
        "§115-mandagsmødet": ("§115-mandagsmøde", K.GROUP_115, "SSP-Styregruppen"),
        "Infohus": ("Infohus", K.INFOHUS, "SSP-Styregruppen"),
        "Gadeplan": ("Gadeplansteam", K.WORKING_GROUP, "SSP-Forum"),
    }
    infohus = Body.objects.get(municipality=koege, name="Infohus")
    assert infohus.handles_cases
    assert infohus.meeting_rhythm == "Hver anden uge og efter behov."
    assert infohus.get_kind_display() == "Infohus"
    mandag = Body.objects.select_related("body_type").get(name="§115-mandagsmødet")
    assert mandag.get_kind_display() == "§115-mandagsmøde"


def test_the_koebenhavn_preset_gives_case_handling_local_udvalg_and_local_foelgegrupper(
    district: PoliceDistrict,
) -> None:
    kbh = municipality_create_from_preset(
        preset="koebenhavn", name="København", code="101", police_district=district
    )

    assert (kbh.ssp_age_limit, kbh.ssp_plus_age_limit) == (18, 25)
    tree = _tree(kbh)
    udvalg = [name for name, row in tree.items() if row[0] == "Lokalt SSP-udvalg"]
    assert sorted(udvalg) == ["SSP-udvalg Amager Øst", "SSP-udvalg Nørrebro", "SSP-udvalg Valby"]
    assert tree["SSP Følgegruppe Folehaven"] == (
        "Lokal SSP-følgegruppe",
        K.FOELGEGRUPPE,
        "SSP-udvalg Valby",
    )
    assert tree["SSP+ København"][1] == K.GROUP_115
    local_type = BodyType.objects.get(municipality=kbh, name="Lokalt SSP-udvalg")
    assert local_type.may_handle_cases
    assert local_type.max_per_municipality is None
    assert all(body.handles_cases for body in local_type.bodies.all())
    assert not Body.objects.get(name="SSP København styregruppe").handles_cases


def test_the_glostrup_preset_has_the_seed_texts_shape(district: PoliceDistrict) -> None:
    glostrup = municipality_create_from_preset(
        preset="glostrup", name="Nyby", code="998", police_district=district
    )

    tree = _tree(glostrup)
    assert tree["SSP-Følgen"] == ("SSP-Følgegruppe", K.FOELGEGRUPPE, "Lokalrådet")
    assert tree["SSP-Forum"] == ("SSP-Forum", K.SSP_FORUM, "SSP-Følgen")
    assert tree["Mandagsgruppen (§115)"][2] == "SSP-Forum"
    assert (glostrup.ssp_age_limit, glostrup.ssp_plus_age_limit) == (17, 25)
    assert Body.objects.get(name="SSP-Forum", municipality=glostrup).meeting_rhythm == (
        "En gang om året i april."
    )


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_applying_a_preset_twice_adds_nothing(preset: str, district: PoliceDistrict) -> None:
    first = municipality_create_from_preset(
        preset=preset, name="Gentagby", code="997", police_district=district
    )
    before = row_counts()

    again = municipality_create_from_preset(
        preset=preset, name="Gentagby", code="997", police_district=district
    )

    assert again == first
    assert row_counts() == before
    spec = PRESETS[preset]
    assert BodyType.objects.filter(municipality=first).count() == len(spec.types)
    assert Body.objects.filter(municipality=first).count() == len(spec.bodies)


def test_a_preset_fills_in_what_a_municipality_is_missing(district: PoliceDistrict) -> None:
    koege = municipality_create_from_preset(
        preset="koege", name="Køge", code="259", police_district=district
    )
    Body.objects.get(municipality=koege, name="Gadeplan").delete()

    municipality_create_from_preset(
        preset="koege", name="Køge", code="259", police_district=district
    )

    assert Body.objects.filter(municipality=koege, name="Gadeplan").count() == 1


def test_an_unknown_preset_is_refused_and_nothing_is_saved(district: PoliceDistrict) -> None:
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        municipality_create_from_preset(
            preset="aarhus", name="Aarhus", code="751", police_district=district
        )

    assert field_errors(excinfo, "preset") == ["Vælg en af skabelonerne."]
    assert row_counts() == before


# --- the singleton rule is the type's ----------------------------------------------------


def test_a_type_of_one_per_municipality_refuses_a_second_body(district: PoliceDistrict) -> None:
    koege = municipality_create_from_preset(
        preset="koege", name="Køge", code="259", police_district=district
    )
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            body_type=BodyType.objects.get(municipality=koege, name="Infohus"),
            name="Infohus 2",
            parent=Body.objects.get(municipality=koege, name="SSP-Styregruppen"),
        )

    assert field_errors(excinfo, "body_type") == [
        "Kommunen har allerede et organ af typen Infohus og kan højst have 1."
    ]
    assert row_counts() == before


def test_a_type_without_a_maximum_takes_several_bodies_of_a_singleton_kind(
    district: PoliceDistrict,
) -> None:
    """København has many Følgegrupper: the kind was one per municipality, the type is not."""
    kbh = municipality_create_from_preset(
        preset="koebenhavn", name="København", code="101", police_district=district
    )
    local = BodyType.objects.get(municipality=kbh, name="Lokal SSP-følgegruppe")

    for name, under in (("SSP Følgegruppe Mjølnerparken", "SSP-udvalg Nørrebro"),):
        services.body_create(
            body_type=local, name=name, parent=Body.objects.get(municipality=kbh, name=under)
        )

    assert Body.objects.filter(municipality=kbh, kind=K.FOELGEGRUPPE).count() == 2


def test_a_body_may_not_take_another_municipalitys_type(district: PoliceDistrict) -> None:
    koege = municipality_create_from_preset(
        preset="koege", name="Køge", code="259", police_district=district
    )
    glostrup = Municipality.objects.get(code="161")
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            body_type=BodyType.objects.get(municipality=koege, name="Gadeplansteam"),
            municipality=glostrup,
            name="Gadeplan i Glostrup",
            parent=Body.objects.get(name="SSP-Forum Glostrup"),
        )

    assert field_errors(excinfo, "body_type") == ["Vælg en af kommunens egne organtyper."]
    assert row_counts() == before
