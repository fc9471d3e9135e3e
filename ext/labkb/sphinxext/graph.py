"""The research graph on pages: every entry, person, source and area page shows its one-hop
neighbourhood (an inline SVG laid out at build time, and the same links as a list); ``kb-graph``
shows the whole graph with a table per node type and the model families.

Everything is filled at write time from :func:`labkb.sphinxext.research.research`. Which pages
need re-writing is decided by comparing each page's neighbourhood digest with the last build's
(:func:`graph_pages_to_rewrite`), so an edit re-writes only the pages whose neighbourhood shows it.
"""

from __future__ import annotations

import hashlib
import json
from html import escape
from typing import Any, ClassVar

import networkx as nx
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from labkb.core.graph import NODE_TYPES, Edge, Graph, Node, neighbourhood, slug
from labkb.core.lineage import is_hub_id
from labkb.core.schema import Model
from labkb.outputs.graph_svg import legend_svg, neighbourhood_layout, svg, whole_layout
from labkb.sphinxext.badges import paragraph
from labkb.sphinxext.blocks import bullets, section
from labkb.sphinxext.domain import kb_domain
from labkb.sphinxext.nodes import kb_graph_page, kb_lineage
from labkb.sphinxext.report import warn
from labkb.sphinxext.research import Research, research

TYPE_TITLES = {"entry": "Entries", "person": "People", "paper": "Papers",
               "area": "Research areas", "organisation": "Organisations", "source": "Sources"}
#: Nodes drawn on the Graph page (the most connected); every node is in its tables.
WHOLE_LIMIT = 150
#: Nodes of the whole drawing with a visible label (the most connected; all have a title).
LABELLED = 25
#: Neighbours listed per row of the Graph page's tables.
ROW_LINKS = 6


