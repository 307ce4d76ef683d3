"""An edition as a web page and as a PDF.

Both are drawn from the edition's frozen contents and texts, never from the live forum. The PDF
is rendered in Danish (it is the municipality's public document) as PDF/UA-1, so screen readers
can follow its headings, tables and links, with every network fetch refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

from actioncard.models import Edition, EditionStatus
from actioncard.orgchart import ChartNode, org_chart_svg
from forum.models import BodyKind, MembershipRole
from forum.selectors import KIND_ORDER
from ssp.models import Sector
from ssp.pdf import render_pdf

PDF_VARIANT = "pdf/ua-1"


def _label(choices: type, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@dataclass(frozen=True)
class SectorGroup:
    label: str
    actors: list[dict]


def _with_labels(member: dict) -> dict:
    return {
        **member,
        "role_label": _label(MembershipRole, member["role"]),
        "sector_label": _label(Sector, member["sector"]),
    }


def _sectors(actors: list[dict]) -> list[SectorGroup]:
    groups: dict[str, list[dict]] = {}
    for actor in actors:
        groups.setdefault(actor["sector"], []).append(_with_labels(actor))
    return [SectorGroup(_label(Sector, sector), rows) for sector, rows in groups.items()]


def _when(iso: str) -> str:
    moment = timezone.localtime(datetime.fromisoformat(iso))
    return date_format(moment, "l j. F Y \\k\\l. H.i")


MONTHS = {
    1: translation.gettext_lazy("januar"),
    4: translation.gettext_lazy("april"),
    9: translation.gettext_lazy("september"),
}


def _dates(rows: list[dict]) -> list[dict[str, Any]]:
    return [
        {
            "body": row["body"],
            "kind_label": _label(BodyKind, row["kind"]),
            "month": MONTHS.get(row["month"], ""),
            "meetings": [_when(iso) for iso in row["meetings"]],
            "rhythm": row["rhythm"],
        }
        for row in rows
    ]


def _hierarchy_order(body: dict) -> tuple[int, str]:
    kinds = [kind.value for kind in KIND_ORDER]
    rank = kinds.index(body["kind"]) if body["kind"] in kinds else len(kinds)
    return (rank, body["name"].lower())


def org_chart(contents: dict[str, Any], title: str) -> SafeString:
    nodes = [
        ChartNode(
            key=body["key"],
            name=body["name"],
            kind_label=_label(BodyKind, body["kind"]),
            parent_key=body["parent"],
        )
        for body in contents.get("bodies", [])
    ]
    # The chart escapes every text it draws.
    return mark_safe(org_chart_svg(nodes, title=title))  # noqa: S308


def context(edition: Edition) -> dict[str, Any]:
    contents = edition.contents
    title = translation.gettext("SSP-handlekort for %(municipality)s %(year)s") % {
        "municipality": edition.municipality.name,
        "year": edition.year,
    }
    teams = [
        {
            **team,
            "contact": _with_labels(team["contact"]) if team.get("contact") else None,
            "members": [_with_labels(member) for member in team["members"]],
        }
        for team in contents.get("teams", [])
    ]
    return {
        "edition": edition,
        "title": title,
        "is_draft": edition.status == EditionStatus.DRAFT,
        "guide": list(edition.guide.all()),
        "sectors": _sectors(contents.get("actors", [])),
        "teams": teams,
        "dates": _dates(contents.get("dates", [])),
        "bodies": [
            {**body, "kind_label": _label(BodyKind, body["kind"])}
            for body in sorted(contents.get("bodies", []), key=_hierarchy_order)
        ],
        "org_chart": org_chart(contents, translation.gettext("Organisationen i SSP")),
        "police_district": contents.get("police_district", ""),
    }


def edition_pdf(edition: Edition) -> bytes:
    with translation.override("da"):
        html = render_to_string(
            "actioncard/pdf.html",
            {**context(edition), "LANGUAGE_CODE": "da", "printed_at": timezone.now()},
        )
    return render_pdf(html, pdf_variant=PDF_VARIANT)
