"""The knowledge base's connected data for one build: people, who wrote which record, model
lineage and the research graph, gathered from the ``kb`` domain and the .bib records once per build
(in the main process, before writing; parallel writers inherit it) by :func:`research`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sphinx.application import Sphinx

from labkb.core import bibdata, lineage
from labkb.core.coauthors import Authorship, Paper, resolve_all
from labkb.core.graph import NODE_KINDS, Graph, GraphInput, build
from labkb.core.kb import Link
from labkb.core.problems import Problem
from labkb.core.records import EntryRecord
from labkb.sphinxext.bibindex import record_view
from labkb.sphinxext.domain import cite_domain, knowledge_base
from labkb.sphinxext.state import build_state


@dataclass
class Research:
    people: dict[str, EntryRecord]  #: person id -> entry record
    authorship: list[Authorship]
    graph: Graph
    problems: list[Problem] = field(default_factory=list)  #: lineage problems
    families: list[list[str]] = field(default_factory=list)
    dropped: set[lineage.Link] = field(default_factory=set)
    by_doc: dict[str, str] = field(default_factory=dict)  #: docname -> its node's id


def forget(app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]
           ) -> list[str]:
    """``env-get-outdated``: a new build gathers the data again."""
    build_state(app).research = None
    return []


def papers(env: Any) -> list[Paper]:
    if "cite" not in env.domains:
        return []
    out = []
    for key, entry in sorted(cite_domain(env).bibdata.data.entries.items()):
        people = [p.strip().casefold() for p in entry.fields.get("people", "").split(",")
                  if p.strip()]
        out.append(Paper(key, tuple(record_view(env, key, entry)["authors"]), tuple(people)))
    return out


def research(app: Sphinx) -> Research:
    """The build's research data (computed on first use in a build)."""
    state = build_state(app)
    if state.research is None:
        state.research = _gather(app)
    result: Research = state.research
    return result


def _gather(app: Sphinx) -> Research:
    env = app.env
    kb = knowledge_base(env)
    records = [r for r in kb.records() if r.kind in NODE_KINDS]  # news: not in the graph
    people = {r.id: r for r in records if r.kind == "person"}
    authorship = resolve_all(papers(env), people)
    models = {r.id: r for r in records if r.kind == "model"}
    problems, dropped = lineage.check(models, {r.id for r in records})
    area_dir = app.config.kb_area_dir
    areas = {}
    for docname in sorted(env.found_docs):
        folder, _, leaf = docname.rpartition("/")
        if folder == area_dir and leaf != "index" and docname in env.titles:
            areas[leaf] = (env.titles[docname].astext(), docname)
    records_papers: dict[str, dict[str, Any]] = {}
    if "cite" in env.domains:
        for key, entry in cite_domain(env).bibdata.data.entries.items():
            records_papers[key.casefold()] = {
                "key": key, "title": record_view(env, key, entry)["title"],
                "areas": [a for a in bibdata.keywords(entry) if a in areas]}
    # the lineage links that were reported (unknown ids, cycles) are not drawn
    left_out = {Link(link.source, link.type, link.target) for link in dropped}
    graph = build(GraphInput(kb, areas, records_papers, authorship, left_out))
    by_doc = {n.docname: n.id for n in graph.nodes.values() if n.docname}
    return Research(people, authorship, graph, problems, lineage.families(models, dropped),
                    dropped, by_doc)
