"""The server-drawn SVG charts of the statistics page: text, escaping, scale, suppression,
the round axis, the broken line, thinned month labels, and rendering in WeasyPrint.

Pure functions, no database. The PDF test leaves test-artifacts/statistics-charts.png for a
person to look at."""

from __future__ import annotations

import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pypdf
import pytest
from weasyprint import HTML

from reports.charts import Bar, bar_chart_svg, line_chart_svg, nice_axis
from ssp.pdf import NoNetworkFetcher

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SVG = "{http://www.w3.org/2000/svg}"
TEXTS = {"title": "Henvendelser", "description": "Antal pr. kategori", "value_label": "Antal"}
MONTHS = ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt."]
MONTHS += ["nov.", "dec."]

CATEGORIES = [
    Bar("Kriminalitet", 37, "37"),
    Bar("Skolefravær", 12, "12"),
    Bar("Rusmidler", None, "<5"),
    Bar("Trivsel og mistrivsel", 20, "20"),
]


def months(values: list[int | None], year: int = 2026) -> list[Bar]:
    return [
        Bar(f"{MONTHS[i % 12]} {year + i // 12}", v, "<5" if v is None else str(v))
        for i, v in enumerate(values)
    ]


def bar_chart(bars: list[Bar]) -> str:
    return bar_chart_svg(bars, **TEXTS, empty_text="Ingen data")


def line_chart(points: list[Bar]) -> str:
    return line_chart_svg(points, **TEXTS, empty_text="Ingen data")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is valid XML


def drawn_texts(root: ET.Element, css_class: str | None = None) -> list[str]:
    return [
        "".join(el.itertext())
        for el in root.iter(f"{SVG}text")
        if css_class is None or el.get("class") == css_class
    ]


def test_every_label_and_display_value_is_printed_as_text() -> None:
    points = months([8, 12, None, 30])

    bar_texts = drawn_texts(parse(bar_chart(CATEGORIES)))
    line_texts = drawn_texts(parse(line_chart(points)))

    for bar in CATEGORIES:
        assert bar.label in bar_texts
        assert bar.display in bar_texts
    for point in points:
        assert point.label in line_texts
        assert point.display in line_texts


@pytest.mark.parametrize("chart", [bar_chart, line_chart])
def test_user_text_is_escaped_and_the_chart_stays_valid_xml(
    chart: Callable[[list[Bar]], str],
) -> None:
    labels = ['<script>alert("x")</script>', "Tom & Jerry", "\"Gå\" 'hjem'", "Ærø – ØÅ\x07"]
    svg = chart([Bar(label, 10 + i, str(10 + i)) for i, label in enumerate(labels)])

    assert "<script>" not in svg
    texts = drawn_texts(parse(svg))
    for label in labels[:3]:
        assert label in texts
    assert "Ærø – ØÅ" in texts, "a control character must be dropped, not break the XML"


def test_bars_are_as_long_as_their_values_and_a_suppressed_value_has_no_bar() -> None:
    root = parse(bar_chart(CATEGORIES))

    rects = list(root.iter(f"{SVG}rect"))
    bars = {
        int(r.get("data-value")): float(r.get("width")) for r in rects if r.get("class") == "bar"
    }
    assert sorted(bars) == [12, 20, 37], "the suppressed count must not be drawn to scale"
    per_unit = bars[37] / 37
    for value, width in bars.items():
        assert width == pytest.approx(per_unit * value, abs=0.1)
    placeholders = [r for r in rects if r.get("class") == "suppressed"]
    assert len(placeholders) == 1
    assert placeholders[0].get("stroke-dasharray"), "the placeholder must not look like a bar"
    assert drawn_texts(root, "value") == ["37", "12", "<5", "20"]


def test_the_bar_chart_grows_one_row_per_bar() -> None:
    def height(svg: str) -> float:
        return float(parse(svg).get("viewBox").split()[3])

    assert height(bar_chart(CATEGORIES * 2)) - height(bar_chart(CATEGORIES)) == 4 * 28
    assert parse(bar_chart(CATEGORIES)).get("width") == "100%"


def test_a_long_label_is_cut_with_an_ellipsis_and_kept_whole_on_hover() -> None:
    name = "Ungdomsskolen og 10. klassecenter Vestegnen"
    root = parse(bar_chart([Bar(name, 9, "9")]))

    assert name not in drawn_texts(root)
    assert name[:27] + "…" in drawn_texts(root)
    hovers = [g.find(f"{SVG}title") for g in root.iter(f"{SVG}g")]
    assert [t.text for t in hovers if t is not None] == [name]


