"""``kb-compare``: a comparison table of entries' results, filled at write time like ``kb-grid``.

The directive leaves a placeholder and notes its selector as an aggregate of the page, so editing
one entry's results re-writes exactly the pages whose tables show it (see
:mod:`labkb.sphinxext.incremental`); entry pages show their own table through the same placeholder.
Every value links to its source and carries its locator as a title (hover) and in a numbered list
of sources under the table (no JavaScript, printable); CSV and JSON downloads are written next to
the page from the same :class:`~labkb.core.compare.Table`.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.errors import NoUri
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from labkb.core.compare import (
    NOT_COMPARABLE,
    NOT_REPORTED,
    Table,
    Value,
    claim_text,
    compare,
    source_text,
)
from labkb.core.records import EntryRecord
from labkb.core.schema import Model
from labkb.outputs.compare import csv_text, json_text
from labkb.outputs.knowledge import write_if_changed
from labkb.sphinxext.badges import paragraph
from labkb.sphinxext.bibindex import record_view
from labkb.sphinxext.cards import entry_uri
from labkb.sphinxext.domain import cite_domain, kb_domain, knowledge_base
from labkb.sphinxext.grids import _FIELD_OF, FILTER_FIELDS, _csv
from labkb.sphinxext.nodes import kb_compare

logger = logging.getLogger(__name__)

#: Where the downloads go, inside the output folder.
DOWNLOADS = "_kb/compare"
SHOW = ("both", "results", "claims")
FIELDS = {info.alias or name for name, info in Model.model_fields.items()} - {"model-index",
                                                                               "claims"}


class CompareDirective(SphinxDirective):
    """A table of the selected entries' results: ``:entries:`` (ids, in order) or the selections
    of ``kb-grid`` (``:area:``, ``:tag:``, ``:kind:`` ...); ``:benchmarks:`` keeps those
    benchmarks (default: every one reported); ``:fields:`` adds entry fields as columns;
    ``:show:`` is ``both`` (default), ``results`` or ``claims``."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        **{name: directives.unchanged for name in FILTER_FIELDS},
        "entries": directives.unchanged,
        "benchmarks": directives.unchanged,
        "fields": directives.unchanged,
        "show": lambda v: directives.choice(v, SHOW),
    }

    def run(self) -> list[nodes.Node]:
        where = {_FIELD_OF[n]: _csv(self.options[n]) for n in FILTER_FIELDS if n in self.options}
        ids = _csv(self.options.get("entries"))
        if ids:
            where["id"] = ids
            for entry_id in ids:
                kb_domain(self.env).note_reference(self.env.docname, entry_id)
        fields = _csv(self.options.get("fields"))
        for name in [f for f in fields if f not in FIELDS]:
            logger.warning("kb-compare: unknown field %r (entry fields: %s)", name,
                           ", ".join(sorted(FIELDS)), location=self.get_location(), type="kb",
                           subtype="directive")
        selector = {"where": where, "sort": "name", "keep_order": bool(ids),
                    "compare": {"benchmarks": _csv(self.options.get("benchmarks")),
                                "fields": [f for f in fields if f in FIELDS],
                                "show": self.options.get("show", "both")}}
        return [placeholder(self, selector)]


def placeholder(directive: SphinxDirective, selector: dict[str, Any]) -> kb_compare:
    """A table to fill at write time, noted as an aggregate of the page."""
    kb_domain(directive.env).note_aggregate(directive.env.docname, selector)
    node = kb_compare("", selector=selector)
    directive.set_source_info(node)
    return node


def own_selector(entry_id: str) -> dict[str, Any]:
    """The selector of an entry page's own results table."""
    return {"where": {"id": [entry_id]}, "keep_order": True, "own": True,
            "compare": {"benchmarks": [], "fields": [], "show": "both"}}


