"""News and releases on pages: news item pages, ``kb-news`` lists (home, news index, entry pages).

Lists are placeholders at read time, filled at write time from the build's timeline
(:mod:`labkb.core.news`), so editing a news item re-reads only its file and re-writes the pages
whose lists (or feed links) change: :func:`timeline_pages` tells :mod:`labkb.sphinxext.incremental`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import NoUri
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from labkb.core.news import SITE, Item, Timeline, dated_papers, timeline
from labkb.core.newsitem import News
from labkb.core.records import EntryRecord
from labkb.outputs.feeds import feed_path
from labkb.sphinxext.badges import badge, kind_badge, paragraph
from labkb.sphinxext.bibindex import record_view
from labkb.sphinxext.blocks import field_list, section
from labkb.sphinxext.domain import cite_domain, kb_domain
from labkb.sphinxext.nodes import kb_news
from labkb.sphinxext.people import person_docname
from labkb.sphinxext.sources import derived_section, sources_section
from labkb.sphinxext.state import build_state

logger = logging.getLogger(__name__)
SCOPES = ("entry", "person", "area")


class NewsDirective(SphinxDirective):
    """``kb-news``: the newest news items and releases, optionally of one ``:entry:``,
    ``:person:`` or ``:area:``, only ``:kind:`` news or release, at most ``:limit:``."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        **{name: directives.unchanged_required for name in SCOPES},
        "kind": lambda v: directives.choice(v, ("news", "release")),
        "limit": directives.positive_int,
    }

    def run(self) -> list[nodes.Node]:
        scope = {name: self.options[name].strip() for name in (*SCOPES, "kind")
                 if name in self.options}
        scope["limit"] = self.options.get("limit")
        return [placeholder(self, scope)]


def placeholder(directive: SphinxDirective, scope: dict[str, Any]) -> kb_news:
    kb_domain(directive.env).data["timelines"].setdefault(directive.env.docname, []).append(scope)
    node = kb_news("", scope=scope)
    directive.set_source_info(node)
    return node


def entry_news(directive: SphinxDirective, entry_id: str) -> nodes.container:
    """An entry page's "News and releases", dropped at write time when it has none: a rubric,
    not a section, since the page's table of contents is made at read time and must not link to
    a heading that goes."""
    box = nodes.container("", nodes.rubric("", "News and releases"), ids=["news-and-releases"],
                          classes=["kb-news-section"])
    box += placeholder(directive, {"entry": entry_id, "limit": None})
    return box