class GraphDirective(SphinxDirective):
    """``kb-graph``: the whole research graph, filterable by type, and a table per type."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        kb_domain(self.env).data["graph_page"][self.env.docname] = True
        node = kb_graph_page("")
        self.set_source_info(node)
        return [node]


def graph_docname(env: BuildEnvironment) -> str | None:
    pages = sorted(kb_domain(env).data["graph_page"])
    return pages[0] if pages else None


def anchor(node: Node) -> str:
    return f"graph-{node.type}-{slug(node.id.split(':', 1)[1])}"


class Links:
    """The URL of each node from one page: its own page, or its row on the Graph page."""

    def __init__(self, app: Sphinx, docname: str) -> None:
        self.builder, self.docname = app.builder, docname
        self.base = self.builder.get_target_uri(docname)
        self.targets: dict[str, str] = {}
        graph_doc = graph_docname(app.env)
        self.graph_uri: str | None = None
        if graph_doc is not None:
            self.graph_uri = "" if graph_doc == docname else self.page(graph_doc)

    def page(self, docname: str) -> str:
        target = self.targets.get(docname)
        if target is None:
            target = self.targets[docname] = self.builder.get_target_uri(docname)
        return relative_uri(self.base, target)

    def __call__(self, node: Node) -> str | None:
        if node.docname:
            return self.page(node.docname)
        if self.graph_uri is None:
            return None
        return f"{self.graph_uri}#{anchor(node)}"


def _link(links: Links, node: Node) -> nodes.Node:
    url = links(node)
    return nodes.reference("", node.label, refuri=url, internal=True) if url else \
        nodes.Text(node.label)


def _a(links: Links, node: Node) -> str:
    """The node as an HTML link (as text when it has no page), escaped."""
    url = links(node)
    label = escape(node.label)
    return f'<a class="reference internal" href="{escape(url)}">{label}</a>' if url else label


def _raw(html: str) -> nodes.raw:
    return nodes.raw("", html, format="html")


def neighbourhood_section(app: Sphinx, docname: str, data: Research) -> nodes.section | None:
    center = data.by_doc.get(docname)
    if center is None:
        return None
    hood = neighbourhood(data.graph, center)
    if len(hood.nodes) == 1:
        return None
    links = Links(app, docname)
    me = hood.nodes[0]
    sec = section("Connections", "kb-connections")
    sec["classes"].append("kb-neighbourhood")
    title = f"Connections of {me.label}: {len(hood.nodes) - 1} linked nodes"
    more = ", ".join(f"{n} {TYPE_TITLES[t].lower()}" for t, n in hood.more.items())
    caption = title + (f", and {more} not drawn (listed on the Graph page)" if more else "")
    drawing = svg(hood.nodes, hood.edges, neighbourhood_layout(hood.nodes), links, title,
                  center=center)
    sec += _raw(f'<figure class="kb-graph">{drawing}<figcaption>{_esc(caption)}. Shape and '
                f"colour give each node's type (legend below).</figcaption></figure>"
                f'<div class="kb-graph-legend-box">{legend_svg()}</div>')
    sec += _text_list(links, hood.nodes[1:], _how(hood.edges, center))
    return sec


def _how(edges: list[Edge], center: str) -> dict[str, str]:
    """For each neighbour, how it is linked to the centre (lineage spelled out)."""
    out: dict[str, list[str]] = {}
    for edge in edges:
        if center not in (edge.source, edge.target):
            continue
        mine = edge.source == center
        other = edge.target if mine else edge.source
        if edge.type == "base_model":
            word = ("built from" if mine else "built on it") + (
                f", {edge.relation}" if edge.relation else "")
        elif edge.type == "new_version":
            word = "newer version" if mine else "older version"
        else:
            continue
        out.setdefault(other, []).append(word)
    return {k: "; ".join(v) for k, v in out.items()}


def _esc(text: str) -> str:
    return escape(text)


def _text_list(links: Links, around: list[Node], how: dict[str, str]) -> nodes.raw:
    """The links of the drawing as text, by type (for screen readers and text browsers)."""
    items = []
    for kind in NODE_TYPES:
        members = [n for n in around if n.type == kind]
        if members:
            parts = [_a(links, n) + (f" ({escape(how[n.id])})" if n.id in how else "")
                     for n in members]
            items.append(f"<li><p><strong>{TYPE_TITLES[kind]}: </strong>{', '.join(parts)}"
                         "</p></li>")
    return _raw('<div class="kb-graph-list"><p class="rubric">The same links as a list</p>'
                f'<ul class="simple">{"".join(items)}</ul></div>')


def whole_graph(app: Sphinx, docname: str, data: Research) -> list[nodes.Node]:
    graph = data.graph
    links = Links(app, docname)
    degree = {n: len(graph.adjacency.get(n, ())) for n in graph.nodes}
    drawn_ids = sorted(graph.nodes, key=lambda n: (-degree[n], n))[:WHOLE_LIMIT]
    drawn = set(drawn_ids)
    shown = [graph.nodes[n] for n in sorted(drawn)]
    edges = [e for e in graph.edges if e.source in drawn and e.target in drawn]
    nxg = nx.Graph()
    nxg.add_nodes_from(sorted(drawn))
    nxg.add_edges_from((e.source, e.target) for e in edges)
    title = f"The research graph: {len(shown)} of {len(graph.nodes)} nodes drawn"
    labelled = {n.id for n in shown if n.type in ("area", "person", "source")} | set(
        drawn_ids[:LABELLED])
    out: list[nodes.Node] = [_raw(_filters())]
    drawing = svg(shown, edges, whole_layout(nxg), links, title, (1100, 820), labelled=labelled)
    out.append(_raw(f'<figure class="kb-graph kb-graph-whole">{drawing}'
                    f"<figcaption>{_esc(title)} (the most connected; every node is in the tables "
                    f"below), {len(graph.edges)} edges in all.</figcaption></figure>"
                    f'<div class="kb-graph-legend-box">{legend_svg()}</div>'))
    out.append(_families(app, docname, data))
    for kind in NODE_TYPES:
        out.append(_type_table(graph, kind, links))
    return out


def _filters() -> str:
    boxes = "".join(f'<label><input type="checkbox" checked data-kb-graph-filter="{t}"> '
                    f"{TYPE_TITLES[t]}</label> " for t in NODE_TYPES)
    return (f'<fieldset class="kb-graph-filters" hidden><legend>Show node types</legend>{boxes}'
            "</fieldset>")


def _type_table(graph: Graph, kind: str, links: Links) -> nodes.section:
    members = [n for n in graph.nodes.values() if n.type == kind]
    sec = section(f"{TYPE_TITLES[kind]} ({len(members)})", f"graph-type-{kind}")
    sec["classes"].append("kb-graph-type")
    if not members:
        sec += paragraph(nodes.Text("None."), classes=["kb-empty"])
        return sec
    order = {t: i for i, t in enumerate(NODE_TYPES)}
    rows = []
    for node in sorted(members, key=lambda n: (n.label.casefold(), n.id)):
        around = sorted((graph.nodes[m] for m in graph.adjacency.get(node.id, ())),
                        key=lambda n: (order[n.type], n.label.casefold(), n.id))
        near = ", ".join(_a(links, other) for other in around[:ROW_LINKS])
        if len(around) > ROW_LINKS:
            near += f", and {len(around) - ROW_LINKS} more"
        name = _a(links, node) if node.docname else escape(node.label)
        rows.append(f'<tr><td><p class="kb-graph-row" id="{anchor(node)}">{name}</p></td>'
                    f"<td><p>{escape(node.kind or kind)}</p></td><td><p>{len(around)}</p></td>"
                    f"<td><p>{near}</p></td></tr>")
    sec += _raw('<div class="pst-scrollable-table-container"><table class="kb-graph-table table">'
                "<thead><tr><th><p>Name</p></th><th><p>Type</p></th><th><p>Links</p></th>"
                f"<th><p>Linked to</p></th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
                "</div>")
    return sec


def _families(app: Sphinx, docname: str, data: Research) -> nodes.section:
    sec = section("Model families", "model-families")
    sec += paragraph(nodes.Text(
        "Models joined by base_model (with its relation) and new_version, as their entries "
        "state them; oldest first."))
    links = Links(app, docname)
    items: list[nodes.Node] = []
    for family in data.families:
        para = paragraph()
        for i, mid in enumerate(family):
            if i:
                para += nodes.Text(" · ")
            para += _link(links, data.graph.nodes[f"entry:{mid}"])
            para += nodes.Text(_lineage_note(data, mid))
        items.append(para)
    sec += bullets(items) if items else paragraph(nodes.Text("No lineage is recorded."),
                                                  classes=["kb-empty"])
    return sec


def lineage_section(app: Sphinx, docname: str, data: Research, model: str) -> list[nodes.Node]:
    """A model page's lineage: what it was built from and how, what was built from it, its
    newer and older versions, and its family."""
    me = f"entry:{model}"
    links = Links(app, docname)
    rows: list[tuple[str, nodes.Node]] = []
    found = kb_domain(app.env).entry(model)
    entry = found.entry if found is not None else None
    if isinstance(entry, Model):  # the models it was built from outside the knowledge base
        built = f" ({entry.base_model_relation})" if entry.base_model_relation else ""
        rows += [("Built from" + built, nodes.reference(
            "", base, refuri=f"https://huggingface.co/{base}"))
            for base in entry.base_model if is_hub_id(base)]
    for edge in _edges_of(data.graph, me):
        other = data.graph.nodes[edge.target if edge.source == me else edge.source]
        how = f" ({edge.relation})" if edge.relation else ""
        label = {("base_model", True): "Built from" + how, ("base_model", False):
                 "Built on it" + how, ("new_version", True): "Newer version",
                 ("new_version", False): "Older version"}.get((edge.type, edge.source == me))
        if label:
            rows.append((label, _link(links, other)))
    if not rows:
        return []
    sec = section("Lineage", "lineage")
    items: list[nodes.Node] = [paragraph(nodes.Text(f"{label}: "), target)
                               for label, target in rows]
    family = next((f for f in data.families if model in f), None)
    if family and len(family) > 2:
        para = paragraph(nodes.Text("Family (oldest first): "))
        for i, mid in enumerate(family):
            if i:
                para += nodes.Text(" · ")
            para += _link(links, data.graph.nodes[f"entry:{mid}"])
        items.append(para)
    sec += bullets(items)
    return [sec]


def _edges_of(graph: Graph, me: str) -> list[Edge]:
    """The edges of one node, in the graph's order."""
    out: list[Edge] = []
    for other in sorted(graph.adjacency.get(me, ())):
        out.extend(graph.pairs.get((min(me, other), max(me, other)), ()))
    return sorted(out)


