"""The page of one entry: ``kb-entry-page``, the directive every entry YAML document consists of.

Everything is built as nodes from validated data; plain-text fields become ``Text`` nodes (escaped
by the writer) and only ``description`` is parsed, as MyST, then cleaned by
:mod:`labkb.sphinxext.sanitize`. A model's card sections come from :mod:`labkb.sphinxext.model_card`.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.parsers.rst import roles
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from labkb.core.provenance import shown_as_derived
from labkb.sphinxext.badges import KIND_COLOURS, badge, button, paragraph
from labkb.sphinxext.blocks import bullets, field_list, section
from labkb.sphinxext.domain import kb_domain
from labkb.sphinxext.model_card import model_card
from labkb.sphinxext.news import entry_news, news_page
from labkb.sphinxext.nodes import kb_grid
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
        domain = kb_domain(self.env)
        record = domain.data["docs"].get(self.env.docname)
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

    def page(self, record: dict[str, Any]) -> list[nodes.Node]:
        entry_id, kind, data = record["id"], record["kind"], record["data"]
        if data is None:
            sec = section(entry_id, record["anchor"])
            sec += nodes.paragraph("", "This entry could not be built: see the build warnings.",
                                   classes=["kb-broken"])
            return [sec]
        self.record = record
        if kind == "news":
            return [news_page(self, record)]
        page = section(data["name"], record["anchor"])
        page["classes"] += ["kb-entry", f"kb-kind-{kind}"]
        # the label is the anchor, unique per entry: display names repeat ("OFA" the project and
        # the model) or are Sphinx's own labels ("Search"), a "duplicate label" warning each
        page["names"] = [record["anchor"]]
        self.state.document.note_explicit_target(page)
        page += paragraph(nodes.Text(data["summary"]), classes=["lead", "kb-summary"])
        page += self.meta_badges(record)
        buttons = self.link_buttons(data)
        if buttons is not None:
            page += buttons
        if data.get("image"):
            uri = data["image"] if "://" in data["image"] else "/" + data["image"]
            image = nodes.image(uri=uri, alt=data["name"], classes=["kb-image"])
            image.source, image.line = record["path"], self.line("image")  # "not readable" here
            page += image
        if data.get("description"):
            page.extend(self.description(data["description"]))
        page += self.facts(data)
        if kind == "model":
            page.extend(model_card(data))
        if data.get("papers"):
            sec = section("Papers", "papers")
            sec += bullets([paragraph(*self.cite(key, i)) for i, key in
                             enumerate(data["papers"])])
            page += sec
        if data.get("related"):
            sec = section("Related", "related")
            sec += bullets([paragraph(self.entry_ref(r)) for r in data["related"]])
            page += sec
        if kind == "source":
            page += self.based_on(entry_id)
        else:
            page += entry_news(self, entry_id)
        if data.get("sources"):
            page += sources_section(data["sources"], self.env.docname)
        derived = derived_section(data)
        if derived is not None:
            page += derived
        return [page]

    def based_on(self, source_id: str) -> nodes.section:
        """What is based on this source (filled at write time; re-written when it changes)."""
        sec = based_on(source_id, self.env.docname)
        for grid in sec.findall(kb_grid):
            kb_domain(self.env).note_aggregate(self.env.docname, grid["selector"])
            self.set_source_info(grid)
        return sec

    # -- pieces ----------------------------------------------------------------------------------
    def line(self, field: str) -> int:
        return int(self.record.get("lines", {}).get(field, 1))

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

    def meta_badges(self, record: dict[str, Any]) -> nodes.paragraph:
        data = record["data"]
        items: list[nodes.Node] = [badge(record["kind"], KIND_COLOURS.get(record["kind"],
                                                                         "secondary"))]
        derived = data.get("derived", {})
        for field, colour in (("status", "info"), ("year", "secondary"), ("venue", "dark")):
            if data.get(field):
                items.append(badge(shown_as_derived(data[field], derived.get(field)), colour,
                                   outline=True))
        items += [badge(t, "secondary", outline=True, extra=("kb-tag",))
                  for t in data.get("tags", [])]
        return paragraph(*items, classes=["kb-badges"])

    def link_buttons(self, data: dict[str, Any]) -> nodes.paragraph | None:
        items: list[nodes.Node] = [button(LINK_LABELS[k], url)
                                   for k, url in data.get("links", {}).items()]
        repo = data.get("github")
        if repo:
            label = shown_as_derived(f"GitHub: {repo}", data.get("derived", {}).get("github"))
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
                 f"{self.record['path']}:{self.line('description')}")
        return [holder]

    def facts(self, data: dict[str, Any]) -> nodes.field_list:
        rows: list[tuple[str, list[nodes.Node]]] = (source_facts(data) if self.record["kind"] ==
                                                    "source" else [])
        if data.get("name_zh"):
            rows.append(("Chinese name", [nodes.Text(data["name_zh"])]))
        if data.get("organization"):
            rows.append(("Organization", [nodes.Text(data["organization"])]))
        if data.get("areas"):
            rows.append(("Research areas", self.joined(
                [self.doc_ref(f"{self.config.kb_area_dir}/{a}") for a in data["areas"]])))
        if data.get("people"):
            rows.append(("People", self.joined(
                [self.doc_ref(f"{self.config.kb_people_dir}/{p}") for p in data["people"]])))
        if data.get("release_date"):
            rows.append(("Release date", [nodes.Text(data["release_date"])]))
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
