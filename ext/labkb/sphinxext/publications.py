"""``kb-publications``: al-folio-style publication lists from the .bib files.

Like grids, a list is a placeholder at read time, filled at write time from the entries that
sphinxcontrib-bibtex parsed, so a .bib edit only re-writes the pages whose lists show that entry.
Each publication: venue badge, title, shortened authors with the lab's people in bold, venue and
year, link buttons for the al-folio fields, abstract and BibTeX (with a copy button) in
disclosures, and "used by" links to the entries whose ``papers`` list it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from labkb.core import bibdata
from labkb.outputs.charts import figure, papers_per_year_svg
from labkb.sphinxext.badges import badge, button, paragraph
from labkb.sphinxext.bibtex import bib_stamp, bib_token
from labkb.sphinxext.cards import entry_uri
from labkb.sphinxext.domain import cite_domain, kb_domain
from labkb.sphinxext.nodes import kb_copy, kb_details, kb_div, kb_publications, kb_summary
from labkb.sphinxext.state import MainOnly

logger = logging.getLogger(__name__)


def _names(value: str | None) -> list[str]:
    return [bibdata.name_key(v) for v in re.split(r"[;\n]", value or "") if v.strip()]


def _csv(value: str | None) -> list[str]:
    return [v.strip().casefold() for v in (value or "").split(",") if v.strip()]


class PublicationsDirective(SphinxDirective):
    """A list of publications: all of them, or those matching every given option.

    ``:area:`` (whole keywords of the ``keywords`` field), ``:author:`` (name variants separated
    by ``;``) and/or ``:person:`` (person ids listed in a record's ``people`` field), ``:keys:``,
    ``:year:``, ``:selected:`` (al-folio's ``selected = {true}``),
    ``:group-by:`` ``year`` (default) or ``none``, ``:limit:``, ``:stats:`` (counts and a
    papers-per-year chart), ``:title:`` (a heading shown only when the list is not empty).
    """

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "area": directives.unchanged, "author": directives.unchanged,
        "person": directives.unchanged,
        "keys": directives.unchanged, "year": directives.unchanged, "selected": directives.flag,
        "group-by": lambda v: directives.choice(v, ("year", "none")),
        "limit": directives.positive_int, "stats": directives.flag, "title": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        where: dict[str, Any] = {}
        for name, parse in (("area", _csv), ("keys", _csv), ("year", _csv), ("author", _names),
                            ("person", _csv)):
            if self.options.get(name):
                where[name] = parse(self.options[name])
        if "selected" in self.options:
            where["selected"] = True
        selector = {"where": where, "group": self.options.get("group-by", "year"),
                    "limit": self.options.get("limit"), "stats": "stats" in self.options,
                    "title": self.options.get("title", ""), "label": self.env.docname}
        domain = kb_domain(self.env)
        domain.data["pubs"].setdefault(self.env.docname, []).append(selector)
        if where.get("author") and self.env.docname.startswith(self.config.kb_people_dir + "/"):
            domain.data["people_names"][self.env.docname] = where["author"]
        node = kb_publications("", selector=selector)
        self.set_source_info(node)
        return [node]


def pub_matches(selector: dict[str, Any], key: str, summary: dict[str, Any] | None) -> bool:
    if summary is None:
        return False
    where = selector["where"]
    if "keys" in where and key.casefold() not in where["keys"]:
        return False
    if "area" in where and not set(where["area"]) & set(summary["areas"]):
        return False
    if "author" in where or "person" in where:  # either names an author or lists the person
        by_name = bool(set(where.get("author", [])) & set(summary["authors"]))
        by_id = bool(set(where.get("person", [])) & set(summary["people"]))
        if not (by_name or by_id):
            return False
    if "year" in where and str(summary["year"]) not in where["year"]:
        return False
    return not (where.get("selected") and not summary["selected"])


def update_bibindex(env: Any) -> tuple[set[str], dict[str, dict[str, Any]]]:
    """Summaries of every .bib entry (by case-folded key), recomputed only when a .bib file
    changed. Returns the keys whose record changed and the summaries as they were before."""
    domain = kb_domain(env)
    cite = cite_domain(env)
    stamp = bib_stamp(cite)
    old: dict[str, dict[str, Any]] = domain.data.get("bibindex", {})
    if domain.data.get("bibstamp") == stamp:
        return set(), old
    new, views = {}, {}
    old_views = domain.data.get("bibview") or {}
    for key, entry in cite.bibdata.data.entries.items():
        folded, token = key.casefold(), bib_token(env, key)
        before = old.get(folded)
        if (token is not None and before is not None and before["digest"] == token
                and before["key"] == key and folded in old_views):
            new[folded], views[folded] = before, old_views[folded]  # the record is unchanged
        else:
            new[folded], views[folded] = bibdata.summary(key, entry, token), bibdata.view(key, entry)
    domain.data["bibview"] = MainOnly(views)
    domain.data["bibindex"], domain.data["bibstamp"] = MainOnly(new), stamp
    changed = {k for k in old.keys() | new.keys()
               if old.get(k, {}).get("digest") != new.get(k, {}).get("digest")}
    return changed, old


def fill_publications(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: replace each placeholder by its publications."""
    placeholders = list(doctree.findall(kb_publications))
    if not placeholders:
        return
    env = app.env
    domain = kb_domain(env)
    entries = cite_domain(env).bibdata.data.entries
    index = domain.data.get("bibindex", {})
    used_by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in domain.entries():
        for key in record["data"].get("papers", []):
            used_by[key.casefold()].append(record)
    lab = {n for names in domain.data["people_names"].values() for n in names}
    for node in placeholders:
        selector = node["selector"]
        keys = [s["key"] for k, s in index.items() if pub_matches(selector, k, s) and k in entries]
        keys.sort(key=lambda k: (-(index[k.casefold()]["year"] or 0), k.casefold()))
        if selector["limit"]:
            keys = keys[: selector["limit"]]
        renderer = _Renderer(app, docname, entries, used_by, lab, selector)
        node.replace_self(renderer.render(keys))


class _Renderer:
    def __init__(self, app: Sphinx, docname: str, entries: Any,
                 used_by: dict[str, list[dict[str, Any]]], lab: set[str],
                 selector: dict[str, Any]) -> None:
        self.app, self.docname, self.entries = app, docname, entries
        self.used_by, self.lab, self.selector = used_by, lab, selector
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
                group.extend(self.publication(k) for k in members)
                container += group
        else:
            container.extend(self.publication(k) for k in keys)
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
            svg = papers_per_year_svg(years, f"Papers per year ({len(years)} dated papers)")
            out.append(nodes.raw("", figure(svg, "Papers per year, computed from the bibliography"),
                                 format="html"))
        return out

    def view(self, key: str) -> dict[str, Any]:
        """The record's display values (computed once per record text, see update_bibindex)."""
        return self.views.get(key.casefold()) or bibdata.view(key, self.entries[key])

    def publication(self, key: str) -> nodes.Element:
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
        users = self.used_by.get(key.casefold(), [])
        if users:
            para = paragraph(nodes.Text("Used by: "), classes=["kb-used-by"])
            for i, record in enumerate(users):
                if i:
                    para += nodes.Text(", ")
                uri = entry_uri(self.app.builder, self.docname, record)
                name = record["data"]["name"]
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
