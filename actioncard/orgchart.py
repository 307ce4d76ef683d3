"""The SSP organisation chart as one inline SVG element, for the ActionCard page and its PDF.

Laid out by hand because it must look the same in a browser and in WeasyPrint, which draws plain
SVG shapes and text only; text widths come from a table for DejaVu Sans Bold. Each subtree is a
block of rectangles (boxes, connector bands); siblings are pushed as close as those allow, more
than three leaf children form a grid of up to four columns, and a row of subtrees too wide for
the page is stacked instead: forty school teams under one SSP-Forum still fit on A4.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

BOX_W, BOX_H, PAD = 146.0, 44.0, 5.0
H_GAP, V_GAP = 14.0, 24.0  # between siblings; above a row of children, with the rail halfway
BUS_INDENT, COL_GAP, ROW_GAP = 12.0, 8.0, 5.0  # leaf grids
GRID_AFTER, MAX_COLUMNS = 3, 4  # more leaf children than GRID_AFTER go into a grid
MARGIN, PAGE_W = 10.0, 660.0  # at this content width 11-unit text is readable on 170 mm
NAME_SIZE, NAME_LEADING, KIND_SIZE = 11.0, 13.0, 9.0
MIN_NAME_SIZE = 8.0
FONT = "DejaVu Sans, sans-serif"
INK, MUTED, LINE, FILL = "#1f2d3d", "#5b6675", "#6b7f95", "#f3f6fa"

Point = tuple[float, float]
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1
# DejaVu Sans Bold em widths, each class at its widest; other Latin 0.74 em, the rest 1.2 em.
_EM_CLASSES = {"'ijl /\\|IJ,.": 0.38, ":;-f!()[]": 0.46, 'tr_`§–"*': 0.53, "?zcs": 0.6}
_EM_CLASSES |= {"LxvykaåeéoøTEF$0123456789": 0.7, "BRXAVÅK": 0.78, "UGDHNOQØ#+<=>^~": 0.86}
_EM_CLASSES |= {"&w": 0.93, "M@…%mæÆW": 1.11}
_EM = {char: em for chars, em in _EM_CLASSES.items() for char in chars}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class ChartNode:
    """One body in the chart; `kind_label` is already translated, names come from users."""

    key: str
    name: str
    kind_label: str
    parent_key: str | None


@dataclass
class _Block:
    """A laid-out subtree or leaf grid, top at y = 0. `rects` must stay clear of neighbours;
    `entries` run from the parent's rail (their first x) to each top-level box."""

    boxes: list[tuple[ChartNode, float, float]]
    rects: list[Rect]
    paths: list[list[Point]]
    entries: list[list[Point]]

    def shifted(self, dx: float, dy: float) -> _Block:
        return _Block(
            [(node, x + dx, y + dy) for node, x, y in self.boxes],
            [(a + dx, b + dy, c + dx, d + dy) for a, b, c, d in self.rects],
            [[(x + dx, y + dy) for x, y in path] for path in self.paths],
            [[(x + dx, y + dy) for x, y in entry] for entry in self.entries],
        )

    def add(self, other: _Block) -> None:
        for part in ("boxes", "rects", "paths", "entries"):
            getattr(self, part).extend(getattr(other, part))


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _clean(text: str) -> str:
    """One line of XML-safe text: control characters go, whitespace runs become one space."""
    return " ".join(_NOT_XML.sub("", text).split())


def text_width(text: str, size: float) -> float:
    """Estimated advance width, never much below what DejaVu Sans Bold really needs."""
    return size * sum(_EM.get(char, 0.74 if ord(char) < 0x250 else 1.2) for char in text)


def _prefix(text: str, size: float, width: float) -> str:
    """The longest start of `text` that fits in `width`."""
    while text and text_width(text, size) > width:
        text = text[:-1]
    return text


def _fit(text: str, size: float, width: float) -> str:
    """`text`, or as much of it as fits in `width` followed by an ellipsis."""
    if text_width(text, size) <= width:
        return text
    return _prefix(text, size, width - text_width("…", size)).rstrip() + "…"


