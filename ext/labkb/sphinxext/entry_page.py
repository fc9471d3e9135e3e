"""The page of one entry: ``kb-entry-page``, the directive every entry YAML document consists of.

Everything is built as nodes from validated data; plain-text fields become ``Text`` nodes (escaped
by the writer) and only ``description`` is parsed, as MyST, then cleaned by
:mod:`labkb.sphinxext.sanitize`. A model's card sections come from :mod:`labkb.sphinxext.model_card`.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import roles
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from labkb.core.glossary_zh import entry_keywords
from labkb.core.names_zh import name_zh
from labkb.core.provenance import SourceDoc, shown_as_derived
from labkb.core.records import Entry, EntryRecord
from labkb.core.schema import Model, Project
from labkb.sphinxext.badges import badge, button, kind_badge, paragraph, zh
from labkb.sphinxext.blocks import bullets, field_list, section
from labkb.sphinxext.compare import own_selector
from labkb.sphinxext.domain import kb_domain
from labkb.sphinxext.model_card import evaluation, model_card
from labkb.sphinxext.nodes import kb_compare, kb_grid
from labkb.sphinxext.sanitize import sanitize
from labkb.sphinxext.sources import based_on, derived_section, source_facts, sources_section

logger = logging.getLogger(__name__)

LINK_LABELS = {
    "code": "Code", "paper": "Paper", "arxiv": "arXiv", "pdf": "PDF", "homepage": "Homepage",
    "demo": "Demo", "docs": "Documentation", "huggingface": "Hugging Face",
    "modelscope": "ModelScope", "blog": "Blog", "video": "Video",
}


class EntryPageDirective(SphinxDirective):
    """Render the entry recorded for the current document by :class:`labkb.sphinxext.parser.EntryParser`."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        record = kb_domain(self.env).record(self.env.docname)
        if record is None:
            return []
        if self.env.temp_data.get("kb_entry_page"):  # used in a description: it would recurse
            logger.warning("kb-entry-page: only for entry files, not in a description",
                           location=self.get_location(), type="kb", subtype="directive")
            return []
        self.env.temp_data["kb_entry_page"] = True
        try:
            return self.page(record)
        finally:
            del self.env.temp_data["kb_entry_page"]

    def page(self, record: EntryRecord) -> list[nodes.Node]:
        entry = record.entry
        if entry is None:
            sec = section(record.id, record.anchor)
            sec += nodes.paragraph("", "This entry could not be built: see the build warnings.",
                                   classes=["kb-broken"])
            return [sec]
        self.record = record
        page = section(entry.name, record.anchor)
        page["classes"] += ["kb-entry", f"kb-kind-{record.kind}"]
        # the label is the anchor, unique per entry: display names repeat ("OFA" the project and
        # the model) or are Sphinx's own labels ("Search"), a "duplicate label" warning each
        page["names"] = [record.anchor]
        self.state.document.note_explicit_target(page)
        page += paragraph(nodes.Text(entry.summary), classes=["lead", "kb-summary"])
        page += self.meta_badges(record.kind, entry)
        if isinstance(entry, Project):
            page.extend(self.research_head(entry))
        elif entry.description:
            page.extend(self.description(entry.description))
        page += self.facts(entry)
        if isinstance(entry, Model):
            page.extend(self.own_results(record.id, model_card(entry)))
        elif isinstance(entry, Project):
            page.extend(self.own_results(record.id, [s for s in [evaluation(entry)] if s]))
        if isinstance(entry, Project):
            page.extend(self.research_links(entry))
        if isinstance(entry, SourceDoc):
            page += self.based_on(record.id)
        elif entry.sources:
            page += sources_section(entry.sources, self.env.docname)
        derived = derived_section(entry)
        if derived is not None:
            page += derived
        return [page]

    def own_results(self, entry_id: str, sections: list[nodes.Node]) -> list[nodes.Node]:
        """The entry's own results table is filled at write time, like a ``kb-compare`` of the
        entry alone, and noted, so editing the entry's results re-writes its page."""
        for sec in sections:
            for table in sec.findall(kb_compare):
                table["selector"] = own_selector(entry_id)
                kb_domain(self.env).note_aggregate(self.env.docname, table["selector"])
                self.set_source_info(table)
        return sections

    def research_head(self, entry: Project) -> list[nodes.Node]:
        """Link buttons, image and description of a project or model."""
        out: list[nodes.Node] = []
        buttons = self.link_buttons(entry)
        if buttons is not None:
            out.append(buttons)
        if entry.image:
            uri = entry.image if "://" in entry.image else "/" + entry.image
            image = nodes.image(uri=uri, alt=entry.name, classes=["kb-image"])
            image.source, image.line = self.record.path, self.line("image")  # "not readable" here
            out.append(image)
        if entry.description:
            out.extend(self.description(entry.description))
        return out

    def research_links(self, entry: Project) -> list[nodes.Node]:
        """The papers and related entries of a project or model."""
        out: list[nodes.Node] = []
        if entry.papers:
            sec = section("Papers", "papers")
            sec += bullets([paragraph(*self.cite(key, i)) for i, key in enumerate(entry.papers)])
            out.append(sec)
        if entry.related:
            sec = section("Related", "related")
            sec += bullets([paragraph(self.entry_ref(r)) for r in entry.related])
            out.append(sec)
        return out

    def based_on(self, source_id: str) -> nodes.section:
        """What is based on this source (filled at write time; re-written when it changes)."""
        sec = based_on(source_id, self.env.docname)
        for grid in sec.findall(kb_grid):
            kb_domain(self.env).note_aggregate(self.env.docname, grid["selector"])
            self.set_source_info(grid)
        return sec

    # -- pieces ----------------------------------------------------------------------------------
    def line(self, field: str) -> int:
        return self.record.line(field)

    def entry_ref(self, target: str) -> addnodes.pending_xref:
        kb_domain(self.env).note_reference(self.env.docname, target)
        ref = addnodes.pending_xref("", nodes.inline("", target), refdomain="kb", reftype="entry",
                                    reftarget=target, refexplicit=False, refwarn=True,
                                    refdoc=self.env.docname)
        return ref

    def doc_ref(self, docname: str) -> addnodes.pending_xref:
        return addnodes.pending_xref("", nodes.inline("", docname.rsplit("/", 1)[-1]),
                                     refdomain="std", reftype="doc", reftarget="/" + docname,
                                     refexplicit=False, refwarn=True, refdoc=self.env.docname)

    @staticmethod
    def meta_badges(kind: str, entry: Entry) -> nodes.paragraph:
        items: list[nodes.Node] = [kind_badge(kind)]
        for field, colour in (("status", "info"), ("year", "secondary"), ("venue", "dark")):
            value = getattr(entry, field, None)
            if value:
                items.append(badge(shown_as_derived(value, entry.derived.get(field)), colour,
                                   outline=True))
        items += [badge(t, "secondary", outline=True, extra=("kb-tag",)) for t in entry.tags]
        return paragraph(*items, classes=["kb-badges"])

    def link_buttons(self, entry: Project) -> nodes.paragraph | None:
        links = entry.links.model_dump(exclude_none=True) if entry.links else {}
        items: list[nodes.Node] = [button(LINK_LABELS[k], url) for k, url in links.items()]
        repo = entry.github
        if repo:
            label = shown_as_derived(f"GitHub: {repo}", entry.derived.get("github"))
            items.append(button(label, f"https://github.com/{repo}", "secondary"))
            if self.config.kb_star_badges:
                items.append(nodes.image(uri=f"https://img.shields.io/github/stars/{repo}"
                                             "?style=social", alt=f"GitHub stars of {repo}",
                                         classes=["kb-stars"]))
        return paragraph(*items, classes=["kb-links"]) if items else None

    def description(self, text: str) -> list[nodes.Node]:
        settings = self.state.document.settings
        # no include, literalinclude or raw :file: (files of the build machine) in descriptions
        saved, settings.file_insertion_enabled = settings.file_insertion_enabled, False
        try:
            parsed = self.parse_text_to_nodes(text, offset=self.line("description"))
        finally:
            settings.file_insertion_enabled = saved
        holder = nodes.container("", *parsed, classes=["kb-description"])
        sanitize(holder, self.state.document, self.env,
                 f"{self.record.path}:{self.line('description')}")
        return [holder]

    def facts(self, entry: Entry) -> nodes.field_list:
        if isinstance(entry, SourceDoc):
            return field_list(source_facts(entry))
        rows: list[tuple[str, list[nodes.Node]]] = []
        data = entry.model_dump(exclude_none=True)
        chinese, translated = name_zh(data)
        if chinese:
            rows.append(("Chinese name", [zh(chinese, translated=translated)]))
        keywords = entry_keywords(data)
        if keywords:
            rows.append(("Chinese search terms (translated by this knowledge base)",
                         self.joined([zh(k, translated=False) for k in keywords])))
        if entry.organization:
            rows.append(("Organization", [nodes.Text(entry.organization)]))
        if entry.areas:
            rows.append(("Research areas", self.joined(
                [self.doc_ref(f"{self.config.kb_area_dir}/{a}") for a in entry.areas])))
        if entry.people:
            rows.append(("People", self.joined(
                [self.doc_ref(f"{self.config.kb_people_dir}/{p}") for p in entry.people])))
        if entry.release_date:
            rows.append(("Release date", [nodes.Text(entry.release_date.isoformat())]))
        return field_list(rows)

    @staticmethod
    def joined(parts: list[nodes.Node]) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for i, part in enumerate(parts):
            if i:
                out.append(nodes.Text(", "))
            out.append(part)
        return out

    def cite(self, key: str, index: int) -> list[nodes.Node]:
        """A citation through sphinxcontrib-bibtex's own role, so its filters see it."""
        if "bibtex_bibfiles" not in self.config:
            return [nodes.literal("", key)]
        lineno = self.line(f"papers[{index}]")
        fn, msgs = roles.role("cite:t", self.state.memo.language, lineno, self.state.reporter)
        if fn is None:
            return [nodes.literal("", key), *msgs]
        result, msgs2 = fn("cite:t", f":cite:t:`{key}`", key, lineno, self.state.inliner, {}, [])
        return [*result, *msgs, *msgs2]
