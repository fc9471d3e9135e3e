"""``python -m labkb.sphinxext.build_main`` (what ``make html`` runs): Sphinx's command line with
its exit codes and output, ended without the interpreter's tear-down but after the exit handlers."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_root
from labkb.sphinxext import search_changes, search_index


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600, check=False)


def test_exit_handlers_run_and_output_is_flushed_before_the_quick_exit() -> None:
    done = run("-c", "import atexit, sys\n"
                     "atexit.register(lambda: print('handler ran'))\n"
                     "from labkb.sphinxext.build_main import end\n"
                     "print('buffered', end=' '); sys.stderr.write('err')\n"
                     "end(3)\n"
                     "print('never')")
    assert (done.returncode, done.stdout, done.stderr) == (3, "buffered handler ran\n", "err")


def test_a_build_gives_sphinx_exit_codes_and_its_files(rootdir: Path, tmp_path: Path) -> None:
    src = copy_root(rootdir, "kb", tmp_path / "src")
    out, warnings = tmp_path / "html", tmp_path / "warnings.txt"
    done = run("-m", "labkb.sphinxext.build_main", "-b", "html", "-q", "-w", str(warnings),
               str(src), str(out))
    assert done.returncode == 0, done.stderr
    assert (out / "projects" / "alpha.html").is_file() and warnings.is_file()
    # a warning made an error (-W) is exit code 1, as with python -m sphinx
    (src / "index.md").write_text((src / "index.md").read_text(encoding="utf8")
                                  + "\n{entry}`no-such-entry`\n", encoding="utf8")
    failed = run("-m", "labkb.sphinxext.build_main", "-b", "html", "-q", "-W", str(src),
                 str(out))
    plain = run("-m", "sphinx", "-b", "html", "-q", "-W", str(src), str(tmp_path / "plain"))
    assert failed.returncode == plain.returncode == 1
    assert "no-such-entry" in failed.stderr
    # a bad command line: argparse's exit code 2, as with python -m sphinx
    assert run("-m", "labkb.sphinxext.build_main", "--no-such-option").returncode == 2


def test_the_full_search_index_is_made_once_sphinx_has_returned(rootdir: Path,
                                                                 tmp_path: Path) -> None:
    """The command becomes the index (its process, not one Sphinx started): the build's
    memory is given back before Pagefind takes its own."""
    src = copy_root(rootdir, "kb", tmp_path / "src")
    out, doctrees = tmp_path / "html", tmp_path / "doctrees"
    proc = subprocess.Popen([sys.executable, "-m", "labkb.sphinxext.build_main", "-b", "html",
                             "-q", "-d", str(doctrees), str(src), str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr
    assert json.loads((doctrees / "kb-pagefind.json").read_text(encoding="utf8")) == {
        "pid": proc.pid, "returncode": 0}
    assert (out / "pagefind" / "pagefind.js").is_file()
    assert not (out / ".pagefind-next").exists()
    assert json.loads((out / "pagefind" / search_changes.MANIFEST).read_text(
        encoding="utf8")) == {"added": [], "bundle": None, "superseded": []}
    assert (doctrees / search_changes.STATE).read_text(encoding="utf8") == search_changes.FRESH


def test_a_failed_index_after_the_build_is_a_located_warning_and_an_error_with_w(
        rootdir: Path, tmp_path: Path) -> None:
    package = search_index.npm_package()
    if package is None:
        pytest.skip("npm has no build of Pagefind for this machine")
    src = copy_root(rootdir, "kb", tmp_path / "src")
    binary = src / "node_modules" / "@pagefind" / package[0] / "bin" / package[1]
    binary.parent.mkdir(parents=True)
    binary.write_text("#!/bin/sh\necho 'index failed on purpose' >&2\nexit 3\n", encoding="utf8")
    binary.chmod(0o755)
    out, doctrees = tmp_path / "html", tmp_path / "doctrees"
    args = ("-m", "labkb.sphinxext.build_main", "-b", "html", "-q", "-d", str(doctrees))
    warned = run(*args, str(src), str(out))
    assert warned.returncode == 0
    assert re.search(r"conf\.py:\d+: WARNING: Pagefind could not index the site \(exit 3\): "
                     r"index failed on purpose \[kb\.search\]", warned.stderr), warned.stderr
    failed = run(*args, "-W", str(src), str(out))
    assert failed.returncode == 1
    assert "ERROR: Pagefind could not index the site (exit 3)" in failed.stderr
    assert "Traceback" not in warned.stderr + failed.stderr
    assert not (out / "pagefind").exists()
