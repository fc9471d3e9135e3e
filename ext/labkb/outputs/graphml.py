"""The knowledge graph as GraphML, written as text.

networkx's writer builds an ElementTree of every node and edge and pretty-prints it: 3 s of every
edit at 5,000 entries (10,000 nodes, 43,000 edges), where the graph changes with each edit. This
writes the same bytes as ``networkx.write_graphml(to_networkx(graph), prettyprint=True)`` (the
tests hold it to networkx's output) by joining strings, in a small fraction of the time and
memory. Node attributes: type, label, kind; edge attributes: type, relation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from labkb.core.graph import Edge, Graph

HEAD = ("<?xml version='1.0' encoding='utf-8'?>\n"
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')


def _text(value: str) -> str:
    """Character data escaped as ElementTree escapes it."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def _attr(value: str) -> str:
    """An attribute value escaped as ElementTree escapes it (quotes and line ends too)."""
    value = _text(value)
    for char, entity in (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")):
        if char in value:
            value = value.replace(char, entity)
    return value


class _Keys:
    """GraphML ``<key>`` ids, numbered in the order networkx meets each (name, domain)."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], str] = {}

    def data(self, domain: str, attrs: tuple[tuple[str, str], ...]) -> str:
        out = []
        for name, value in attrs:
            key = self.ids.setdefault((name, domain), f"d{len(self.ids)}")
            out.append(f'      <data key="{key}">{_text(value)}</data>\n' if value
                       else f'      <data key="{key}" />\n')
        return "".join(out)

    def elements(self) -> str:
        """The key declarations, newest first (networkx inserts each at the top)."""
        return "".join(f'  <key id="{key}" for="{domain}" attr.name="{_attr(name)}" '
                       'attr.type="string" />\n'
                       for (name, domain), key in reversed(self.ids.items()))


def _edges_in_networkx_order(graph: Graph) -> Iterator[tuple[Edge, int]]:
    """Each edge with its multigraph key, grouped as a MultiDiGraph iterates them: by source in
    node order, then by target in the order first linked, then in the order added."""
    by_source: dict[str, dict[str, list[Edge]]] = defaultdict(dict)
    for edge in graph.edges:
        by_source[edge.source].setdefault(edge.target, []).append(edge)
    for node in graph.nodes:
        for parallel in by_source.get(node, {}).values():
            yield from ((edge, key) for key, edge in enumerate(parallel))


def graphml(graph: Graph) -> str:
    """The graph as GraphML (node attributes type, label, kind; edge attributes type,
    relation)."""
    keys = _Keys()
    body = []
    for node in graph.nodes.values():
        attrs = (("type", node.type), ("label", node.label)) + \
            ((("kind", node.kind),) if node.kind else ())
        body.append(f'    <node id="{_attr(node.id)}">\n{keys.data("node", attrs)}    </node>\n')
    for edge, key in _edges_in_networkx_order(graph):
        attrs = (("type", edge.type),) + ((("relation", edge.relation),) if edge.relation else ())
        body.append(f'    <edge source="{_attr(edge.source)}" target="{_attr(edge.target)}" '
                    f'id="{key}">\n{keys.data("edge", attrs)}    </edge>\n')
    graph_open = '  <graph edgedefault="directed">\n' if body else \
        '  <graph edgedefault="directed" />\n'
    return (HEAD + keys.elements() + graph_open + "".join(body)
            + ("  </graph>\n" if body else "") + "</graphml>\n")
