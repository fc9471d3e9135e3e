"""Project hygiene: the README's schema table is generated, the code is ruff clean."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from labkb.cli.commands import main
from labkb.core.schema_docs import markdown_table, person_table

REPO = Path(__file__).resolve().parent.parent


def test_readme_schema_table_is_generated_from_the_schema():
    readme = (REPO / "README.md").read_text(encoding="utf8")
    start = readme.index("<!-- schema-table:start -->\n") + len("<!-- schema-table:start -->\n")
    end = readme.index("\n<!-- schema-table:end -->")
    assert readme[start:end] == markdown_table(), "run: labkb schema --markdown"
    start = readme.index("<!-- person-table:start -->\n") + len("<!-- person-table:start -->\n")
    end = readme.index("\n<!-- person-table:end -->")
    assert readme[start:end] == person_table(), "run: labkb schema --markdown --kind person"


def test_ruff_clean():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "ext", "tests", "benchmarks", "conf.py"],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cli_check_passes_on_the_real_entries(capsys):
    assert main(["check", "--docs", str(REPO / "docs")]) == 0
    assert ", 0 problems" in capsys.readouterr().err


def test_cli_check_fails_with_located_problems(tmp_path, capsys):
    (tmp_path / "projects").mkdir()
    (tmp_path / "research").mkdir()
    (tmp_path / "research" / "vision.md").write_text("# Vision\n")
    (tmp_path / "projects" / "x.yaml").write_text("name: X\nsummary: s\nareas: [visoin]\n")
    assert main(["check", "--docs", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'projects' / 'x.yaml'}:3: areas[0]: unknown research area 'visoin'" in err


def test_makefile_says_what_is_missing_without_python_3_12(tmp_path):
    if Path("/usr/bin/python3.12").exists() or Path("/usr/bin/python3.13").exists():
        pytest.skip("this machine has a system Python >= 3.12")
    proc = subprocess.run(["make", f"VENV={tmp_path / 'venv'}", "html"], cwd=REPO,
                          capture_output=True, text=True,
                          env={"PATH": f"{tmp_path}:/usr/bin:/bin", "HOME": str(tmp_path)})
    assert proc.returncode != 0
    assert "labkb needs Python 3.12 or newer" in proc.stdout + proc.stderr
    assert not (tmp_path / "venv").exists()


def test_make_help_lists_the_targets():
    out = subprocess.run(["make", "help"], cwd=REPO, capture_output=True, text=True).stdout
    for target in ("html", "test", "serve", "linkcheck", "clean", "bench"):
        assert target in out, target


def test_make_test_says_when_the_browser_tests_were_skipped(tmp_path):
    """Without chromium (and CI unset) the run's last lines say it was partial, and how to fix it."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PATH"] = str(Path(sys.executable).parent) + ":/nonexistent"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           "tests/browser/test_screenshots.py"], cwd=REPO, capture_output=True,
                          text=True, env=env)
    tail = proc.stdout.strip().splitlines()[-3:]
    assert "NOT A FULL RUN" in tail[0], proc.stdout[-2000:]
    assert re.search(r"\d+ browser tests were skipped .*apt-get install chromium", tail[1]), tail
    assert re.search(r"\d+ skipped", tail[2]), tail


def test_mypy_clean():
    """Strict on the core, the outputs, the importers and the CLI; checked bodies elsewhere
    (the settings are pyproject's ``[tool.mypy]``)."""
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
