"""The pages as Pagefind reads them: each cut to its ``<html>`` tag and the part from the
``data-pagefind-body`` element to the end of the article, without the elements the index leaves
out whole, kept beside the doctrees and cut again only when the page's file changed.

Pagefind parses every page of the site on every build, and what it does not index is most of
their bytes: the theme's header, navigation and footer (the body element says what it indexes),
the parts its ``--exclude-selectors`` name (the card grids of the listing pages, the graph
page's tables, the BibTeX of every publication: 23 of the 28 MB of the five largest pages at
5,000 entries) and the elements it leaves out itself (each entry's graph is an inline SVG: 22 of
the 61 MB left of the 5,043 pages at 5,000 entries). Indexing the cut pages (a fifth of the
bytes) gives the same index, byte for byte (tested). A page without the body element (another
template, another theme) is kept whole, so Pagefind sees what it would have seen.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Where the template's body element begins (written by ``docs/_templates/page.html`` before
#: the page's body, so the first occurrence is the template's: text in the body is escaped).
BODY = "<div data-pagefind-body>"
#: Where the theme's article ends (the last one, after the body).
ARTICLE_END = "</article>"
MANIFEST = ".manifest.json"
#: Changes when :func:`cut` cuts differently, so that pages kept by older code are cut again.
CUT_VERSION = 3
_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
#: Elements whose end tag HTML requires: only these are dropped, since the end of an element
#: whose end tag may be left out (``p``, ``li``) is not found by counting tags. (``form`` and
#: ``nav`` are dropped whatever their class: :data:`PAGEFIND_REMOVES`.)
_CLOSED = "div|section|table|ul|ol|dl|span|a|figure|aside|details|article"
#: What Pagefind leaves out of every page with all it holds (``REMOVE_SELECTORS`` of its HTML
#: parser, those whose end tag HTML requires; a self-closing ``<svg/>`` is empty and stays).
PAGEFIND_REMOVES = ("svg", "form", "nav", "footer", "iframe", "label")
#: An element dropped for its tag (group 1), or one with a class attribute (groups 2 and 3).
_OPENING = re.compile(rf'<(?:({"|".join(PAGEFIND_REMOVES)})\b|({_CLOSED})\b[^>]*?'
                      r'\sclass="([^"]*)")[^>]*>')
#: Text in which a tag is not a tag (comments, scripts, styles, templates): hidden before counting.
_RAW = re.compile(r"<!--.*?-->|<(script|style|textarea|template)\b.*?</\1\s*>", re.DOTALL)
_SELECTOR = re.compile(r"\.([A-Za-z_][\w-]*)")


def whole_classes(selectors: str) -> frozenset[str]:
    """The classes of Pagefind's ``--exclude-selectors`` that are a class alone (``.kb-grid``,
    not ``.kb-graph figcaption``): an element with one is left out with all it holds."""
    classes = set()
    for selector in selectors.split(","):
        match = _SELECTOR.fullmatch(selector.strip())
        if match:
            classes.add(match.group(1))
    return frozenset(classes)


def _hide_raw(html: str) -> str:
    """``html`` with comments, scripts and styles blanked out (same length, so offsets hold)."""
    return _RAW.sub(lambda found: " " * len(found.group(0)), html)


def drop(html: str, classes: frozenset[str]) -> str:
    """``html`` without the elements that have one of ``classes`` or a tag Pagefind leaves out
    (and what they hold). A page where an element's end is not found is returned as it was:
    Pagefind then sees it whole."""
    scan = _hide_raw(html)
    kept, done, at = [], 0, 0
    while (found := _OPENING.search(scan, at)) is not None:
        at = found.end()
        tag = found.group(1)
        if tag is None:
            if classes.isdisjoint(found.group(3).split()):
                continue
            tag = found.group(2)
        elif found.group(0).endswith("/>"):
            continue
        tags = re.compile(rf"<(/?){tag}\b")
        depth = 1
        while depth:
            mark = tags.search(scan, at)
            if mark is None:
                return html
            depth += -1 if mark.group(1) else 1
            at = mark.end()
        close = scan.find(">", at)
        if close < 0:
            return html
        kept.append(html[done:found.start()])
        done = at = close + 1
    kept.append(html[done:])
    return "".join(kept)


def cut(html: str, classes: frozenset[str] = frozenset()) -> str:
    """What Pagefind needs of a page: its ``<html>`` tag (the language) and the body element,
    without the elements that have one of ``classes`` (:func:`whole_classes`)."""
    start = html.find(BODY)
    if start < 0:
        return html
    end = html.rfind(ARTICLE_END)
    opening = _HTML_TAG.search(html)
    body = drop(html[start:end if end > start else len(html)], classes)
    return ((opening.group(0) if opening else "<html>") + '<head><meta charset="utf-8"></head>'
            f"<body>{body}</body></html>\n")


def _known(manifest_file: Path, how: list[Any]) -> dict[str, list[int]]:
    """The pages the manifest lists (their time and size) if they were cut as ``how`` says."""
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict) or manifest.get("cut") != how:
        return {}
    pages = manifest.get("pages")
    return pages if isinstance(pages, dict) else {}


def _html_files(site: Path, skip: set[str]) -> Iterator[tuple[str, str, os.stat_result]]:
    """(path relative to ``site`` in POSIX form, path, stat) of each ``.html`` file below
    ``site`` outside the folders ``skip`` (relative), as ``rglob`` finds them (symbolic links to
    folders not followed). A walk of strings: at 5,000 pages, ``Path.relative_to`` and friends
    cost more than the reading of the pages that changed."""
    folders = [("", str(site))]
    while folders:
        rel, folder = folders.pop()
        with os.scandir(folder) as found:
            for entry in found:
                name = rel + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if name not in skip:
                        folders.append((name + "/", entry.path))
                elif name.endswith(".html") and entry.is_file():
                    yield name, entry.path, entry.stat()


@dataclass(frozen=True)
class Update:
    """What :func:`update` did: the pages it cut (new or changed) and those it removed, as paths
    of the site's HTML, and how many pages the folder holds."""

    cut: frozenset[str]
    gone: frozenset[str]
    total: int


