"""Node classes of the extension: placeholders filled at write time, and a card column."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator

from labkb.sphinxext.html_text import translated_mark


class kb_grid(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Placeholder for a grid of entries; ``node["selector"]`` says which."""


class kb_publications(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for a publication list; ``node["selector"]`` says which."""


class kb_overview(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for the research-area overview charts."""


class kb_source_pages(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for the pages naming the source ``node["source"]``."""


class kb_curation(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for the curation page's figures."""


class kb_person_figures(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for the figures computed from a person's records and their co-authors."""


class kb_collaboration(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for the collaboration matrix of the people entries."""


class kb_lineage(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for a model's lineage block (``node["model"]``)."""


class kb_graph_page(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for the whole research graph and its per-type tables."""


class kb_news(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for a list of news and releases; ``node["scope"]`` says which."""


class kb_compare(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for a comparison table; ``node["selector"]`` says which entries and columns."""


class kb_div(nodes.General, nodes.Element):  # noqa: N801
    """A ``<div>`` with ``data-kb-*`` attributes (cards, publications) for the filter bar."""


class kb_details(nodes.General, nodes.Element):  # noqa: N801
    """An HTML ``<details>`` disclosure (abstract, BibTeX, more authors)."""


class kb_summary(nodes.General, nodes.TextElement):  # noqa: N801
    """The ``<summary>`` of a :class:`kb_details`."""


class kb_copy(nodes.General, nodes.Element):  # noqa: N801
    """A button copying the text of the element whose id is ``node["target"]``."""


class kb_zh(nodes.Inline, nodes.TextElement):  # noqa: N801
    """A Chinese name (``lang="zh-Hans"``); ``node["translated"]`` marks it as this knowledge
    base's translation (a visible mark, its explanation for screen readers and as a tooltip)."""


def visit_zh_html(self: HTML5Translator, node: kb_zh) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="kb-zh", lang="zh-Hans"))


def depart_zh_html(self: HTML5Translator, node: kb_zh) -> None:
    if node.get("translated"):
        self.body.append(translated_mark())
    self.body.append("</span>")


def visit_div_html(self: HTML5Translator, node: kb_div) -> None:
    data: dict[str, Any] = node.get("data", {})
    attrs = {f"data-kb-{k}": v for k, v in data.items()}
    self.body.append(self.starttag(node, "div", "", **attrs))


def depart_div_html(self: HTML5Translator, node: kb_div) -> None:
    self.body.append("</div>\n")


def visit_details_html(self: HTML5Translator, node: kb_details) -> None:
    self.body.append(self.starttag(node, "details", ""))


def depart_details_html(self: HTML5Translator, node: kb_details) -> None:
    self.body.append("</details>\n")


def visit_summary_html(self: HTML5Translator, node: kb_summary) -> None:
    self.body.append(self.starttag(node, "summary", ""))


def depart_summary_html(self: HTML5Translator, node: kb_summary) -> None:
    self.body.append("</summary>")


def visit_copy_html(self: HTML5Translator, node: kb_copy) -> None:
    self.body.append(self.starttag(node, "button", "", type="button", CLASS="kb-copy",
                                   **{"data-kb-copy": node["target"]}))
    self.body.append("Copy</button>")
    raise nodes.SkipNode


#: HTML visitors (visit, depart) of labkb's own elements.
HTML_VISITORS: dict[type[nodes.Element], tuple[Any, Any]] = {
    kb_div: (visit_div_html, depart_div_html),
    kb_details: (visit_details_html, depart_details_html),
    kb_summary: (visit_summary_html, depart_summary_html),
    kb_copy: (visit_copy_html, None),
    kb_zh: (visit_zh_html, depart_zh_html),
}


def visit_passthrough(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    """Other builders render the children only."""


def depart_passthrough(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    pass
