"""Per-process state of one Sphinx application, kept beside it rather than on it.

What a build must remember across documents and runs lives in the ``kb`` domain's data (pickled
with the environment, merged after parallel reads). What is left here belongs to one process and
cannot be pickled: whether this process wrote pages, which environment jieba was taught, and
pybtex's open error capture while sphinxcontrib-bibtex parses the .bib files.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx


@dataclass
class BuildState:
    wrote: bool = False  #: this process wrote a page (the exports may be stale)
    jieba_env: Any = None  #: the environment whose words jieba knows
    pybtex_capture: Any = None  #: pybtex's error capture between two builder-inited handlers
    research: Any = None  #: this build's people, authorship, lineage and graph (research.py)
    timeline: Any = None  #: this build's news and releases (:class:`labkb.core.news.Timeline`)
    feed_links: Any = None  #: page -> the ``<link rel="alternate">`` tags of its feeds
    pagefind: Any = None  #: the Pagefind binary this build indexes with (None: Sphinx's search)


_STATES: weakref.WeakKeyDictionary[Sphinx, BuildState] = weakref.WeakKeyDictionary()


def build_state(app: Sphinx) -> BuildState:
    """The state of ``app`` (created on first use; it goes with the application)."""
    state = _STATES.get(app)
    if state is None:
        state = _STATES[app] = BuildState()
    return state
