"""Sources on pages: the "Sources" block of entries and pages, ``kb-sources`` for MyST and rST pages
(areas, people), and on each source record's page what is based on it.

Pages name their sources at read time; what is based on a source is filled at write time from the
``kb`` domain (``page_sources`` and the entries' ``sources``), so editing an entry re-writes the
source pages it names instead of re-reading them (see :mod:`labkb.sphinxext.incremental`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from labkb.core.provenance import SourceDoc, SourceRef
from labkb.core.records import Entry
from labkb.sphinxext.badges import paragraph
from labkb.sphinxext.blocks import bullets, section, text_list
from labkb.sphinxext.domain import kb_domain
from labkb.sphinxext.nodes import kb_grid, kb_source_pages

logger = logging.getLogger(__name__)


def source_ref(source_id: str, docname: str) -> addnodes.pending_xref:
    """A link to a source record's page, titled by the record."""
    return addnodes.pending_xref("", nodes.inline("", source_id), refdomain="kb", reftype="source",
                                 reftarget=source_id, refexplicit=False, refwarn=True,
                                 refdoc=docname)


def _source_items(refs: Sequence[SourceRef], docname: str) -> nodes.bullet_list:
    items: list[nodes.Node] = []
    for ref in refs:
        parts: list[nodes.Node] = [source_ref(ref.id, docname)]
        if ref.locator:
            parts.append(nodes.Text(f" — {ref.locator}"))
        items.append(paragraph(*parts))
    return bullets(items)


def sources_section(refs: Sequence[SourceRef], docname: str) -> nodes.section:
    """"Sources" of an entry page: each source linked, with where in it the facts are."""
    sec = section("Sources", "sources")
    sec["classes"].append("kb-sources")
    sec += _source_items(refs, docname)
    return sec


def sources_block(refs: Sequence[SourceRef], docname: str) -> nodes.container:
    """The same for a page's ``kb-sources`` (a rubric, so it fits anywhere in a page)."""
    box = nodes.container(classes=["kb-sources"])
    box += nodes.rubric("", "Sources")
    box += _source_items(refs, docname)
    return box


def derived_section(entry: Entry) -> nodes.section | None:
    """"Derived values": what no source states, with how it was derived."""
    if not entry.derived:
        return None
    items: list[nodes.Node] = []
    for key, how in entry.derived.items():
        head, _, rest = key.partition(".")
        value = getattr(entry, head)
        value = getattr(value, rest) if rest else value
        items.append(paragraph(nodes.strong("", key), nodes.Text(f" ({value}): {how}")))
    sec = section("Derived values", "derived-values")
    sec["classes"].append("kb-derived")
    sec += paragraph(nodes.Text("No source states these values; they were derived as follows."))
    sec += bullets(items)
    return sec


def source_facts(source: SourceDoc) -> list[tuple[str, list[nodes.Node]]]:
    """What a source record says about itself (the facts of a source's page)."""
    rows: list[tuple[str, list[nodes.Node]]] = []
    for field, title in (("type", "Type"), ("publisher", "Publisher or site"),
                         ("authors", "Authors"), ("date", "Date"), ("language", "Language")):
        value = getattr(source, field)
        if value:
            rows.append((title, text_list(value) if isinstance(value, list)
                         else [nodes.Text(value)]))
    if source.url:
        rows.append(("Address", [nodes.reference("", source.url, refuri=source.url)]))
    return rows


def parse_refs(lines: list[str]) -> list[tuple[str, str | None]]:
    """``id`` or ``id: locator`` lines as (id, locator) pairs."""
    refs = []
    for line in lines:
        source_id, _, locator = line.strip().partition(":")
        if source_id.strip():
            refs.append((source_id.strip(), locator.strip() or None))
    return refs


class SourcesDirective(SphinxDirective):
    """``kb-sources``: the sources of a MyST or rST page, one ``id`` or ``id: locator`` a line."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        refs = parse_refs(list(self.content))
        context = kb_domain(self.env).data.get("context")
        known = context.sources if context is not None else None
        kept = []
        for offset, (source_id, locator) in enumerate(refs):
            if known is not None and source_id not in known:
                logger.warning("unknown source %r (no file in docs/sources/)", source_id,
                               location=(self.env.docname, self._line(offset)),
                               type="kb", subtype="source")
            else:  # a known id is a valid one: no validation to repeat
                kept.append(SourceRef.model_construct(id=source_id, locator=locator))
        if not refs:
            logger.warning("kb-sources: name at least one source, one id a line",
                           location=self.get_location(), type="kb", subtype="source")
        kb_domain(self.env).data["page_sources"][self.env.docname] = kept
        return [sources_block(kept, self.env.docname)] if kept else []

    def _line(self, offset: int) -> int:
        """The source line of content line ``offset``: docutils keeps the 0-based line of each
        content line; myst-parser counts from the content's start (the line after the fence)."""
        try:
            at = int(self.content.items[offset][1])
        except (IndexError, TypeError, ValueError):
            return self.lineno
        return self.lineno + 1 + at if at < self.lineno - 1 and self.content_offset == 0 else at + 1


def based_on(source_id: str, docname: str) -> nodes.section:
    """On a source record's page: the entries and the pages based on it (filled at write time)."""
    sec = section("Based on this source", "based-on")
    selector = {"where": {"source": [source_id]}, "sort": "name", "limit": None,
                "columns": [1, 2, 3, 3], "keep_order": False}
    sec += kb_grid("", selector=selector)
    sec += kb_source_pages("", source=source_id)
    return sec


def fill_source_pages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: the pages (areas, people) naming a source, as links."""
    domain = kb_domain(app.env)
    for node in list(doctree.findall(kb_source_pages)):
        pages = sorted(doc for doc, refs in domain.data["page_sources"].items()
                       if any(ref.id == node["source"] for ref in refs))
        if not pages:
            node.replace_self([])
            continue
        items: list[nodes.Node] = []
        for page in pages:
            uri = app.builder.get_relative_uri(docname, page)
            title = app.env.titles.get(page)
            text = title.astext() if title is not None else page
            items.append(paragraph(nodes.reference("", text, internal=True, refuri=uri)))
        node.replace_self([paragraph(nodes.Text("Pages based on it:")), bullets(items)])


def source_pages_to_rewrite(domain: Any, docs: set[str],
                            old_page_sources: dict[str, list[SourceRef]]) -> set[str]:
    """The source pages whose lists of pages based on them may change when ``docs`` were
    re-read (the entries based on a source are a grid: its selector already asks for that)."""
    ids: set[str] = set()
    for doc in docs:
        for refs in (domain.data["page_sources"].get(doc, []), old_page_sources.get(doc, [])):
            ids |= {ref.id for ref in refs}
    return {rec.docname for rec in domain.entries() if rec.kind == "source" and rec.id in ids}
