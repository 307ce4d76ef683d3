"""Demo of body types beyond the standard ones: Glostrup's Infohus (the radicalisation
cooperation of police and municipality) and a network group of the police district, kept by
Glostrup and open to Albertslund's staff. Idempotent, like the rest of the seed."""

from __future__ import annotations

from forum import services
from forum.bodytypes import body_type_ensure
from forum.models import Body, BodyKind, Municipality
from forum.presets import TypeSpec

INFOHUS = TypeSpec(
    name="Infohus",
    kind=BodyKind.INFOHUS,
    description="Politiet og kommunen om bekymringer for radikalisering og ekstremisme.",
    meeting_rhythm="Hver anden uge og efter behov.",
    max_per_municipality=1,
)
NETWORK = TypeSpec(
    name="Netværksgruppe",
    kind=BodyKind.NETWORK,
    description="Netværk på tværs af politikredsens kommuner.",
    meeting_rhythm="Fire gange om året.",
    spans_municipalities=True,
)
KREDSRAAD = "Kredsrådet for Københavns Vestegn"


def seed() -> None:
    glostrup = Municipality.objects.get(code="161")
    albertslund = Municipality.objects.get(code="165")
    if not Body.objects.filter(municipality=glostrup, name="Infohus Glostrup").exists():
        infohus = body_type_ensure(municipality=glostrup, spec=INFOHUS)
        services.body_create(
            body_type=infohus,
            name="Infohus Glostrup",
            parent=Body.objects.get(municipality=glostrup, kind=BodyKind.LOKALRAAD),
            purpose=infohus.description,
            meeting_rhythm=infohus.meeting_rhythm,
        )
    name = "Vestegnens netværk for unge i gaden"
    if not Body.objects.filter(municipality=glostrup, name=name).exists():
        network = body_type_ensure(municipality=glostrup, spec=NETWORK)
        services.body_create(
            body_type=network,
            name=name,
            parent=Body.objects.get(name=KREDSRAAD),
            purpose="Gadeplansmedarbejdere og lokalpoliti fra Glostrup og Albertslund.",
            meeting_rhythm=network.meeting_rhythm,
            member_municipalities=[albertslund],
        )
