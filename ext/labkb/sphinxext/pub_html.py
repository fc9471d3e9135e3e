"""Publications of a list as HTML rendered once and kept between builds (HTML builders).

A .bib edit re-writes every page showing the edited record, and the full publication list shows
every record: at 5,000 records, building 5,000 node trees and translating them to HTML was most of
that re-write. For an HTML builder each publication is therefore translated once, by the builder's
own translator (the HTML is the node path's HTML, byte for byte), and kept in a file beside the
doctrees, keyed by everything it depends on: the record's text (its token, see
:mod:`labkb.core.bibread`), the list's id prefix, the "used by" entries and their relative URIs,
and, for the whole file, the lab's people, ``kb_max_authors``, the builder, its translator, and the
versions of Sphinx, docutils, Pygments and of the modules drawing a publication. A publication is
then a :class:`kb_html` node: the kept HTML, and (only while Sphinx's own search index is built)
the words that index would have taken from the node tree. Other builders keep the node path.
"""

from __future__ import annotations

import hashlib
import pickle
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docutils
import pygments  # type: ignore[import-untyped]
import sphinx
from docutils import nodes
from docutils.utils import new_document
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.writers.html5 import HTML5Translator

FILE = "kb-pubhtml.pickle"


class kb_html(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """HTML rendered earlier (``node["html"]``); its children, if any, are the text Sphinx's
    search index takes from it (the HTML translator skips them)."""


def visit_html(self: HTML5Translator, node: kb_html) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


@dataclass
class PubCache:
    """The kept HTML of the publications, by page, as the last build that wrote the page left it."""

    path: Path
    stamp: tuple[Any, ...] = ()
    pages: dict[str, dict[tuple[Any, ...], tuple[str, list[str]]]] = field(default_factory=dict)
    dirty: bool = False
    rendered: int = 0  #: publications translated by this build (tests count them)


_CACHES: weakref.WeakKeyDictionary[Sphinx, PubCache] = weakref.WeakKeyDictionary()
_SOURCES = ("pub_list.py", "pub_html.py", "badges.py", "nodes.py")


def fast_html(app: Sphinx) -> bool:
    """Whether publications are kept as HTML: for the HTML builders (and their subclasses)."""
    return isinstance(app.builder, StandaloneHTMLBuilder)


def pub_cache(app: Sphinx, lab: set[str]) -> PubCache:
    """This build's cache (read from the doctree folder on first use); emptied when what every
    publication depends on changed."""
    cache = _CACHES.get(app)
    if cache is None:
        cache = _CACHES[app] = PubCache(Path(app.doctreedir) / FILE)
        try:
            with open(cache.path, "rb") as f:
                cache.stamp, cache.pages = pickle.load(f)
        except Exception:  # missing, or written by another version: start again
            cache.stamp, cache.pages = (), {}
    stamp = _stamp(app, lab)
    if stamp != cache.stamp:
        cache.stamp, cache.pages, cache.dirty = stamp, {}, True
    return cache


def _stamp(app: Sphinx, lab: set[str]) -> tuple[Any, ...]:
    here = Path(__file__).parent
    code = hashlib.sha256(b"".join((here / name).read_bytes() for name in _SOURCES)).hexdigest()
    translator = app.builder.get_translator_class()
    return (code, sphinx.__version__, docutils.__version__, pygments.__version__,
            app.builder.name, f"{translator.__module__}.{translator.__qualname__}",
            [f"{c.__module__}.{c.__qualname__}" for c in translator.__mro__],
            app.config.kb_max_authors, repr(app.config.highlight_options),
            app.config.pygments_style, app.config.html_theme, tuple(sorted(lab)))


def save_pub_cache(app: Sphinx, exc: Exception | None) -> None:
    """``build-finished``: write the cache if this build changed it."""
    cache = _CACHES.get(app)
    if cache is None or not cache.dirty or exc is not None:
        return
    known = set(app.env.all_docs)
    pages = {doc: kept for doc, kept in cache.pages.items() if doc in known}
    tmp = cache.path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        pickle.dump((cache.stamp, pages), f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(cache.path)
    cache.dirty = False


class PageRenderer:
    """Kept HTML of one page's publications; the ones not kept are translated (and kept)."""

    def __init__(self, app: Sphinx, docname: str, cache: PubCache) -> None:
        self.app, self.docname, self.cache = app, docname, cache
        self.old = cache.pages.get(docname, {})
        self.new: dict[tuple[Any, ...], tuple[str, list[str]]] = {}
        self.searchable = bool(getattr(app.builder, "search", False))
        self.translator: Any = None

    def kept(self, key: tuple[Any, ...], make: Any) -> tuple[str, list[str]]:
        """(HTML, search words) of the publication ``key``; ``make()`` builds its node tree
        when it is not kept."""
        kept = self.old.get(key) or self.new.get(key)
        if kept is None:
            kept = self._translate(make())
        self.new[key] = kept
        return kept

    def node(self, kept: list[tuple[str, list[str]]]) -> kb_html:
        """One node for consecutive publications: their HTML one after the other."""
        node = kb_html("", html="".join(html for html, _ in kept))
        if self.searchable:
            node.extend(nodes.Text(w) for _, words in kept for w in words)
        return node

    def done(self) -> None:
        """Keep what this page showed (another list on the same page adds to it)."""
        if self.docname not in self.cache.pages or set(self.old) != set(self.new):
            self.cache.dirty = True
        self.cache.pages[self.docname] = self.new

    def _translate(self, pub: nodes.Element) -> tuple[str, list[str]]:
        builder = self.app.builder
        previous = getattr(builder, "current_docname", None)
        builder.current_docname = self.docname  # type: ignore[attr-defined]
        try:
            if self.translator is None:
                document = new_document(self.docname, builder.docsettings)  # type: ignore[attr-defined]
                self.translator = builder.create_translator(document, builder)
            body = self.translator.body
            start = len(body)
            pub.walkabout(self.translator)
            html = "".join(body[start:])
            del body[start:]
        finally:
            builder.current_docname = previous  # type: ignore[attr-defined]
        self.cache.rendered += 1
        return html, search_words(pub)


def search_words(node: nodes.Node) -> list[str]:
    """The texts Sphinx's search index takes from ``node`` (its ``WordCollector`` skips elements
    of class ``no-search`` and comments)."""
    out: list[str] = []

    def walk(n: nodes.Node) -> None:
        if isinstance(n, nodes.Text):
            out.append(n.astext())
        elif isinstance(n, nodes.Element) and not isinstance(n, nodes.comment) and \
                "no-search" not in n.get("classes", []):
            for child in n.children:
                walk(child)

    walk(node)
    return out