def fill_compare(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: each placeholder becomes its table, sources, claims and downloads."""
    placeholders = list(doctree.findall(kb_compare))
    if not placeholders:
        return
    kb = knowledge_base(app.env)
    for n, node in enumerate(placeholders):
        selector = node["selector"]
        records = kb.select(selector)
        found = {r.id for r in records}
        for entry_id in selector["where"].get("id", []):
            if entry_id not in found:
                logger.warning("kb-compare: unknown entry id %r", entry_id, location=node,
                               type="kb", subtype="ref")
        options = selector["compare"]
        table = compare([(r.id, r.dump()) for r in records], options["benchmarks"] or None,
                        options["fields"])
        if options["show"] == "claims":
            table = Table([], [], [], table.claims)
        elif options["show"] == "results":
            table.claims = []
        ident = f"kb-cmp-{n + 1}"
        renderer = _Renderer(app, docname, ident, records)
        node.replace_self(renderer.render(table, own=bool(selector.get("own"))))


class _Renderer:
    def __init__(self, app: Sphinx, docname: str, ident: str, records: list[EntryRecord]):
        self.app, self.docname, self.ident = app, docname, ident
        self.records = {r.id: r for r in records}
        self.notes: list[tuple[str, str | None]] = []  # (text, uri) of each numbered source

    def render(self, table: Table, own: bool = False) -> list[nodes.Node]:
        box = nodes.container(classes=["kb-compare"], ids=[self.ident])
        if table.columns or table.fields:
            box += self.results(table, own)
            box += paragraph(nodes.Text(
                "Columns are benchmark / metric / setting; a benchmark measured under different "
                f"settings gets one column per setting, each marked \u201c{NOT_COMPARABLE}\u201d. "
                "The best value of a column (the lowest where the metric says lower is better, "
                f"else the highest) is marked best; an empty cell is \u201c{NOT_REPORTED}\u201d."),
                classes=["kb-compare-legend"])
        elif not table.claims:
            box += paragraph(nodes.Text(f"No results: {NOT_REPORTED}."), classes=["kb-empty"])
        if table.claims:
            box += self.claims(table)
        if self.notes:
            box += self.source_list()
        if table.columns or table.claims:
            downloads = self.downloads(table)
            if downloads is not None:
                box += downloads
        return [box]

    # -- the results table -------------------------------------------------------------------
    def results(self, table: Table, own: bool) -> nodes.table:
        heads = ["Entry", "Model", *table.fields]
        tab = nodes.table(classes=["kb-compare-table", "kb-evaluation"], ids=[f"{self.ident}-results"])
        tab += nodes.title("", "Evaluation results with their sources" if own else
                           "Comparison of results, by benchmark, metric and setting")
        group = nodes.tgroup(cols=len(heads) + len(table.columns))
        tab += group
        for i in range(len(heads) + len(table.columns)):
            group += nodes.colspec(colwidth=1, stub=1 if i == 0 else 0)
        head = nodes.row()
        for name in heads:
            head += nodes.entry("", paragraph(nodes.Text(name)))
        for column in table.columns:
            cell = nodes.entry("", paragraph(nodes.strong("", column.benchmark)),
                               paragraph(nodes.Text(column.metric)),
                               paragraph(nodes.Text(column.setting), classes=["kb-cmp-setting"]))
            if not column.comparable:
                cell["classes"].append("kb-cmp-nc")
                cell += paragraph(nodes.emphasis("", NOT_COMPARABLE), classes=["kb-cmp-flag"])
            if column.lower_is_better:
                cell += paragraph(nodes.Text("lower is better"), classes=["kb-cmp-dir"])
            head += cell
        group += nodes.thead("", head)
        body = nodes.tbody()
        group += body
        for row in table.rows:
            tr = nodes.row()
            tr += nodes.entry("", paragraph(self.entry_link(row.entry, row.name)))
            tr += nodes.entry("", paragraph(nodes.Text(row.model or "")))
            for name in table.fields:
                tr += nodes.entry("", self.text_or_missing(row.fields.get(name)))
            for values in row.cells:
                tr += nodes.entry("", *[self.value(v) for v in values] or
                                  [self.text_or_missing(None)])
            body += tr
        return tab

    def value(self, value: Value) -> nodes.paragraph:
        uri, label = self.source(value.source)
        number = self.note(label + "".join(f"; {x}" for x in (value.status, value.date) if x),
                           uri)
        text: nodes.Node = nodes.strong("", value.text) if value.best else nodes.Text(value.text)
        para = paragraph(classes=["kb-cmp-value"] + (["kb-best"] if value.best else []))
        para += self.linked(text, uri, label)
        para += nodes.superscript("", "", nodes.reference(
            "", f"[{number}]", refuri=f"#{self.ident}-src-{number}", classes=["kb-cmp-fn"],
            reftitle=label, internal=True))
        if value.best:
            para += nodes.inline("", " best", classes=["kb-best-mark"])
        return para

    @staticmethod
    def text_or_missing(text: str | None) -> nodes.paragraph:
        if text is None:
            return paragraph(nodes.inline("", NOT_REPORTED, classes=["kb-nr"]))
        return paragraph(nodes.Text(text))

    # -- claims and sources ---------------------------------------------------------------------
    def claims(self, table: Table) -> nodes.Node:
        tab = nodes.table(classes=["kb-compare-claims"], ids=[f"{self.ident}-claims"])
        tab += nodes.title("", "Relative claims (as stated; not benchmark scores)")
        heads = ["Entry", "Claim", "Compared with", "Setting", "Statement", "Source"]
        group = nodes.tgroup(cols=len(heads))
        tab += group
        for i in range(len(heads)):
            group += nodes.colspec(colwidth=1, stub=1 if i == 0 else 0)
        group += nodes.thead("", nodes.row("", *[nodes.entry("", paragraph(nodes.Text(h)))
                                                 for h in heads]))
        body = nodes.tbody()
        group += body
        for row in table.claims:
            claim = row.claim
            uri, label = self.source(claim["source"])
            number = self.note(label + (f"; {claim['status']}" if claim.get("status") else ""),
                               uri)
            source = paragraph(self.linked(nodes.Text(label), uri, label), nodes.superscript(
                "", "", nodes.reference("", f"[{number}]", refuri=f"#{self.ident}-src-{number}",
                                        classes=["kb-cmp-fn"], reftitle=label, internal=True)))
            name = row.name + (f" ({claim['subject']})" if claim.get("subject") else "")
            body += nodes.row("", nodes.entry("", paragraph(self.entry_link(row.entry, name))),
                              nodes.entry("", paragraph(nodes.Text(claim_text(claim)))),
                              nodes.entry("", self.text_or_missing(claim.get("baseline"))),
                              nodes.entry("", self.text_or_missing(claim.get("setting"))),
                              nodes.entry("", paragraph(nodes.Text(claim["statement"]))),
                              nodes.entry("", source))
        return tab

    def note(self, text: str, uri: str | None) -> int:
        """The number of a source in the list under the table (one per distinct source)."""
        if (text, uri) not in self.notes:
            self.notes.append((text, uri))
        return self.notes.index((text, uri)) + 1

    def source_list(self) -> nodes.Node:
        box = nodes.container(classes=["kb-cmp-sources"])
        box += paragraph(nodes.strong("", "Sources"))
        items = nodes.enumerated_list(enumtype="arabic")
        for i, (text, uri) in enumerate(self.notes, 1):
            item = nodes.list_item(ids=[f"{self.ident}-src-{i}"])
            item += paragraph(self.linked(nodes.Text(text), uri, None))
            if uri and uri.startswith("http"):
                item += paragraph(nodes.literal("", uri), classes=["kb-cmp-url"])
            items += item
        box += items
        return box

    def linked(self, text: nodes.Node, uri: str | None, title: str | None) -> nodes.Node:
        if uri is None:
            return text
        ref = nodes.reference("", "", text, refuri=uri, internal=not uri.startswith("http"))
        if title:
            ref["reftitle"] = title
        return ref

    def source(self, source: dict[str, Any]) -> tuple[str | None, str]:
        """Where a source links to, and how it reads (with its locator)."""
        label = source_text(source)
        if source.get("url"):
            return source["url"], label
        if source.get("bib"):
            return self.bib_uri(source["bib"]), self.bib_label(source)
        if source.get("record"):
            record = kb_domain(self.app.env).entry(source["record"])
            if record is not None:
                name = record.name
                label = f"{name}, {source['locator']}" if source.get("locator") else name
                return entry_uri(self.app.builder, self.docname, record), label
        return None, label

    def bib_label(self, source: dict[str, Any]) -> str:
        entries = cite_domain(self.app.env).bibdata.data.entries if "cite" in \
            self.app.env.domains else {}
        key = next((k for k in entries if k.casefold() == source["bib"].casefold()), None)
        title = record_view(self.app.env, key, entries[key])["title"] if key else source["bib"]
        title = f"{title} [{source['bib']}]"
        return f"{title}, {source['locator']}" if source.get("locator") else title

    def bib_uri(self, key: str) -> str | None:
        if "cite" not in self.app.env.domains:
            return None
        cite = cite_domain(self.app.env)
        for citation in cite.citations:
            if citation.key.casefold() == key.casefold():
                target = citation.bibliography_key.docname
                try:
                    page = self.app.builder.get_relative_uri(self.docname, target)
                except NoUri:
                    return None
                return f"{page}#{citation.citation_id}"
        return None

    def entry_link(self, entry_id: str, name: str) -> nodes.Node:
        record = self.records.get(entry_id)
        uri = entry_uri(self.app.builder, self.docname, record) if record else None
        if uri is None or record is None or record.docname == self.docname:
            return nodes.Text(name)
        return nodes.reference("", name, refuri=f"{uri}#{record.anchor}", internal=True)

    # -- downloads --------------------------------------------------------------------------------
    def downloads(self, table: Table) -> nodes.Node | None:
        builder = self.app.builder
        if builder.format != "html" or not hasattr(builder, "get_target_uri"):
            return None
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", self.docname) + "-" + self.ident.rsplit("-", 1)[1]
        out = Path(self.app.outdir) / DOWNLOADS
        out.mkdir(parents=True, exist_ok=True)
        write_if_changed(out / f"{stem}.csv", csv_text(table))
        write_if_changed(out / f"{stem}.json", json_text(table))
        here = posixpath.dirname(builder.get_target_uri(self.docname))
        para = paragraph(nodes.Text("Download this table: "), classes=["kb-cmp-downloads"])
        for i, kind in enumerate(("csv", "json")):
            uri = posixpath.relpath(f"{DOWNLOADS}/{stem}.{kind}", here or ".")
            para += nodes.Text(", " if i else "")
            para += nodes.reference("", kind.upper(), refuri=uri, classes=[f"kb-cmp-{kind}"])
        return para
