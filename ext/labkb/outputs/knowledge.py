"""Machine-readable knowledge: ``knowledge.json`` and its JSON Schema, ``sitemap.xml`` and schema.org
JSON-LD, built from the core's records. Files are written only when their content changed, so a
no-op build touches nothing and two builds of one commit are byte-identical."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from labkb.core.graph import EDGE_TYPES, NODE_TYPES
from labkb.core.kb import KnowledgeBase
from labkb.core.newsitem import News
from labkb.core.provenance import SourceDoc
from labkb.core.schema import SCHEMA_VERSION, Model, Project, json_schema

EXPORT = "knowledge.json"
EXPORT_SCHEMA = "knowledge.schema.json"
#: How the JSON files are written: readable, stable, non-ASCII kept.
JSON_DUMP: dict[str, Any] = {"ensure_ascii": False, "indent": 1, "sort_keys": False}


def write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf8") != text:
        path.write_text(text, encoding="utf8")


def publication_record(view: dict[str, Any]) -> dict[str, Any]:
    """One .bib record as the export shows it, from its :func:`labkb.core.bibdata.view`."""
    record: dict[str, Any] = {"key": view["key"], "type": view["type"], "title": view["title"],
                              "authors": view["authors"]}
    if view["year"]:
        record["year"] = view["year"]
    for name in ("venue", "abstract"):
        if view[name]:
            record[name] = view[name]
    if view["areas"]:
        record["areas"] = view["areas"]
    links = dict((label.lower(), url) for label, url in view["links"])
    if links:
        record["links"] = links
    return record


def knowledge(kb: KnowledgeBase, url: Callable[[str], str],
              publications: list[dict[str, Any]],
              graph: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole export: entries (their data plus id, kind, url), publications, the source
    records the entries name (their data plus id and url), the news items (plus id, url), the
    people entries (their data plus id and url) and the research graph (typed nodes and edges);
    ``url`` maps a document name to its address."""
    entries = [{"id": r.id, "kind": r.kind, "url": url(r.docname), **r.dump()}
               for r in kb.research()]
    sources = [{"id": r.id, "url_on_site": url(r.docname), **r.dump()}
               for r in kb.source_records()]
    news = [{"id": r.id, "url": url(r.docname), **r.dump()} for r in kb.news_records()]
    people = [{"id": r.id, "url": url(r.docname), **r.dump()}
              for r in kb.records() if r.kind == "person"]
    return {"schema_version": SCHEMA_VERSION, "entries": entries, "publications": publications,
            "sources": sources, "news": news, "people": people,
            "graph": graph or {"nodes": [], "edges": []}}


