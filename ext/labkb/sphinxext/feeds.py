"""Feeds and files for machines at ``build-finished`` (Atom feeds, ``llms.txt``, Markdown), and
the ``<link rel="alternate">`` of the pages the feeds belong to (``html-page-context``).

The content comes from the build's records and timeline, written by :mod:`labkb.outputs.feeds` and
:mod:`labkb.outputs.llms`; files are written only when they change, stale feed files are removed.
"""

from __future__ import annotations

import functools
import hashlib
from html import escape
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from labkb.core.news import SITE, Item, Timeline
from labkb.core.records import EntryRecord
from labkb.outputs import llms
from labkb.outputs.feeds import ATOM_TYPE, FEED_DIR, FeedMeta, atom, feed_path, feed_title
from labkb.outputs.knowledge import write_if_changed
from labkb.outputs.llms import LLMS, llms_txt, md_path, person_page, record_basis, record_page
from labkb.sphinxext.bibindex import record_view
from labkb.sphinxext.digests import Digests, digest
from labkb.sphinxext.domain import cite_domain, kb_domain
from labkb.sphinxext.exports import unchanged
from labkb.sphinxext.news import current_timeline, feed_href, feed_page
from labkb.sphinxext.people import people
from labkb.sphinxext.state import build_state

KIND_HEADINGS = {"project": "Projects", "model": "Models", "news": "News", "source": "Sources"}


def _base(app: Sphinx) -> str:
    return str(app.config.html_baseurl or "").rstrip("/")


def _page_url(app: Sphinx, docname: str, prefix: str = "") -> str:
    """Absolute with ``html_baseurl``, else relative (``prefix`` leads from the file's folder)."""
    target = app.builder.get_target_uri(docname)
    base = _base(app)
    return f"{base}/{target}" if base else prefix + target


def _titles(app: Sphinx, line: Timeline) -> dict[str, str]:
    names = {f"person/{p.id}": p.name for p in people(app.env)}
    for key in line.feeds():
        page = feed_page(app.env, key)
        if key not in names and page and page in app.env.titles:
            names[key] = app.env.titles[page].astext()
    return names


def write_feeds(app: Sphinx, line: Timeline) -> set[str]:
    """Every feed with an item; returns the feed files (relative to the output folder).

    A feed is made again only when what it says changed (:mod:`.digests`: at 5,000 entries,
    building the feeds' XML took 2-3 s of every build that wrote a page)."""
    out = Path(app.outdir)
    domain = kb_domain(app.env)
    names = _titles(app, line)
    site = str(app.config.html_title or app.config.project)
    author = str(app.config.author or app.config.project)
    authority = str(app.config.kb_tag_authority)
    sources = {r.id: r.name for r in domain.entries() if r.kind == "source"}
    kept = Digests(app)
    wanted: set[str] = set()
    length = int(app.config.kb_feed_length)  # validated at config-inited
    for key, every in line.feeds().items():
        items = every[:length]  # the newest: an older item's edit changes no feed
        page = feed_page(app.env, key)
        if page is None or page not in app.env.found_docs:
            continue
        path = feed_path(key)
        prefix = "../" * path.count("/")

        def url(record_id: str, prefix: str = prefix) -> str:
            record = domain.entry(record_id)
            return _page_url(app, record.docname, prefix) if record else ""

        self_url = f"{_base(app)}/{path}" if _base(app) else path.rsplit("/", 1)[-1]
        meta = FeedMeta(key, feed_title(site, key, names), _page_url(app, page, prefix),
                        self_url, author)
        named = {s: sources.get(s, s) for i in items for s in i.sources}
        says = digest((meta, items, authority, [url(i.target) for i in items],
                       sorted(named.items())))
        kept.write(path, says, functools.partial(atom, meta, items, authority, url, named))
        wanted.add(path)
    for stale in sorted((out / FEED_DIR).rglob("*.xml")) if (out / FEED_DIR).is_dir() else []:
        if str(stale.relative_to(out).as_posix()) not in wanted:
            stale.unlink()
            kept.forget(str(stale.relative_to(out).as_posix()))
    kept.save()
    return wanted


