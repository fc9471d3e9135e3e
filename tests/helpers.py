"""Small helpers shared by the tests."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from bs4 import BeautifulSoup


def html(outdir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(outdir) / page).read_text(encoding="utf8"), "html.parser")


def card_names(node) -> list[str]:
    """Names of the cards of a grid, in order."""
    return [c.get_text(strip=True) for c in node.select(".kb-card-col .kb-card-title")
            if c.get_text(strip=True)]


def grids(soup: BeautifulSoup) -> list:
    return soup.select("div.kb-grid, p.kb-empty")


def in_ci() -> bool:
    """Whether CI is set: there, what a full run needs (chromium) must be present."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def site_pages(out: Path) -> list[Path]:
    """Every HTML page of a built site (``_static/`` holds theme fragments, not pages)."""
    return sorted(p for p in Path(out).rglob("*.html") if p.relative_to(out).parts[0] != "_static")


class Recorder:
    """Which documents a build read and wrote."""

    def __init__(self, app) -> None:
        self.read: set[str] = set()
        self.written: set[str] = set()
        app.connect("env-before-read-docs", lambda app, env, docs: self.read.update(docs))
        app.connect("doctree-resolved", lambda app, doctree, doc: self.written.add(doc))


def build(make_app, src, **kwargs):
    """Build ``src`` with sphinx.testing's ``make_app``; the app and what it read and wrote."""
    app = make_app("html", srcdir=src, **kwargs)
    rec = Recorder(app)
    app.build()
    app.cleanup()  # forget global docutils registrations before the next app of this test
    return app, rec


def warnings(app) -> list[str]:
    """The warning lines of a build, without ANSI colours."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    return [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]


def touch(path: Path, text: str | None = None) -> None:
    """Write ``text`` (if given) and move the mtime ahead, so an incremental build sees a change."""
    if text is not None:
        path.write_text(text, encoding="utf8")
    later = time.time() + 5
    os.utime(path, (later, later))


def entry_record(kind: str, rid: str, lines: dict[str, int] | None = None, **data):
    """An :class:`~labkb.core.records.EntryRecord` of ``kind`` validated from ``data``, as the
    build holds it: name (a news item's title), summary and a project's or model's area are
    filled in when left out."""
    from labkb.core.records import EntryRecord
    from labkb.core.schema import ENTRY_KINDS, KINDS

    fields = {"title" if kind == "news" else "name": rid, "summary": f"About {rid}.", **data}
    if kind in ENTRY_KINDS:
        fields.setdefault("areas", ["lang"])
    folder = "people" if kind == "person" else f"{kind}s"
    return EntryRecord(rid, kind, f"{folder}/{rid}", f"{folder}/{rid}.yaml",
                       KINDS[kind].model_validate(fields), lines or {})
