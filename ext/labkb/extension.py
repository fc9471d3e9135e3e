"""Wire the extension into Sphinx: config, domain, parser, directives, nodes, events, assets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from . import __version__
from .domain import EntryRole, KBDomain, index_entries
from .grids import CardDirective, GridDirective, fill_grids
from .incremental import before_read, pages_to_rewrite, remember_old, reset
from .nodes import (
    depart_card_col_html,
    depart_passthrough,
    kb_card_col,
    kb_grid,
    visit_card_col_html,
    visit_passthrough,
)
from .page import EntryPageDirective
from .parser import FILETYPE, SUFFIX, EntryParser

STATIC = Path(__file__).parent / "static"


def setup_extension(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")

    app.add_config_value("kb_entry_dirs", {"projects": "project", "models": "model"}, "env",
                         types=frozenset({dict}),
                         description="folder of the docs -> kind of the YAML entries in it")
    app.add_config_value("kb_area_dir", "research", "env", types=frozenset({str}),
                         description="folder whose pages are the research areas")
    app.add_config_value("kb_people_dir", "people", "env", types=frozenset({str}),
                         description="folder whose pages are the people")
    app.add_config_value("kb_star_badges", True, "env", types=frozenset({bool}),
                         description="show a GitHub stars badge (loaded by the reader's browser)")

    app.add_source_suffix(SUFFIX, FILETYPE)
    app.add_source_parser(EntryParser)
    app.add_domain(KBDomain)
    for kind in ("project", "model", "entry"):
        app.add_role(kind, EntryRole())
    app.add_directive("kb-entry-page", EntryPageDirective)
    app.add_directive("kb-grid", GridDirective)
    app.add_directive("kb-card", CardDirective)
    passthrough = (visit_passthrough, depart_passthrough)
    app.add_node(kb_grid, html=passthrough, latex=passthrough, text=passthrough, man=passthrough,
                 texinfo=passthrough)
    app.add_node(kb_card_col, html=(visit_card_col_html, depart_card_col_html),
                 latex=passthrough, text=passthrough, man=passthrough, texinfo=passthrough)

    app.connect("env-get-outdated", reset)
    app.connect("env-purge-doc", remember_old)
    app.connect("env-before-read-docs", before_read)
    app.connect("env-updated", index_entries)
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("doctree-resolved", fill_grids)

    app.add_static_dir(STATIC)
    app.add_css_file("labkb.css")
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
