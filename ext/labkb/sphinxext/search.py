"""Chinese search: teach jieba the entries' Chinese names and tags before pages are indexed.

Sphinx's Chinese splitter (jieba's ``cut_for_search``) only yields sub-words that are in jieba's
dictionary, and the browser does not segment queries, so "多模态" finds nothing when pages only say
"多模态模型". Adding the entries' words, and the common prefixes and suffixes of those words, makes
the terms that readers type index terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from labkb.sphinxext.domain import kb_domain
from labkb.sphinxext.state import build_state

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _shared_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def search_words(texts: Iterable[str]) -> list[str]:
    """Words for jieba from names and tags: each text with Chinese in it, its Chinese runs, and
    the shared prefixes and suffixes (two or more Chinese characters) of those runs.

    The longest prefix a run shares with any other is the one it shares with a neighbour in sorted
    order (suffixes: in the order of the reversed strings), so neighbours suffice: linear after
    sorting, where all pairs would be quadratic."""
    words: set[str] = set()
    runs: set[str] = set()
    for text in texts:
        found = CJK.findall(text)
        if found:
            words.add(text.strip())
            runs.update(r for r in found if len(r) >= 2)
    words |= runs
    forward = sorted(runs)
    backward = sorted(r[::-1] for r in runs)
    for a, b in pairwise(forward):
        words.add(_shared_prefix(a, b))
    for a, b in pairwise(backward):
        words.add(_shared_prefix(a, b)[::-1])
    return sorted(w for w in words if len(w) >= 2 and " " not in w)


def teach_jieba(app: Any, doctree: Any, docname: str) -> None:
    """``doctree-resolved``, in the process that indexes pages, before the first page is indexed:
    add the words of every entry to jieba (when Chinese search is on). Lazily, because loading
    jieba costs seconds that a build writing nothing need not spend."""
    env = app.env
    state = build_state(app)
    if state.jieba_env is env:
        return
    state.jieba_env = env
    if state.pagefind is not None:  # Pagefind segments Chinese itself; Sphinx's index is off
        return
    if not str(app.config.html_search_language or app.config.language or "").startswith("zh"):
        return
    try:
        import jieba
    except ImportError:  # Sphinx indexes no Chinese terms then, and says nothing: say it
        from sphinx.util import logging

        logging.getLogger(__name__).warning(
            "jieba is not installed: Chinese words will not be searchable", type="kb",
            subtype="search", once=True)
        return
    jieba.setLogLevel(30)  # its "Building prefix dict" chatter is not a build message
    texts: list[str] = []
    for record in kb_domain(env).entries():
        entry = record.entry
        if entry is not None:
            texts += [record.name, getattr(entry, "name_zh", None) or "",
                      *getattr(entry, "tags", [])]
    for word in search_words(t for t in texts if t):
        jieba.add_word(word, freq=1000)