@pytest.mark.parametrize(
    ("largest", "axis_max", "step"),
    [
        (37, 40, 10),
        (1, 1, 1),
        (5, 5, 1),
        (12, 15, 5),
        (100, 100, 20),
        (1234, 1500, 500),
        (240, 250, 50),
    ],
)
def test_the_value_axis_ends_at_a_round_number(largest: int, axis_max: int, step: int) -> None:
    assert nice_axis(largest) == (axis_max, step)


def test_the_line_chart_ticks_run_from_zero_to_the_round_maximum() -> None:
    ticks = drawn_texts(parse(line_chart(months([3, 37, 20]))), "y-tick")

    assert ticks == ["0", "10", "20", "30", "40"]


def test_the_line_breaks_at_a_suppressed_month() -> None:
    root = parse(line_chart(months([8, 12, None, 30, 25])))

    segments = [line.get("points").split() for line in root.iter(f"{SVG}polyline")]
    assert [len(points) for points in segments] == [2, 2]
    hollow = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "suppressed"]
    assert len(hollow) == 1
    assert hollow[0].get("fill") == "#fff"
    assert "<5" in drawn_texts(root, "value")


def test_only_suppressed_months_still_draw_an_axis_and_no_line() -> None:
    root = parse(line_chart(months([None, None])))

    assert list(root.iter(f"{SVG}polyline")) == []
    assert drawn_texts(root, "y-tick")[-1] == "5"


def test_three_years_of_months_get_thinned_labels_that_do_not_overlap() -> None:
    points = months([10 + i for i in range(36)])
    root = parse(line_chart(points))

    labels = [el for el in root.iter(f"{SVG}text") if el.get("class") == "x-label"]
    assert 2 <= len(labels) <= 12
    xs = [float(el.get("x")) for el in labels]
    gaps = [b - a for a, b in pairwise(xs)]
    widest = max(len(el.text) for el in labels) * 7
    # Side by side they need their width; turned 45° they need about a line height.
    needed = 16 if "rotate" in (labels[0].get("transform") or "") else widest
    assert min(gaps) >= needed
    # Every month is still named, with its value, on hover.
    hovers = [t.text for t in root.iter(f"{SVG}title")][1:]
    assert hovers == [f"{p.label}: {p.display}" for p in points]


def test_empty_input_shows_the_callers_translated_text() -> None:
    for chart in (bar_chart_svg, line_chart_svg):
        root = parse(chart([], **TEXTS, empty_text="No data yet"))

        assert drawn_texts(root) == ["No data yet"]
        assert root.get("role") == "img"


def test_charts_are_named_described_and_have_their_own_ids() -> None:
    first, second = bar_chart(CATEGORIES), bar_chart(CATEGORIES[:2])
    root = parse(first)

    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert (title.get("id"), title.text) == (root.get("aria-labelledby"), "Henvendelser")
    assert (desc.get("id"), desc.text) == (root.get("aria-describedby"), "Antal pr. kategori")
    assert parse(second).get("aria-labelledby") != root.get("aria-labelledby")
    assert bar_chart(CATEGORIES) == first, "the output must be deterministic"
    assert root.get("font-family") == "IBM Plex Sans, Arial, sans-serif"


def test_weasyprint_draws_both_charts_with_their_text(tmp_path: Path) -> None:
    points = months([18, 22, None, 37, 30, 41, 12, 0, 25, 33, 29, 35, 40, 38], year=2025)
    schools = [*CATEGORIES, Bar("Ungdomsskolen og 10. klassecenter Vestegnen", 9, "9")]
    three_years = months([(i * 37) % 90 if i % 11 else None for i in range(36)], year=2023)
    html = (
        "<!doctype html><html lang='da'><head><meta charset='utf-8'><style>"
        "body{font-family:Arial,sans-serif;margin:1cm} svg{display:block;margin-bottom:1cm}"
        "</style></head><body><h1>Statistik</h1>"
        f"{bar_chart(schools)}{line_chart(points)}{line_chart(three_years)}</body></html>"
    )

    pdf = HTML(string=html, url_fetcher=NoNetworkFetcher()).write_pdf()

    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for label in [bar.label for bar in CATEGORIES] + ["jan. 2025", "jan. 2026", "<5", "37"]:
        assert label in text
    assert "Ungdomsskolen og 10. klasse…" in text
    assert "Henvendelser" not in text, "titles and descriptions are for screen readers only"
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:  # a picture for a person to look at; not having the tool is no failure
        ARTIFACTS.mkdir(exist_ok=True)
        pdf_path, png = tmp_path / "charts.pdf", ARTIFACTS / "statistics-charts.png"
        pdf_path.write_bytes(pdf)
        png.unlink(missing_ok=True)
        subprocess.run(  # noqa: S603 - fixed command on our own file
            [pdftoppm, "-r", "110", "-png", "-singlefile", str(pdf_path), str(png)[:-4]],
            check=True,
            timeout=60,
        )
        assert png.stat().st_size > 1000
