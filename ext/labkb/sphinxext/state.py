"""Per-process state of one Sphinx application, kept beside it rather than on it.

What a build must remember across documents and runs lives in the ``kb`` domain's data (pickled
with the environment, merged after parallel reads). What is left here belongs to one process and
cannot be pickled: whether this process wrote pages, which environment jieba was taught, and
pybtex's open error capture while sphinxcontrib-bibtex parses the .bib files.
"""

from __future__ import annotations

import os
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx


@dataclass
class BuildState:
    written: set[str] = field(default_factory=set)  #: the pages this process wrote
    jieba_env: Any = None  #: the environment whose words jieba knows
    pybtex_capture: Any = None  #: pybtex's error capture between two builder-inited handlers
    research: Any = None  #: this build's people, authorship, lineage and graph (research.py)
    timeline: Any = None  #: this build's news and releases (:class:`labkb.core.news.Timeline`)
    feed_links: Any = None  #: page -> the ``<link rel="alternate">`` tags of its feeds
    pagefind: Any = None  #: the Pagefind binary this build indexes with (None: Sphinx's search)
    search_page: bool = False  #: Sphinx's index is off for Pagefind, so labkb adds search.html
    index_pending: bool = False  #: a background index was stopped: this build must index again

    @property
    def wrote(self) -> bool:
        """This process wrote a page (the exports may be stale)."""
        return bool(self.written)


_STATES: weakref.WeakKeyDictionary[Sphinx, BuildState] = weakref.WeakKeyDictionary()


def build_state(app: Sphinx) -> BuildState:
    """The state of ``app`` (created on first use; it goes with the application)."""
    state = _STATES.get(app)
    if state is None:
        state = _STATES[app] = BuildState()
    return state


#: The process that imported the extension: Sphinx's main process. Its parallel readers are forks.
_MAIN_PID = os.getpid()


class MainOnly(dict[str, Any]):
    """Build-wide caches in the domain data that only the main process uses (the .bib records,
    their formatted text, summaries and export records).

    With ``-j N``, each reading process sends its whole environment back to the main process,
    pickled, once per chunk of documents, and the main process takes from it only what belongs to
    the documents that chunk read. A forked reader has these caches in memory already; pickled
    there, they are left out (empty), which makes each of those round trips smaller. Pickled by
    the main process (the environment saved to disk), they are kept."""

    def __reduce__(self) -> Any:
        if in_reader():
            return (MainOnly, ())
        return (MainOnly, (), None, None, iter(self.items()))


def main_only(value: Any) -> MainOnly:
    """``value`` (a dict) as a :class:`MainOnly` dict."""
    return value if isinstance(value, MainOnly) else MainOnly(value)


def in_reader() -> bool:
    """Whether this is a process forked by Sphinx (a parallel reader or writer)."""
    return os.getpid() != _MAIN_PID


def chart_cache(app: Sphinx) -> Path:
    """Where drawn charts are kept between builds (:mod:`labkb.outputs.charts`): beside the
    doctrees, so ``make clean`` removes them with the rest of the build."""
    return Path(app.doctreedir) / "kb-charts"
