"""``make serve``: sphinx-autobuild, each rebuild forked from a process that has imported Sphinx
and the site's extensions already.

sphinx-autobuild starts ``python -m sphinx`` for every rebuild, and each new process imports
Sphinx, the theme, matplotlib (which sphinxext-opengraph imports) and the extensions again: about
2 s of every rebuild of this site before a page is read. Here one long-lived process, the zygote,
imports them once and forks a child per rebuild that runs ``sphinx.cmd.build.main``: the same code
and the same fresh state as a new process, without the imports. The zygote never builds, so no
build leaves state behind for the next. When the file of a module it imported changes (the
extension being edited, a package upgraded), it is started anew. Without ``os.fork`` (Windows),
rebuilds run as sphinx-autobuild runs them.

    python -m labkb.sphinxext.serve [sphinx-autobuild's arguments]

It also sets ``kb_search_background``: Pagefind's index follows each rebuild in the background, so
the page shows first (:mod:`labkb.sphinxext.search_background`).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sphinx_autobuild.build import Builder
from sphinx_autobuild.utils import show_command, show_message

from labkb.sphinxext.build_main import end

#: The zygote's answer when a module it imported has changed on disk since.
STALE = "stale"


def _stamps() -> dict[str, float]:
    out = {}
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path:
            with contextlib.suppress(OSError):
                out[path] = os.stat(path).st_mtime
    return out


def _changed(stamps: dict[str, float]) -> bool:
    for path, mtime in stamps.items():
        try:
            if os.stat(path).st_mtime != mtime:
                return True
        except OSError:
            return True
    return False


def preload(confdir: str) -> None:
    """Import Sphinx's HTML build, then what ``conf.py`` names (its extensions and theme).

    Only imports: no extension is set up, so every child sets up its own application."""
    import sphinx.application
    import sphinx.builders.html
    import sphinx.cmd.build  # noqa: F401
    from sphinx.config import Config
    from sphinx.util.tags import Tags

    try:
        config = Config.read(Path(confdir), overrides={}, tags=Tags())
    except Exception:  # a broken conf.py: the build will say what is wrong
        return
    raw = getattr(config, "_raw_config", {})  # the theme is not a registered value yet
    names = [*config.extensions, str(raw.get("html_theme", "")).replace("-", "_")]
    for name in names:
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def _child(args: list[str]) -> None:
    """In the forked child: one build, as ``python -m sphinx build`` would run it."""
    from sphinx.cmd.build import main

    code = 1
    try:
        code = main(args)
    finally:  # the zygote's exit handlers are not this build's
        end(code, exit_handlers=False)


def zygote(confdir: str, address: str, owner: int) -> None:
    """The zygote's loop: on the Unix socket ``address``, each connection sends a JSON list of
    arguments and a newline, and gets the build's exit code back (or :data:`STALE`, and the
    zygote ends). It also ends when the process ``owner`` (sphinx-autobuild) has gone."""
    preload(confdir)
    stamps = _stamps()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    Path(address).parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.unlink(address)
    server.bind(address)
    server.listen()
    server.settimeout(1.0)
    with server:
        while _alive(owner):
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection, connection.makefile("rw") as stream:
                args = json.loads(stream.readline())
                if _changed(stamps):  # the address is free before the next zygote is asked for
                    os.unlink(address)
                    stream.write(STALE + "\n")
                    return
                stream.write(f"{_fork_build(args)}\n")
    with contextlib.suppress(OSError):  # sphinx-autobuild has gone
        os.unlink(address)
        os.rmdir(Path(address).parent)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it exists
        return True
    return True


def _fork_build(args: list[str]) -> int:
    pid = os.fork()
    if pid == 0:
        _child(args)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


class Zygote:
    """How a builder reaches its zygote: the socket's address and the process that owns the
    server. Only these two values, so the builder pickles (sphinx-autobuild runs each rebuild
    in a worker process it sends the builder to)."""

    def __init__(self, confdir: str, owner: int | None = None) -> None:
        self.confdir = confdir
        self.owner = owner or os.getpid()
        self.address = str(Path(tempfile.mkdtemp(prefix="labkb-serve-")) / "zygote.sock")
        self.start()

    def start(self) -> None:
        subprocess.Popen([sys.executable, "-m", "labkb.sphinxext.serve", "--zygote",
                          self.confdir, self.address, str(self.owner)], stdin=subprocess.DEVNULL)

    def _connect(self, wait: float = 120.0) -> socket.socket | None:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                client.connect(self.address)
                return client
            except OSError:  # not listening yet (importing), or gone
                client.close()
                time.sleep(0.05)
        return None

    def build(self, args: list[str]) -> int | None:
        """The build's exit code; None when the zygote was stale (a new one is then started)
        or cannot be reached."""
        client = self._connect()
        if client is None:  # it failed to start or has died: a new one for the next try
            self.start()
            return None
        with client, client.makefile("rw") as stream:
            stream.write(json.dumps(args) + "\n")
            stream.flush()
            reply = stream.readline().strip()
        if reply.lstrip("-").isdigit():
            return int(reply)
        self.start()
        return None


def confdir_of(sphinx_args: Sequence[str]) -> str:
    from sphinx.cmd.build import get_parser

    parsed, _ = get_parser().parse_known_args(list(sphinx_args))
    return str(parsed.confdir or parsed.sourcedir)


class ForkingBuilder(Builder):  # type: ignore[misc]
    """sphinx-autobuild's builder, its Sphinx runs forked from a :class:`Zygote`."""

    def __init__(self, sphinx_args: list[str], **kwargs: Any) -> None:
        super().__init__(sphinx_args, **kwargs)
        self.zygote = Zygote(confdir_of(sphinx_args))

    def sphinx(self) -> int:
        args = ["build", *self.sphinx_args]
        show_command(["python", "-m", "sphinx", *args])
        for _ in range(2):  # a stale zygote is replaced once
            code = self.zygote.build(self.sphinx_args)
            if code is not None:
                return code
        return subprocess.run([sys.executable, "-m", "labkb.sphinxext.build_main", *args],
                              check=False).returncode

    def __call__(self, *, changed_paths: Sequence[Path]) -> None:
        """As sphinx-autobuild's (its messages, pre- and post-build commands)."""
        if changed_paths:
            show_message("Detected changes (" + ", ".join(
                p.as_posix() for p in changed_paths[:5]) + ")")
            show_message("Rebuilding...")
        if self._run_commands(self.pre_build_commands, "pre-build") != 0:
            return
        code = self.sphinx()
        if code != 0:
            print(f"Sphinx exited with exit code: {code}")
            print("The server will continue serving the build folder, but the contents being "
                  "served are no longer in sync with the documentation sources. Please fix the "
                  "cause of the error above or press Ctrl+C to stop the server.")
        else:
            self._run_commands(self.post_build_commands, "post-build")
        show_message(f"Serving on {self.uri}")


def main(argv: list[str]) -> None:
    """sphinx-autobuild with ``argv``, Pagefind's index following each build in the background
    (``kb_search_background``: the page shows first)."""
    if argv[:1] == ["--zygote"]:
        zygote(argv[1], argv[2], int(argv[3]))
        return
    import sphinx_autobuild.__main__ as autobuild

    if hasattr(os, "fork"):
        autobuild.Builder = ForkingBuilder
    autobuild.main([*argv, "-D", "kb_search_background=1"])


if __name__ == "__main__":
    main(sys.argv[1:])
