"""Pagefind run after the build has returned (``kb_search_background``, as ``make serve`` sets it).

Started by :func:`labkb.sphinxext.search_index.build_index` as a script of its own (standard library
only, so it starts in milliseconds), in a new session: it indexes the site into a staging folder
and, when Pagefind succeeds, swaps it for the served index, so a reader never sees a half-written
index. It runs at a lower priority, and a newer build stops a run still going (its process group)
when it begins, then indexes again when it ends.

    python search_background.py STATE_FILE COMMAND_JSON STAGING TARGET
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path


def swap(staging: Path, target: Path) -> None:
    """Put ``staging`` where ``target`` is; the old index is removed after."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str]) -> int:
    state, command, staging, target = Path(argv[0]), json.loads(argv[1]), Path(argv[2]), \
        Path(argv[3])
    if hasattr(os, "nice"):
        os.nice(10)  # the writer's next build comes first; Pagefind inherits this
    shutil.rmtree(staging, ignore_errors=True)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        swap(staging, target)
        state.write_text(json.dumps({"pid": os.getpid(), "returncode": 0}), encoding="utf8")
    else:
        shutil.rmtree(staging, ignore_errors=True)
        state.write_text(json.dumps({"pid": os.getpid(), "returncode": done.returncode,
                                     "stderr": (done.stderr or done.stdout)[-2000:]}),
                         encoding="utf8")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
