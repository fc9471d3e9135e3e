"""The research graph: typed nodes and edges built from the knowledge base's data (no Sphinx).

Nodes: ``entry`` (projects and models), ``person``, ``paper`` (.bib records), ``area``,
``organisation`` (an entry's ``organization`` as written), ``source``. Edges: ``related``,
``author`` (a person and a paper or an entry), ``paper`` (an entry and a record it lists), ``area``,
``base_model`` (with its ``base_model_relation``), ``new_version``, ``organisation``, ``source``.
Node ids are ``<type>:<id>``; everything is sorted, so two builds give the same graph.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from labkb.core.coauthors import Authorship

NODE_TYPES = ("entry", "person", "paper", "area", "organisation", "source")
EDGE_TYPES = ("related", "author", "paper", "area", "base_model", "new_version", "organisation",
              "source")
#: Nodes shown around a page's own node, the rest summarised by type.
NEIGHBOURHOOD_LIMIT = 40


@dataclass(frozen=True, order=True)
class Node:
    id: str  #: ``<type>:<id>``
    type: str
    label: str
    kind: str = ""  #: an entry's kind (project, model)
    docname: str = ""  #: the page it links to ("" for papers and organisations)


@dataclass(frozen=True, order=True)
class Edge:
    source: str
    target: str
    type: str
    relation: str = ""  #: ``base_model_relation`` of a base_model edge


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    adjacency: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: (smaller id, larger id) -> the edges between the two nodes
    pairs: dict[tuple[str, str], list[Edge]] = field(default_factory=dict)

    def add(self, node: Node) -> None:
        self.nodes.setdefault(node.id, node)

    def link(self, source: str, target: str, kind: str, relation: str = "") -> None:
        if source == target or source not in self.nodes or target not in self.nodes:
            return
        self.edges.append(Edge(source, target, kind, relation))
        self.adjacency[source].add(target)
        self.adjacency[target].add(source)

    def finish(self) -> Graph:
        self.edges = sorted(set(self.edges))
        self.nodes = dict(sorted(self.nodes.items()))
        pairs: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        for edge in self.edges:
            a, b = sorted((edge.source, edge.target))
            pairs[(a, b)].append(edge)
        self.pairs = dict(pairs)
        return self

    def as_json(self) -> dict[str, Any]:
        return {"nodes": [{"id": n.id, "type": n.type, "label": n.label,
                           **({"kind": n.kind} if n.kind else {})} for n in self.nodes.values()],
                "edges": [{"source": e.source, "target": e.target, "type": e.type,
                           **({"relation": e.relation} if e.relation else {})}
                          for e in self.edges]}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


@dataclass
class GraphInput:
    """The data the graph is built from, as plain values."""

    records: list[dict[str, Any]]  #: entry records (id, kind, docname, data): entries, people, sources
    areas: dict[str, tuple[str, str]]  #: area id -> (title, docname)
    papers: dict[str, dict[str, Any]]  #: case-folded key -> {key, title, areas}
    authorship: list[Authorship]


def build(data: GraphInput) -> Graph:
    graph = Graph()
    for area, (title, docname) in sorted(data.areas.items()):
        graph.add(Node(f"area:{area}", "area", title, docname=docname))
    for rec in sorted(data.records, key=lambda r: r["id"]):
        node_type = rec["kind"] if rec["kind"] in ("person", "source") else "entry"
        kind = "" if node_type != "entry" else rec["kind"]
        graph.add(Node(f"{node_type}:{rec['id']}", node_type, rec["data"]["name"], kind,
                       rec["docname"]))
        org = rec["data"].get("organization")
        if org:
            graph.add(Node(f"organisation:{slug(org)}", "organisation", org))
    for key, paper in sorted(data.papers.items()):
        graph.add(Node(f"paper:{key}", "paper", paper["title"] or paper["key"]))
        for area in paper["areas"]:
            graph.link(f"paper:{key}", f"area:{area}", "area")
    for rec in sorted(data.records, key=lambda r: r["id"]):
        _link_record(graph, rec)
    for authored in data.authorship:
        for person in sorted(authored.persons):
            graph.link(f"person:{person}", f"paper:{authored.key.casefold()}", "author")
    return graph.finish()


def node_id(rec: dict[str, Any]) -> str:
    kind = rec["kind"]
    return f"{kind if kind in ('person', 'source') else 'entry'}:{rec['id']}"


def _link_record(graph: Graph, rec: dict[str, Any]) -> None:
    me, data = node_id(rec), rec["data"]
    for area in data.get("areas", []):
        graph.link(me, f"area:{area}", "area")
    for other in data.get("related", []):
        graph.link(me, f"entry:{other}", "related")
    for person in data.get("people", []):
        graph.link(f"person:{person}", me, "author")
    for key in data.get("papers", []):
        graph.link(me, f"paper:{key.casefold()}", "paper")
    for ref in data.get("sources", []):
        graph.link(me, f"source:{ref['id']}", "source")
    for item in [*data.get("affiliation", []), *data.get("figures", [])]:
        graph.link(me, f"source:{item['source']}", "source")
    if data.get("organization"):
        graph.link(me, f"organisation:{slug(data['organization'])}", "organisation")
    for base in data.get("base_model", []):
        graph.link(me, f"entry:{base}", "base_model", data.get("base_model_relation", ""))
    if data.get("new_version"):
        graph.link(me, f"entry:{data['new_version']}", "new_version")


@dataclass
class Neighbourhood:
    center: str
    nodes: list[Node]  #: the centre first, then the shown neighbours in order
    edges: list[Edge]  #: edges among the shown nodes
    more: dict[str, int]  #: node type -> neighbours not shown

    def digest(self) -> str:
        text = repr((self.nodes, self.edges, sorted(self.more.items())))
        return hashlib.sha1(text.encode("utf8")).hexdigest()


def neighbourhood(graph: Graph, center: str, limit: int = NEIGHBOURHOOD_LIMIT) -> Neighbourhood:
    """The node, its neighbours (up to ``limit`` nodes in all, by type then label) and the edges
    among them; the neighbours left out are counted by type."""
    order = {t: i for i, t in enumerate(NODE_TYPES)}
    around = sorted((graph.nodes[n] for n in graph.adjacency.get(center, ())),
                    key=lambda n: (order[n.type], n.label.casefold(), n.id))
    shown, rest = around[: limit - 1], around[limit - 1:]
    ids = {center, *(n.id for n in shown)}
    edges = _edges_among(graph, ids)
    return Neighbourhood(center, [graph.nodes[center], *shown], edges,
                         dict(sorted(Counter(n.type for n in rest).items())))


def _edges_among(graph: Graph, ids: set[str]) -> list[Edge]:
    out: list[Edge] = []
    for a in sorted(ids):
        adj = graph.adjacency.get(a, set())
        near = {b for b in ids if b in adj} if len(adj) > len(ids) else adj & ids
        for b in sorted(near):
            if a < b:
                out.extend(graph.pairs.get((a, b), ()))
    return out


def page_digests(graph: Graph) -> dict[str, str]:
    """docname -> digest of the neighbourhood its page shows."""
    return {node.docname: neighbourhood(graph, node.id).digest()
            for node in graph.nodes.values() if node.docname}
