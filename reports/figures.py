"""The figures of a municipality's SSP statistics, as tables ready for the page and the exports.

Every figure is an aggregate query (a handful per page, whatever the size of the municipality)
over the rows the reader's scope allows: the whole municipality for its consultants,
administrators and SSP leaders, otherwise only the concerns, cases and meetings the reader may
see. Counts of young people's concerns and cases go through `suppression`; counts of meetings
and activities are about the organisation, not about anyone, and are shown as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as Conditional
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from cases import permissions as case_permissions
from cases.models import (
    Action,
    Case,
    CaseStatus,
    CaseSubject,
    Concern,
    ConcernCategory,
    PreventionKind,
    PreventionLevel,
)
from forum.models import Body, BodyKind, Municipality, Unit
from meetings import permissions as meeting_permissions
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    SchoolYearPlan,
    school_year_of,
)
from prevention.models import Activity
from reports import suppression
from reports.notifications import notification_followthrough
from reports.suppression import Cell
from ssp.models import User

SECONDS_PER_DAY = 86_400


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _seconds_between(later: str, earlier: str) -> Func:
    return Func(
        F(later) - F(earlier),
        template="EXTRACT(EPOCH FROM %(expressions)s)",
        output_field=FloatField(),
    )


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # inclusive
    school: Unit | None = None
    body: Body | None = None
    category: ConcernCategory | None = None

    def moments(self) -> tuple[datetime, datetime]:
        """The period as aware datetimes [start, end + 1 day)."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]


@dataclass
class Table:
    """One figure: rows of cells under column headings; `chart` says how to draw it."""

    key: str
    title: str
    columns: list[str]
    rows: list[Row]
    chart: str | None = None  # "bar", "line" or None
    note: str = ""
    # Sums the key figures need, kept beside the cells shown.
    totals: dict[str, int] = field(default_factory=dict)
    # The Excel sheet's name when the title is longer than a sheet name may be.
    short_title: str = ""


@dataclass(frozen=True)
class KeyFigure:
    label: str
    display: str

    @property
    def spreadsheet_value(self) -> int | str:
        """A count as a number a spreadsheet can add up; "<5" and "3 / 7" stay text."""
        return int(self.display) if self.display.isdigit() else self.display


