"""The GraphML export is written as text; networkx's writer is the oracle it must match byte for
byte, and networkx's reader must read back the graph it was made from."""

from __future__ import annotations

import io
from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from labkb.core.graph import Graph, Node
from labkb.outputs.graphml import graphml

# what XML 1.0 can carry (no other control characters, no surrogates), with the characters
# ElementTree escapes over-represented
XML_TEXT = st.text(st.one_of(
    st.characters(blacklist_categories=("Cc", "Cs")),
    st.sampled_from(list("&<>\"'\n\t\r ")),
), max_size=8)


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The graph as the networkx writer was given it before the text writer replaced it."""
    out = nx.MultiDiGraph()
    for node in graph.nodes.values():
        attrs: dict[str, Any] = {"type": node.type, "label": node.label}
        if node.kind:
            attrs["kind"] = node.kind
        out.add_node(node.id, **attrs)
    for edge in graph.edges:
        attrs = {"type": edge.type}
        if edge.relation:
            attrs["relation"] = edge.relation
        out.add_edge(edge.source, edge.target, **attrs)
    return out


def networkx_graphml(graph: Graph) -> str:
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(graph), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    graph = Graph()
    for i, (kind, label, entry_kind) in enumerate(draw(st.lists(
            st.tuples(st.sampled_from(["entry", "paper", "person"]), XML_TEXT,
                      st.one_of(st.just(""), XML_TEXT)), max_size=8))):
        graph.add(Node(f"{kind}:{label}{i}", kind, label, entry_kind))
    ids = list(graph.nodes)
    if ids:
        for source, target, kind, relation in draw(st.lists(st.tuples(
                st.sampled_from(ids), st.sampled_from(ids), st.sampled_from(["cites", "base_model"]),
                st.one_of(st.just(""), XML_TEXT)), max_size=16)):
            graph.link(source, target, kind, relation)
    return graph


@settings(max_examples=400, deadline=None)
@given(graphs())
def test_the_text_writer_writes_what_networkx_writes(graph: Graph) -> None:
    assert graphml(graph) == networkx_graphml(graph)


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_networkx_reads_back_the_graph(graph: Graph) -> None:
    back = nx.read_graphml(io.BytesIO(graphml(graph).encode("utf-8")), force_multigraph=True)
    assert list(back.nodes) == list(graph.nodes)
    # line ends in character data are normalised by any XML reader: compare what survives it
    assert [back.nodes[n]["label"] for n in back.nodes] == \
        [n.label.replace("\r\n", "\n").replace("\r", "\n") for n in graph.nodes.values()]
    assert sorted((u, v, d["type"], d.get("relation", "")) for u, v, d in back.edges(data=True)) \
        == sorted((e.source, e.target, e.type, e.relation.replace("\r\n", "\n").replace("\r", "\n"))
                  for e in graph.edges)


def test_parallel_edges_are_numbered_per_pair_and_grouped_by_source() -> None:
    graph = Graph()
    for name in ("a", "b", "c"):
        graph.add(Node(name, "entry", name.upper()))
    for source, target in (("b", "a"), ("a", "c"), ("a", "b"), ("a", "c"), ("b", "a")):
        graph.link(source, target, "cites")
    text = graphml(graph)
    order = [line.strip() for line in text.splitlines() if line.strip().startswith("<edge")]
    assert order == ['<edge source="a" target="c" id="0">', '<edge source="a" target="c" id="1">',
                     '<edge source="a" target="b" id="0">', '<edge source="b" target="a" id="0">',
                     '<edge source="b" target="a" id="1">']
    assert text == networkx_graphml(graph)