def _between_words(text: str, size: float, width: float) -> list[str] | None:
    """`text` on one line, or on two split between words where they are most even (no lone
    "1" on the second line); None when a word alone is too wide at this size."""
    if text_width(text, size) <= width:
        return [text]
    words = text.split(" ")
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    widths = {pair: max(text_width(part, size) for part in pair) for pair in splits}
    if fitting := [pair for pair in splits if widths[pair] <= width]:
        return list(min(fitting, key=widths.__getitem__))
    return None


def name_lines(
    name: str, width: float = BOX_W - 2 * PAD, size: float = NAME_SIZE
) -> tuple[list[str], float]:
    """The lines and font size of a body's name. A name is never hyphenated ("Koordinerings-
    gruppen" is one word to its members): a long word makes the name's text smaller, down to
    MIN_NAME_SIZE, and only beyond that is the end cut with "…" (the full name is the box's
    tooltip and is in the chart's description)."""
    text = _clean(name)
    current = size
    while current >= MIN_NAME_SIZE:
        if (lines := _between_words(text, current, width)) is not None:
            return lines, current
        current -= 0.5
    words = text.split(" ")
    first = ""
    for index in range(1, len(words)):  # as many whole words as fit on the first line
        if text_width(" ".join(words[:index]), MIN_NAME_SIZE) <= width:
            first = " ".join(words[:index])
    if not first:
        return [_fit(text, MIN_NAME_SIZE, width)], MIN_NAME_SIZE
    return [first, _fit(text[len(first) :].strip(), MIN_NAME_SIZE, width)], MIN_NAME_SIZE


def wrap_name(name: str, width: float = BOX_W - 2 * PAD, size: float = NAME_SIZE) -> list[str]:
    """The lines of `name` as drawn (see name_lines)."""
    return name_lines(name, width, size)[0]


def _tree(nodes: Sequence[ChartNode]) -> tuple[list[ChartNode], dict[str, list[ChartNode]]]:
    """Roots and children in input order. A missing or cyclic parent makes a node a root."""
    keys = [node.key for node in nodes]
    if len(known := set(keys)) != len(keys):
        raise ValueError("ChartNode keys must be unique")
    parent = {n.key: n.parent_key if n.parent_key in known else None for n in nodes}
    for node in nodes:  # a node whose walk upwards comes back to it is on a cycle: cut there
        seen, key = {node.key}, parent[node.key]
        while key is not None and key not in seen:
            seen.add(key)
            key = parent[key]
        if key == node.key:
            parent[node.key] = None
    children = {key: [node for node in nodes if parent[node.key] == key] for key in keys}
    return [n for n in nodes if parent[n.key] is None], children


def _grid(leaves: list[ChartNode]) -> _Block:
    """Leaves in balanced columns, filled top to bottom, each column hanging from a bus."""
    columns = min(MAX_COLUMNS, max(2, math.ceil(math.sqrt(len(leaves) / 2))))
    per_column = math.ceil(len(leaves) / columns)
    block = _Block([], [], [], [])
    for column in range(math.ceil(len(leaves) / per_column)):
        x0 = column * (BUS_INDENT + BOX_W + COL_GAP)
        bus, left = x0 + BUS_INDENT / 2, x0 + BUS_INDENT
        chunk = leaves[column * per_column : (column + 1) * per_column]
        for row, leaf in enumerate(chunk):
            y = row * (BOX_H + ROW_GAP)
            block.boxes.append((leaf, left, y))
            block.entries.append([(bus, 0.0), (bus, y + BOX_H / 2), (left, y + BOX_H / 2)])
        block.rects.append((bus - 1, 0.0, left + BOX_W, y + BOX_H))
    return block


def _pack(blocks: list[_Block]) -> _Block:
    """Blocks side by side in order, each as far left as its rectangles allow."""
    row = _Block([], [], [], [])
    for block in blocks:
        pairs = [(a, b) for a in row.rects for b in block.rects if a[1] < b[3] and b[1] < a[3]]
        shift = max((a[2] + H_GAP - b[0] for a, b in pairs), default=0.0)
        row.add(block.shifted(shift, 0.0))
    return row


