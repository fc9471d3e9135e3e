"""Pagefind run after the build has returned (``kb_search_background``, as ``make serve`` sets it).

Started by :func:`labkb.sphinxext.search_index.build_index` as a script of its own (standard library
only, so it starts in milliseconds), in a new session: it indexes the site into a staging folder
and, when Pagefind succeeds, swaps it for the served index, so a reader never sees a half-written
index. It runs at a lower priority, and a newer build stops a run still going (its process group)
when it begins, then indexes again when it ends.

    python search_background.py [--now WHERE FAIL] STATE_FILE COMMAND_JSON STAGING TARGET [FILES_JSON]

``FILES_JSON`` ({"staged": {name: text}, "done": {path: text}, "removed": [path]}): once Pagefind
has succeeded, files written into the staging folder before the swap and at their paths after it
(the manifest of :mod:`.search_changes` and its state), and folders removed (the changes).

With ``--now``, the script is the end of ``make html``'s command (:mod:`.build_main`), which
becomes it once Sphinx has returned (:data:`deferred`): the build's memory is given back before
Pagefind takes its own (at 5,000 entries, 1.1 GB and 0.7 GB, which were held together). It then
runs at normal priority, and a failure is a warning located at ``WHERE`` (an error, exit 1, when
``FAIL`` is 1: ``-W``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

#: The longest a background index may take (Pagefind waits for ever when the site's folder is
#: removed under it).
TIMEOUT_S = 1800


#: The full indexes the build left for after it (their arguments of this script), when the
#: command allows it (:mod:`.build_main` sets a list); None: the build indexes the site itself.
deferred: list[list[str]] | None = None


def defer(arguments: list[str]) -> bool:
    """Leave a full index for after Sphinx has returned, if the command allows it."""
    if deferred is None:
        return False
    deferred.append(arguments)
    return True


def tail(output: str) -> str:
    """The last lines of what Pagefind printed, for a one-line warning."""
    return " / ".join(output.strip().splitlines()[-3:]) or "no message"


def last_run(state: Path) -> dict[str, Any]:
    """What the state file says of the last run: ``pid``, then ``returncode`` (and ``stderr``)
    once it has ended; empty without a readable file."""
    try:
        last: dict[str, Any] = json.loads(state.read_text(encoding="utf8"))
    except (OSError, ValueError):
        return {}
    return last


def stop(state: Path) -> bool:
    """Stop the run that ``state`` says is still going (its process group), if it is one of ours;
    whether one was going."""
    last = last_run(state)
    if "pid" not in last or "returncode" in last:
        return False
    pid = int(last["pid"])
    cmdline = Path(f"/proc/{pid}/cmdline")
    try:
        if cmdline.exists() and b"search_background" not in cmdline.read_bytes():
            return True  # the number has been reused by another program: ours has ended
        os.killpg(pid, signal.SIGTERM)
    except (OSError, AttributeError):  # gone already, or not POSIX
        pass
    return True


def swap(staging: Path, target: Path) -> None:
    """Put ``staging`` where ``target`` is; the old index is removed after."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str]) -> int:
    now = argv[:1] == ["--now"]
    where, fail = (argv[1], argv[2] == "1") if now else ("", False)
    argv = argv[3:] if now else argv
    state, command, staging, target = Path(argv[0]), json.loads(argv[1]), Path(argv[2]), \
        Path(argv[3])
    if hasattr(os, "nice") and not now:
        os.nice(10)  # the writer's next build comes first; Pagefind inherits this
    shutil.rmtree(staging, ignore_errors=True)
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False,
                              timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        done = subprocess.CompletedProcess(command, -1, "", f"timed out after {TIMEOUT_S} s")
    files = json.loads(argv[4]) if len(argv) > 4 else {}
    if done.returncode == 0:
        for name, text in files.get("staged", {}).items():
            (staging / name).write_text(text, encoding="utf8")
        swap(staging, target)
        for path, text in files.get("done", {}).items():
            Path(path).write_text(text, encoding="utf8")
        for path in files.get("removed", []):
            shutil.rmtree(path, ignore_errors=True)
        state.write_text(json.dumps({"pid": os.getpid(), "returncode": 0}), encoding="utf8")
    else:
        shutil.rmtree(staging, ignore_errors=True)
        state.write_text(json.dumps({"pid": os.getpid(), "returncode": done.returncode,
                                     "stderr": (done.stderr or done.stdout)[-2000:]}),
                         encoding="utf8")
        if now:
            print(f"{where}: {'ERROR' if fail else 'WARNING'}: Pagefind could not index the site "
                  f"(exit {done.returncode}): {tail(done.stderr or done.stdout)} [kb.search]",
                  file=sys.stderr)
            return 1 if fail else 0
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
