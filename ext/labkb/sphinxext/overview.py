"""``kb-overview``: entries and papers per research area and per year, as build-time charts.

A placeholder at read time, filled at write time from the domain and the .bib summaries; it is
registered as showing every entry and every publication, so any change re-writes it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from labkb.outputs.charts import bar_svg, figure
from labkb.sphinxext.context import build_context
from labkb.sphinxext.domain import kb_domain
from labkb.sphinxext.nodes import kb_overview
from labkb.sphinxext.state import chart_cache

EVERYTHING: dict[str, Any] = {"where": {}, "columns": [], "sort": "name", "limit": None}


class OverviewDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        domain = kb_domain(self.env)
        domain.note_aggregate(self.env.docname, EVERYTHING)
        domain.data["pubs"].setdefault(self.env.docname, []).append(
            {"where": {}, "label": self.env.docname})
        node = kb_overview("")
        self.set_source_info(node)
        return [node]


def fill_overview(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: two charts (per area, per year) and the counts behind them."""
    placeholders = list(doctree.findall(kb_overview))
    if not placeholders:
        return
    env = app.env
    domain = kb_domain(env)
    area_dir = app.config.kb_area_dir
    areas = sorted(build_context(env).areas or ())
    titles = {a: env.titles[f"{area_dir}/{a}"].astext() if f"{area_dir}/{a}" in env.titles
              else a for a in areas}
    entries = [r.research for r in domain.entries() if r.is_research]
    index = domain.data.get("bibindex", {})
    per_area_entries = Counter(a for e in entries for a in e.areas)
    per_area_papers = Counter(a for s in index.values() for a in s["areas"])
    entry_years = Counter(e.year for e in entries if e.year)
    paper_years = Counter(s["year"] for s in index.values() if s["year"])
    years = sorted(set(entry_years) | set(paper_years))
    span = list(range(years[0], years[-1] + 1)) if years else []
    by_area = bar_svg([titles[a] for a in areas], {
        "entries": [per_area_entries[a] for a in areas],
        "papers": [per_area_papers[a] for a in areas]},
        f"Entries and papers per research area ({len(entries)} entries, {len(index)} papers)",
        horizontal=True, cache=chart_cache(app))
    by_year = bar_svg([str(y) for y in span], {
        "entries": [entry_years[y] for y in span], "papers": [paper_years[y] for y in span]},
        "Entries and papers per year", cache=chart_cache(app))
    html = (figure(by_area, "Entries and papers per research area, computed at build time")
            + figure(by_year, "Entries (by year) and papers (by year) per year, computed at "
                              "build time; undated ones are not counted"))
    for node in placeholders:
        node.replace_self(nodes.raw("", html, format="html"))