def _joins(centre: float, rail: float, entries: list[list[Point]]) -> list[list[Point]]:
    """Lines from a parent's bottom centre down to a rail at `rail`, along it to each entry."""
    return [[(centre, BOX_H), (centre, rail), (entry[0][0], rail), *entry] for entry in entries]


def _width(block: _Block) -> float:
    return max(r[2] for r in block.rects) - min(r[0] for r in block.rects)


def _stack(node: ChartNode, blocks: list[_Block]) -> _Block:
    """For a row too wide for the page: the child blocks wrapped into lines, one below another,
    right of a bus from the parent, so the text keeps its size and the chart grows downwards."""
    centre, y = BOX_W / 2, BOX_H
    stack = _Block([(node, 0.0, 0.0)], [(0.0, 0.0, BOX_W, BOX_H)], [], [[(centre, 0.0)]])
    lines: list[list[_Block]] = []
    for block in blocks:
        if lines and _width(_pack([*lines[-1], block])) <= PAGE_W - centre - H_GAP:
            lines[-1].append(block)
        else:
            lines.append([block])
    for line in map(_pack, lines):
        moved = line.shifted(centre + H_GAP - min(r[0] for r in line.rects), y + V_GAP)
        stack.add(_Block(moved.boxes, moved.rects, moved.paths, []))
        stack.paths.extend(_joins(centre, y + V_GAP / 2, moved.entries))
        stack.rects.append((centre - 1, y, max(e[0][0] for e in moved.entries) + 1, y + V_GAP))
        y = max(r[3] for r in moved.rects)
    return stack


def _subtree(node: ChartNode, children: dict[str, list[ChartNode]]) -> _Block:
    """The block of `node` and everything under it, normalised to start at x = 0."""
    kids = children[node.key]
    if not kids:
        return _Block([(node, 0.0, 0.0)], [(0.0, 0.0, BOX_W, BOX_H)], [], [[(BOX_W / 2, 0.0)]])
    leaves = [kid for kid in kids if not children[kid.key]]
    blocks: list[_Block] = []
    for kid in kids:
        if len(leaves) <= GRID_AFTER or children[kid.key]:
            blocks.append(_subtree(kid, children))
        elif kid is leaves[0]:  # the grid takes the place of the first leaf
            blocks.append(_grid(leaves))
    row = _pack(blocks).shifted(0.0, BOX_H + V_GAP)
    if len(blocks) > 1 and _width(row) > PAGE_W:
        return _stack(node, blocks)
    low, high = min(e[0][0] for e in row.entries), max(e[0][0] for e in row.entries)
    centre = (low + high) / 2
    paths = row.paths + _joins(centre, BOX_H + V_GAP / 2, row.entries)
    rects = [*row.rects, (centre - BOX_W / 2, 0.0, centre + BOX_W / 2, BOX_H)]
    rects.append((low - 1, BOX_H, high + 1, BOX_H + V_GAP))
    block = _Block([(node, centre - BOX_W / 2, 0.0), *row.boxes], rects, paths, [[(centre, 0.0)]])
    return block.shifted(-min(r[0] for r in rects), 0.0)


def _layout(nodes: Sequence[ChartNode]) -> tuple[_Block, float, float]:
    """All roots, flowed into rows no wider than the page; returns block, width, height."""
    roots, children = _tree(nodes)
    rows: list[list[_Block]] = []
    used = PAGE_W
    for root in roots:
        block = _subtree(root, children)
        width = max(r[2] for r in block.rects)
        if rows and used + 2 * H_GAP + width <= PAGE_W:
            rows[-1].append(block.shifted(used + 2 * H_GAP, 0.0))
            used += 2 * H_GAP + width
        else:
            rows.append([block])
            used = width
    widths = [max(r[2] for b in row for r in b.rects) for row in rows]
    view_w = max([PAGE_W, *widths]) + 2 * MARGIN
    chart, y = _Block([], [], [], []), MARGIN
    for row, width in zip(rows, widths, strict=True):
        height = max(r[3] for b in row for r in b.rects)
        for block in row:
            chart.add(block.shifted((view_w - width) / 2, y))
        y += height + V_GAP
    return chart, view_w, (y - V_GAP + MARGIN if rows else 2 * MARGIN)


