"""The organisation chart SVG: every body drawn and named, nothing overlapping, every body tied
to its parent, user text escaped, and the whole chart on one A4 page through WeasyPrint.

Pure unit tests: the SVG is parsed with ElementTree and checked geometrically; no database.
"""

from __future__ import annotations

import io
import itertools
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
from PIL import ImageFont

from actioncard.orgchart import (
    BOX_W,
    MARGIN,
    PAGE_W,
    ChartNode,
    org_chart_svg,
    wrap_name,
)
from ssp.pdf import render_pdf

SVG = "{http://www.w3.org/2000/svg}"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
SCHOOLS = ["Vestervang", "Hvissinge", "Søndervang", "Skovvang", "Nordvang"]
SCHOOLS += ["Østervang", "Engbo", "Glasvej", "Højvang", "Ålholm"]


def glostrup() -> list[ChartNode]:
    """A realistic police district: one full municipality, one small one."""
    n = ChartNode
    return [
        n("k", "Kredsrådet Københavns Vestegn", "Kredsråd", None),
        n("l1", "Lokalrådet i Glostrup", "Lokalråd", "k"),
        n("u1", "SSP-Udvalget", "SSP-Udvalg", "l1"),
        n("f1", "SSP-Følgegruppen", "SSP-Følgegruppe", "l1"),
        n("g1", "§115-gruppen Glostrup", "§115-gruppe", "l1"),
        n("fo1", "SSP-Forum Glostrup", "SSP-Forum", "f1"),
        n("w1", "Nattevandring", "Arbejdsgruppe", "fo1"),
        n("w2", "Rusmidler og fester", "Arbejdsgruppe", "fo1"),
        n("s1", "SSP-team Vestervang", "Skolens SSP-team", "fo1"),
        n("s2", "SSP-team Hvissinge", "Skolens SSP-team", "fo1"),
        n("s3", "SSP-team Søndervang", "Skolens SSP-team", "fo1"),
        n("a1", "Ad hoc: Gruppen ved stationen", "Ad hoc-gruppe", "s3"),
        n("s4", "SSP-team Skovvang", "Skolens SSP-team", "fo1"),
        n("g2", "Mandagsgruppen (§115)", "§115-gruppe", "fo1"),
        n("l2", "Lokalrådet i Albertslund", "Lokalråd", "k"),
        n("u2", "SSP-Udvalget Albertslund", "SSP-Udvalg", "l2"),
        n("fo2", "SSP-Forum Albertslund", "SSP-Forum", "l2"),
        n("s5", "SSP-team Herstedøster", "Skolens SSP-team", "fo2"),
        n("s6", "SSP-team Egelund", "Skolens SSP-team", "fo2"),
    ]


def forty_teams() -> list[ChartNode]:
    """The brief's stress case: one SSP-Forum with four working groups and forty school teams."""
    n = ChartNode
    nodes = [
        n("k", "Kredsrådet Københavns Vestegn", "Kredsråd", None),
        n("l", "Lokalrådet i Glostrup", "Lokalråd", "k"),
        n("u", "SSP-Udvalget", "SSP-Udvalg", "l"),
        n("f", "SSP-Følgegruppen", "SSP-Følgegruppe", "l"),
        n("g", "§115-gruppen", "§115-gruppe", "l"),
        n("fo", "SSP-Forum Glostrup", "SSP-Forum", "f"),
    ]
    groups = ["Nattevandring", "Rusmidler", "Digital dannelse", "Forældrekontakt"]
    nodes += [n(f"w{i}", f"Arbejdsgruppe {g}", "Arbejdsgruppe", "fo") for i, g in enumerate(groups)]
    return nodes + [
        n(f"s{i}", f"SSP-team {SCHOOLS[i % 10]} {i // 10 + 1}", "Skolens SSP-team", "fo")
        for i in range(40)
    ]


def three_municipalities() -> list[ChartNode]:
    """Seventy-six bodies: a police district over three full municipalities, too wide for one
    row of subtrees."""
    nodes = [ChartNode("k", "Kredsrådet Københavns Vestegn", "Kredsråd", None)]
    for town in ("Glostrup", "Albertslund", "Brøndby"):
        n = ChartNode
        nodes += [
            n(f"l-{town}", f"Lokalrådet i {town}", "Lokalråd", "k"),
            n(f"u-{town}", f"SSP-Udvalget {town}", "SSP-Udvalg", f"l-{town}"),
            n(f"f-{town}", f"SSP-Følgegruppen {town}", "SSP-Følgegruppe", f"l-{town}"),
            n(f"fo-{town}", f"SSP-Forum {town}", "SSP-Forum", f"f-{town}"),
            n(f"w-{town}", f"Nattevandring {town}", "Arbejdsgruppe", f"fo-{town}"),
        ]
        nodes += [
            n(f"s-{town}-{i}", f"SSP-team {school} {town[:3]}", "Skolens SSP-team", f"fo-{town}")
            for i, school in enumerate(SCHOOLS)
        ]
        nodes += [
            n(f"p-{town}-{i}", f"Privatskole {i + 1} {town[:3]}", "Skolens SSP-team", f"fo-{town}")
            for i in range(10)
        ]
    return nodes


