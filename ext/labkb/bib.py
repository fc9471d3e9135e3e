"""Sphinx side of the .bib checks: keep sphinxcontrib-bibtex from dropping entries after a bad
one, and report syntax errors and duplicate keys with their locations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pybtex.errors
from docutils import nodes
from sphinx.application import Sphinx

from .bibcheck import check_bibfiles
from .parser import warn
from .schema import unsafe_uri


def begin_lenient_parse(app: Sphinx) -> None:
    """``builder-inited`` before sphinxcontrib-bibtex: collect pybtex errors instead of raising,
    so one malformed entry or duplicate key does not discard the rest of its file."""
    if "bibtex_bibfiles" in app.config:
        app._labkb_pybtex = pybtex.errors.capture()  # type: ignore[attr-defined]
        app._labkb_pybtex.__enter__()  # type: ignore[attr-defined]


def end_lenient_parse(app: Sphinx) -> None:
    """``builder-inited`` after sphinxcontrib-bibtex: stop collecting; report our own checks."""
    capture: Any = getattr(app, "_labkb_pybtex", None)
    if capture is None:
        return
    capture.__exit__(None, None, None)
    app._labkb_pybtex = None  # type: ignore[attr-defined]
    paths = [Path(app.confdir, p) for p in app.config.bibtex_bibfiles]
    for problem in check_bibfiles(paths):
        warn(problem)


def known_keys(env: Any) -> Any | None:
    """The parsed .bib entries (a case-insensitive mapping), or None without sphinxcontrib-bibtex."""
    if "cite" not in env.domains:
        return None
    return env.get_domain("cite").bibdata.data.entries


def cached_bibtex_domain() -> type | None:
    """sphinxcontrib-bibtex's domain, re-formatting its bibliographies only when something they
    depend on changed (it formats every entry on every build: seconds on a build that read
    nothing). Formatting depends on the documents read and the .bib files; when neither changed,
    the citations pickled with the environment are still right."""
    try:
        from sphinxcontrib.bibtex.domain import BibtexDomain
    except ImportError:
        return None

    class CachedBibtexDomain(BibtexDomain):
        def env_updated(self):  # type: ignore[no-untyped-def]
            env = self.env
            stamp = {str(path): info.mtime for path, info in self.bibdata.bibfiles.items()}
            unchanged = (not getattr(env, "_labkb_reread", True)
                         and env.get_domain("kb").data.get("bibstamp") == stamp
                         and self.citations)
            return [] if unchanged else super().env_updated()

    return CachedBibtexDomain


def drop_unsafe_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: sphinxcontrib-bibtex links a record's ``url`` as written; in its
    bibliographies keep only http(s) and relative links (``javascript:`` would run on a click).
    :func:`labkb.bibcheck.check_bibfiles` reports those records."""
    for holder in [*doctree.findall(nodes.citation), *doctree.findall(nodes.footnote)]:
        for ref in list(holder.findall(nodes.reference)):
            if unsafe_uri(ref.get("refuri", "")):
                ref.replace_self(nodes.inline("", "", *ref.children))