def _record_schema(kind: str, head: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """One kind's schema as an item of the export: ``head`` (id, url, ...) first and required,
    the standalone schema's own keys dropped; returns it and its ``$defs``."""
    schema = json_schema(kind)
    defs = schema.pop("$defs", {})
    schema["properties"] = {**head, **schema["properties"]}
    schema["required"] = [*head, *schema.get("required", [])]
    for key in ("$schema", "$id", "title"):
        schema.pop(key, None)
    return schema, defs


def knowledge_schema() -> dict[str, Any]:
    """The JSON Schema of ``knowledge.json``: entries are the entry schema plus id, kind, url."""
    entry, defs = _record_schema("model", {"id": {"type": "string"},
                                          "kind": {"enum": ["project", "model"]},
                                          "url": {"type": "string"}})
    source, _ = _record_schema("source", {"id": {"type": "string"},
                                          "url_on_site": {"type": "string"}})
    news, _ = _record_schema("news", {"id": {"type": "string"}, "url": {"type": "string"}})
    person, person_defs = _record_schema("person", {"id": {"type": "string"},
                                                    "url": {"type": "string"}})
    defs.update(person_defs)
    publication = {
        "type": "object", "required": ["key", "type", "title", "authors"],
        "properties": {"key": {"type": "string"}, "type": {"type": "string"},
                       "title": {"type": "string"},
                       "authors": {"type": "array", "items": {"type": "string"}},
                       "year": {"type": "integer"}, "venue": {"type": "string"},
                       "abstract": {"type": "string"},
                       "areas": {"type": "array", "items": {"type": "string"}},
                       "links": {"type": "object", "additionalProperties": {"type": "string"}}},
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "labkb knowledge export", "type": "object",
        "required": ["schema_version", "entries", "publications", "sources", "news", "people",
                     "graph"],
        "properties": {"schema_version": {"const": SCHEMA_VERSION},
                       "entries": {"type": "array", "items": entry},
                       "publications": {"type": "array", "items": publication},
                       "sources": {"type": "array", "items": source},
                       "news": {"type": "array", "items": news},
                       "people": {"type": "array", "items": person},
                       "graph": _graph_schema()},
        "additionalProperties": False, "$defs": defs,
    }


def _graph_schema() -> dict[str, Any]:
    node = {"type": "object", "required": ["id", "type", "label"], "additionalProperties": False,
            "properties": {"id": {"type": "string"}, "type": {"enum": list(NODE_TYPES)},
                           "label": {"type": "string"}, "kind": {"type": "string"}}}
    edge = {"type": "object", "required": ["source", "target", "type"],
            "additionalProperties": False,
            "properties": {"source": {"type": "string"}, "target": {"type": "string"},
                           "type": {"enum": list(EDGE_TYPES)}, "relation": {"type": "string"}}}
    return {"type": "object", "required": ["nodes", "edges"], "additionalProperties": False,
            "properties": {"nodes": {"type": "array", "items": node},
                           "edges": {"type": "array", "items": edge}}}


def sitemap(urls: list[str]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(url)}</loc></url>" for url in urls]
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def json_ld_script(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    # nothing from the data may close the script element
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>\n'


def source_json_ld(source: SourceDoc, url: str | None = None) -> dict[str, Any]:
    """schema.org data of a source record (``isBasedOn`` of the entries naming it)."""
    data: dict[str, Any] = {"@type": "CreativeWork", "name": source.name,
                            "description": source.summary}
    if source.publisher:
        data["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.authors:
        data["author"] = [{"@type": "Person", "name": a} for a in source.authors]
    if source.date:
        data["datePublished"] = source.date.replace(" ", "T")
    if source.url or url:
        data["url"] = source.url or url
    return data


def news_json_ld(item: News, url: str, based_on: list[dict[str, Any]]) -> dict[str, Any]:
    """schema.org data of a news item's page (what it reports is dated by its source)."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "CreativeWork",
                            "name": item.title, "description": item.summary, "url": url,
                            "temporalCoverage": item.date.isoformat()}
    if based_on:
        data["isBasedOn"] = based_on
    return data


def entry_json_ld(entry: Project, url: str, citations: list[dict[str, Any]] | None,
                  based_on: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """schema.org data of an entry page."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "SoftwareSourceCode",
                            "name": entry.name, "description": entry.summary,
                            "url": url, "keywords": entry.tags}
    code = entry.links.code if entry.links else None
    if code or entry.github:
        data["codeRepository"] = code or f"https://github.com/{entry.github}"
    if entry.organization:
        data["creator"] = {"@type": "Organization", "name": entry.organization}
    if isinstance(entry, Model) and entry.license:
        data["license"] = entry.license
    if citations is not None:
        data["citation"] = citations
    if based_on:
        data["isBasedOn"] = based_on
    return data


def article_json_ld(view: dict[str, Any]) -> dict[str, Any]:
    """schema.org data of a .bib record an entry cites, from its view (:func:`labkb.core.bibdata.view`)."""
    article: dict[str, Any] = {"@type": "ScholarlyArticle", "name": view["title"],
                               "author": [{"@type": "Person", "name": a}
                                          for a in view["authors"] if a != "others"]}
    if view["year"]:
        article["datePublished"] = str(view["year"])
    return article
