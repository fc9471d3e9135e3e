"""The build itself: offline (no request at build time) and deterministic (identical output)."""

from __future__ import annotations

import filecmp
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import REPO

#: Files allowed to differ between two clean builds, with why. (None at present.)
INTENDED_DIFFERENCES: dict[str, str] = {}
#: Pagefind's filter and metadata indexes (and the entry file naming them) are not byte-stable
#: between runs on identical HTML (Pagefind/pagefind#638: fragments are stable since 1.3, "other
#: files will still change, such as the filter/metadata indexes"): their names and bytes are left
#: out, their number is compared. Its fragments and word indexes are compared byte for byte.
UNSTABLE_SUFFIXES = (".pf_filter", ".pf_meta", "pagefind/pagefind-entry.json")

BLOCK_NETWORK = textwrap.dedent('''
    import os, socket

    LOG = os.environ["LABKB_NETWORK_LOG"]

    def _refuse(*args, **kwargs):
        with open(LOG, "a", encoding="utf8") as log:
            log.write(repr(args[:2]) + "\\n")
        raise OSError("network access during the build")

    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
''')


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_offline_build_is_identical_to_the_first(site, tmp_path):
    """A second clean build, with every socket refused, makes no request and the same files."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(BLOCK_NETWORK, encoding="utf8")
    log = tmp_path / "network.log"
    out = tmp_path / "html"
    env = {"PYTHONPATH": str(hook), "LABKB_NETWORK_LOG": str(log), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    # the hook works: a process trying the network is refused and logged
    probe = subprocess.run([sys.executable, "-c", "import socket\n"
                            "try: socket.create_connection(('127.0.0.1', 9))\nexcept OSError: pass"],
                           env=env, capture_output=True, text=True)
    assert probe.returncode == 0 and log.exists(), probe.stderr
    log.unlink()
    cmd = [sys.executable, "-m", "sphinx", "-W", "-n", "-E", "-b", "html", "-c", str(REPO),
           "-d", str(tmp_path / "doctrees"), str(REPO / "docs"), str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not log.exists(), "the build tried the network:\n" + log.read_text(encoding="utf8")

    first, second = _files(site), _files(out)
    unstable = [[n for n in names if n.endswith(UNSTABLE_SUFFIXES)] for names in (first, second)]
    assert len(unstable[0]) == len(unstable[1]) > 0
    first, second = ([n for n in names if not n.endswith(UNSTABLE_SUFFIXES)]
                     for names in (first, second))
    assert first == second
    differing = [name for name in first
                 if not filecmp.cmp(site / name, out / name, shallow=False)]
    assert sorted(set(differing) - set(INTENDED_DIFFERENCES)) == []
    print(f"deterministic: {len(first)} files compared, {len(differing)} differ")
