"""The shape of the organisation's tree of bodies: which kind may sit under which
(`ALLOWED_PARENT_KINDS`), at most as many bodies of a type as the type allows (one Lokalråd,
one SSP-Følgegruppe, one SSP-Forum by default: `BodyType.max_per_municipality`), no parent
across municipalities or police districts, no cycles, and kind changes the bodies below
allow. A refused write raises `ValidationError` with a Danish message and leaves the
database as it was.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from forum import services
from forum.models import ALLOWED_PARENT_KINDS, Body, BodyKind, Municipality, Unit
from ssp.models import Sector
from tests.forum.service_helpers import field_errors, row_counts

pytestmark = pytest.mark.django_db

K = BodyKind
KREDSRAAD_NAME = "Kredsrådet for Københavns Vestegn"


def _build_under(kind: str) -> str | None:
    """The parent kind a body of this kind is built under when a test needs one with a valid
    ancestry: the top of the tree if allowed, else the first allowed kind."""
    allowed = ALLOWED_PARENT_KINDS[K(kind)]
    return None if None in allowed else sorted(str(k) for k in allowed)[0]


ALLOWED_PAIRS = sorted(
    ((str(kind), parent) for kind, parents in ALLOWED_PARENT_KINDS.items() for parent in parents),
    key=str,
)


FORBIDDEN_PAIRS = sorted(
    (
        (str(kind), parent)
        for kind in K
        for parent in (None, *(str(k) for k in K))
        if parent not in ALLOWED_PARENT_KINDS[kind]
    ),
    key=str,
)


def _pair_id(pair: tuple[str, str | None]) -> str:
    kind, parent = pair
    return f"{kind}-under-{parent or 'nothing'}"


def _municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def _body(name: str) -> Body:
    return Body.objects.get(name=name)


def _school(municipality: Municipality) -> Unit:
    unit = Unit.objects.filter(municipality=municipality, sector=Sector.SCHOOL).first()
    return unit or services.unit_create(
        municipality=municipality, name=f"{municipality.name} Skole", sector=Sector.SCHOOL
    )


def _build(kind: str | None, municipality: Municipality, built: dict[str, Body]) -> Body | None:
    """A body of the given kind in the municipality, with a valid chain of bodies above it."""
    if kind is None:
        return None
    if kind not in built:
        if kind == K.KREDSRAAD:
            built[kind] = Body.objects.get(
                kind=K.KREDSRAAD, police_district=municipality.police_district
            )
        else:
            built[kind] = services.body_create(
                kind=kind,
                name=f"{K(kind).label} i {municipality.name}",
                municipality=municipality,
                parent=_build(_build_under(kind), municipality, built),
                unit=_school(municipality) if kind == K.SCHOOL_TEAM else None,
            )
    return built[kind]


# --- the body hierarchy ------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "parent_kind"), ALLOWED_PAIRS, ids=map(_pair_id, ALLOWED_PAIRS))
def test_body_create_accepts_every_allowed_parent_kind(
    kind: str, parent_kind: str | None, brondby: Municipality, odense: Municipality
) -> None:
    parent = _build(parent_kind, brondby, {})
    if kind == K.KREDSRAAD:
        place = {"police_district": odense.police_district}
    else:
        place = {"municipality": brondby}
    before = Body.objects.count()

    body = services.body_create(
        kind=kind,
        name="Det nye organ",
        parent=parent,
        unit=_school(brondby) if kind == K.SCHOOL_TEAM else None,
        **place,
    )

    assert Body.objects.count() == before + 1
    saved = Body.objects.get(pk=body.pk)
    assert saved.kind == kind
    assert saved.parent == parent


@pytest.mark.parametrize(
    ("kind", "parent_kind"), FORBIDDEN_PAIRS, ids=map(_pair_id, FORBIDDEN_PAIRS)
)
def test_body_create_refuses_every_parent_kind_not_allowed_and_saves_nothing(
    kind: str, parent_kind: str | None, brondby: Municipality
) -> None:
    parent = _build(parent_kind, brondby, {})
    if kind == K.KREDSRAAD:
        place = {"police_district": brondby.police_district}
    else:
        place = {"municipality": brondby}
    unit = _school(brondby) if kind == K.SCHOOL_TEAM else None
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=kind,
            name="Det forkerte organ",
            parent=parent,
            unit=unit,
            **place,
        )

    messages = field_errors(excinfo, "parent")
    label = K(kind).label
    if parent_kind is None:
        expected = [m for m in messages if m.startswith(f"{label} skal høre under: ")]
        assert expected, f"no Danish 'skal høre under' message in {messages}"
        for allowed in ALLOWED_PARENT_KINDS[kind]:
            assert str(K(allowed).label) in expected[0]
    else:
        assert f"{label} kan ikke høre under {K(parent_kind).label}." in messages
    assert row_counts() == before


@pytest.mark.parametrize(
    ("kind", "parent_name"),
    [
        (K.LOKALRAAD, KREDSRAAD_NAME),
        (K.FOELGEGRUPPE, "Lokalrådet i Glostrup"),
        (K.SSP_FORUM, "SSP-Følgen"),
    ],
)
def test_a_municipality_gets_at_most_one_body_of_each_singleton_kind(
    kind: str, parent_name: str
) -> None:
    existing = Body.objects.get(municipality=_municipality("161"), kind=kind)
    assert existing.body_type.max_per_municipality == 1
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=kind,
            name="Endnu et organ",
            municipality=_municipality("161"),
            parent=_body(parent_name),
        )

    assert field_errors(excinfo, "body_type") == [
        f"Kommunen har allerede et organ af typen {K(kind).label} og kan højst have 1."
    ]
    assert row_counts() == before


def test_singleton_kinds_are_one_per_municipality_not_one_in_all(brondby: Municipality) -> None:
    before = Body.objects.filter(kind=K.LOKALRAAD).count()
    assert before >= 2

    lokalraad = services.body_create(
        kind=K.LOKALRAAD, name="Lokalrådet i Brøndby", municipality=brondby
    )

    assert Body.objects.filter(kind=K.LOKALRAAD).count() == before + 1
    assert Body.objects.get(pk=lokalraad.pk).municipality == brondby


def test_kinds_that_are_not_singletons_may_repeat_in_a_municipality() -> None:
    forum = _body("SSP-Forum Glostrup")
    assert _body("Aktivitetsgruppen").body_type.max_per_municipality is None
    before = Body.objects.filter(kind=K.WORKING_GROUP, municipality=forum.municipality).count()

    services.body_create(
        kind=K.WORKING_GROUP, name="Festgruppen", municipality=forum.municipality, parent=forum
    )

    assert (
        Body.objects.filter(kind=K.WORKING_GROUP, municipality=forum.municipality).count()
        == before + 1
    )


def test_body_update_refuses_a_singleton_kind_the_municipality_already_has() -> None:
    udvalg = _body("SSP-Udvalget i Glostrup")

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=udvalg, kind=K.FOELGEGRUPPE)

    assert field_errors(excinfo, "body_type") == [
        "Kommunen har allerede et organ af typen SSP-Følgegruppe og kan højst have 1."
    ]
    assert Body.objects.get(pk=udvalg.pk).kind == K.SSP_UDVALG


def test_renaming_a_singleton_body_does_not_clash_with_itself() -> None:
    forum = _body("SSP-Forum Glostrup")

    services.body_update(body=forum, name="  SSP-Forum i Glostrup  ", purpose="Årsmødet.")

    saved = Body.objects.get(pk=forum.pk)
    assert saved.name == "SSP-Forum i Glostrup"
    assert saved.purpose == "Årsmødet."
    assert saved.kind == K.SSP_FORUM


def test_body_create_refuses_a_parent_in_another_municipality() -> None:
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=K.SSP_UDVALG,
            name="SSP-Udvalget i Albertslund",
            municipality=_municipality("165"),
            parent=_body("Lokalrådet i Glostrup"),
        )

    assert field_errors(excinfo, "parent") == [
        "Det overordnede organ skal høre til samme kommune eller politikreds."
    ]
    assert row_counts() == before


def test_a_lokalraad_may_not_sit_under_the_kredsraad_of_another_police_district(
    odense: Municipality,
) -> None:
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=K.LOKALRAAD,
            name="Lokalrådet i Odense",
            municipality=odense,
            parent=_body(KREDSRAAD_NAME),
        )

    assert field_errors(excinfo, "parent") == [
        "Det overordnede organ skal høre til samme kommune eller politikreds."
    ]
    assert row_counts() == before


def test_a_lokalraad_may_sit_under_the_kredsraad_of_its_own_police_district(
    brondby: Municipality,
) -> None:
    lokalraad = services.body_create(
        kind=K.LOKALRAAD,
        name="Lokalrådet i Brøndby",
        municipality=brondby,
        parent=_body(KREDSRAAD_NAME),
    )

    assert Body.objects.get(pk=lokalraad.pk).parent == _body(KREDSRAAD_NAME)


def test_body_update_refuses_moving_a_body_under_another_municipalitys_body() -> None:
    group = _body("Mandagsgruppen (§115)")
    old_parent = group.parent_id

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=group, parent=_body("Lokalrådet i Albertslund"))

    assert field_errors(excinfo, "parent") == [
        "Det overordnede organ skal høre til samme kommune eller politikreds."
    ]
    assert Body.objects.get(pk=group.pk).parent_id == old_parent


def test_body_update_refuses_making_a_body_its_own_parent() -> None:
    group = _body("Mandagsgruppen (§115)")
    old_parent = group.parent_id

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=group, parent=group)

    assert "Et organ kan ikke høre under sig selv." in field_errors(excinfo, "parent")
    assert Body.objects.get(pk=group.pk).parent_id == old_parent


def test_body_update_refuses_a_cycle_through_a_body_below_it(brondby: Municipality) -> None:
    lokalraad = services.body_create(
        kind=K.LOKALRAAD, name="Lokalrådet i Brøndby", municipality=brondby
    )
    foelgegruppe = services.body_create(
        kind=K.FOELGEGRUPPE, name="SSP-Følgen i Brøndby", municipality=brondby, parent=lokalraad
    )

    # As an SSP-Forum it may sit under a Følgegruppe, but this one sits under it already.
    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=lokalraad, kind=K.SSP_FORUM, parent=foelgegruppe)

    assert "Et organ kan ikke høre under sig selv." in field_errors(excinfo, "parent")
    saved = Body.objects.get(pk=lokalraad.pk)
    assert saved.kind == K.LOKALRAAD
    assert saved.parent is None


def test_body_update_refuses_a_kind_the_bodies_below_it_may_not_sit_under() -> None:
    foelgen = _body("SSP-Følgen")
    assert _body("SSP-Forum Glostrup").parent == foelgen

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=foelgen, kind=K.SSP_UDVALG)

    assert "SSP-Forum kan ikke høre under SSP-Udvalg." in field_errors(excinfo, "kind")
    assert Body.objects.get(pk=foelgen.pk).kind == K.FOELGEGRUPPE


def test_a_refused_kind_change_names_each_kind_below_once() -> None:
    forum = _body("SSP-Forum Glostrup")
    kinds_below = set(forum.children.values_list("kind", flat=True))
    assert kinds_below == {K.WORKING_GROUP, K.SCHOOL_TEAM}

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=forum, kind=K.GROUP_115, parent=_body("Lokalrådet i Glostrup"))

    assert sorted(field_errors(excinfo, "kind")) == [
        "Arbejdsgruppe kan ikke høre under §115-gruppe.",
        "Skolens SSP-team kan ikke høre under §115-gruppe.",
    ]
    saved = Body.objects.get(pk=forum.pk)
    assert (saved.kind, saved.parent) == (K.SSP_FORUM, _body("SSP-Følgen"))


def test_body_update_may_change_the_kind_of_a_body_with_nothing_below_it() -> None:
    udvalg = _body("SSP-Udvalget i Glostrup")

    services.body_update(body=udvalg, kind=K.GROUP_115)

    assert Body.objects.get(pk=udvalg.pk).kind == K.GROUP_115


def test_a_kredsraad_cannot_change_kind() -> None:
    kredsraad = _body(KREDSRAAD_NAME)

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=kredsraad, kind=K.LOKALRAAD)

    assert field_errors(excinfo, "kind") == ["Et kredsråd kan ikke skifte type."]
    assert Body.objects.get(pk=kredsraad.pk).kind == K.KREDSRAAD


def test_no_body_can_become_a_kredsraad() -> None:
    lokalraad = _body("Lokalrådet i Glostrup")

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=lokalraad, kind=K.KREDSRAAD, parent=None)

    assert field_errors(excinfo, "kind") == ["Et kredsråd kan ikke skifte type."]
    saved = Body.objects.get(pk=lokalraad.pk)
    assert saved.kind == K.LOKALRAAD
    assert saved.parent == _body(KREDSRAAD_NAME)


def test_body_update_refuses_fields_it_does_not_own() -> None:
    team = _body("SSP-team Vestervang")

    with pytest.raises(TypeError, match="municipality"):
        services.body_update(body=team, municipality=_municipality("165"))

    assert Body.objects.get(pk=team.pk).municipality == _municipality("161")
