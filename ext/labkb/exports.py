"""Machine-readable site: ``knowledge.json`` (+ its JSON Schema), ``sitemap.xml``, and JSON-LD in
entry and person pages. Written at the end of an HTML build, and only when their content changed,
so a no-op build touches nothing and two builds of one commit are byte-identical."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from sphinx.application import Sphinx

from . import bibdata
from .schema import SCHEMA_VERSION, json_schema

EXPORT = "knowledge.json"
EXPORT_SCHEMA = "knowledge.schema.json"


def write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf8") != text:
        path.write_text(text, encoding="utf8")


def _url(app: Sphinx, docname: str) -> str:
    base = app.config.html_baseurl.rstrip("/")
    target = app.builder.get_target_uri(docname)
    return f"{base}/{target}" if base else target


def publications(app: Sphinx) -> list[dict[str, Any]]:
    if "cite" not in app.env.domains:
        return []
    out = []
    for key, entry in app.env.get_domain("cite").bibdata.data.entries.items():
        record: dict[str, Any] = {"key": key, "type": entry.type,
                                  "title": bibdata.field(entry, "title"),
                                  "authors": bibdata.authors(entry)}
        if bibdata.year(entry):
            record["year"] = bibdata.year(entry)
        for name, value in (("venue", bibdata.venue(entry)), ("abstract",
                                                              bibdata.field(entry, "abstract"))):
            if value:
                record[name] = value
        if bibdata.keywords(entry):
            record["areas"] = bibdata.keywords(entry)
        links = dict((label.lower(), url) for label, url in bibdata.links(entry))
        if links:
            record["links"] = links
        out.append(record)
    return sorted(out, key=lambda r: r["key"].casefold())


def knowledge(app: Sphinx) -> dict[str, Any]:
    domain = app.env.get_domain("kb")
    entries = [{"id": r["id"], "kind": r["kind"], "url": _url(app, r["docname"]), **r["data"]}
               for r in sorted(domain.entries(), key=lambda r: r["id"])]
    return {"schema_version": SCHEMA_VERSION, "entries": entries,
            "publications": publications(app)}


def knowledge_schema() -> dict[str, Any]:
    """The JSON Schema of ``knowledge.json``: entries are the entry schema plus id, kind, url."""
    entry = json_schema("model")
    defs = entry.pop("$defs", {})
    entry["properties"] = {"id": {"type": "string"}, "kind": {"enum": ["project", "model"]},
                           "url": {"type": "string"}, **entry["properties"]}
    entry["required"] = ["id", "kind", "url", *entry.get("required", [])]
    for key in ("$schema", "$id", "title"):
        entry.pop(key, None)
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
        "required": ["schema_version", "entries", "publications"],
        "properties": {"schema_version": {"const": SCHEMA_VERSION},
                       "entries": {"type": "array", "items": entry},
                       "publications": {"type": "array", "items": publication}},
        "additionalProperties": False, "$defs": defs,
    }


def sitemap(app: Sphinx) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for docname in sorted(app.env.found_docs):
        lines.append(f"  <url><loc>{escape(_url(app, docname))}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the JSON export, its schema and the sitemap (HTML builders only)."""
    if exception is not None or app.builder.format != "html" or not hasattr(app.builder,
                                                                             "get_target_uri"):
        return
    out = Path(app.outdir)
    if not (getattr(app, "_labkb_wrote", False) or getattr(app.env, "_labkb_changed", True)) \
            and (out / EXPORT).exists():
        return  # nothing read or written, no .bib change: the files of last time are right
    dump = {"ensure_ascii": False, "indent": 1, "sort_keys": False}
    write_if_changed(out / EXPORT, json.dumps(knowledge(app), **dump) + "\n")
    write_if_changed(out / EXPORT_SCHEMA, json.dumps(knowledge_schema(), **dump) + "\n")
    if app.config.html_baseurl:
        write_if_changed(out / "sitemap.xml", sitemap(app))


def note_write(app: Sphinx, doctree: Any, docname: str) -> None:
    """``doctree-resolved``: this build writes pages (a config change may rewrite them all)."""
    app._labkb_wrote = True  # type: ignore[attr-defined]


def _json_ld(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    # nothing from the data may close the script element
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>\n'


def add_json_ld(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                doctree: Any) -> None:
    """``html-page-context``: schema.org data for entry pages and person pages."""
    domain = app.env.get_domain("kb")
    record = domain.data["docs"].get(pagename)
    data: dict[str, Any] | None = None
    if record and record.get("data"):
        entry = record["data"]
        data = {"@context": "https://schema.org", "@type": "SoftwareSourceCode",
                "name": entry["name"], "description": entry["summary"],
                "url": _url(app, pagename), "keywords": entry.get("tags", [])}
        links = entry.get("links", {})
        if links.get("code") or entry.get("github"):
            data["codeRepository"] = links.get("code") or f"https://github.com/{entry['github']}"
        if entry.get("organization"):
            data["creator"] = {"@type": "Organization", "name": entry["organization"]}
        if entry.get("license"):
            data["license"] = entry["license"]
        cites = [_article(app, k) for k in entry.get("papers", [])]
        if cites:
            data["citation"] = [c for c in cites if c]
    elif pagename.startswith(app.config.kb_people_dir + "/") and not pagename.endswith("/index"):
        data = {"@context": "https://schema.org", "@type": "Person",
                "name": context.get("title", ""), "url": _url(app, pagename)}
    if data is not None:
        context["metatags"] = context.get("metatags", "") + _json_ld(data)


def _article(app: Sphinx, key: str) -> dict[str, Any] | None:
    if "cite" not in app.env.domains:
        return None
    entry = app.env.get_domain("cite").bibdata.data.entries.get(key)
    if entry is None:
        return None
    article: dict[str, Any] = {"@type": "ScholarlyArticle", "name": bibdata.field(entry, "title"),
                               "author": [{"@type": "Person", "name": a}
                                          for a in bibdata.authors(entry) if a != "others"]}
    if bibdata.year(entry):
        article["datePublished"] = str(bibdata.year(entry))
    return article
