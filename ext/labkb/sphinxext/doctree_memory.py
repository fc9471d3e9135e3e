"""The doctrees a serial build holds in memory between reading and writing, bounded.

A serial Sphinx build keeps every doctree it reads (``env._write_doc_doctree_cache``) so that
writing need not load it back from the file it has just written: at 5,000 entries that is about
600 MB held from the first page read to the last one written, most of the build's peak memory,
and it grows with every page. Past ``kb_doctrees_kept`` of them, the longest held is let go as
the next is read; the writer loads those from their files (about 1.3 ms each at that size, where
holding one costs some 120 kB). A parallel build holds none in this process (its workers read).
Should Sphinx rename its cache, nothing is let go: the build is as Sphinx makes it.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

CACHE = "_write_doc_doctree_cache"


def bound(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: make room for the doctree being read (Sphinx holds it once written)."""
    limit = app.config.kb_doctrees_kept  # validated at config-inited
    held = getattr(app.env, CACHE, None)
    if not limit or not isinstance(held, dict):
        return
    while len(held) >= limit:
        del held[next(iter(held))]  # the first read, held longest
