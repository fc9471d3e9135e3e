"""The exports of an HTML build (``knowledge.json`` and its schema, ``sitemap.xml``, JSON-LD in
entry and person pages), gathered from the build and written by :mod:`labkb.outputs.knowledge`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from labkb.core.newsitem import News
from labkb.core.people import Person
from labkb.core.provenance import SourceDoc
from labkb.core.schema import Project
from labkb.outputs.graphml import graphml
from labkb.outputs.knowledge import (
    EXPORT,
    EXPORT_SCHEMA,
    JSON_DUMP,
    article_json_ld,
    entry_json_ld,
    json_ld_script,
    knowledge,
    knowledge_schema,
    news_json_ld,
    publication_record,
    sitemap,
    source_json_ld,
    write_if_changed,
)
from labkb.sphinxext.bibindex import record_view
from labkb.sphinxext.digests import Digests, digest
from labkb.sphinxext.domain import cite_domain, kb_domain, knowledge_base
from labkb.sphinxext.research import research
from labkb.sphinxext.state import build_state

GRAPHML = "knowledge.graphml"


def _url(app: Sphinx, docname: str) -> str:
    base = app.config.html_baseurl.rstrip("/")
    target = app.builder.get_target_uri(docname)
    return f"{base}/{target}" if base else target


def publications(app: Sphinx) -> list[dict[str, Any]]:
    if "cite" not in app.env.domains:
        return []
    records = cite_domain(app.env).bibdata.data.entries
    out = [publication_record(record_view(app.env, key, entry)) for key, entry in records.items()]
    return sorted(out, key=lambda r: r["key"].casefold())


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the JSON export, its schema and the sitemap (HTML builders only)."""
    if exception is not None or app.builder.format != "html" or not hasattr(app.builder,
                                                                             "get_target_uri"):
        return
    out = Path(app.outdir)
    if unchanged(app, out / EXPORT):
        return
    graph = research(app).graph
    graph_json = graph.as_json()
    export = knowledge(knowledge_base(app.env), lambda doc: _url(app, doc), publications(app),
                       graph_json)
    write_if_changed(out / EXPORT, json.dumps(export, **JSON_DUMP) + "\n")
    kept = Digests(app)  # GraphML again only when the graph changed
    kept.write(GRAPHML, digest(graph_json), lambda: graphml(graph))
    kept.save()
    write_if_changed(out / EXPORT_SCHEMA, json.dumps(knowledge_schema(), **JSON_DUMP) + "\n")
    if app.config.html_baseurl:
        write_if_changed(out / "sitemap.xml",
                         sitemap([_url(app, d) for d in sorted(app.env.found_docs)]))


def unchanged(app: Sphinx, written: Path) -> bool:
    """Whether the files written from the whole knowledge base at the end of the last build (of
    which ``written`` is one) are still right: nothing was read or written and no .bib record
    changed."""
    return not (build_state(app).wrote or kb_domain(app.env).data.get("changed", True)) \
        and written.exists()


def note_write(app: Sphinx, doctree: Any, docname: str) -> None:
    """``doctree-resolved``: this build writes pages (a config change may rewrite them all)."""
    build_state(app).written.add(docname)


def add_json_ld(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                doctree: Any) -> None:
    """``html-page-context``: schema.org data for entry pages and person pages."""
    domain = kb_domain(app.env)
    record = domain.record(pagename)
    entry = record.entry if record is not None else None
    data: dict[str, Any] | None = None
    if isinstance(entry, SourceDoc):
        data = {"@context": "https://schema.org", **source_json_ld(entry, _url(app, pagename))}
    elif isinstance(entry, Person):
        data = person_json_ld(entry.model_dump(mode="json", exclude_defaults=True),
                              _url(app, pagename))
    elif isinstance(entry, News):
        based_on = [source_json_ld(s.entry, _url(app, s.docname)) for ref in entry.sources
                    if (s := domain.entry(ref.id)) is not None and isinstance(s.entry, SourceDoc)]
        data = news_json_ld(entry, _url(app, pagename), based_on)
    elif isinstance(entry, Project):
        cites = [_article(app, k) for k in entry.papers]
        based_on = [source_json_ld(s.entry, _url(app, s.docname)) for ref in entry.sources
                    if (s := domain.entry(ref.id)) is not None and isinstance(s.entry, SourceDoc)]
        data = entry_json_ld(entry, _url(app, pagename),
                             [c for c in cites if c] if cites else None, based_on)
    elif pagename.startswith(app.config.kb_people_dir + "/") and not pagename.endswith("/index"):
        data = {"@context": "https://schema.org", "@type": "Person",
                "name": context.get("title", ""), "url": _url(app, pagename)}
    if data is not None:
        context["metatags"] = context.get("metatags", "") + json_ld_script(data)


def person_json_ld(person: dict[str, Any], url: str) -> dict[str, Any]:
    """schema.org ``Person`` of a person entry, its identifiers as ``sameAs``."""
    same = [f"https://orcid.org/{person['orcid']}"] if person.get("orcid") else []
    if person.get("dblp"):
        same.append(f"https://dblp.org/pid/{person['dblp']}")
    if person.get("openalex"):
        same.append(f"https://openalex.org/{person['openalex']}")
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Person",
                            "name": person["name"], "url": url}
    if person.get("name_zh") or person.get("name_variants"):
        data["alternateName"] = [*([person["name_zh"]] if person.get("name_zh") else []),
                                 *person.get("name_variants", [])]
    if same:
        data["sameAs"] = same
    return data


def _article(app: Sphinx, key: str) -> dict[str, Any] | None:
    if "cite" not in app.env.domains:
        return None
    entry = cite_domain(app.env).bibdata.data.entries.get(key)
    return None if entry is None else article_json_ld(record_view(app.env, key, entry))
