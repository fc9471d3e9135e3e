"""Wire the extension into Sphinx: config, domain, parser, directives, nodes, events, assets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from labkb.core.version import __version__
from labkb.sphinxext import collector, doctree_memory
from labkb.sphinxext.bibtex import check_bib, drop_unsafe_links, read_bib, safe_footcite_role
from labkb.sphinxext.bibtex_domain import cached_bibtex_domain, use_quick_bibliography_transform
from labkb.sphinxext.citations_html import use_citation_lists
from labkb.sphinxext.compare import CompareDirective, fill_compare
from labkb.sphinxext.config import add_options, check_config
from labkb.sphinxext.context import SUFFIX
from labkb.sphinxext.curation import CurationDirective, check_threshold, fill_curation
from labkb.sphinxext.domain import EntryRole, KBDomain, index_entries
from labkb.sphinxext.entry_page import EntryPageDirective
from labkb.sphinxext.exports import add_json_ld, note_write, write_exports
from labkb.sphinxext.feeds import add_feed_links, write_machine_files
from labkb.sphinxext.graph import GraphDirective, fill_graphs, graph_pages_to_rewrite
from labkb.sphinxext.grids import CardDirective, GridDirective, fill_grids
from labkb.sphinxext.highlight import reuse_formatters
from labkb.sphinxext.incremental import before_read, pages_to_rewrite, remember_old, reset
from labkb.sphinxext.news import NewsDirective, fill_news
from labkb.sphinxext.nodes import (
    HTML_VISITORS,
    depart_passthrough,
    kb_collaboration,
    kb_compare,
    kb_curation,
    kb_graph_page,
    kb_grid,
    kb_lineage,
    kb_news,
    kb_overview,
    kb_person_figures,
    kb_publications,
    kb_source_pages,
    visit_passthrough,
)
from labkb.sphinxext.overview import OverviewDirective, fill_overview
from labkb.sphinxext.parser import FILETYPE, EntryParser, skip_undecodable
from labkb.sphinxext.people_figures import CollaborationDirective, fill_people, warn_shared_names
from labkb.sphinxext.pub_html import kb_html, save_pub_cache, visit_html
from labkb.sphinxext.publications import PublicationsDirective, fill_publications
from labkb.sphinxext.pybtex_plugins import preload_plugins
from labkb.sphinxext.research import forget
from labkb.sphinxext.search import teach_jieba
from labkb.sphinxext.search_index import build_index, choose_engine, page_context, search_page
from labkb.sphinxext.sources import SourcesDirective, fill_source_pages
from labkb.sphinxext.templates_cache import cache_templates
from labkb.sphinxext.zh_names import show_page_zh

STATIC = Path(__file__).parent.parent / "static"


def setup_extension(app: Sphinx) -> dict[str, Any]:
    """Wire every concept of the extension into ``app``; each has its own small setup below."""
    preload_plugins()
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")
    add_options(app)
    app.connect("config-inited", check_config)  # before Sphinx's own type check (priority 800)
    _setup_entries(app)
    _setup_bibtex(app)
    _setup_nodes(app)
    _setup_directives(app)
    _setup_compare(app)
    _setup_builds(app)
    app.add_static_dir(STATIC)
    app.add_css_file("labkb.css")
    app.add_js_file("labkb.js", loading_method="defer")
    app.add_js_file("labkb-search.js", loading_method="defer")
    return {
        "version": __version__,
        "env_version": 6,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _setup_entries(app: Sphinx) -> None:
    """Entry files are documents of their own, held by the ``kb`` domain, linked by roles."""
    app.add_source_suffix(SUFFIX, FILETYPE)
    app.add_source_parser(EntryParser)
    app.add_domain(KBDomain)
    for kind in ("project", "model", "source", "news", "person", "entry"):
        app.add_role(kind, EntryRole())
    app.connect("env-before-read-docs", skip_undecodable, priority=400)
    app.connect("env-updated", index_entries)


def _setup_bibtex(app: Sphinx) -> None:
    """sphinxcontrib-bibtex, when the site uses it: cached formatting, a safe footcite, checks."""
    if "sphinxcontrib.bibtex" not in app.extensions:
        return
    if domain := cached_bibtex_domain():
        app.add_domain(domain, override=True)
        use_quick_bibliography_transform(app)  # it relies on the domain above
    if footcite := safe_footcite_role():
        app.add_role("footcite", footcite, override=True)
        for name in ("p", "t"):
            app.add_role_to_domain("footcite", name, footcite, override=True)
    app.connect("builder-inited", read_bib, priority=450)
    app.connect("builder-inited", check_bib, priority=550)
    app.connect("doctree-resolved", drop_unsafe_links)


def _setup_nodes(app: Sphinx) -> None:
    """Placeholders render their children in every builder; labkb's elements have HTML."""
    passthrough = (visit_passthrough, depart_passthrough)
    placeholders: tuple[type[nodes.Element], ...] = (
        kb_grid, kb_publications, kb_overview, kb_source_pages, kb_curation, kb_news,
        kb_person_figures, kb_collaboration, kb_lineage, kb_graph_page)
    for node in placeholders:
        app.add_node(node, html=passthrough, latex=passthrough, text=passthrough,
                     man=passthrough, texinfo=passthrough)
    for element, visitors in HTML_VISITORS.items():
        app.add_node(element, html=visitors, latex=passthrough, text=passthrough, man=passthrough,
                     texinfo=passthrough)
    # only HTML builders get kept publications (pub_html); others never see one
    app.add_node(kb_html, html=(visit_html, None), latex=passthrough, text=passthrough,
                 man=passthrough, texinfo=passthrough)
    app.connect("build-finished", save_pub_cache)