def lone_roots() -> list[ChartNode]:
    return [ChartNode(f"r{i}", f"Lokalråd {i}", "Lokalråd", "deleted-body") for i in range(12)]


def deep_chain() -> list[ChartNode]:
    return [ChartNode(f"c{i}", f"Niveau {i}", "Ad hoc-gruppe", f"c{i - 1}") for i in range(9)]


TREES: dict[str, Callable[[], list[ChartNode]]] = {
    "glostrup": glostrup,
    "forty_teams": forty_teams,
    "three_municipalities": three_municipalities,
    "lone_roots": lone_roots,
    "deep_chain": deep_chain,
}


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    lines: tuple[str, ...]
    kind: str

    @property
    def name(self) -> str:
        return " ".join(self.lines)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, the very thing under test


def boxes_of(svg: str) -> list[Box]:
    found = []
    for group in parse(svg).iter(f"{SVG}g"):
        rect = group.find(f"{SVG}rect")
        if rect is None:
            continue
        x, y = float(rect.get("x", "")), float(rect.get("y", ""))
        texts = group.findall(f"{SVG}text")
        lines = tuple(t.text or "" for t in texts if t.get("font-weight") == "bold")
        right, bottom = x + float(rect.get("width", "")), y + float(rect.get("height", ""))
        found.append(Box(x, y, right, bottom, lines, texts[-1].text or ""))
    return found


def paths_of(svg: str) -> list[list[tuple[float, float]]]:
    """Each connector's corner points; the chart writes only M, H and V steps."""
    polylines = []
    for path in parse(svg).iter(f"{SVG}path"):
        steps = (path.get("d") or "").split()
        x, y = float(steps[0][1:]), float(steps[1])
        points = [(x, y)]
        for step in steps[2:]:
            assert step[0] in "HV", f"not orthogonal: {path.get('d')}"
            x, y = (float(step[1:]), y) if step[0] == "H" else (x, float(step[1:]))
            points.append((x, y))
        polylines.append(points)
    return polylines


def view_box(svg: str) -> tuple[float, float]:
    _, _, width, height = (float(v) for v in (parse(svg).get("viewBox") or "").split())
    return width, height


def text_at(root: ET.Element, path: str) -> str:
    element = root.find("/".join(SVG + step for step in path.split("/")))
    assert element is not None, path
    return element.text or ""


