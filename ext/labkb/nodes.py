"""Node classes of the extension: placeholders filled at write time, and a card column."""

from __future__ import annotations

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator


class kb_grid(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Placeholder for a grid of entries; ``node["selector"]`` says which."""


class kb_card_col(nodes.General, nodes.Element):  # noqa: N801
    """A grid column holding one card, with ``data-kb-*`` attributes for the filter bar."""


def visit_card_col_html(self: HTML5Translator, node: kb_card_col) -> None:
    attrs = {f"data-kb-{k}": v for k, v in node.get("data", {}).items()}
    self.body.append(self.starttag(node, "div", "", **attrs))


def depart_card_col_html(self: HTML5Translator, node: kb_card_col) -> None:
    self.body.append("</div>\n")


def visit_passthrough(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    """Other builders render the children only."""


def depart_passthrough(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    pass