def _setup_directives(app: Sphinx) -> None:
    """The directives, and the write-time handlers that fill their placeholders."""
    for name, directive, fill in (
            ("kb-entry-page", EntryPageDirective, None),
            ("kb-grid", GridDirective, fill_grids), ("kb-card", CardDirective, None),
            ("kb-publications", PublicationsDirective, fill_publications),
            ("kb-overview", OverviewDirective, fill_overview),
            ("kb-sources", SourcesDirective, fill_source_pages),
            ("kb-curation", CurationDirective, fill_curation),
            ("kb-news", NewsDirective, fill_news),
            ("kb-collaboration", CollaborationDirective, fill_people),
            ("kb-graph", GraphDirective, fill_graphs)):
        app.add_directive(name, directive)
        if fill is not None:
            app.connect("doctree-resolved", fill)


def _setup_compare(app: Sphinx) -> None:
    """``kb-compare`` tables (and entry pages' own results tables), filled at write time."""
    passthrough = (visit_passthrough, depart_passthrough)
    app.add_node(kb_compare, html=passthrough, latex=passthrough, text=passthrough,
                 man=passthrough, texinfo=passthrough)
    app.add_directive("kb-compare", CompareDirective)
    app.connect("doctree-resolved", fill_compare)


def _setup_builds(app: Sphinx) -> None:
    """Incremental builds, search words and the exports."""
    app.connect("env-get-outdated", reset)
    app.connect("env-get-outdated", forget)
    app.connect("env-updated", warn_shared_names)
    app.connect("env-purge-doc", remember_old)
    app.connect("env-before-read-docs", before_read)
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("env-get-updated", graph_pages_to_rewrite)  # after: it reads "changed"
    app.connect("doctree-resolved", teach_jieba)
    app.connect("builder-inited", reuse_formatters)
    app.connect("builder-inited", choose_engine)
    app.connect("config-inited", collector.pause, priority=1000)
    app.connect("builder-inited", use_citation_lists, priority=600)  # after the theme's
    app.connect("builder-inited", collector.freeze, priority=1000)
    app.connect("build-finished", collector.unfreeze, priority=1000)
    app.connect("doctree-read", doctree_memory.bound)
    app.connect("builder-inited", cache_templates)
    app.connect("html-collect-pages", search_page)
    app.connect("doctree-read", show_page_zh)
    app.connect("html-page-context", page_context)
    app.connect("build-finished", build_index, priority=900)
    app.connect("doctree-resolved", note_write)
    app.connect("html-page-context", add_json_ld)
    app.connect("build-finished", write_exports)
    app.connect("build-finished", write_machine_files)
    app.connect("html-page-context", add_feed_links)
    app.connect("build-finished", check_threshold)
