"""Accessible SVG charts drawn on the server, for the statistics page and its PDF.

The same markup has to render in browsers and in WeasyPrint, which has its own small SVG
renderer and no JavaScript, so the charts are plain SVG built from strings: presentation
attributes instead of CSS, no `dominant-baseline`, no patterns, no web fonts. The page also
shows every number in a table, so a chart is the visual summary; its `<title>` and `<desc>`
name it for screen readers. Counts below five are suppressed for privacy and are never drawn
to scale: a dashed placeholder of fixed size carries the printed "<5" instead.

Output is deterministic (ids are a hash of the content) so pages and PDFs can be cached and
compared.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from html import escape

__all__ = ["Bar", "bar_chart_svg", "line_chart_svg", "nice_axis"]

BLUE = "#0059b3"
TEXT = "#1a1a1a"
GRID = "#ccc"
FONT = 'font-family="IBM Plex Sans, Arial, sans-serif" font-size="12"'
WIDTH = 640
CHAR_WIDTH = 7.0  # a generous average at 12px, so estimated label widths err on the wide side
LABEL_MAX_CHARS = 28
SUPPRESSED_FLOOR = 5  # a suppressed count lies somewhere in 0..4

# XML 1.0 forbids most control characters; user text must not make the whole page invalid.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Bar:
    """One category (bar chart) or one month (line chart)."""

    label: str  # e.g. "Kriminalitet" or "jan. 2026"
    value: int | None  # None = suppressed (fewer than 5): draw no bar, print "<5"
    display: str  # the text to print at the bar, e.g. "12" or "<5"


def _x(text: str) -> str:
    """Escape user text for both element content and attribute values."""
    return escape(_NOT_XML.sub("", text), quote=True)


def _n(number: float) -> str:
    """A coordinate with at most one decimal, so the output is stable and small."""
    return f"{number:.1f}".removesuffix(".0")


def _text(x: float, y: float, content: str, extra: str = "") -> str:
    return f'<text x="{_n(x)}" y="{_n(y)}" fill="{TEXT}"{extra}>{_x(content)}</text>'


def _truncate(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"


def _open(kind: str, height: float, title: str, description: str, payload: object) -> str:
    """The `<svg>` start tag with its accessible name and description.

    The id is a hash of everything drawn, so two different charts on one page never share ids
    and the same chart always gets the same id.
    """
    digest = hashlib.sha256(repr((kind, title, description, payload)).encode()).hexdigest()
    uid = f"chart-{digest[:12]}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'width="100%" role="img" aria-labelledby="{uid}-title" aria-describedby="{uid}-desc" '
        f'{FONT} class="chart chart-{kind}">'
        f'<title id="{uid}-title">{_x(title)}</title><desc id="{uid}-desc">{_x(description)}</desc>'
    )


def _empty(kind: str, title: str, description: str, empty_text: str) -> str:
    """A small chart that says there is nothing to show, in the caller's (translated) words."""
    head = _open(kind, 48, title, description, empty_text)
    return head + _text(WIDTH / 2, 28, empty_text, ' text-anchor="middle"') + "</svg>"


def _value_text(
    x: float, y: float, point: Bar, before: int | None, after: int | None, *, room: float
) -> str:
    """A point's value, put where the line is not: under a valley, beside a slope, above a
    peak, on a white backing so a line running past it never strikes it out.

    (WeasyPrint knows no `paint-order`, so a stroked halo would print the text twice.)"""
    value, anchor, width = point.value, "middle", len(point.display) * CHAR_WIDTH + 2
    if value is None:
        y -= 9
    elif before is not None and after is not None and before > value > after:
        x, y, anchor = x + 6, y - 7, "start"  # going down: the upper right is free
    elif before is not None and after is not None and before < value < after:
        x, y, anchor = x - 6, y - 7, "end"  # going up: the upper left is free
    elif all(n is None or n > value for n in (before, after)) and room >= 22:
        y += 19
    else:
        y -= 9
    left = {"start": x - 1, "middle": x - width / 2, "end": x - width + 1}[anchor]
    return (
        f'<rect x="{_n(left)}" y="{_n(y - 11)}" width="{_n(width)}" height="14" '
        f'fill="#fff" fill-opacity="0.85"/>'
        + _text(x, y, point.display, f' text-anchor="{anchor}" class="value"')
    )