# -- the build's timeline --------------------------------------------------------------------------
def _papers(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    """The .bib records that give a full date: their titles and dates, by case-folded key."""
    if "cite" not in env.domains:
        return {}
    records = cite_domain(env).bibdata.data.entries
    return dated_papers((key, record_view(env, key, entry)["title"], entry.fields.get("date", ""))
                        for key, entry in records.items())


def compute_timeline(env: BuildEnvironment) -> Timeline:
    """The timeline of every record of the build (the .bib records' dates included)."""
    return timeline(kb_domain(env).entries(), _papers(env))


def current_timeline(app: Sphinx) -> Timeline:
    state = build_state(app)
    if state.timeline is None:
        state.timeline = compute_timeline(app.env)
    return state.timeline  # type: ignore[no-any-return]


def feed_page(env: BuildEnvironment, key: str) -> str | None:
    """The page a feed belongs to (its ``<link rel="alternate">``)."""
    what, _, ident = key.partition("/")
    if key == SITE:
        return str(env.config.root_doc)
    if what == "area":
        return f"{env.config.kb_area_dir}/{ident}"
    if what == "person":
        return person_docname(env, ident)
    folder = next((f for f, k in env.config.kb_entry_dirs.items() if k == ident), None)
    return f"{folder}/index" if what == "kind" and folder else None


def timeline_pages(app: Sphinx, env: BuildEnvironment, reread: set[str],
                   old: dict[str, EntryRecord]) -> set[str]:
    """Pages whose news lists or feed links differ from the last build's (``env-get-updated``).
    The new timeline is kept for this build's writers, the papers' dates for the next build."""
    domain = kb_domain(env)
    papers = _papers(env)
    old_papers = domain.data.get("paperdates", {})
    domain.data["paperdates"] = papers
    after = build_state(app).timeline = timeline(domain.entries(), papers)
    build_state(app).feed_links = None
    lists: dict[str, list[dict[str, Any]]] = domain.data["timelines"]
    if not (reread or old) and papers == old_papers:
        return set()
    now = {r.docname: r for r in domain.entries()}
    was = {d: r for d, r in now.items() if d not in reread}
    was.update({d: r for d, r in old.items() if r.entry is not None})
    before = timeline(was.values(), old_papers)
    out = {doc for doc, scopes in lists.items()
           if any([i.shown() for i in before.select(s)] != [i.shown() for i in after.select(s)]
                  for s in scopes)}
    changed = set(before.feeds()) ^ set(after.feeds())
    return out | {p for k in changed if (p := feed_page(env, k))}


# -- rendering ----------------------------------------------------------------------------------------
def item_node(builder: Any, docname: str, item: Item) -> nodes.list_item:
    env = builder.env
    record = kb_domain(env).entry(item.target)
    title: nodes.Node = nodes.Text(item.title)
    if record is not None and record.docname != docname:
        try:
            uri = builder.get_relative_uri(docname, record.docname)
            title = nodes.reference("", item.title, refuri=uri, internal=True)
        except NoUri:
            pass
    date = f"{item.date} (year only)" if item.year_only else item.date
    para = paragraph(nodes.inline("", date, classes=["kb-news-date"]),
                     badge("News" if item.kind == "news" else "Release",
                           "info" if item.kind == "news" else "success", outline=True),
                     nodes.strong("", "", title))
    li = nodes.list_item("", para, classes=["kb-news-item"])
    li += paragraph(nodes.Text(item.summary), classes=["kb-news-summary"])
    return li


def feed_key(scope: dict[str, Any]) -> str | None:
    """The feed a list's items are (all of) the items of, if any."""
    if scope.get("entry") or (scope.get("kind") == "release"):
        return None
    if scope.get("person"):
        return None if scope.get("area") or scope.get("kind") else f"person/{scope['person']}"
    if scope.get("area"):
        return None if scope.get("kind") else f"area/{scope['area']}"
    return "kind/news" if scope.get("kind") == "news" else SITE


def feed_href(builder: Any, docname: str, key: str) -> str:
    depth = str(builder.get_target_uri(docname)).count("/")
    return "../" * depth + feed_path(key)


def _check_scope(env: BuildEnvironment, node: kb_news) -> None:
    """A ``kb-news`` option naming nothing is a located ``kb.ref`` warning (the list is empty)."""
    scope = node["scope"]
    known = {"entry": kb_domain(env).entry(scope.get("entry", "")) is not None,
             "person": person_docname(env, scope.get("person", "")) in env.found_docs,
             "area": f"{env.config.kb_area_dir}/{scope.get('area', '')}" in env.found_docs}
    for name, found in known.items():
        if scope.get(name) and not found:
            logger.warning("kb-news: unknown %s id %r", name, scope[name], location=node,
                           type="kb", subtype="ref")


def fill_news(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: each ``kb-news`` placeholder becomes its list (an entry page's
    section goes when there is nothing to list)."""
    placeholders = list(doctree.findall(kb_news))
    if not placeholders:
        return
    line = current_timeline(app)
    feeds = line.feeds()
    for node in placeholders:
        _check_scope(app.env, node)
        items = line.select(node["scope"])
        parent = node.parent
        if not items and isinstance(parent, nodes.container) and "kb-news-section" in \
                parent["classes"]:
            parent.parent.remove(parent)
            continue
        if not items:
            node.replace_self(nodes.paragraph("", "No news yet.", classes=["kb-empty"]))
            continue
        listing = nodes.bullet_list("", *(item_node(app.builder, docname, i) for i in items),
                                    classes=["kb-news"])
        out: list[nodes.Node] = [listing]
        key = feed_key(node["scope"])
        if key in feeds and app.builder.format == "html":
            out.append(paragraph(nodes.reference("", "Atom feed", refuri=feed_href(
                app.builder, docname, key)), classes=["kb-feed-link"]))
        node.replace_self(out)


def news_page(directive: Any, record: EntryRecord, item: News) -> nodes.section:
    """The page of a news item: headline, date, summary, what it is about, its sources."""
    page = section(item.title, record.anchor)
    page["classes"] += ["kb-entry", "kb-kind-news"]
    page["names"] = [record.anchor]
    directive.state.document.note_explicit_target(page)
    day = item.date.isoformat()
    page += paragraph(nodes.Text(item.summary), classes=["lead", "kb-summary"])
    page += paragraph(kind_badge("news"), badge(day, "secondary", outline=True),
                      classes=["kb-badges"])
    rows: list[tuple[str, list[nodes.Node]]] = [("Date", [nodes.Text(day)])]
    if item.entries:
        rows.append(("About", directive.joined([directive.entry_ref(e) for e in item.entries])))
    if item.people:
        rows.append(("People", directive.joined(
            [directive.doc_ref(person_docname(directive.env, p)) for p in item.people])))
    if item.link:
        rows.append(("Link", [nodes.reference("", item.link, refuri=item.link)]))
    page += field_list(rows)
    if item.sources:
        page += sources_section(item.sources, directive.env.docname)
    derived = derived_section(item)
    if derived is not None:
        page += derived
    return page