def _description(nodes: Sequence[ChartNode]) -> str:
    """The hierarchy in words: one sentence per body that has members, plus lone roots."""
    roots, children = _tree(nodes)
    sentences = []
    for node in nodes:
        head = f"{_clean(node.name)} ({_clean(node.kind_label)})"
        kids = ", ".join(_clean(kid.name) for kid in children[node.key])
        if kids or node in roots:  # a leaf is already named in its parent's sentence
            sentences.append(f"{head}: {kids}." if kids else f"{head}.")
    return " ".join(sentences)


def _box_svg(node: ChartNode, x: float, y: float) -> str:
    """One body: a box with its name (bold, up to two lines) and kind, centred vertically."""
    name, name_size = name_lines(node.name)
    kind = _fit(_clean(node.kind_label), KIND_SIZE, BOX_W - 2 * PAD)
    top = y + (BOX_H - len(name) * NAME_LEADING - KIND_SIZE - 4) / 2
    middle = _num(x + BOX_W / 2)
    parts = [
        f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(BOX_W)}" height="{_num(BOX_H)}" '
        f'rx="4" fill="{FILL}" stroke="{LINE}" stroke-width="1"/>'
    ]
    full = f"{_clean(node.name)} – {_clean(node.kind_label)}"
    if f"{' '.join(name)} – {kind}" != full:  # truncated: a browser shows it all on hover
        parts.insert(0, f"<title>{escape(full)}</title>")
    rows = [(line, name_size, INK, top + 10 + i * NAME_LEADING) for i, line in enumerate(name)]
    rows.append((kind, KIND_SIZE, MUTED, top + len(name) * NAME_LEADING + KIND_SIZE + 2))
    for index, (text, size, colour, baseline) in enumerate(rows):
        weight = "bold" if index < len(name) else "normal"  # the name stands out, the kind not
        parts.append(
            f'<text x="{middle}" y="{_num(baseline)}" text-anchor="middle" font-size="{_num(size)}"'
            f' font-weight="{weight}" fill="{colour}">{escape(text)}</text>'
        )
    return f"<g>{''.join(parts)}</g>"


def _path_svg(points: list[Point]) -> str:
    """An orthogonal polyline as `M x y` followed by H/V steps, zero-length steps dropped."""
    steps = [f"M{_num(points[0][0])} {_num(points[0][1])}"]
    for (x, y), (to_x, to_y) in itertools.pairwise(points):
        if (x, y) != (to_x, to_y):  # every step runs along one axis by construction
            steps.append(f"V{_num(to_y)}" if x == to_x else f"H{_num(to_x)}")
    return f'<path d="{" ".join(steps)}" fill="none" stroke="{LINE}" stroke-width="1.2"/>'


def org_chart_svg(nodes: Sequence[ChartNode], *, title: str) -> str:
    """The chart as an inline `<svg>` that scales to its container's width. Deterministic (ids
    derive from the content); `data-aspect` (height / width) lets a caller cap the height."""
    chart, width, height = _layout(nodes)
    ident = f"orgchart-{hashlib.sha256(repr((title, nodes)).encode()).hexdigest()[:10]}"
    lines = [_path_svg(points) for points in chart.paths]
    boxes = [_box_svg(node, x, y) for node, x, y in chart.boxes]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" preserveAspectRatio="xMidYMin meet" '
        f'data-aspect="{height / width:.4f}" aria-labelledby="{ident}-title" '
        f'aria-describedby="{ident}-desc" font-family="{FONT}">'
        f'<title id="{ident}-title">{escape(_clean(title))}</title>'
        f'<desc id="{ident}-desc">{escape(_description(nodes))}</desc>'
        f"<g>{''.join(lines)}</g><g>{''.join(boxes)}</g></svg>"
    )
