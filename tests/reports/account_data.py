"""The prevention account's hand-counted data set, on top of the statistics' own
(`tests/reports/tally.py`, period January to March 2026, "now" 15 April 2026).

The tally already holds three activities of SSP-team Østskolen in the period (teaching,
general, proactive, no school or place, reach 0; 20 January and 15 February done, 20 March
not). Added here, in the period:

| day        | kind            | level      | prevention  | where      | reach           | done |
|------------|-----------------|------------|-------------|------------|-----------------|------|
| 10 January | teaching        | general    | proactive   | Østskolen  | 24 pupils       | yes  |
| 3 February | parent meeting  | general    | proactive   | Østskolen  | 31 parents      | yes  |
| 20 Feb.    | street round    | specific   | situational | Stationen  | 12 young people | yes  |
| 6 March    | street round    | specific   | situational | Stationen  | 3 young people  | yes  |
| 12 March   | counselling     | individual | reactive    | –          | 1 professional  | no   |

and, outside it, a course on 2 April and a campaign on 31 December 2025; and one activity in
Nabokommune (another municipality of the police district), which no figure of Tællekommune
counts.

Cases in the period (from the tally): specific 6 (reactive), individual 7 (5 proactive, 2
situational).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from forum import services as forum_services
from forum.models import Body, BodyKind, Municipality
from prevention.models import Activity, ActivityKind, PreventionKind, PreventionLevel
from tests.reports.tally import Tally, at

K, L = PreventionKind, PreventionLevel


@dataclass
class AccountData:
    tally: Tally
    neighbour: Municipality
    neighbour_council: Body


def _add(
    tally: Tally, body: Body, day: date, kind: str, level: str, prevention: str, **fields: object
) -> Activity:
    return Activity.objects.create(
        municipality=body.municipality,
        body=body,
        kind=kind,
        level=level,
        prevention_kind=prevention,
        title=f"{kind} {day}",
        planned_on=day,
        **fields,
    )


def account_data_create(tally: Tally) -> AccountData:
    east_team, west_team, group = tally.east_team, tally.west_team, tally.group_115
    done = {"done_at": at("2026-03-31", 12)}
    _add(
        tally,
        east_team,
        date(2026, 1, 10),
        ActivityKind.TEACHING,
        L.GENERAL,
        K.PROACTIVE,
        school=tally.east,
        pupils=24,
        **done,
    )
    _add(
        tally,
        east_team,
        date(2026, 2, 3),
        ActivityKind.PARENT_MEETING,
        L.GENERAL,
        K.PROACTIVE,
        school=tally.east,
        parents=31,
        **done,
    )
    _add(
        tally,
        west_team,
        date(2026, 2, 20),
        ActivityKind.STREET_ROUND,
        L.SPECIFIC,
        K.SITUATIONAL,
        place="Stationen",
        young_people=12,
        **done,
    )
    _add(
        tally,
        west_team,
        date(2026, 3, 6),
        ActivityKind.STREET_ROUND,
        L.SPECIFIC,
        K.SITUATIONAL,
        place="Stationen",
        young_people=3,
        **done,
    )
    _add(
        tally,
        group,
        date(2026, 3, 12),
        ActivityKind.COUNSELLING,
        L.INDIVIDUAL,
        K.REACTIVE,
        professionals=1,
    )
    _add(
        tally,
        east_team,
        date(2026, 4, 2),
        ActivityKind.COURSE,
        L.GENERAL,
        K.PROACTIVE,
        professionals=40,
    )
    _add(
        tally,
        east_team,
        date(2025, 12, 31),
        ActivityKind.CAMPAIGN,
        L.GENERAL,
        K.PROACTIVE,
        pupils=300,
    )
    neighbour = Municipality.objects.create(
        name="Nabokommune", code="996", police_district=tally.municipality.police_district
    )
    council = forum_services.body_create(
        kind=BodyKind.LOKALRAAD, name="Lokalrådet i Nabokommune", municipality=neighbour
    )
    _add(
        tally, council, date(2026, 2, 2), ActivityKind.CAMPAIGN, L.GENERAL, K.PROACTIVE, pupils=999
    )
    return AccountData(tally=tally, neighbour=neighbour, neighbour_council=council)


# The figures worked out by hand -----------------------------------------------------------------

KEY_FIGURES = [
    ("8", "Aktiviteter"),
    ("6", "Gennemført"),
    ("24", "Elever"),
    ("31", "Forældre"),
    ("1", "Fagfolk"),
    ("15", "Unge mødt"),
    ("13", "Nye sager"),
]

MEASURES = ["Aktiviteter", "Gennemført", "Elever", "Forældre", "Fagfolk", "Unge mødt"]

COLUMNS = {
    "activities_per_month": MEASURES,
    "activities_per_kind": MEASURES,
    "activities_kind_by_level": ["Generel", "Specifik", "Individorienteret"],
    "level_beside_cases": ["Aktiviteter", "Personer nået", "Nye sager"],
    "kind_beside_cases": ["Aktiviteter", "Personer nået", "Nye sager"],
    "activities_per_school_or_place": MEASURES,
}

TABLES = {
    "activities_per_month": [
        ["jan 2026", "2", "2", "24", "0", "0", "0"],
        ["feb 2026", "3", "3", "0", "31", "0", "12"],
        ["mar 2026", "3", "1", "0", "0", "1", "3"],
    ],
    "activities_per_kind": [
        ["Undervisningsforløb", "4", "3", "24", "0", "0", "0"],
        ["Forældremøde", "1", "1", "0", "31", "0", "0"],
        ["Gadeplansrunde", "2", "2", "0", "0", "0", "15"],
        ["Rådgivning", "1", "0", "0", "0", "1", "0"],
    ],
    "activities_kind_by_level": [
        ["Undervisningsforløb", "4", "0", "0"],
        ["Forældremøde", "1", "0", "0"],
        ["Gadeplansrunde", "0", "2", "0"],
        ["Rådgivning", "0", "0", "1"],
    ],
    # Cases 0 / 6 / 7: no small number.
    "level_beside_cases": [
        ["Generel", "5", "55", "0"],
        ["Specifik", "2", "15", "6"],
        ["Individorienteret", "1", "1", "7"],
    ],
    # Cases 5 / 6 / 2: the 2 is small, and the 5 would give it away by subtraction.
    "kind_beside_cases": [
        ["Proaktiv", "5", "55", "<5"],
        ["Reaktiv", "1", "1", "6"],
        ["Situationel", "2", "15", "<5"],
    ],
    "activities_per_school_or_place": [
        ["Stationen", "2", "2", "0", "0", "0", "15"],
        ["Østskolen", "2", "2", "24", "31", "0", "0"],
        ["Uden skole eller sted", "4", "2", "0", "0", "1", "0"],
    ],
}
