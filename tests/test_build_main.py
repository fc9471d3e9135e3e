"""``python -m labkb.sphinxext.build_main`` (what ``make html`` runs): Sphinx's command line with
its exit codes and output, ended without the interpreter's tear-down but after the exit handlers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import copy_root


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