@dataclass
class Report:
    municipality: Municipality
    filters: Filters
    full_scope: bool
    key_figures: list[KeyFigure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


# Scope --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    user: User
    municipality: Municipality
    full: bool

    def concerns(self, filters: Filters) -> QuerySet[Concern]:
        start, end = filters.moments()
        concerns = Concern.objects.filter(
            municipality=self.municipality, submitted_at__gte=start, submitted_at__lt=end
        )
        if filters.category is not None:
            concerns = concerns.filter(category=filters.category)
        if filters.school is not None:
            concerns = concerns.filter(
                Q(young_person__school=filters.school) | Q(school_team__unit=filters.school)
            )
        if filters.body is not None:
            concerns = concerns.filter(
                Q(routed_to=filters.body)
                | Q(school_team=filters.body)
                | Q(case__responsible_body=filters.body)
            )
        if not self.full:
            concerns = concerns.filter(case_permissions.concern_visibility(self.user))
        return concerns.order_by()

    def cases(self, filters: Filters) -> QuerySet[Case]:
        start, end = filters.moments()
        cases = Case.objects.filter(
            municipality=self.municipality, opened_at__gte=start, opened_at__lt=end
        )
        if filters.category is not None:
            cases = cases.filter(
                pk__in=Concern.objects.filter(category=filters.category).values("case_id")
            )
        if filters.school is not None:
            # A case about a group counts for a school one of its young people attends.
            cases = cases.filter(
                Q(young_person__school=filters.school)
                | Q(
                    Exists(
                        CaseSubject.objects.filter(
                            case=OuterRef("pk"), young_person__school=filters.school
                        )
                    )
                )
            )
        if filters.body is not None:
            cases = cases.filter(responsible_body=filters.body)
        if not self.full:
            cases = cases.filter(pk__in=case_permissions.cases_visible_to(self.user).values("pk"))
        return cases.order_by()

    def meetings(self, filters: Filters, kind: str) -> QuerySet[Meeting]:
        start, end = filters.moments()
        meetings = Meeting.objects.filter(
            body__municipality=self.municipality,
            body__kind=kind,
            status=MeetingStatus.PLANNED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        if filters.body is not None:
            meetings = meetings.filter(body=filters.body)
        if filters.school is not None and kind == BodyKind.SCHOOL_TEAM:
            meetings = meetings.filter(body__unit=filters.school)
        if not self.full:
            meetings = meetings.filter(
                pk__in=meeting_permissions.meetings_visible_to(self.user).values("pk")
            )
        return meetings.order_by()

    def school_teams(self, filters: Filters) -> QuerySet[Body]:
        teams = Body.objects.filter(municipality=self.municipality, kind=BodyKind.SCHOOL_TEAM)
        if filters.school is not None:
            teams = teams.filter(unit=filters.school)
        if filters.body is not None:
            teams = teams.filter(pk=filters.body.pk)
        if not self.full:
            teams = teams.filter(memberships__person__user=self.user)
        return teams.order_by("name")


# Figures ------------------------------------------------------------------------------------


def _months(filters: Filters) -> list[date]:
    months, month = [], filters.start.replace(day=1)
    while month <= filters.end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def concerns_per_month(scope: Scope, filters: Filters) -> Table:
    zone = ZoneInfo(settings.TIME_ZONE)
    counts = {
        row["month"].date(): row["n"]
        for row in scope.concerns(filters)
        .annotate(month=TruncMonth("submitted_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"))
    }
    months = _months(filters)
    cells = suppression.breakdown([counts.get(month, 0) for month in months])
    return Table(
        key="concerns_per_month",
        title=_("Bekymringer pr. måned"),
        columns=[_("Bekymringer")],
        rows=[
            Row(date_format(month, "MONTH_ABBR_YEAR_FORMAT"), [cell])
            for month, cell in zip(months, cells, strict=True)
        ],
        chart="line",
    )


def _breakdown_table(
    key: str,
    title: str,
    column: str,
    counts: Iterable[tuple[str, int]],
    chart: str | None = "bar",
    note: str = "",
) -> Table:
    pairs = list(counts)
    cells = suppression.breakdown([count for _label, count in pairs])
    rows = [Row(label, [cell]) for (label, _count), cell in zip(pairs, cells, strict=True)]
    return Table(key=key, title=title, columns=[column], rows=rows, chart=chart, note=note)


def concerns_per_category(scope: Scope, filters: Filters) -> Table:
    counts = (
        scope.concerns(filters)
        .values("category__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__name")
    )
    return _breakdown_table(
        "concerns_per_category",
        _("Bekymringer pr. kategori"),
        _("Bekymringer"),
        ((row["category__name"], row["n"]) for row in counts),
    )


def _age_band(municipality: Municipality) -> tuple[Conditional, Func]:
    """The age band of a concern's young person (needs the age annotated as `_age`), and the
    expression for that age."""
    age = Func(
        F("observed_on"),
        F("young_person__birth_date"),
        template="EXTRACT(YEAR FROM AGE(%(expressions)s))",
        output_field=IntegerField(),
    )
    return Conditional(
        When(young_person__birth_date__isnull=True, then=Value("unknown")),
        When(Q(_age__lte=municipality.ssp_age_limit), then=Value("ssp")),
        When(Q(_age__lte=municipality.ssp_plus_age_limit), then=Value("ssp_plus")),
        default=Value("older"),
        output_field=CharField(),
    ), age


def concerns_per_school_and_age_band(scope: Scope, filters: Filters) -> Table:
    municipality = scope.municipality
    band, age = _age_band(municipality)
    rows = (
        scope.concerns(filters)
        .annotate(_age=age)
        .annotate(
            band=band,
            school=Coalesce("young_person__school__name", "school_team__unit__name"),
        )
        .values("school", "band")
        .annotate(n=Count("pk"))
    )
    bands = ["ssp", "ssp_plus", "older", "unknown"]
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["school"] or "", {})[row["band"]] = row["n"]
    schools = sorted(counts, key=lambda name: (name == "", name.lower()))
    flat = [counts[school].get(band, 0) for school in schools for band in bands]
    # Every cell is a part of the total of concerns shown above: suppress across the table.
    cells = suppression.breakdown(flat)
    return Table(
        key="concerns_per_school_and_age_band",
        title=_("Bekymringer pr. skole og aldersgruppe"),
        columns=[
            _("SSP (til og med %(age)s år)") % {"age": municipality.ssp_age_limit},
            _("SSP+ (%(first)s–%(last)s år)")
            % {"first": municipality.ssp_age_limit + 1, "last": municipality.ssp_plus_age_limit},
            _("Over %(age)s år") % {"age": municipality.ssp_plus_age_limit},
            _("Alder ukendt"),
        ],
        rows=[
            Row(school or _("Ingen skole"), cells[index * len(bands) : (index + 1) * len(bands)])
            for index, school in enumerate(schools)
        ],
        note=_("Alderen er den unges alder på den dag, bekymringen handler om."),
    )


# The cases' figures by choice (status, level, kind) and their total, read in one pass over the
# period's cases (conditional aggregation) instead of one query each; `report` keeps the
# answer for the page's figures (issue 18).
_CASE_CHOICES: tuple[tuple[str, type], ...] = (
    ("status", CaseStatus),
    ("level", PreventionLevel),
    ("prevention_kind", PreventionKind),
)
_case_counts_kept: ContextVar[dict | None] = ContextVar("case_counts_kept", default=None)


def case_counts(scope: Scope, filters: Filters) -> dict[str, dict[str, int]]:
    """The number of the period's cases per value of each choice field (every choice, zeros
    included) and in all (`{"total": {"": n}}`), from one query."""
    kept = _case_counts_kept.get()
    if kept is not None and (scope, filters) in kept:
        return kept[scope, filters]
    aggregates = {"total": Count("pk")}
    for field_name, choices in _CASE_CHOICES:
        for choice in choices:
            aggregates[f"{field_name}__{choice.value}"] = Count(
                "pk", filter=Q(**{field_name: choice.value})
            )
    row = scope.cases(filters).aggregate(**aggregates)
    counts: dict[str, dict[str, int]] = {"total": {"": row["total"]}}
    for field_name, choices in _CASE_CHOICES:
        counts[field_name] = {
            choice.value: row[f"{field_name}__{choice.value}"] for choice in choices
        }
    if kept is not None:
        kept[scope, filters] = counts
    return counts


def _choice_table(
    key: str, title: str, scope: Scope, filters: Filters, field_name: str, choices: type
) -> Table:
    counts = case_counts(scope, filters)[field_name]
    return _breakdown_table(
        key,
        title,
        _("Sager"),
        ((str(choice.label), counts.get(choice.value, 0)) for choice in choices),
    )


def cases_by_status(scope: Scope, filters: Filters) -> Table:
    return _choice_table(
        "cases_by_status",
        _("Sager efter status"),
        scope,
        filters,
        "status",
        CaseStatus,
    )


def cases_by_level(scope: Scope, filters: Filters) -> Table:
    return _choice_table(
        "cases_by_level",
        _("Sager efter forebyggelsesniveau"),
        scope,
        filters,
        "level",
        PreventionLevel,
    )


def cases_by_kind(scope: Scope, filters: Filters) -> Table:
    return _choice_table(
        "cases_by_kind",
        _("Sager efter type af forebyggelse"),
        scope,
        filters,
        "prevention_kind",
        PreventionKind,
    )


def _days(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    # Formatted for the reader's language: "2,5 døgn" in Danish, not "2.5".
    days = number_format(seconds / SECONDS_PER_DAY, decimal_pos=1)
    return _("%(days)s døgn") % {"days": days}


def response_times(scope: Scope, filters: Filters) -> Table:
    """Median time from a concern to its triage, and from a case's first concern to its
    first action; a median over fewer than five is not shown."""
    triaged = scope.concerns(filters).filter(triaged_at__isnull=False)
    to_triage = triaged.aggregate(
        n=Count("pk"), median=Median(_seconds_between("triaged_at", "submitted_at"))
    )
    first_action = Action.objects.filter(case=OuterRef("pk")).order_by("created_at")
    first_concern = Concern.objects.filter(case=OuterRef("pk")).order_by("submitted_at")
    to_action = (
        scope.cases(filters)
        .annotate(
            first_action_at=Subquery(first_action.values("created_at")[:1]),
            first_concern_at=Subquery(first_concern.values("submitted_at")[:1]),
        )
        .filter(first_action_at__isnull=False, first_concern_at__isnull=False)
        .aggregate(
            n=Count("pk"), median=Median(_seconds_between("first_action_at", "first_concern_at"))
        )
    )
    rows = []
    for label, figures in (
        (_("Fra bekymring til visitation"), to_triage),
        (_("Fra første bekymring til første indsats"), to_action),
    ):
        count = suppression.cell(figures["n"])
        shown = figures["n"] >= suppression.THRESHOLD
        rows.append(
            Row(label, [count, Cell(None, text=_days(figures["median"]) if shown else "–")])
        )
    return Table(
        key="response_times",
        title=_("Svartider"),
        columns=[_("Antal"), _("Median")],
        rows=rows,
        chart=None,
        note=_("Medianen vises kun, når den bygger på mindst 5."),
    )


def group_115_meetings(scope: Scope, filters: Filters) -> Table:
    now = timezone.now()
    held = scope.meetings(filters, BodyKind.GROUP_115).filter(starts_at__lt=now)
    discussed = (
        AgendaItem.objects.filter(meeting__in=held.values("pk"), case__isnull=False)
        .values("case_id")
        .distinct()
        .count()
    )
    return Table(
        key="group_115",
        title=_("§115-møder"),
        columns=[_("Antal")],
        rows=[
            Row(_("Møder holdt"), [Cell(held.count())]),
            Row(_("Sager drøftet"), [suppression.cell(discussed)]),
        ],
        note=_("Filtrene på skole og kategori gælder ikke §115-møderne."),
    )


def school_teams(scope: Scope, filters: Filters) -> Table:
    now = timezone.now()
    teams = list(scope.school_teams(filters))
    school_year = school_year_of(filters.end)
    with_plan = set(
        SchoolYearPlan.objects.filter(body__in=teams, school_year=school_year).values_list(
            "body_id", flat=True
        )
    )
    meetings = scope.meetings(filters, BodyKind.SCHOOL_TEAM).filter(body__in=teams)
    planned = dict(meetings.values_list("body_id").annotate(n=Count("pk")))
    held = dict(meetings.filter(starts_at__lt=now).values_list("body_id").annotate(n=Count("pk")))
    start, end = filters.start, filters.end
    activities = Activity.objects.filter(
        body__in=teams, planned_on__gte=start, planned_on__lte=end
    ).order_by()
    activities_planned = dict(activities.values_list("body_id").annotate(n=Count("pk")))
    activities_done = dict(
        activities.filter(done_at__isnull=False).values_list("body_id").annotate(n=Count("pk"))
    )
    yes, no = _("Ja"), _("Nej")
    rows = [
        Row(
            team.name,
            [
                Cell(None, text=yes if team.pk in with_plan else no),
                Cell(planned.get(team.pk, 0)),
                Cell(held.get(team.pk, 0)),
                Cell(activities_planned.get(team.pk, 0)),
                Cell(activities_done.get(team.pk, 0)),
            ],
        )
        for team in teams
    ]
    return Table(
        key="school_teams",
        title=_("Skolernes SSP-teams"),
        columns=[
            _("Plan for skoleåret"),
            _("Møder planlagt"),
            _("Møder holdt"),
            _("Aktiviteter planlagt"),
            _("Aktiviteter gennemført"),
        ],
        rows=rows,
        note=_("Møder og aktiviteter i perioden; planen gælder skoleåret, perioden slutter i."),
        totals={
            "teams": len(teams),
            "with_plan": len(with_plan),
            "activities_planned": sum(activities_planned.values()),
            "activities_done": sum(activities_done.values()),
        },
    )


FIGURES: list[Callable[[Scope, Filters], Table]] = [
    concerns_per_month,
    concerns_per_category,
    concerns_per_school_and_age_band,
    cases_by_status,
    cases_by_level,
    cases_by_kind,
    response_times,
    notification_followthrough,
    group_115_meetings,
    school_teams,
]


def report(scope: Scope, filters: Filters) -> Report:
    token = _case_counts_kept.set({})
    try:
        tables = [figure(scope, filters) for figure in FIGURES]
        cases_total = case_counts(scope, filters)["total"][""]
    finally:
        _case_counts_kept.reset(token)
    by_key = {table.key: table for table in tables}
    concerns_total = scope.concerns(filters).count()
    teams = by_key["school_teams"].totals
    key_figures = [
        KeyFigure(_("Bekymringer"), suppression.cell(concerns_total).display),
        KeyFigure(_("Nye sager"), suppression.cell(cases_total).display),
        KeyFigure(_("§115-møder holdt"), by_key["group_115"].rows[0].cells[0].display),
        KeyFigure(_("Skoleteams med plan"), f"{teams['with_plan']} / {teams['teams']}"),
        KeyFigure(
            _("Aktiviteter gennemført"),
            f"{teams['activities_done']} / {teams['activities_planned']}",
        ),
    ]
    return Report(
        municipality=scope.municipality,
        filters=filters,
        full_scope=scope.full,
        key_figures=key_figures,
        tables=tables,
    )