def bar_chart_svg(
    bars: Sequence[Bar], *, title: str, description: str, value_label: str, empty_text: str
) -> str:
    """Horizontal bars, one row per category, since Danish category and school names are long.

    Bars are scaled to the largest shown value; each value is printed at the end of its bar, so
    nobody has to read lengths off an axis.
    """
    if not bars:
        return _empty("bar", title, description, empty_text)
    row, bar_height, top = 28, 18, 28
    label_right, bar_left = 204, 212
    bar_room = WIDTH - bar_left - 60  # room for the printed value after the longest bar
    largest = max((bar.value for bar in bars if bar.value is not None), default=0)
    height = top + row * len(bars) + 8
    parts = [
        _open("bar", height, title, description, [astuple(b) for b in bars]),
        _text(bar_left, 16, value_label),
    ]
    for index, bar in enumerate(bars):
        y = top + index * row
        baseline = y + row / 2 + 4
        label = _text(label_right, baseline, _truncate(bar.label), ' text-anchor="end"')
        if len(bar.label) > LABEL_MAX_CHARS:  # the full name on hover
            label = f"<g><title>{_x(bar.label)}</title>{label}</g>"
        parts.append(label)
        bar_y = y + (row - bar_height) / 2
        if bar.value is None:  # a dashed box of fixed size, never to scale
            width, look = 24, f'class="suppressed" fill="#fff" stroke="{BLUE}" stroke-width="1.5"'
            look += ' stroke-dasharray="3 2"'
        else:
            width = bar_room * bar.value / largest if largest else 0
            look = f'class="bar" fill="{BLUE}" data-value="{bar.value}"'
        parts.append(
            f'<rect x="{bar_left}" y="{_n(bar_y)}" width="{_n(width)}" height="{bar_height}" '
            f"{look}/>"
        )
        end = bar_left + width
        parts.append(_text(end + 6, baseline, bar.display, ' class="value"'))
    parts.append(
        f'<line x1="{bar_left}" y1="{top}" x2="{bar_left}" y2="{top + row * len(bars)}" '
        f'stroke="{TEXT}" stroke-width="1"/></svg>'
    )
    return "".join(parts)


def nice_axis(largest: int) -> tuple[int, int]:
    """The axis maximum and tick step: the step is 1, 2 or 5 × 10ⁿ, about five ticks, and the
    maximum the first multiple of the step at or above `largest` (37 → 40 in steps of 10)."""
    top = max(largest, 1)
    raw = top / 5
    magnitude = 10 ** max(0, math.floor(math.log10(raw))) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return math.ceil(top / step) * step, step


def line_chart_svg(
    points: Sequence[Bar], *, title: str, description: str, value_label: str, empty_text: str
) -> str:
    """A month-by-month line from zero to a round maximum.

    A suppressed month is not a zero: the line breaks there and a hollow marker sits in the
    0–5 band with "<5" above it. With many months only every n-th label is printed (at most
    12), turned 45° when even those would not fit side by side; every month keeps its full
    label and value in a hover `<title>` on its marker.
    """
    if not points:
        return _empty("line", title, description, empty_text)
    count = len(points)
    known = [point.value for point in points if point.value is not None]
    floor = SUPPRESSED_FLOOR if len(known) < count else 0
    axis_max, step = nice_axis(max([*known, floor]))
    left, right, top, plot_height = 56, WIDTH - 12, 40, 200
    slot = (right - left) / count
    label_step = math.ceil(count / 12)
    widest = max(len(point.label) for point in points) * CHAR_WIDTH
    rotated = widest > slot * label_step - 8
    bottom_room = widest * 0.71 + 24 if rotated else 28
    baseline = top + plot_height
    height = baseline + bottom_room
    show_values = max(len(point.display) for point in points) * CHAR_WIDTH + 6 <= slot

    def x_of(index: int) -> float:
        return left + slot * (index + 0.5)

    def y_of(value: float) -> float:
        return baseline - plot_height * value / axis_max

    parts = [
        _open("line", height, title, description, [astuple(p) for p in points]),
        _text(8, 14, value_label),
    ]
    for tick in range(0, axis_max + 1, step):
        y, colour = y_of(tick), TEXT if tick == 0 else GRID
        parts.append(
            f'<line x1="{left}" y1="{_n(y)}" x2="{right}" y2="{_n(y)}" stroke="{colour}"/>'
        )
        parts.append(_text(left - 6, y + 4, str(tick), ' text-anchor="end" class="y-tick"'))

    segments: list[list[str]] = [[]]
    for index, point in enumerate(points):
        if point.value is None:
            segments.append([])
        else:
            segments[-1].append(f"{_n(x_of(index))},{_n(y_of(point.value))}")
    for segment in segments:
        if len(segment) > 1:
            parts.append(
                f'<polyline class="line" points="{" ".join(segment)}" fill="none" '
                f'stroke="{BLUE}" stroke-width="2.5" stroke-linejoin="round"/>'
            )

    for index, point in enumerate(points):
        x = x_of(index)
        hover = f"<title>{_x(point.label)}: {_x(point.display)}</title>"
        if point.value is None:
            y = y_of(SUPPRESSED_FLOOR / 2)
            marker = '<circle class="suppressed" r="4.5" fill="#fff" stroke-dasharray="2 1.5" '
        else:
            y = y_of(point.value)
            marker = f'<circle class="dot" r="4" fill="{BLUE}" '
        parts.append(
            f'<g>{hover}{marker}cx="{_n(x)}" cy="{_n(y)}" stroke="{BLUE}" stroke-width="1.5"/></g>'
        )
        if show_values or (point.value is None and slot >= 14):
            before = points[index - 1].value if index else None
            after = points[index + 1].value if index + 1 < count else None
            parts.append(_value_text(x, y, point, before, after, room=baseline - y))
        if index % label_step == 0:
            label_y = baseline + (14 if rotated else 18)
            turn = f' text-anchor="end" transform="rotate(-45 {_n(x)} {_n(label_y)})"'
            extra = (turn if rotated else ' text-anchor="middle"') + ' class="x-label"'
            parts.append(_text(x, label_y, point.label, extra))
    parts.append("</svg>")
    return "".join(parts)
