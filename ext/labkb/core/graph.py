"""The research graph: typed nodes and edges built from the knowledge base's data (no Sphinx).

Nodes: ``entry`` (projects and models), ``person``, ``paper`` (.bib records), ``area``,
``organisation`` (an entry's ``organization`` as written), ``source``. Edges: ``related``,
``author`` (a person and a paper or an entry), ``paper`` (an entry and a record it lists), ``area``,
``base_model`` (with its ``base_model_relation``), ``new_version``, ``organisation``, ``source``.
Node ids are ``<type>:<id>``; everything is sorted, so two builds give the same graph.

The records' edges are the knowledge base's links (:meth:`~labkb.core.kb.KnowledgeBase.links`);
the papers' areas (their keywords) and authors come from the .bib records beside it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from labkb.core.coauthors import Authorship
from labkb.core.kb import KnowledgeBase, Link
from labkb.core.records import EntryRecord
from labkb.core.schema import ENTRY_KINDS

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


class Edge(NamedTuple):
    """One edge (a tuple: tens of thousands are made per build, and a frozen dataclass is
    several times slower to make; ordered, hashed and printed the same)."""

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


#: The records that are nodes (news items are not).
NODE_KINDS = (*ENTRY_KINDS, "person", "source")
#: A link's relation -> the edge's type and its target's node type; a ``person`` link is an
#: ``author`` edge from the person to the entry.
LINK_EDGES = {"area": ("area", "area"), "related": ("related", "entry"),
              "person": ("author", "person"), "paper": ("paper", "paper"),
              "source": ("source", "source"), "organisation": ("organisation", "organisation"),
              "base_model": ("base_model", "entry"), "new_version": ("new_version", "entry")}


@dataclass
class GraphInput:
    """What the graph is built from: the knowledge base, and the areas, papers and authors."""

    kb: KnowledgeBase  #: its records of :data:`NODE_KINDS` are nodes, their links edges
    areas: dict[str, tuple[str, str]]  #: area id -> (title, docname)
    papers: dict[str, dict[str, Any]]  #: case-folded key -> {key, title, areas} of the .bib
    authorship: list[Authorship]
    #: links left out: the lineage links reported (unknown ids, cycles)
    dropped: Collection[Link] = ()


def build(data: GraphInput) -> Graph:
    graph = Graph()
    for area, (title, docname) in sorted(data.areas.items()):
        graph.add(Node(f"area:{area}", "area", title, docname=docname))
    links = [link for link in data.kb.links() if link not in data.dropped]
    _record_nodes(graph, data.kb, links)
    for key, paper in sorted(data.papers.items()):
        graph.add(Node(f"paper:{key}", "paper", paper["title"] or paper["key"]))
        for area in paper["areas"]:
            graph.link(f"paper:{key}", f"area:{area}", "area")
    for link in links:
        record = data.kb.get(link.source)
        if record is not None:
            kind = LINK_EDGES[link.relation][0]
            if link.relation == "person":
                graph.link(_target(link), node_id(record), kind)
            else:
                graph.link(node_id(record), _target(link), kind, link.how)
    for authored in data.authorship:
        for person in sorted(authored.persons):
            graph.link(f"person:{person}", f"paper:{authored.key.casefold()}", "author")
    return graph.finish()


def _record_nodes(graph: Graph, kb: KnowledgeBase, links: list[Link]) -> None:
    """The records' nodes, and the organisations they name (labelled as the first, by id, writes
    the name)."""
    for rec in kb.records():
        if rec.kind in NODE_KINDS:
            kind = rec.kind if rec.kind in ENTRY_KINDS else ""
            graph.add(Node(node_id(rec), "entry" if kind else rec.kind, rec.name, kind,
                           rec.docname))
    for link in links:
        if link.relation == "organisation":
            graph.add(Node(_target(link), "organisation", link.target))


def node_id(rec: EntryRecord) -> str:
    """The node of a record: ``entry:<id>`` for projects and models, ``person:`` or ``source:``."""
    return f"{'entry' if rec.kind in ENTRY_KINDS else rec.kind}:{rec.id}"


def _target(link: Link) -> str:
    """The node a link leads to (an organisation's is the slug of its name)."""
    target = slug(link.target) if link.relation == "organisation" else link.target
    return f"{LINK_EDGES[link.relation][1]}:{target}"


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
