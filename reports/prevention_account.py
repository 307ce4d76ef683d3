"""The prevention account: a municipality's prevention work in figures, next to its cases.

For the Lokalråd and the SSP-Følgegruppe (and the consultants and administrators who prepare
their meetings): how many activities, and whom they reached (pupils, parents, professionals,
young people met), by kind × level × school or place × month, for a period.

All activity figures come from ONE grouped query over `prevention_activity` (the index on
(municipality, planned_on) bounds it to the municipality and the period); the tables below are
folded from its rows in Python. The case figures beside them are two more grouped queries.

Suppression (see docs/legal.md and `reports.suppression`): an activity and its reach are
counts of the organisation's work, recorded without names; a "12 pupils in 7th grade" tells
nothing about any one child, so they are shown as they are, as the statistics page already
shows its meetings and activities. The case counts shown beside them are about young people
and are suppressed exactly as on the statistics page ("<5", and a second cell when one could be
worked out by subtraction).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, DateField, F, Func, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import PreventionKind, PreventionLevel
from forum.models import Municipality
from prevention import permissions as prevention_permissions
from prevention.models import REACH_FIELDS, Activity, ActivityKind
from reports import suppression
from reports.figures import Filters, KeyFigure, Row, Scope, Table, _months
from reports.suppression import Cell

# The activity figures of one cell of the account.
MEASURES = ("activities", "done", *REACH_FIELDS)


def measure_labels() -> list[str]:
    return [
        _("Aktiviteter"),
        _("Gennemført"),
        _("Elever"),
        _("Forældre"),
        _("Fagfolk"),
        _("Unge mødt"),
    ]


@dataclass(frozen=True)
class Group:
    """One row of the grouped query: the counts of one month × kind × level × school/place."""

    month: date
    kind: str
    prevention_kind: str
    level: str
    where: str  # the school's name, else the place, else ""
    counts: tuple[int, ...]  # in the order of MEASURES


@dataclass
class Account:
    municipality: Municipality
    filters: Filters
    full_scope: bool
    groups: list[Group]
    key_figures: list[KeyFigure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def activities(scope: Scope, filters: Filters) -> QuerySet[Activity]:
    """The activities the account counts: the municipality's in the period, only those of
    bodies the reader reads when they do not see the whole municipality."""
    rows = Activity.objects.filter(
        municipality=scope.municipality,
        planned_on__gte=filters.start,
        planned_on__lte=filters.end,
    )
    if filters.school is not None:
        rows = rows.filter(school=filters.school)
    if filters.body is not None:
        rows = rows.filter(body=filters.body)
    if not scope.full:
        rows = rows.filter(
            body__in=prevention_permissions.bodies_readable_by(scope.user).values("pk")
        )
    return rows.order_by()


def _month_of(field_name: str) -> Func:
    return Func(
        F(field_name),
        template="date_trunc('month', %(expressions)s)::date",
        output_field=DateField(),
    )


def grouped_queryset(rows: QuerySet[Activity]) -> QuerySet:
    """The one GROUP BY query the whole account is folded from."""
    return (
        # The month as a date, truncated in SQL: no time zone to convert for thousands of rows.
        rows.annotate(month=_month_of("planned_on"), where=Coalesce("school__name", "place"))
        .values("month", "kind", "prevention_kind", "level", "where")
        .annotate(
            activities=Count("pk"),
            done=Count("pk", filter=Q(done_at__isnull=False)),
            **{name: Sum(name) for name in REACH_FIELDS},
        )
        .order_by()
    )


def grouped(rows: QuerySet[Activity]) -> list[Group]:
    return [
        Group(
            month=row["month"],
            kind=row["kind"],
            prevention_kind=row["prevention_kind"],
            level=row["level"],
            where=row["where"] or "",
            counts=tuple(int(row[name] or 0) for name in MEASURES),
        )
        for row in grouped_queryset(rows)
    ]


def _sum(groups: Iterable[Group]) -> list[int]:
    columns = list(zip(*(group.counts for group in groups), strict=True))
    return [sum(column) for column in columns] if columns else [0] * len(MEASURES)


def _by(groups: list[Group], key: str) -> dict[object, list[int]]:
    buckets: dict[object, list[Group]] = defaultdict(list)
    for group in groups:
        buckets[getattr(group, key)].append(group)
    return {value: _sum(members) for value, members in buckets.items()}


def _measure_rows(pairs: Iterable[tuple[str, list[int]]]) -> list[Row]:
    return [Row(label, [Cell(value) for value in counts]) for label, counts in pairs]


def per_month(groups: list[Group], filters: Filters) -> Table:
    sums = _by(groups, "month")
    empty = [0] * len(MEASURES)
    return Table(
        key="activities_per_month",
        short_title=_("Pr. måned"),
        title=_("Aktiviteter og rækkevidde pr. måned"),
        columns=measure_labels(),
        rows=_measure_rows(
            (date_format(month, "MONTH_ABBR_YEAR_FORMAT"), sums.get(month, empty))
            for month in _months(filters)
        ),
        chart="bar",
    )


def per_kind(groups: list[Group]) -> Table:
    sums = _by(groups, "kind")
    return Table(
        key="activities_per_kind",
        short_title=_("Pr. type"),
        title=_("Aktiviteter og rækkevidde pr. type"),
        columns=measure_labels(),
        rows=_measure_rows(
            (str(kind.label), sums[kind.value]) for kind in ActivityKind if kind.value in sums
        ),
        chart="bar",
    )


def kind_by_level(groups: list[Group]) -> Table:
    """Activities of each kind at each level (Herning: generel, specifik, individorienteret)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for group in groups:
        counts[group.kind, group.level] += group.counts[0]
    kinds = [kind for kind in ActivityKind if any(k == kind.value for k, _level in counts)]
    return Table(
        key="activities_kind_by_level",
        short_title=_("Type og niveau"),
        title=_("Aktiviteter pr. type og niveau"),
        columns=[str(level.label) for level in PreventionLevel],
        rows=[
            Row(
                str(kind.label),
                [Cell(counts[kind.value, level.value]) for level in PreventionLevel],
            )
            for kind in kinds
        ],
    )


