"""The pages as Pagefind reads them: each cut to its ``<html>`` tag and the part from the
``data-pagefind-body`` element to the end of the article, kept beside the doctrees and cut again
only when the page's file changed.

Pagefind parses every page of the site on every build, and the theme's header, navigation and
footer (which it does not index: the body element says what it does) are two thirds of each
page's bytes. Indexing the cut pages gives the same index, byte for byte (tested), about a third
sooner at 5,000 pages. A page without the body element (another template, another theme) is
kept whole, so Pagefind sees what it would have seen.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

#: Where the template's body element begins (written by ``docs/_templates/page.html`` before
#: the page's body, so the first occurrence is the template's: text in the body is escaped).
BODY = "<div data-pagefind-body>"
#: Where the theme's article ends (the last one, after the body).
ARTICLE_END = "</article>"
MANIFEST = ".manifest.json"
_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)


def cut(html: str) -> str:
    """What Pagefind needs of a page: its ``<html>`` tag (the language) and the body element."""
    start = html.find(BODY)
    if start < 0:
        return html
    end = html.rfind(ARTICLE_END)
    opening = _HTML_TAG.search(html)
    return ((opening.group(0) if opening else "<html>") + '<head><meta charset="utf-8"></head>'
            f"<body>{html[start:end if end > start else len(html)]}</body></html>\n")


def update(site: Path, pages: Path, skip: str) -> int:
    """Bring ``pages`` up to date with the HTML files of ``site`` (apart from the folder
    ``skip``, the index itself, and ``pages`` when it is inside ``site``, as it is when the
    doctrees are): cut what changed (known by its time and size), remove what went.
    Returns how many pages were cut."""
    manifest_file = pages / MANIFEST
    try:
        known: dict[str, list[int]] = json.loads(manifest_file.read_text(encoding="utf8"))
    except (OSError, ValueError):
        known = {}
    seen: dict[str, list[int]] = {}
    count = 0
    inside = pages.resolve().relative_to(site.resolve()).as_posix() \
        if pages.resolve().is_relative_to(site.resolve()) else None
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(f"{skip}/") or (inside is not None and rel.startswith(f"{inside}/")):
            continue
        stat = path.stat()
        seen[rel] = [stat.st_mtime_ns, stat.st_size]
        target = pages / rel
        if known.get(rel) == seen[rel] and target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(cut(path.read_text(encoding="utf8", errors="replace")),
                          encoding="utf8")
        count += 1
    for rel in set(known) - set(seen):
        (pages / rel).unlink(missing_ok=True)
    pages.mkdir(parents=True, exist_ok=True)
    manifest_file.write_text(json.dumps(seen, sort_keys=True), encoding="utf8")
    return count
