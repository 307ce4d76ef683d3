"""Drafting, editing and approving a Kredsråd's samarbejdsplan (`reports.models`).

The draft for year Y is assembled from the member municipalities (those of the Kredsråd's
police district): the annual plans of their bodies approved for a period that touches Y, and
their figures of the last whole year, Y − 1 (activities and reach from the prevention account,
new cases from the statistics, suppressed as there). Four queries build every section, however
many municipalities the Kredsråd spans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases.models import Case
from forum.models import Body, Municipality
from meetings.models import Meeting, MeetingStatus
from prevention.models import REACH_FIELDS, Activity, AnnualPlan
from reports import suppression
from reports.models import CooperationPlan, CooperationPlanSection, SectionKind
from ssp.models import User


def member_municipalities(kredsraad: Body) -> QuerySet[Municipality]:
    """The municipalities a Kredsråd spans: those of its police district."""
    return Municipality.objects.filter(police_district=kredsraad.police_district_id).order_by(
        "name"
    )


@dataclass(frozen=True)
class Figures:
    activities: int = 0
    done: int = 0
    pupils: int = 0
    parents: int = 0
    professionals: int = 0
    young_people: int = 0
    cases: int = 0


def _figures(municipalities: list[Municipality], year: int) -> dict[int, Figures]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    activity_rows = (
        Activity.objects.filter(
            municipality__in=municipalities, planned_on__gte=first, planned_on__lte=last
        )
        .order_by()
        .values("municipality_id")
        .annotate(
            activities=Count("pk"),
            done=Count("pk", filter=Q(done_at__isnull=False)),
            **{name: Sum(name) for name in REACH_FIELDS},
        )
    )
    zone = timezone.get_current_timezone()
    year_start = datetime(year, 1, 1, tzinfo=zone)
    next_year_start = datetime(year + 1, 1, 1, tzinfo=zone)
    cases = dict(
        Case.objects.filter(
            municipality__in=municipalities,
            opened_at__gte=year_start,
            opened_at__lt=next_year_start,
        )
        .order_by()
        .values_list("municipality_id")
        .annotate(n=Count("pk"))
    )
    figures = {
        row.pop("municipality_id"): {key: value or 0 for key, value in row.items()}
        for row in activity_rows
    }
    return {
        municipality.pk: Figures(
            **figures.get(municipality.pk, {}), cases=cases.get(municipality.pk, 0)
        )
        for municipality in municipalities
    }


def _plans(municipalities: list[Municipality], year: int) -> dict[int, list[AnnualPlan]]:
    plans: dict[int, list[AnnualPlan]] = {municipality.pk: [] for municipality in municipalities}
    for plan in (
        AnnualPlan.objects.filter(
            body__municipality__in=municipalities,
            approved_at__isnull=False,
            starts_on__lte=date(year, 12, 31),
            ends_on__gte=date(year, 1, 1),
        )
        .select_related("body")
        .order_by("body__name", "starts_on", "pk")
    ):
        plans[plan.body.municipality_id].append(plan)
    return plans


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def _municipality_text(plans: list[AnnualPlan], figures: Figures, figures_year: int) -> str:
    lines = []
    if plans:
        lines.append(_("Godkendte årsplaner:"))
        for plan in plans:
            lines.append(
                _("– %(title)s (%(body)s, %(first)s – %(last)s)")
                % {
                    "title": plan.title,
                    "body": plan.body.name,
                    "first": _day(plan.starts_on),
                    "last": _day(plan.ends_on),
                }
            )
            if plan.summary.strip():
                lines.append("  " + " ".join(plan.summary.split()))
    else:
        lines.append(_("Ingen godkendte årsplaner for året endnu."))
    lines.append("")
    lines.append(
        _(
            "Forebyggelse i %(year)s: %(activities)s aktiviteter (%(done)s gennemført), der nåede "
            "%(pupils)s elever, %(parents)s forældre, %(professionals)s fagfolk og "
            "%(young_people)s unge mødt på gadeplan. Nye sager: %(cases)s."
        )
        % {
            "year": figures_year,
            "activities": figures.activities,
            "done": figures.done,
            "pupils": figures.pupils,
            "parents": figures.parents,
            "professionals": figures.professionals,
            "young_people": figures.young_people,
            "cases": suppression.cell(figures.cases).display,
        }
    )
    return "\n".join(lines)


@dataclass(frozen=True)
class SectionDraft:
    kind: str
    municipality: Municipality | None
    heading: str
    text: str


def draft_sections(kredsraad: Body, year: int) -> list[SectionDraft]:
    """The sections as the data says them, in Danish (the plan is a Danish document)."""
    municipalities = list(member_municipalities(kredsraad))
    figures_year = year - 1
    with override("da"):
        figures = _figures(municipalities, figures_year)
        plans = _plans(municipalities, year)
        names = ", ".join(municipality.name for municipality in municipalities)
        total = Figures(
            **{
                name: sum(getattr(f, name) for f in figures.values())
                for name in Figures.__dataclass_fields__
            }
        )
        sections = [
            SectionDraft(
                SectionKind.INTRODUCTION,
                None,
                _("Indledning"),
                _(
                    "%(kredsraad)s lægger hermed samarbejdsplanen for %(year)s frem, jf. "
                    "retsplejelovens §§ 111 og 113. Planen bygger på kommunernes godkendte "
                    "årsplaner og tal for %(figures_year)s fra %(names)s."
                )
                % {
                    "kredsraad": kredsraad.name,
                    "year": year,
                    "figures_year": figures_year,
                    "names": names,
                },
            )
        ]
        sections += [
            SectionDraft(
                SectionKind.MUNICIPALITY,
                municipality,
                municipality.name,
                _municipality_text(plans[municipality.pk], figures[municipality.pk], figures_year),
            )
            for municipality in municipalities
        ]
        sections.append(
            SectionDraft(
                SectionKind.JOINT,
                None,
                _("Fælles indsatser"),
                _(
                    "I alt i %(year)s: %(activities)s forebyggende aktiviteter i kredsens "
                    "kommuner. Beskriv her kredsrådets fælles indsatser og mål for det "
                    "kommende år."
                )
                % {"year": figures_year, "activities": total.activities},
            )
        )
    return sections


def _sync_sections(plan: CooperationPlan) -> None:
    """Fill every section from the data; an edited section keeps its text, and its new
    generated text is kept beside it to compare."""
    existing = {(s.kind, s.municipality_id): s for s in plan.sections.all()}
    for position, draft in enumerate(draft_sections(plan.kredsraad, plan.year)):
        key = (draft.kind, draft.municipality.pk if draft.municipality else None)
        section = existing.get(key)
        if section is None:
            CooperationPlanSection.objects.create(
                plan=plan,
                kind=draft.kind,
                municipality=draft.municipality,
                position=position,
                heading=draft.heading,
                generated=draft.text,
                text=draft.text,
            )
            continue
        section.position = position
        section.generated = draft.text
        if not section.edited:
            section.heading = draft.heading
            section.text = draft.text
        section.save(update_fields=["position", "generated", "heading", "text"])


def _check_draft(plan: CooperationPlan) -> None:
    if plan.is_approved:
        raise ValidationError(_("Samarbejdsplanen er godkendt og kan ikke ændres."))


@transaction.atomic
def cooperation_plan_draft(*, kredsraad: Body, year: int, by: User) -> CooperationPlan:
    """Start the Kredsråd's samarbejdsplan for a year, filled from the member municipalities'
    plans and figures; one plan per Kredsråd and year."""
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("Skriv et årstal.")]})
    if CooperationPlan.objects.filter(kredsraad=kredsraad, year=year).exists():
        raise ValidationError({"year": [_("Der er allerede en samarbejdsplan for året.")]})
    with override("da"):
        title = _("Samarbejdsplan %(year)s") % {"year": year}
    plan = CooperationPlan.objects.create(
        kredsraad=kredsraad, year=year, title=title, refreshed_at=timezone.now(), created_by=by
    )
    _sync_sections(plan)
    return plan


@transaction.atomic
def cooperation_plan_refresh(*, plan: CooperationPlan) -> CooperationPlan:
    """Fetch the plans and figures again (a municipality approved its plan since): sections
    nobody edited follow the data, edited ones keep their words."""
    locked = CooperationPlan.objects.select_for_update().select_related("kredsraad").get(pk=plan.pk)
    _check_draft(locked)
    locked.refreshed_at = timezone.now()
    locked.save(update_fields=["refreshed_at"])
    _sync_sections(locked)
    return locked


@transaction.atomic
def cooperation_plan_edit(
    *, plan: CooperationPlan, texts: dict[int, str], by: User
) -> CooperationPlan:
    """Keep the editors' words. `texts` maps section ids to their text; a section whose text
    is unchanged stays as it was (and keeps following the data)."""
    locked = CooperationPlan.objects.select_for_update().get(pk=plan.pk)
    _check_draft(locked)
    now = timezone.now()
    for section in locked.sections.all():
        text = texts.get(section.pk)
        if text is None or text.strip() == section.text.strip():
            continue
        section.text = text.strip()
        section.edited = True
        section.edited_by = by
        section.edited_at = now
        section.save(update_fields=["text", "edited", "edited_by", "edited_at"])
    return locked


def approval_meetings(plan: CooperationPlan) -> QuerySet[Meeting]:
    """The Kredsråd's meetings the plan may be approved at: from the year before it until its
    year ends, not cancelled."""
    return Meeting.objects.filter(
        body=plan.kredsraad_id,
        status=MeetingStatus.PLANNED,
        starts_at__date__gte=date(plan.year - 1, 1, 1),
        starts_at__date__lte=date(plan.year, 12, 31),
    ).order_by("starts_at")


@transaction.atomic
def cooperation_plan_approve(
    *, plan: CooperationPlan, meeting: Meeting, by: User, note: str = ""
) -> CooperationPlan:
    """Record that the Kredsråd approved its plan at one of its meetings; once only."""
    locked = CooperationPlan.objects.select_for_update().get(pk=plan.pk)
    _check_draft(locked)
    # As the meeting stands now: it may have been cancelled since the form was shown.
    if not approval_meetings(locked).filter(pk=meeting.pk).exists():
        raise ValidationError(
            {"meeting": [_("Vælg et møde i kredsrådet, som ikke er aflyst, i planens periode.")]}
        )
    locked.approval_meeting = meeting
    locked.approval_note = note.strip()
    locked.approved_by = by
    locked.approved_at = timezone.now()
    locked.save(update_fields=["approval_meeting", "approval_note", "approved_by", "approved_at"])
    return locked