def near(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < 0.11 and abs(a[1] - b[1]) < 0.11


def crosses(start: tuple[float, float], end: tuple[float, float], box: Box) -> bool:
    """Whether an axis-parallel segment runs through the inside of a box."""
    (xa, ya), (xb, yb) = start, end
    return (
        min(xa, xb) < box.x1 - 0.5
        and max(xa, xb) > box.x0 + 0.5
        and min(ya, yb) < box.y1 - 0.5
        and max(ya, yb) > box.y0 + 0.5
    )


@pytest.mark.parametrize("tree", TREES)
def test_every_body_is_drawn_once_with_its_name_and_kind(tree: str) -> None:
    nodes = TREES[tree]()
    drawn = boxes_of(org_chart_svg(nodes, title="Organisation"))

    assert sorted(box.name for box in drawn) == sorted(node.name for node in nodes)
    assert sorted(box.kind for box in drawn) == sorted(node.kind_label for node in nodes)


@pytest.mark.parametrize("tree", TREES)
def test_no_two_boxes_overlap_and_all_lie_inside_the_view_box(tree: str) -> None:
    svg = org_chart_svg(TREES[tree](), title="Organisation")
    width, height = view_box(svg)
    drawn = boxes_of(svg)

    for a, b in itertools.combinations(drawn, 2):
        apart = a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0
        assert apart, f"{a.name!r} overlaps {b.name!r}"
    for box in drawn:
        assert min(box.x0, box.y0) >= 0, box.name
        assert box.x1 <= width, box.name
        assert box.y1 <= height, box.name


@pytest.mark.parametrize("tree", TREES)
def test_every_child_is_joined_to_its_parent_by_a_line_that_crosses_no_other_box(
    tree: str,
) -> None:
    nodes = TREES[tree]()
    svg = org_chart_svg(nodes, title="Organisation")
    box = {b.name: b for b in boxes_of(svg)}
    name = {node.key: node.name for node in nodes}
    paths = paths_of(svg)
    children = [node for node in nodes if node.parent_key in name]

    assert len(paths) == len(children)
    for child in children:
        parent, own = box[name[child.parent_key or ""]], box[child.name]
        start = ((parent.x0 + parent.x1) / 2, parent.y1)
        ends = [((own.x0 + own.x1) / 2, own.y0), (own.x0, (own.y0 + own.y1) / 2)]
        joining = [p for p in paths if near(p[0], start) and any(near(p[-1], e) for e in ends)]
        assert len(joining) == 1, f"{child.name!r} is not joined to {parent.name!r}"
        others = [b for b in box.values() if b not in (parent, own)]
        for a, b in itertools.pairwise(joining[0]):
            crossed = [o.name for o in others if crosses(a, b, o)]
            assert not crossed, f"the line to {child.name!r} runs through {crossed}"


def test_forty_school_teams_fill_four_columns_and_the_chart_stays_page_shaped() -> None:
    nodes = forty_teams()
    svg = org_chart_svg(nodes, title="Organisation")
    width, height = view_box(svg)
    teams = [b for b in boxes_of(svg) if b.kind == "Skolens SSP-team"]

    assert len({team.x0 for team in teams}) == 4
    assert height < 1.5 * width
    assert width <= PAGE_W + 2 * MARGIN  # no shrinking of the text below its design size
    assert float(parse(svg).get("data-aspect", "")) == pytest.approx(height / width, abs=1e-4)


def test_a_row_of_subtrees_too_wide_for_the_page_is_stacked_instead_of_shrunk() -> None:
    nodes = three_municipalities()
    svg = org_chart_svg(nodes, title="Organisation")
    width, _ = view_box(svg)
    councils = [b for b in boxes_of(svg) if b.kind == "Lokalråd"]

    assert len(nodes) == 76
    assert width <= 1.15 * (PAGE_W + 2 * MARGIN)
    assert len({council.x0 for council in councils}) == 1
    assert [c.name for c in sorted(councils, key=lambda c: c.y0)] == [
        "Lokalrådet i Glostrup",
        "Lokalrådet i Albertslund",
        "Lokalrådet i Brøndby",
    ]


def test_two_line_names_break_where_the_lines_are_most_even() -> None:
    assert wrap_name("SSP-team Hvissinge 1") == ["SSP-team", "Hvissinge 1"]
    assert wrap_name("Kredsrådet Københavns Vestegn") == ["Kredsrådet", "Københavns Vestegn"]
    assert wrap_name("SSP-Udvalget") == ["SSP-Udvalget"]


def test_children_keep_their_input_order_in_rows_and_in_grids() -> None:
    nodes = forty_teams()
    drawn = {b.name: b for b in boxes_of(org_chart_svg(nodes, title="Organisation"))}

    def order(parent: str, key: Callable[[Box], tuple[float, float]]) -> list[str]:
        kids = [node.name for node in nodes if node.parent_key == parent]
        return sorted(kids, key=lambda kid: key(drawn[kid]))

    # A row reads left to right; a grid reads down each column, then the next column.
    assert order("l", lambda b: (b.x0, b.y0)) == [
        "SSP-Udvalget",
        "SSP-Følgegruppen",
        "§115-gruppen",
    ]
    forum = [node.name for node in nodes if node.parent_key == "fo"]
    assert order("fo", lambda b: (b.x0, b.y0)) == forum


def test_several_roots_wrap_into_rows_instead_of_shrinking_the_chart() -> None:
    svg = org_chart_svg(lone_roots(), title="Organisation")
    width, _ = view_box(svg)

    assert width == PAGE_W + 2 * MARGIN
    assert len({box.y0 for box in boxes_of(svg)}) == 4  # three boxes to a row


def test_user_text_is_escaped_and_control_characters_dropped() -> None:
    hostile = ['<script>alert("x")</script>', "Tom & Jerry's", 'Team "Øst"', "Ærø\x00\x1b ]]>"]
    nodes = [ChartNode("root", "Lokalrådet <b>", "Lokalråd & co", None)]
    nodes += [ChartNode(f"h{i}", name, "Ad hoc-gruppe", "root") for i, name in enumerate(hostile)]
    svg = org_chart_svg(nodes, title='Organisation <i>"Glostrup"</i> & Co')
    root = parse(svg)  # raises on anything unescaped

    for raw in ("<script", "<b>", "<i>"):
        assert raw not in svg
    assert text_at(root, "title") == 'Organisation <i>"Glostrup"</i> & Co'
    assert '<script>alert("x")</script>' in text_at(root, "desc")
    names = {box.name for box in boxes_of(svg)}
    assert {"Lokalrådet <b>", "Tom & Jerry's", 'Team "Øst"', "Ærø ]]>"} <= names
    assert "Lokalråd & co" in {box.kind for box in boxes_of(svg)}


def test_long_names_take_two_lines_and_end_with_an_ellipsis_shown_in_full_on_hover() -> None:
    long_name = "Arbejdsgruppen for forebyggelse af kriminalitet blandt unge i boligområderne"
    svg = org_chart_svg([ChartNode("w", long_name, "Arbejdsgruppe", None)], title="Org")
    (box,) = boxes_of(svg)

    assert len(box.lines) == 2
    assert box.lines[1].endswith("…")
    assert long_name.startswith(box.name.removesuffix("…"))
    assert text_at(parse(svg), "g/g/title") == f"{long_name} – Arbejdsgruppe"


def test_every_line_of_text_fits_inside_its_box_in_the_real_font() -> None:
    nodes = [
        *glostrup(),
        ChartNode("x", "MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM W", "Æ" * 40, None),
    ]
    svg = org_chart_svg(nodes, title="Organisation")
    for group in parse(svg).iter(f"{SVG}g"):
        rect = group.find(f"{SVG}rect")
        if rect is None:
            continue
        left = float(rect.get("x", ""))
        for text in group.findall(f"{SVG}text"):
            bold = text.get("font-weight") == "bold"
            font = ImageFont.truetype(str(FONTS / f"DejaVuSans{'-Bold' if bold else ''}.ttf"), 100)
            width = font.getlength(text.text or "") * float(text.get("font-size", "")) / 100
            centre = float(text.get("x", ""))
            assert left < centre - width / 2, text.text
            assert centre + width / 2 < left + BOX_W, text.text


def test_the_chart_is_accessible_and_drawn_with_plain_vector_shapes_only() -> None:
    svg = org_chart_svg(glostrup(), title="SSP-organisationen i Københavns Vestegn")
    root = parse(svg)
    title = root.find(f"{SVG}title")
    description = root.find(f"{SVG}desc")

    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert title is not None
    assert description is not None
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == description.get("id")
    assert title.text == "SSP-organisationen i Københavns Vestegn"
    assert (
        "Lokalrådet i Glostrup (Lokalråd): SSP-Udvalget, SSP-Følgegruppen, §115-gruppen Glostrup."
        in (description.text or "")
    )
    assert "SSP-team Søndervang (Skolens SSP-team): Ad hoc: Gruppen ved stationen." in (
        description.text or ""
    )
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {"svg", "title", "desc", "g", "rect", "path", "text"}
    attributes = {name for element in root.iter() for name in element.attrib}
    assert not attributes & {"class", "style", "href", "{http://www.w3.org/1999/xlink}href"}


def test_the_same_bodies_give_the_same_svg_and_odd_input_still_draws() -> None:
    assert org_chart_svg(glostrup(), title="Org") == org_chart_svg(glostrup(), title="Org")
    cycle = [ChartNode("a", "A", "Ad hoc-gruppe", "b"), ChartNode("b", "B", "Ad hoc-gruppe", "a")]
    own = [ChartNode("s", "Selv", "Ad hoc-gruppe", "s")]
    assert {b.name for b in boxes_of(org_chart_svg(cycle + own, title="Org"))} == {"A", "B", "Selv"}
    assert boxes_of(org_chart_svg([], title="Org")) == []
    with pytest.raises(ValueError, match="unique"):
        org_chart_svg([*own, *own], title="Org")


def test_weasyprint_draws_the_forty_team_chart_on_one_a4_page_with_every_name() -> None:
    nodes = forty_teams()
    html = (
        '<!doctype html><html lang="da"><head><meta charset="utf-8">'
        "<style>@page { size: A4; margin: 20mm }</style></head><body>"
        f"<h1>SSP-organisationen</h1>{org_chart_svg(nodes, title='Organisation')}</body></html>"
    )
    pdf = render_pdf(html)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(reader.pages[0].extract_text().split())

    assert len(reader.pages) == 1
    missing = [node.name for node in nodes if node.name not in text]
    assert not missing, f"not in the PDF text: {missing}"
    assert "Skolens SSP-team" in text

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:  # a picture for a human to look at; not having the tool is no failure
        ARTIFACTS.mkdir(exist_ok=True)
        source = ARTIFACTS / "orgchart.pdf"
        source.write_bytes(pdf)
        command = [pdftoppm, "-png", "-r", "110", "-singlefile", str(source)]
        subprocess.run([*command, str(ARTIFACTS / "orgchart")], check=True)  # noqa: S603
        assert (ARTIFACTS / "orgchart.png").stat().st_size > 10_000
