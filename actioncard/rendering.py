"""An edition as a web page and as a PDF.

Both are drawn from the edition's frozen contents and texts, never from the live forum. The PDF
is rendered in Danish (it is the municipality's public document) as PDF/UA-1, so screen readers
can follow its headings, tables and links, with every network fetch refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

from actioncard import contacts
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
    return date_format(moment, "WEEKDAY_DATETIME_AT_FORMAT")


MONTHS = {
    1: translation.gettext_lazy("januar"),
    4: translation.gettext_lazy("april"),
    9: translation.gettext_lazy("september"),
}


def _coming(row: dict, today: date) -> dict | None:
    """The row as far as it lies in the twelve months from `today`, else None. A row of an
    older snapshot has no year: it belongs to the edition's."""
    until = date(today.year + 1, today.month, 1)
    meetings = [
        iso
        for iso in row["meetings"]
        if today <= timezone.localtime(datetime.fromisoformat(iso)).date() < until
    ]
    if row["meetings"]:
        return {**row, "meetings": meetings} if meetings else None
    if row["month"] is None:
        return row
    month = date(row["year"], row["month"], 1)
    return row if date(today.year, today.month, 1) <= month < until else None


def _dates(rows: list[dict], year: int, today: date) -> list[dict[str, Any]]:
    coming = [_coming({"year": year, **row}, today) for row in rows]
    return [
        {
            "body": row["body"],
            "kind_label": _label(BodyKind, row["kind"]),
            "month": MONTHS.get(row["month"], ""),
            "year": row["year"],
            "meetings": [_when(iso) for iso in row["meetings"]],
            "rhythm": row["rhythm"],
        }
        for row in coming
        if row is not None
    ]


def _entry(entry: dict) -> dict:
    if entry["national"]:
        name = contacts.NATIONAL.get(entry["national"], ("", ""))[0]
        return {**entry, "name": str(name)}
    return entry


def situations(contents: dict[str, Any]) -> list[dict[str, Any]]:
    """Page one's rows, in the reader's language (the names come from the directory)."""
    return [
        {
            "key": row["situation"],
            "label": contacts.LABELS.get(row["situation"], row["situation"]),
            "advice": contacts.ADVICE.get(row["situation"], ""),
            "entries": [_entry(entry) for entry in row["entries"]],
        }
        for row in contents.get("contacts") or []
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


def context(edition: Edition, today: date | None = None) -> dict[str, Any]:
    """What the page and the PDF show. Dates are those coming from `today` (the day the PDF
    is printed, or the day the page is read)."""
    contents = edition.contents
    today = today or timezone.localdate()
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
        "dates": _dates(contents.get("dates", []), edition.year, today),
        "situations": situations(contents),
        "consultant": contents.get("consultant"),
        "bodies": [
            {**body, "kind_label": _label(BodyKind, body["kind"])}
            for body in sorted(contents.get("bodies", []), key=_hierarchy_order)
        ],
        "org_chart": org_chart(contents, translation.gettext("Organisationen i SSP")),
        "police_district": contents.get("police_district", ""),
    }


def pdf_html(edition: Edition) -> str:
    """The PDF's HTML, in Danish, with the dates coming from the day it is printed."""
    with translation.override("da"):
        return render_to_string(
            "actioncard/pdf.html",
            {**context(edition), "LANGUAGE_CODE": "da", "printed_at": timezone.now()},
        )


def edition_pdf(edition: Edition) -> bytes:
    return render_pdf(pdf_html(edition), pdf_variant=PDF_VARIANT)
