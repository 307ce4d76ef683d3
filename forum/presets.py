"""Shapes of a municipality's SSP organisation to start from: body types, the standing bodies
and their hierarchy, meeting rhythms and age bands.

Drawn from what municipalities publish about their SSP organisation (the seed texts in
`domain/seeds/`): Glostrup's Kredsråd → Lokalråd → SSP-Udvalg / SSP-Følgen → SSP-Forum with
its working groups, school teams and the Monday §115 group; Køge's SSP led by a Styregruppe,
with its §115 Monday meetings, the Infohus cooperation on radicalisation and the street-level
team (ages up to 24); København's 16 local SSP-udvalg that handle cases about children 10–18,
local Følgegrupper such as Folehaven's, and SSP+ for the 18–25-year-olds.

School teams are not in a preset: each belongs to a school unit, which the municipality adds
(or imports) first. `forum.setup.municipality_create_from_preset` applies a preset.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from forum.models import BodyKind as K


@dataclass(frozen=True)
class TypeSpec:
    """A body type a preset gives the municipality (`forum.BodyType`)."""

    name: str
    kind: str
    description: str = ""
    meeting_rhythm: str = ""
    max_per_municipality: int | None = None
    may_handle_cases: bool = False
    spans_municipalities: bool = False


@dataclass(frozen=True)
class BodySpec:
    """A standing body: its name, the name of its type, and the name of the body above it."""

    name: str
    type_name: str
    parent: str = ""
    purpose: str = ""


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    description: str
    ssp_age_limit: int
    ssp_plus_age_limit: int
    types: tuple[TypeSpec, ...]
    bodies: tuple[BodySpec, ...] = field(default=())


# The type a body of each kind gets when nobody chose one (a body created by kind alone, and
# every body that existed before types did): the kind's own name; one per municipality for
# the kinds the organisation has one of.
DEFAULT_TYPES: dict[str, TypeSpec] = {
    kind: TypeSpec(
        name=name, kind=kind, max_per_municipality=maximum, spans_municipalities=kind == K.NETWORK
    )
    for kind, name, maximum in (
        (K.LOKALRAAD, "Lokalråd", 1),
        (K.STEERING_GROUP, "SSP-Styregruppe", 1),
        (K.SSP_UDVALG, "SSP-Udvalg", None),
        (K.FOELGEGRUPPE, "SSP-Følgegruppe", 1),
        (K.SSP_FORUM, "SSP-Forum", 1),
        (K.INFOHUS, "Infohus", 1),
        (K.NETWORK, "Netværksgruppe", None),
        (K.WORKING_GROUP, "Arbejdsgruppe", None),
        (K.SCHOOL_TEAM, "Skolens SSP-team", None),
        (K.GROUP_115, "§115-gruppe", None),
        (K.AD_HOC, "Ad hoc-gruppe", None),
    )
}

_LOKALRAAD = TypeSpec(
    "Lokalråd",
    K.LOKALRAAD,
    "Politiet og kommunen; leder det kriminalpræventive arbejde operativt.",
    "Nogle gange om året.",
    1,
)
_SCHOOL_TEAM = TypeSpec(
    "Skolens SSP-team",
    K.SCHOOL_TEAM,
    "Afdelingsleder, politi, familieafdeling, klub og PPR omkring én skole eller afdeling.",
    "Planlægningsmøde i september og mindst fire møder om året.",
)
_GROUP_115 = TypeSpec(
    "§115-gruppe",
    K.GROUP_115,
    "Udveksling om enkelte unge efter retsplejelovens § 115.",
    "Hver mandag.",
)
_AD_HOC = TypeSpec("Ad hoc-gruppe", K.AD_HOC, "Dannes om én sag, med en tovholder.")
_WORKING_GROUP = TypeSpec("Arbejdsgruppe", K.WORKING_GROUP, "", "Efter behov.")
_NETWORK = TypeSpec(
    "Netværksgruppe",
    K.NETWORK,
    "Netværk på tværs af politikredsens kommuner.",
    "Efter behov.",
    spans_municipalities=True,
)

GLOSTRUP = Preset(
    key="glostrup",
    label=_("Glostrup: Lokalråd, SSP-Udvalg, SSP-Følgen og SSP-Forum med arbejdsgrupper"),
    description=_(
        "SSP-Forum er hele netværket og mødes i april; SSP-Følgen planlægger året i januar; "
        "skolernes SSP-teams og mandagsgruppen (§115)."
    ),
    ssp_age_limit=17,
    ssp_plus_age_limit=25,
    types=(
        _LOKALRAAD,
        TypeSpec(
            "SSP-Udvalg",
            K.SSP_UDVALG,
            "Gensidig inspiration, orientering og temamøder.",
            "Efter planen fra SSP-Følgen.",
            1,
        ),
        TypeSpec(
            "SSP-Følgegruppe",
            K.FOELGEGRUPPE,
            "Centercheferne og lederen af lokalpolitiet; godkender undervisnings- og "
            "aktivitetsplanen.",
            "Mindst en gang om året, i januar.",
            1,
        ),
        TypeSpec(
            "SSP-Forum",
            K.SSP_FORUM,
            "Det udførende netværk af alle aktører; grundlaget for SSP-handlekortet.",
            "En gang om året i april.",
            1,
        ),
        _WORKING_GROUP,
        _SCHOOL_TEAM,
        _GROUP_115,
        _AD_HOC,
        _NETWORK,
    ),
    bodies=(
        BodySpec("Lokalrådet", "Lokalråd"),
        BodySpec("SSP-Udvalget", "SSP-Udvalg", "Lokalrådet"),
        BodySpec("SSP-Følgen", "SSP-Følgegruppe", "Lokalrådet"),
        BodySpec("SSP-Forum", "SSP-Forum", "SSP-Følgen"),
        BodySpec("Undervisningsgruppen", "Arbejdsgruppe", "SSP-Forum"),
        BodySpec("Aktivitetsgruppen", "Arbejdsgruppe", "SSP-Forum"),
        BodySpec("Koordineringsgruppen", "Arbejdsgruppe", "SSP-Forum"),
        BodySpec("Mandagsgruppen (§115)", "§115-gruppe", "SSP-Forum"),
    ),
)

KOEGE = Preset(
    key="koege",
    label=_("Køge: SSP-Styregruppe, §115-mandagsmøder, Infohus og gadeplan"),
    description=_(
        "En styregruppe leder SSP-samarbejdet; SSP-lederen står for §115-møderne og "
        "Infohus-samarbejdet om radikalisering; SSP og SSP+ op til 24 år."
    ),
    ssp_age_limit=17,
    ssp_plus_age_limit=24,
    types=(
        _LOKALRAAD,
        TypeSpec(
            "SSP-Styregruppe",
            K.STEERING_GROUP,
            "Ledelsen af SSP-samarbejdet: skole, socialforvaltning, politi og SSP-lederen.",
            "Fire gange om året.",
            1,
        ),
        TypeSpec(
            "SSP-Forum",
            K.SSP_FORUM,
            "Netværket af alle aktører; grundlaget for SSP-handlekortet.",
            "En gang om året.",
            1,
        ),
        TypeSpec(
            "Infohus",
            K.INFOHUS,
            "Politiet og kommunen om bekymringer for radikalisering og ekstremisme.",
            "Hver anden uge og efter behov.",
            1,
            may_handle_cases=True,
        ),
        TypeSpec(
            "Følgegruppe",
            K.FOELGEGRUPPE,
            "Følger en indsats eller et projekt, som styregruppen har sat i gang.",
            "Efter behov.",
        ),
        TypeSpec("Gadeplansteam", K.WORKING_GROUP, "Opsøgende arbejde i byen og klubberne."),
        _WORKING_GROUP,
        _SCHOOL_TEAM,
        TypeSpec(
            "§115-mandagsmøde",
            K.GROUP_115,
            "Udveksling om enkelte unge efter retsplejelovens § 115.",
            "Hver mandag.",
        ),
        _AD_HOC,
        _NETWORK,
    ),
    bodies=(
        BodySpec("Lokalrådet", "Lokalråd"),
        BodySpec("SSP-Styregruppen", "SSP-Styregruppe", "Lokalrådet"),
        BodySpec("SSP-Forum", "SSP-Forum", "SSP-Styregruppen"),
        BodySpec("§115-mandagsmødet", "§115-mandagsmøde", "SSP-Styregruppen"),
        BodySpec("Infohus", "Infohus", "SSP-Styregruppen"),
        BodySpec("Gadeplan", "Gadeplansteam", "SSP-Forum"),
    ),
)

KOEBENHAVN = Preset(
    key="koebenhavn",
    label=_("København: lokale SSP-udvalg, der behandler sager, lokale følgegrupper og SSP+"),
    description=_(
        "Lokale SSP-udvalg i hver bydel behandler sager om børn og unge 10–18 år; lokale "
        "følgegrupper med boligsociale helhedsplaner; SSP+ for 18–25-årige; Infohus."
    ),
    ssp_age_limit=18,
    ssp_plus_age_limit=25,
    types=(
        _LOKALRAAD,
        TypeSpec(
            "SSP-Styregruppe",
            K.STEERING_GROUP,
            "Forvaltningerne, Kriminalforsorgen og politiet leder SSP København.",
            "Fire gange om året.",
            1,
        ),
        TypeSpec(
            "Lokalt SSP-udvalg",
            K.SSP_UDVALG,
            "Skoler, klubber, socialforvaltning og politi i bydelen; behandler sager om "
            "enkelte børn og unge.",
            "Hver måned.",
            may_handle_cases=True,
        ),
        TypeSpec(
            "Lokal SSP-følgegruppe",
            K.FOELGEGRUPPE,
            "Lokalbetjente, helhedsplanen og de lokale skoler om de udsatte unge; SSP-årsplan.",
            "Hver anden måned.",
        ),
        TypeSpec(
            "SSP+",
            K.GROUP_115,
            "Koordineret indsats for 18–25-årige med gentagen eller personfarlig kriminalitet.",
            "Hver anden uge.",
            1,
        ),
        TypeSpec(
            "Infohus",
            K.INFOHUS,
            "Politiet og kommunen om bekymringer for radikalisering og ekstremisme.",
            "Hver uge.",
            1,
            may_handle_cases=True,
        ),
        _WORKING_GROUP,
        _SCHOOL_TEAM,
        _AD_HOC,
        _NETWORK,
    ),
    bodies=(
        BodySpec("Lokalrådet", "Lokalråd"),
        BodySpec("SSP København styregruppe", "SSP-Styregruppe", "Lokalrådet"),
        BodySpec("SSP-udvalg Valby", "Lokalt SSP-udvalg", "SSP København styregruppe"),
        BodySpec("SSP-udvalg Nørrebro", "Lokalt SSP-udvalg", "SSP København styregruppe"),
        BodySpec("SSP-udvalg Amager Øst", "Lokalt SSP-udvalg", "SSP København styregruppe"),
        BodySpec("SSP Følgegruppe Folehaven", "Lokal SSP-følgegruppe", "SSP-udvalg Valby"),
        BodySpec("SSP+ København", "SSP+", "SSP København styregruppe"),
        BodySpec("Infohus København", "Infohus", "SSP København styregruppe"),
    ),
)

PRESETS: dict[str, Preset] = {preset.key: preset for preset in (GLOSTRUP, KOEGE, KOEBENHAVN)}
