"""``kb-curation``: the curation page, computed at write time from the same records and problems
as ``labkb check --coverage`` (:mod:`labkb.core.coverage`): per kind the share of entries with each
field and with sources, references to nothing, areas without entries, the least complete entries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from labkb.core.config import conf_py_values
from labkb.core.coverage import Coverage, coverage
from labkb.core.schema import KINDS
from labkb.sphinxext.badges import paragraph
from labkb.sphinxext.blocks import bullets, table
from labkb.sphinxext.context import build_context
from labkb.sphinxext.domain import kb_domain
from labkb.sphinxext.nodes import kb_curation

logger = logging.getLogger(__name__)

#: A selector every entry matches, of every kind: the page is re-written when any changes.
ANY_ENTRY: dict[str, Any] = {"where": {"kind": list(KINDS)}, "columns": [], "sort": "name",
                             "limit": None}


class CurationDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        kb_domain(self.env).note_aggregate(self.env.docname, ANY_ENTRY)
        node = kb_curation("")
        self.set_source_info(node)
        return [node]


def build_coverage(app: Sphinx) -> Coverage:
    """The coverage of the build's records (the same computation as the command line's)."""
    domain = kb_domain(app.env)
    missing = [m for r in domain.data["docs"].values() for m in r.missing]
    return coverage(domain.entries(), build_context(app.env).areas or (), missing,
                    app.config.kb_min_sourced)


def _kind_table(cov: Coverage) -> nodes.table:
    rows: list[list[nodes.Node]] = []
    for kind in cov.kinds:
        rows.append([nodes.strong("", kind.kind), nodes.Text(f"{kind.count} records"),
                     nodes.Text(f"{kind.share(kind.with_sources):.0%} with sources")])
        rows += [[nodes.Text(""), nodes.Text(name), nodes.Text(f"{kind.share(n):.0%}")]
                 for name, n in kind.filled.items()]
    return table(["Kind", "Field", "Share filled"], rows, ["kb-curation-fields"])


def fill_curation(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: the figures, tables and lists of the curation page."""
    placeholders = list(doctree.findall(kb_curation))
    if not placeholders:
        return
    cov = build_coverage(app)
    out: list[nodes.Node] = [
        paragraph(nodes.strong("", f"{cov.sourced_share:.0%}"),
                  nodes.Text(f" of the projects and models name a source (the threshold is "
                             f"{cov.threshold:.0%})."), classes=["kb-curation-sourced"]),
        _kind_table(cov), nodes.rubric("", "Least complete entries"),
        bullets([paragraph(nodes.Text(f"{kind} {entry_id}: {share:.0%} of its fields"))
                 for kind, entry_id, share in cov.least_complete]),
        nodes.rubric("", "Research areas without entries"),
        paragraph(nodes.Text(", ".join(cov.areas_without_entries) or "None.")),
        nodes.rubric("", "Referenced but missing"),
        bullets([paragraph(nodes.Text(f"{what} ({where})")) for what, where in cov.missing])
        if cov.missing else paragraph(nodes.Text("Nothing: every id and key refers to a record.")),
    ]
    for node in placeholders:
        node.replace_self([nodes.container("", *[n.deepcopy() for n in out],
                                           classes=["kb-curation"])])


def check_threshold(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: too few entries name a source: one ``kb.source`` warning."""
    if exception is not None or not app.config.kb_require_sources:
        return
    cov = build_coverage(app)
    if cov.below_threshold:
        conf = Path(app.confdir, "conf.py")
        where = conf_py_values(conf)[1].get("kb_min_sourced", f"{conf}:1")
        logger.warning("only %.0f%% of the projects and models name a source; kb_min_sourced is "
                       "%.0f%%", cov.sourced_share * 100, cov.threshold * 100, type="kb",
                       subtype="source", location=where)