def _lineage_note(data: Research, mid: str) -> str:
    notes = []
    for edge in _edges_of(data.graph, f"entry:{mid}"):
        if edge.source != f"entry:{mid}":
            continue
        other = data.graph.nodes[edge.target].label
        if edge.type == "base_model":
            notes.append(f"built from {other}" + (f" ({edge.relation})" if edge.relation else ""))
        elif edge.type == "new_version":
            notes.append(f"newer version: {other}")
    return f" ({'; '.join(notes)})" if notes else ""


def fill_graphs(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: the neighbourhood of the page's node, and the Graph page."""
    data = research(app)
    if docname in kb_domain(app.env).data["graph_page"]:
        for page in list(doctree.findall(kb_graph_page)):
            page.replace_self(whole_graph(app, docname, data))
    center = data.by_doc.get(docname, "")
    if center.startswith("entry:"):
        for block in list(doctree.findall(kb_lineage)):
            block.replace_self(lineage_section(app, docname, data, block["model"]))
    sec = neighbourhood_section(app, docname, data)
    if sec is not None:
        top = doctree.next_node(nodes.section)
        (top if top is not None else doctree).append(sec)


def _digests(data: Research) -> dict[str, str]:
    out = {}
    family_of = {member: family for family in data.families for member in family}  # disjoint
    for docname, node_id in data.by_doc.items():
        hood = neighbourhood(data.graph, node_id)
        kind, _, key = node_id.partition(":")
        family = [family_of[key]] if kind == "entry" and key in family_of else []
        out[docname] = hashlib.sha1(f"{hood.digest()}{family}".encode()).hexdigest()
    return out


def graph_pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: pages whose neighbourhood (or lineage) changed; the Graph page when
    the graph did; person pages and the collaboration matrix when a person or a record changed.
    Lineage problems are reported here, once the entries are known. Nothing when no entry, page
    or .bib record changed (``pages_to_rewrite`` ran first): the graph is last build's."""
    domain = kb_domain(env)
    if not domain.data.get("changed", True):
        return []
    data = research(app)
    reread: set[str] = domain.data.get("reread", set())
    touched = reread | set(domain.data.get("old", {}))
    if touched & {r.docname for r in domain.entries() if r.kind == "model"}:
        for problem in data.problems:
            warn(problem)
    digests = _digests(data)
    old = domain.data.get("graph_digests", {})
    out = {d for d in set(digests) | set(old) if digests.get(d) != old.get(d)}
    domain.data["graph_digests"] = digests
    stamp = hashlib.sha1(json.dumps(data.graph.as_json(), sort_keys=True).encode()).hexdigest()
    people_stamp = hashlib.sha1(repr([(a.key, sorted(a.persons), a.others) for a in
                                      data.authorship]).encode()).hexdigest()
    if stamp != domain.data.get("graph_stamp"):
        out |= set(domain.data["graph_page"])
    if people_stamp != domain.data.get("people_stamp") or any(
            r.docname in touched for r in data.people.values()):
        out |= {r.docname for r in data.people.values()} | set(domain.data["collab"])
    domain.data["graph_stamp"], domain.data["people_stamp"] = stamp, people_stamp
    return sorted((out - reread) & env.found_docs)