def per_where(groups: list[Group]) -> Table:
    sums = _by(groups, "where")
    places = sorted(sums, key=lambda name: (name == "", str(name).lower()))
    return Table(
        key="activities_per_school_or_place",
        short_title=_("Pr. skole eller sted"),
        title=_("Aktiviteter og rækkevidde pr. skole eller sted"),
        columns=measure_labels(),
        rows=_measure_rows(
            (str(where) or _("Uden skole eller sted"), sums[where]) for where in places
        ),
    )


def _beside_cases(
    key: str,
    title: str,
    short_title: str,
    choices: type,
    activity_counts: dict[object, list[int]],
    case_counts: dict[str, int],
) -> Table:
    """Activities, their reach and the new cases for each choice, side by side. The case
    column is about young people: suppressed as a breakdown of the cases' total."""
    case_cells = suppression.breakdown([case_counts.get(choice.value, 0) for choice in choices])
    rows = []
    for choice, case_cell in zip(choices, case_cells, strict=True):
        counts = activity_counts.get(choice.value, [0] * len(MEASURES))
        reach = sum(counts[2:])
        rows.append(Row(str(choice.label), [Cell(counts[0]), Cell(reach), case_cell]))
    return Table(
        key=key,
        title=title,
        short_title=short_title,
        columns=[_("Aktiviteter"), _("Personer nået"), _("Nye sager")],
        rows=rows,
        note=_("Sagerne tælles som i statistikken: tal under 5 vises som »<5«."),
    )


def account(scope: Scope, filters: Filters) -> Account:
    """The prevention account of the scope's municipality: three queries in all."""
    groups = grouped(activities(scope, filters))
    cases = scope.cases(filters)
    cases_by_level = dict(cases.values_list("level").annotate(n=Count("pk")))
    cases_by_kind = dict(cases.values_list("prevention_kind").annotate(n=Count("pk")))
    totals = _sum(groups)
    cases_total = sum(cases_by_level.values())
    key_figures = [
        KeyFigure(label, str(value)) for label, value in zip(measure_labels(), totals, strict=True)
    ]
    key_figures.append(KeyFigure(_("Nye sager"), suppression.cell(cases_total).display))
    tables = [
        per_month(groups, filters),
        per_kind(groups),
        kind_by_level(groups),
        _beside_cases(
            "level_beside_cases",
            _("Forebyggelsesniveau: aktiviteter og sager"),
            _("Niveau og sager"),
            PreventionLevel,
            _by(groups, "level"),
            cases_by_level,
        ),
        _beside_cases(
            "kind_beside_cases",
            _("Type af forebyggelse: aktiviteter og sager"),
            _("Forebyggelsestype og sager"),
            PreventionKind,
            _by(groups, "prevention_kind"),
            cases_by_kind,
        ),
        per_where(groups),
    ]
    return Account(
        municipality=scope.municipality,
        filters=filters,
        full_scope=scope.full,
        groups=groups,
        key_figures=key_figures,
        tables=tables,
    )


def detail_table(account: Account) -> Table:
    """Every cell of the cube (month × kind × level × school/place), for the exports."""
    ordered = sorted(
        account.groups, key=lambda g: (g.month, g.kind, g.level, g.prevention_kind, g.where)
    )
    return Table(
        key="activities_detail",
        short_title=_("Alle tal"),
        title=_("Alle tal"),
        columns=[
            _("Måned"),
            _("Type"),
            _("Niveau"),
            _("Type af forebyggelse"),
            _("Skole eller sted"),
            *measure_labels(),
        ],
        rows=[
            Row(
                "",
                [
                    Cell(None, text=date_format(group.month, "MONTH_ABBR_YEAR_FORMAT")),
                    Cell(None, text=str(ActivityKind(group.kind).label)),
                    Cell(None, text=str(PreventionLevel(group.level).label)),
                    Cell(None, text=str(PreventionKind(group.prevention_kind).label)),
                    Cell(None, text=group.where or "–"),
                    *(Cell(value) for value in group.counts),
                ],
            )
            for group in ordered
        ],
    )
