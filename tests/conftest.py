"""Shared fixtures: sphinx.testing with the roots under tests/roots, and the real site's build."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)
collect_ignore = ["roots"]

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent.resolve() / "roots"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once from clean with -W -n exactly as ``make html`` does."""
    out = tmp_path_factory.mktemp("site")
    cmd = [sys.executable, "-m", "sphinx", "-W", "-n", "-E", "-b", "html", "-c", str(REPO),
           "-d", str(out / "doctrees"), str(REPO / "docs"), str(out / "html")]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    assert "Traceback" not in proc.stderr
    return out / "html"


def copy_root(rootdir: Path, name: str, dest: Path) -> Path:
    """A private copy of a test root, for tests that edit sources."""
    target = dest / name
    shutil.copytree(rootdir / f"test-{name}", target)
    return target


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say, in the last lines (after pytest's own summary, before its count), when the browser
    tests did not run: a partial run must not pass for a full one."""
    yield
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if "tests/browser/" in str(getattr(r, "fspath", "")) or "browser" in r.nodeid]
    if skipped:
        terminalreporter.write_sep("=", "NOT A FULL RUN", yellow=True, bold=True)
        terminalreporter.write_line(
            f"{len(skipped)} browser tests were skipped (no chromium or Playwright). "
            "To run them: apt-get install chromium   (then: make test)")
