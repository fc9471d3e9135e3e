"""Graphs as inline SVG, laid out at build time by networkx (no JavaScript).

Every node is a link (``<a href>`` with an accessible name) drawn with its type's colour *and*
shape, with a short label; the full label is the link's title. Layouts are deterministic: a
neighbourhood is a centre with rings of neighbours grouped by type (``shell_layout``); a whole
graph is a force layout with a fixed seed.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from html import escape
from typing import Any

import networkx as nx

from labkb.core.graph import NODE_TYPES, Edge, Node

#: type -> (fill, stroke, shape, legend label)
STYLE = {
    "entry": ("#dbe9ff", "#1f4e96", "rect", "entry (project, model)"),
    "person": ("#ffe3cc", "#9a4300", "circle", "person"),
    "paper": ("#e6f4e0", "#2f6b1f", "diamond", "paper"),
    "area": ("#f3e0f7", "#6f2b84", "hexagon", "research area"),
    "organisation": ("#fff4c2", "#6b5600", "triangle", "organisation"),
    "source": ("#e8e8e8", "#3d3d3d", "square", "source"),
}
EDGE_COLOURS = {"base_model": "#1f4e96", "new_version": "#9a4300"}
Href = Callable[[Node], str | None]


def _short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _shape(kind: str, x: float, y: float, r: float, fill: str, stroke: str, width: float) -> str:
    style = f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"'
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}/>'
    if kind in ("rect", "square"):
        w = r * (1.6 if kind == "rect" else 1.0)
        return (f'<rect x="{x - w:.1f}" y="{y - r * 0.8:.1f}" width="{2 * w:.1f}" '
                f'height="{1.6 * r:.1f}" rx="{3 if kind == "rect" else 0}" {style}/>')
    sides = {"diamond": 4, "hexagon": 6, "triangle": 3}[kind]
    start = -math.pi / 2
    points = " ".join(f"{x + r * 1.15 * math.cos(start + 2 * math.pi * i / sides):.1f},"
                      f"{y + r * 1.15 * math.sin(start + 2 * math.pi * i / sides):.1f}"
                      for i in range(sides))
    return f'<polygon points="{points}" {style}/>'


def neighbourhood_layout(nodes: list[Node]) -> dict[str, tuple[float, float]]:
    """The centre (the first node) in the middle, neighbours on rings, grouped by type."""
    graph = nx.Graph()
    graph.add_nodes_from(n.id for n in nodes)
    rest = [n.id for n in nodes[1:]]
    shells = [[nodes[0].id]]
    if len(rest) > 18:
        shells += [rest[: len(rest) * 2 // 5], rest[len(rest) * 2 // 5:]]
    elif rest:
        shells.append(rest)
    if len(shells) == 1:
        return {nodes[0].id: (0.0, 0.0)}
    return _fit(nx.shell_layout(graph, nlist=shells, rotate=0))


def whole_layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    if len(graph) < 2:
        return {n: (0.0, 0.0) for n in graph}
    k = 2.5 / math.sqrt(len(graph))
    return _fit(nx.spring_layout(graph, seed=7, iterations=80, k=k))


def _fit(pos: Any) -> dict[str, tuple[float, float]]:
    """Coordinates scaled to fill -1..1 (rounded, so every platform draws the same)."""
    span = max((abs(float(c)) for v in pos.values() for c in v), default=0.0) or 1.0
    return {k: (round(float(v[0]) / span, 4), round(float(v[1]) / span, 4))
            for k, v in sorted(pos.items())}


def svg(nodes: list[Node], edges: list[Edge], pos: dict[str, tuple[float, float]], href: Href,
        title: str, size: tuple[int, int] = (640, 460), center: str | None = None,
        labelled: set[str] | None = None) -> str:
    """The SVG of ``nodes`` at ``pos`` (coordinates in -1..1), with ``edges`` between them."""
    width, height = size
    pad = 70

    def at(node_id: str) -> tuple[float, float]:
        x, y = pos[node_id]
        return (pad + (x + 1) / 2 * (width - 2 * pad), pad + (y + 1) / 2 * (height - 2 * pad))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'class="kb-graph-svg" role="group" aria-label="{escape(title)}">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    for edge in sorted(edges, key=lambda e: (e.type in EDGE_COLOURS, e)):  # lineage on top
        (x1, y1), (x2, y2) = at(edge.source), at(edge.target)
        near = center is None or center in (edge.source, edge.target)
        colour = EDGE_COLOURS.get(edge.type, "#7a7a7a" if near else "#cfcfcf")
        dash = ' stroke-dasharray="5 3"' if edge.type == "new_version" else ""
        label = edge.type + (f" ({edge.relation})" if edge.relation else "")
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                   f'stroke="{colour}" stroke-width="1.2"{dash} data-kb-edge="{label}"/>')
    for node in nodes:
        show = labelled is None or node.id in labelled
        out.append(_node_svg(node, *at(node.id), href(node), node.id == center, show))
    out.append("</svg>")
    return "\n".join(out)


def _node_svg(node: Node, x: float, y: float, url: str | None, is_center: bool,
              show_label: bool = True) -> str:
    fill, stroke, shape, legend = STYLE[node.type]
    r = 13.0 if is_center else 9.0
    kind = f" ({node.kind})" if node.kind else ""
    name = escape(f"{node.label} — {legend.split(' (')[0]}{kind}")
    parts = [_shape(shape, x, y, r, fill, stroke, 3.0 if is_center else 1.5)]
    if show_label:
        parts.append(f'<text x="{x:.1f}" y="{y + r + 12:.1f}" text-anchor="middle" '
                     f'font-size="11" fill="#1a1a1a">{escape(_short(node.label))}</text>')
    body = "".join(parts)
    if url is None:
        return f'<g data-kb-type="{node.type}"><title>{name}</title>{body}</g>'
    return (f'<a href="{escape(url)}" aria-label="{name}" data-kb-type="{node.type}">'
            f'<title>{name}</title>{body}</a>')


@functools.cache
def legend_svg() -> str:
    """A legend: each type's shape, colour and name."""
    items = []
    for i, kind in enumerate(NODE_TYPES):
        fill, stroke, shape, legend = STYLE[kind]
        x = 14 + (i % 3) * 200
        y = 16 + (i // 3) * 26
        items.append(_shape(shape, x, y, 8, fill, stroke, 1.5) +
                     f'<text x="{x + 18}" y="{y + 4}" font-size="12" fill="#1a1a1a">'
                     f'{escape(legend)}</text>')
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 620 60" class="kb-graph-legend" '
            'role="img" aria-label="Legend: the shape and colour of each type of node">'
            '<title>Legend</title><rect width="620" height="60" fill="#ffffff"/>'
            + "".join(items) + "</svg>")
