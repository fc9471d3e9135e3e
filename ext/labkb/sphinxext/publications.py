"""``kb-publications``: al-folio-style publication lists from the .bib files.

Like grids, a list is a placeholder at read time, filled at write time from the entries that
sphinxcontrib-bibtex parsed, so a .bib edit only re-writes the pages whose lists show that entry.
Which records a list shows is :mod:`labkb.core.pubselect`; how they look, :mod:`labkb.sphinxext.pub_list`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from labkb.core.pubselect import csv, names
from labkb.sphinxext.domain import cite_domain, kb_domain, knowledge_base
from labkb.sphinxext.nodes import kb_publications
from labkb.sphinxext.pub_html import PageRenderer, fast_html, pub_cache
from labkb.sphinxext.pub_list import PublicationList


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
        for name, parse in (("area", csv), ("keys", csv), ("year", csv), ("author", names),
                            ("person", csv)):
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


def fill_publications(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: replace each placeholder by its publications."""
    placeholders = list(doctree.findall(kb_publications))
    if not placeholders:
        return
    env = app.env
    domain = kb_domain(env)
    entries = cite_domain(env).bibdata.data.entries
    kb = knowledge_base(env)
    lab = {n for names in domain.data["people_names"].values() for n in names}
    page = PageRenderer(app, docname, pub_cache(app, lab)) if fast_html(app) else None
    for node in placeholders:
        selector = node["selector"]
        keys = [k for k in kb.publications(selector) if k in entries]
        renderer = PublicationList(app, docname, entries, kb, lab, selector, page)
        node.replace_self(renderer.render(keys))
    if page is not None:
        page.done()
