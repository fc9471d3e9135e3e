"""Provenance of the build benchmark (benchmarks/): every case records the sources it measured, the
report never compares figures of different sources, and the command line fails with usage messages.

Hand-made results and a stubbed build: nothing here builds a site or asserts a time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench  # noqa: E402
import report  # noqa: E402

COMMIT_A, COMMIT_B = "a" * 40, "b" * 40


def _run(cpu: float) -> dict[str, Any]:
    return {"ok": True, "wall_s": cpu, "cpu_s": cpu, "peak_rss_mb": 200.0,
            "peak_tree_rss_mb": 200.0, "read": 0, "written": 0, "read_docs": [],
            "written_docs": [], "groups": {}, "phases": {}, "check": {}, "load": [0.5, 0.5]}


def _source(commit: str = COMMIT_A, dirty: bool = False, digest: str = "d1") -> dict[str, Any]:
    return {"commit": commit, "dirty": dirty, "labkb_sources": digest,
            "date": "2026-01-01 10:00:00 UTC", "run": "2026-01-01 10:00:00 UTC"}


def _case(n: int, cpu: float, **source: Any) -> dict[str, Any]:
    runs = {name: _run(cpu if name == "full" else 1.0)
            for name in ("full", "noop", "edit_yaml", "edit_bib")}
    return {"n": n, "m": 100, **_source(**source), "labkb": {"runs": runs},
            "baseline": {"runs": runs}}


def _results(*cases: dict[str, Any], run: dict[str, Any] | None = None) -> dict[str, Any]:
    fixed = {"n": 0, "m": 100, **cases[0], "labkb": _run(1.0), "baseline": _run(1.0)}
    return {"date": "2026-01-01 10:00:00 UTC", "run": run or _source(), "machine": {},
            "versions": {}, "cases": list(cases), "fixed": [fixed]}


def _scaling_row(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("| per-entry CPU cost"))


# -- the report ------------------------------------------------------------------------------------
def test_report_of_one_commit_compares_and_names_commit_and_date():
    text = report.render(_results(_case(100, 11.0), _case(1000, 101.0)))
    assert f"commit `{COMMIT_A}`" in text
    assert "2026-01-01 10:00:00 UTC" in text
    assert "**met**" in _scaling_row(text)
    assert "Mixed results" not in text


def test_report_refuses_cases_of_different_commits():
    results = _results(_case(100, 11.0), _case(1000, 101.0, commit=COMMIT_B))
    with pytest.raises(report.MixedResultsError, match="different sources"):
        report.render(results)


def test_report_refuses_cases_of_different_source_digests():
    results = _results(_case(100, 11.0), _case(1000, 101.0, digest="d2"))
    with pytest.raises(report.MixedResultsError):
        report.render(results)


def test_report_refuses_merged_runs():
    results = {**_results(_case(100, 11.0)), "merged_from": ["2025-12-31 09:00 UTC"]}
    with pytest.raises(report.MixedResultsError, match="runs"):
        report.render(results)


def test_mixed_report_when_allowed_says_not_comparable_instead_of_met():
    results = _results(_case(100, 11.0), _case(1000, 101.0, commit=COMMIT_B))
    text = report.render(results, allow_mixed=True)
    row = _scaling_row(text)
    assert report.NOT_COMPARABLE in row
    assert "met" not in row
    assert "Mixed results" in text


def test_dirty_tree_is_not_a_commit():
    dirty = _source(dirty=True)
    text = report.render(_results(_case(100, 11.0, dirty=True), run=dirty))
    assert "not a commit" in text


def test_fixed_cost_of_other_sources_is_not_subtracted():
    results = _results(_case(100, 11.0))
    results["fixed"][0]["commit"] = COMMIT_B
    assert report.per_entry(results, results["cases"][0], "labkb")["marginal"] is None


def test_report_command_refuses_mixed_file_without_traceback(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps(_results(_case(100, 11.0), _case(1000, 101.0, commit=COMMIT_B))),
                    encoding="utf8")
    proc = subprocess.run([sys.executable, str(BENCH / "report.py"), str(path)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "mixes runs" in proc.stderr and "--allow-mixed" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not path.with_suffix(".md").exists()
    proc = subprocess.run([sys.executable, str(BENCH / "report.py"), str(path), "--allow-mixed"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert report.NOT_COMPARABLE in path.with_suffix(".md").read_text(encoding="utf8")


# -- the runner, with the builds stubbed out -------------------------------------------------------
def _fake_case(work: Path, n: int, m: int, *args: Any, **kw: Any) -> dict[str, Any]:
    case = _case(n or 1, 10.0 + n)
    return {v: {**case[v], "pages": n, "entries": {}} for v in ("labkb", "baseline")}


@pytest.fixture
def stubbed(monkeypatch):
    """bench.main without any build, at a known clean commit."""
    monkeypatch.setattr(bench, "bench_case", _fake_case)
    monkeypatch.setattr(bench, "git_state", lambda ignore=(): {"commit": COMMIT_A, "dirty": False})
    monkeypatch.setattr(bench, "sources_digest", lambda: "d1")


def test_every_case_records_its_commit(stubbed, tmp_path):
    out = tmp_path / "results.json"
    assert bench.main(["--sizes", "10,20", "--bibs", "5", "--out", str(out)]) == 0
    results = json.loads(out.read_text(encoding="utf8"))
    assert results["run"]["commit"] == COMMIT_A and results["run"]["dirty"] is False
    assert len(results["cases"]) == 2
    for item in results["cases"] + results["fixed"]:
        assert item["commit"] == COMMIT_A
        assert item["dirty"] is False
        assert item["labkb_sources"] == "d1"
        assert item["date"] and item["run"] == results["run"]["date"]
    assert "Mixed results" not in out.with_suffix(".md").read_text(encoding="utf8")


def test_git_state_records_the_full_commit():
    state = bench.git_state()
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=BENCH, capture_output=True, text=True,
                          check=False).stdout.strip()
    if not head:
        pytest.skip("not a git checkout")
    assert state["commit"] == head and len(head) == 40
    assert isinstance(state["dirty"], bool)


def test_missing_workdir_is_created(stubbed, tmp_path):
    work = tmp_path / "missing" / "deeper"
    assert bench.main(["--sizes", "10", "--bibs", "5", "--workdir", str(work),
                       "--out", str(tmp_path / "r.json")]) == 0
    assert work.is_dir()


def test_uncreatable_workdir_is_a_usage_error(stubbed, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf8")
    with pytest.raises(SystemExit) as exc:
        bench.main(["--workdir", str(blocker / "sub"), "--out", str(tmp_path / "r.json")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--workdir" in err and "Traceback" not in err


def test_missing_workdir_on_the_command_line_gives_no_traceback(tmp_path):
    """The real command: --workdir is created before the refused --merge stops it (no build)."""
    work = tmp_path / "missing"
    out = tmp_path / "results.json"
    out.write_text(json.dumps(_results(_case(100, 11.0), run=_source())), encoding="utf8")
    proc = subprocess.run([sys.executable, str(BENCH / "bench.py"), "--workdir", str(work),
                           "--sizes", "1", "--bibs", "1", "--merge", "--out", str(out)],
                          capture_output=True, text=True, check=False, timeout=120)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2
    assert "usage:" in proc.stderr and "will not merge" in proc.stderr
    assert work.is_dir()


@pytest.mark.parametrize("argv", [["--sizes", "abc"], ["--sizes", "0"], ["--bibs", ""],
                                  ["--repeat", "0"]])
def test_bad_arguments_are_usage_errors(stubbed, tmp_path, capsys, argv):
    with pytest.raises(SystemExit) as exc:
        bench.main([*argv, "--out", str(tmp_path / "r.json")])
    assert exc.value.code == 2
    assert "usage:" in capsys.readouterr().err


def _old(tmp_path: Path, **source: Any) -> Path:
    out = tmp_path / "results.json"
    old = _results(_case(500, 60.0, **source), run=_source(**source))
    old["fixed"][0]["m"] = 7
    old["cases"][0]["m"] = 7
    out.write_text(json.dumps(old), encoding="utf8")
    return out


@pytest.mark.parametrize("source", [{"commit": COMMIT_B}, {"digest": "d2"}, {"dirty": True}])
def test_merge_with_other_sources_is_refused(stubbed, tmp_path, capsys, monkeypatch, source):
    out = _old(tmp_path, **source)
    before = out.read_text(encoding="utf8")
    monkeypatch.setattr(bench, "bench_case", lambda *a, **k: pytest.fail("measured anyway"))
    with pytest.raises(SystemExit) as exc:
        bench.main(["--sizes", "10", "--bibs", "5", "--merge", "--out", str(out)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "will not merge" in err and "Traceback" not in err
    assert out.read_text(encoding="utf8") == before


def test_merge_from_a_dirty_tree_is_refused(stubbed, tmp_path, capsys, monkeypatch):
    out = _old(tmp_path)
    monkeypatch.setattr(bench, "git_state", lambda ignore=(): {"commit": COMMIT_A, "dirty": True})
    with pytest.raises(SystemExit):
        bench.main(["--sizes", "10", "--bibs", "5", "--merge", "--out", str(out)])
    assert "uncommitted" in capsys.readouterr().err


def test_merge_of_the_same_commit_keeps_the_old_cases(stubbed, tmp_path):
    out = _old(tmp_path)
    assert bench.main(["--sizes", "10", "--bibs", "5", "--merge", "--out", str(out)]) == 0
    results = json.loads(out.read_text(encoding="utf8"))
    assert sorted((c["n"], c["m"]) for c in results["cases"]) == [(10, 5), (500, 7)]
    assert {c["commit"] for c in results["cases"]} == {COMMIT_A}
    with pytest.raises(report.MixedResultsError):  # two runs: rendered only when asked to
        report.render(results)
