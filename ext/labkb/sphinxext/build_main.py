"""``python -m labkb.sphinxext.build_main``: ``python -m sphinx`` (same arguments, same exit
code), ended without the interpreter's tear-down.

A build at institute scale leaves over a million objects alive when Sphinx returns (the
environment, the knowledge base, the graph). Python then frees them one by one as it exits: 4 to 6
seconds at 5,000 entries, more than a no-op build's own work. Here the exit handlers still run and
the standard streams are flushed; only that freeing is skipped (the system takes the memory back
at once). ``make html`` builds with it; ``make serve``'s forked builds end the same way. Before
Sphinx starts, sphinxext-opengraph's social cards are deferred (:mod:`.social_cards`), and a full
search index is left for after Sphinx has returned: the process then becomes it
(:func:`index_after`), so that the build's memory and Pagefind's are not held at once.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn


def _wind_up(exit_handlers: bool) -> None:
    """What the interpreter's exit would still do before the process is left or replaced: the
    exit handlers (``atexit``, which include ``logging.shutdown``) and flushing the streams."""
    if exit_handlers:
        atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed, or a broken pipe
            stream.flush()


def end(code: int, *, exit_handlers: bool = True) -> NoReturn:
    """Leave the process with ``code`` at once: exit handlers run first unless told not to,
    and the standard streams are flushed."""
    _wind_up(exit_handlers)
    os._exit(code)


def index_after(arguments: list[str]) -> NoReturn:
    """Become the full search index the build left (:mod:`.search_background`, ``--now``): the
    process's memory is given back before Pagefind takes its own. Its exit code is the
    command's."""
    from labkb.sphinxext import search_background

    _wind_up(exit_handlers=True)
    with contextlib.suppress(OSError):
        os.execv(sys.executable, [sys.executable, search_background.__file__, *arguments])
    end(search_background.main(arguments), exit_handlers=False)


def main(argv: Sequence[str]) -> NoReturn:
    code, after = 2, None
    try:
        from labkb.sphinxext import search_background, social_cards

        search_background.deferred = []
        social_cards.defer()
        from sphinx.cmd.build import main as sphinx_main

        code = sphinx_main(argv)
        if code == 0 and search_background.deferred:
            after = search_background.deferred[-1]
    finally:
        if after is None:
            end(code)
    index_after(after)


if __name__ == "__main__":
    main(sys.argv[1:])
