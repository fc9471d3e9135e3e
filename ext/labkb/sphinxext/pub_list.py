"""How a publication list looks: al-folio's layout from pybtex records, as docutils nodes.

Each publication: venue badge, title, shortened authors with the lab's people in bold, venue and
year, link buttons for the al-folio fields, abstract and BibTeX (with a copy button) in
disclosures, and "used by" links to the entries whose ``papers`` list it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from labkb.core import bibdata
from labkb.core.kb import KnowledgeBase
from labkb.outputs.charts import figure, papers_per_year_svg
from labkb.sphinxext.badges import badge, button, paragraph
from labkb.sphinxext.bibtex import bib_token
from labkb.sphinxext.cards import entry_uri
from labkb.sphinxext.domain import kb_domain
from labkb.sphinxext.nodes import kb_copy, kb_details, kb_div, kb_summary
from labkb.sphinxext.pub_html import PageRenderer
from labkb.sphinxext.state import chart_cache


class PublicationList:
    """The nodes of one ``kb-publications`` list on one page."""

    def __init__(self, app: Sphinx, docname: str, entries: Any, kb: KnowledgeBase,
                 lab: set[str], selector: dict[str, Any], page: PageRenderer | None = None) -> None:
        self.app, self.docname, self.entries = app, docname, entries
        self.kb, self.lab, self.selector, self.page = kb, lab, selector, page
        self.views: dict[str, dict[str, Any]] = kb_domain(app.env).data.get("bibview") or {}
        self.prefix = re.sub(r"[^a-z0-9]+", "-", selector["label"].lower())

    def render(self, keys: list[str]) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        if not keys:
            if not self.selector["title"]:
                out.append(nodes.paragraph("", "No publications yet.", classes=["kb-empty"]))
            return out
        if self.selector["title"]:
            out.append(nodes.rubric("", self.selector["title"], classes=["kb-pubs-title"]))
        if self.selector["stats"]:
            out += self.stats(keys)
        container = kb_div("", classes=["kb-pubs"], data={"count": str(len(keys))})
        container += paragraph(nodes.Text(f"{len(keys)} publications"), classes=["kb-pub-count"])
        if self.selector["group"] == "year":
            groups: dict[str, list[str]] = defaultdict(list)
            for key in keys:
                year = self.view(key)["year"]
                groups[str(year) if year else "Undated"].append(key)
            for label, members in groups.items():
                group = kb_div("", classes=["kb-pub-year"], data={"year": label})
                group += nodes.paragraph("", "", nodes.Text(label), nodes.inline(
                    "", f" ({len(members)})", classes=["kb-count"]), classes=["kb-year-heading"],
                    ids=[f"{self.prefix}-year-{label.lower()}"])
                group.extend(self.items(members))
                container += group
        else:
            container.extend(self.items(keys))
        out.append(container)
        return out

    def stats(self, keys: list[str]) -> list[nodes.Node]:
        years = [y for y in (bibdata.year(self.entries[k]) for k in keys) if y]
        rows = [("Papers", str(len(keys)))]
        if years:
            rows.append(("Years", f"{min(years)}–{max(years)}"))
        cites = [int(c) for k in keys if str(c := self.entries[k].fields.get("citations", ""))
                 .isdigit()]
        if cites:
            ranked = sorted(cites, reverse=True)
            rows.append(("Citations (recorded)", str(sum(cites))))
            rows.append(("h-index (recorded)", str(sum(1 for i, c in enumerate(ranked) if c > i))))
        table = nodes.field_list(classes=["kb-stats"])
        for name, value in rows:
            item = nodes.field()
            item += nodes.field_name("", name)
            item += nodes.field_body("", paragraph(nodes.Text(value)))
            table += item
        out: list[nodes.Node] = [table]
        if years:
            svg = papers_per_year_svg(years, f"Papers per year ({len(years)} dated papers)",
                                      cache=chart_cache(self.app))
            out.append(nodes.raw("", figure(svg, "Papers per year, computed from the bibliography"),
                                 format="html"))
        return out

    def view(self, key: str) -> dict[str, Any]:
        """The record's display values, computed once per record text (see bibindex)."""
        return self.views.get(key.casefold()) or bibdata.view(key, self.entries[key])

    def items(self, keys: list[str]) -> list[nodes.Node]:
        """The publications ``keys``: their node trees, or for HTML builders their kept HTML,
        consecutive ones in one node (see :mod:`labkb.sphinxext.pub_html`)."""
        page = self.page
        if page is None:
            return [self.publication(key, self.users(key)) for key in keys]
        out: list[nodes.Node] = []
        run: list[tuple[str, list[str]]] = []
        for key in keys:
            users = self.users(key)
            token = bib_token(self.app.env, key)
            if token is None:  # a record not read record by record: no key to keep it by
                out += [page.node(run)] if run else []
                run = []
                out.append(self.publication(key, users))
            else:
                run.append(page.kept((key, token, self.prefix, tuple(users)),
                                     lambda k=key, u=users: self.publication(k, u)))
        return out + ([page.node(run)] if run else [])

    def users(self, key: str) -> list[tuple[str | None, str]]:
        """(relative URI or None, name) of the entries whose ``papers`` list ``key``."""
        return [(entry_uri(self.app.builder, self.docname, record), record.name)
                for record in self.kb.citing(key)]

    def publication(self, key: str, users: list[tuple[str | None, str]]) -> nodes.Element:
        view = self.view(key)
        ident = f"pub-{self.prefix}-{re.sub(r'[^a-z0-9]+', '-', key.casefold())}"
        title = view["title"] or key
        pub = kb_div("", classes=["kb-pub"], ids=[ident], data={
            "key": key, "year": str(view["year"] or ""), "areas": " ".join(view["areas"]),
            "text": " ".join([title, *view["authors"], view["venue"]])})
        head = paragraph(classes=["kb-pub-title"])
        if view["abbr"]:
            head += badge(view["abbr"], "primary", extra=("kb-venue",))
            head += nodes.Text(" ")
        head += nodes.strong("", title)
        pub += head
        pub += self.authors(view["authors"])
        where = ", ".join(filter(None, [view["venue"], view["note"], str(view["year"] or "")]))
        if where:
            pub += paragraph(nodes.emphasis("", where), classes=["kb-pub-venue"])
        if view["award"]:
            pub += paragraph(badge(view["award"][0], "warning"),
                             nodes.Text(" " + view["award"][1]), classes=["kb-pub-award"])
        buttons = [button(label, url) for label, url in view["links"]]
        if buttons:
            pub += paragraph(*buttons, classes=["kb-links"])
        if view["abstract"]:
            pub += self.details("Abstract", [paragraph(nodes.Text(view["abstract"]))])
        code_id = f"{ident}-bibtex"
        text = view["bibtex"]
        block = nodes.literal_block(text, text, language="bibtex", ids=[code_id])
        # the BibTeX repeats what the list shows: left out of the search index (Sphinx's
        # "no-search" class), which otherwise splits every record's text a second time
        pub += self.details("BibTeX", [kb_copy("", target=code_id), block], ("no-search",))
        if users:
            para = paragraph(nodes.Text("Used by: "), classes=["kb-used-by"])
            for i, (uri, name) in enumerate(users):
                if i:
                    para += nodes.Text(", ")
                para += (nodes.reference("", name, refuri=uri, internal=True) if uri
                         else nodes.Text(name))
            pub += para
        return pub

    def authors(self, names: list[str]) -> kb_div:
        limit = self.app.config.kb_max_authors
        para = kb_div("", classes=["kb-pub-authors"])  # a div: it may hold a <details>

        def add(target: nodes.Element, name: str, first: bool) -> None:
            if not first:
                target += nodes.Text(", ")
            if name == "others":
                target += nodes.Text("et al.")
            elif bibdata.name_key(name) in self.lab:
                target += nodes.strong("", name, classes=["kb-lab-author"])
            else:
                target += nodes.Text(name)

        for i, name in enumerate(names[:limit]):
            add(para, name, i == 0)
        rest = names[limit:]
        if rest and rest != ["others"]:
            more = kb_details("", classes=["kb-more-authors"])
            more += kb_summary("", f"and {len([n for n in rest if n != 'others'])} more")
            inner = nodes.inline()
            for i, name in enumerate(rest):
                add(inner, name, i == 0)
            more += inner
            para += nodes.Text(", ")
            para += more
        elif rest:
            add(para, "others", False)
        return para

    @staticmethod
    def details(label: str, body: list[nodes.Node], extra: tuple[str, ...] = ()) -> kb_details:
        node = kb_details("", classes=["kb-disclosure", *extra])
        node += kb_summary("", label)
        node.extend(body)
        return node