def _papers_by_person(app: Sphinx) -> dict[str, list[tuple[str, str]]]:
    """Person id -> (key, title) of the .bib records naming them in ``people``, by key."""
    out: dict[str, list[tuple[str, str]]] = {}
    if "cite" not in app.env.domains:
        return out
    entries = cite_domain(app.env).bibdata.data.entries
    for key in sorted(entries, key=str.casefold):
        for person_id in (p.strip().casefold() for p in
                          str(entries[key].fields.get("people", "")).split(",") if p.strip()):
            out.setdefault(person_id, []).append(
                (key, record_view(app.env, key, entries[key])["title"]))
    return out


@functools.cache
def _llms_code() -> str:
    """The digest of the module laying the Markdown out: a new layout makes every file again."""
    return hashlib.sha256(Path(llms.__file__).read_bytes()).hexdigest()


def _markdown(record: EntryRecord, url: str, items: list[Item],
              source_names: dict[str, str]) -> str:
    return record_page(record, url, items, source_names).markdown()


def write_llms(app: Sphinx, line: Timeline) -> None:
    """``llms.txt`` and the Markdown file of every record and person."""
    out = Path(app.outdir)
    domain = kb_domain(app.env)
    records = sorted(domain.entries(), key=lambda r: r.id)
    source_names = {r.id: r.name for r in records if r.kind == "source"}
    base = _base(app)
    sections: dict[str, list[tuple[str, str, str]]] = {h: [] for h in KIND_HEADINGS.values()}
    sections["People"] = []
    kept = Digests(app)  # a record's file made again only when what it is made from changed
    code = _llms_code()
    for record in records:
        if record.kind == "person":  # a person entry: its Markdown is written below, as people's
            continue
        md, url, items = md_path(record.docname), _page_url(app, record.docname), \
            line.about(record.id)
        summary, basis = record_basis(record, url, items, source_names)
        kept.write(md, digest((code, basis)),
                   functools.partial(_markdown, record, url, items, source_names))
        sections[KIND_HEADINGS.get(record.kind, "Other")].append(
            (record.name, f"{base}/{md}" if base else md, summary))
    kept.save()
    papers = _papers_by_person(app)
    for person in people(app.env):
        named = [(r.name, f"{base}/{md_path(r.docname)}" if base else md_path(r.docname))
                 for r in records if r.is_research and person.id in r.research.people]
        items = [i for i in line.items if person.id in i.people]
        md = md_path(person.docname)
        write_if_changed(out / md, person_page(person.name, _page_url(app, person.docname),
                                               named, items, papers.get(person.id)).markdown())
        sections["People"].append((person.name, f"{base}/{md}" if base else md, ""))
    optional = [("knowledge.json", f"{base}/knowledge.json" if base else "knowledge.json",
                 "every entry and publication as JSON, with its JSON Schema")]
    if SITE in line.feeds():
        optional.append(("Atom feed", f"{base}/{feed_path(SITE)}" if base else feed_path(SITE),
                         "news and releases"))
    order = ["Projects", "Models", "People", "News", "Sources"]
    text = llms_txt(str(app.config.html_title or app.config.project),
                    str(app.config.kb_site_summary),
                    "Every entry, person, news item and source below links to a Markdown file "
                    "generated from the knowledge base's validated data.",
                    [(h, sections[h]) for h in order] + [("Optional", optional)])
    write_if_changed(out / LLMS, text)


def write_machine_files(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: feeds, ``llms.txt`` and Markdown (HTML builders only)."""
    if exception is not None or app.builder.format != "html" or not hasattr(app.builder,
                                                                             "get_target_uri"):
        return
    if unchanged(app, Path(app.outdir, LLMS)):
        return
    line = current_timeline(app)
    write_feeds(app, line)
    write_llms(app, line)


def add_feed_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                   doctree: Any) -> None:
    """``html-page-context``: the feed of a page (home, area, person, kind index), if it has
    items."""
    state = build_state(app)
    if state.feed_links is None:
        line = current_timeline(app)
        names = _titles(app, line)
        site = str(app.config.html_title or app.config.project)
        state.feed_links = {}
        for key in line.feeds():
            page = feed_page(app.env, key)
            if page is not None:
                state.feed_links.setdefault(page, []).append((key, feed_title(site, key, names)))
    links = [f'<link rel="alternate" type="{ATOM_TYPE}" title="{escape(title)}" '
             f'href="{escape(feed_href(app.builder, pagename, key))}">\n'
             for key, title in state.feed_links.get(pagename, [])]
    if links:
        context["metatags"] = context.get("metatags", "") + "".join(links)
