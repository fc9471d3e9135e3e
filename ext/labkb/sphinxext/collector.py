"""Python's cycle collector kept off what the build has loaded (``gc.freeze``).

At 5,000 entries the pickled environment and the knowledge base are over a million objects, and
each of the collector's full passes walks every object alive: five while the environment is
unpickled (each walking more of it), more while pages are written; 1.4 s of a 5 s no-op build,
2.5 s of an entry edit. Nothing loaded there becomes garbage while the build runs, so the
collector is paused from the configuration's check to the builder's start (the environment is
then loaded, and nothing made in between forms cycles), and what is alive then is frozen: moved
where the collector does not look. What the build makes after is collected as before (the
doctrees it reads and writes are, and they are full of cycles, so it is not frozen again), and
the build's end unfreezes it all, so a process that runs several builds (the tests) frees each
one. Freezing before ``-j``'s workers fork also keeps the memory they share from being copied,
the advice of :func:`gc.freeze`'s documentation.
"""

from __future__ import annotations

import gc
from typing import Any


def pause(*_: Any) -> None:
    """``config-inited`` (last): no collection while the environment is loaded."""
    gc.disable()


def freeze(*_: Any) -> None:
    """``builder-inited`` (last): what is alive now stays alive through the build, so the
    collector need not walk it; collecting resumes."""
    gc.freeze()
    gc.enable()


def unfreeze(*_: Any) -> None:
    """``build-finished``: what was frozen is the collector's again."""
    gc.unfreeze()
    gc.enable()