def update(site: Path, pages: Path, skip: str, classes: frozenset[str] = frozenset()) -> Update:
    """Bring ``pages`` up to date with the HTML files of ``site`` (apart from the folder
    ``skip``, the index itself, and ``pages`` when it is inside ``site``, as it is when the
    doctrees are): cut what changed (known by its time and size; every page when ``classes``
    or the cutting changed), remove what went."""
    manifest_file = pages / MANIFEST
    how: list[Any] = [CUT_VERSION, sorted(classes)]
    known = _known(manifest_file, how)
    seen: dict[str, list[int]] = {}
    cut_now = set()
    inside = pages.resolve().relative_to(site.resolve()).as_posix() \
        if pages.resolve().is_relative_to(site.resolve()) else None
    for rel, path, stat in _html_files(site, {skip} if inside is None else {skip, inside}):
        seen[rel] = [stat.st_mtime_ns, stat.st_size]
        target = pages / rel
        if known.get(rel) == seen[rel] and target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(cut(Path(path).read_text(encoding="utf8", errors="replace"), classes),
                          encoding="utf8")
        cut_now.add(rel)
    # without a usable manifest, what the folder holds is unknown: look
    gone = (set(known) if known else {f.relative_to(pages).as_posix()
                                      for f in pages.rglob("*.html")}) - set(seen)
    for rel in gone:
        (pages / rel).unlink(missing_ok=True)
    pages.mkdir(parents=True, exist_ok=True)
    manifest_file.write_text(json.dumps({"cut": how, "pages": seen}, sort_keys=True),
                             encoding="utf8")
    return Update(frozenset(cut_now), frozenset(gone), len(seen))
