"""Smoke test of the build benchmark (benchmarks/): a tiny synthetic site builds in both variants and
the counting extension sees what Sphinx re-reads. Counts only: no timing is asserted."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench  # noqa: E402
import report  # noqa: E402
import sitegen  # noqa: E402

N, M = 20, 30


def _ok(run: dict) -> None:
    assert run["ok"], run.get("log_tail")
    assert run["warnings"] == 0, run["warning_sample"]


#: Only to make the tiny builds faster; neither changes what is read or written. Sphinx's Chinese
#: search otherwise re-loads jieba's whole dictionary as a user dictionary on every build.
FAST = '\nhtml_search_options = {"dict": ""}\n'


def test_baseline_site_builds(tmp_path):
    site = sitegen.generate(tmp_path / "baseline", N, M, "baseline", patch_pybtex=True,
                            extra_conf=FAST)
    assert not list(site.docs.rglob("*.yaml"))
    assert '"labkb"' in (site.root / "conf.py").read_text(encoding="utf8")  # and removed there
    full = bench.run_build(site.root, clean=True, variant=site.variant)
    _ok(full)
    assert sorted(full["read_docs"]) == sorted(site.docnames())
    assert (site.build / "html" / "projects" / "p-0001.html").exists()


def test_labkb_site_builds_and_counts_rereads(tmp_path):
    site = sitegen.generate(tmp_path / "labkb", N, M, "labkb", patch_pybtex=True, extra_conf=FAST)
    assert len(list((site.docs / "projects").glob("*.yaml"))) == 15
    assert len(list((site.docs / "models").glob("*.yaml"))) == 5

    full = bench.run_build(site.root, clean=True, variant=site.variant)
    _ok(full)
    assert sorted(full["read_docs"]) == sorted(site.docnames())
    assert (site.build / "html" / "projects" / "p-0001.html").exists()
    assert "kb-graph-whole" in (site.build / "html" / "graph.html").read_text(encoding="utf8")
    assert full["groups"]["graph"]["written"] == 1
    assert set(full["finish"]) == {"exports", "search_index"}
    # the graph, lineage and co-author work is found and timed
    assert full["graph_work_missing"] == [] and full["graph_work_s"] > 0
    shares = report.output_shares(full)
    assert {"graph", "exports", "search_index", "rest"} <= set(shares)

    noop = bench.run_build(site.root, variant=site.variant)
    _ok(noop)
    assert noop["read"] == 0
    assert noop["written"] == 0

    entry = sitegen.edit_entry(site)
    edited = bench.run_build(site.root, variant=site.variant)
    _ok(edited)
    assert edited["read_docs"] == [entry.docname]
    assert entry.docname in edited["written_docs"]
    check = bench._exactness(edited, {entry.docname}, sitegen.pages_showing_entry(site, entry))
    assert check["missing_written"] == []
    assert check["extra_written"] == []


def test_report_renders_targets():
    run = {"ok": True, "wall_s": 2.0, "cpu_s": 2.0, "peak_rss_mb": 200.0,
           "peak_tree_rss_mb": 200.0, "read": 0, "written": 0, "read_docs": [],
           "written_docs": [], "groups": {}, "phases": {}, "check": {}}
    runs = {name: dict(run) for name in ("full", "noop", "edit_yaml", "edit_bib")}
    case = {"n": 100, "m": 100, "labkb": {"runs": runs}, "baseline": {"runs": runs}}
    text = report.render({"cases": [case], "fixed": [], "machine": {}, "versions": {}})
    assert "### Targets" in text and "no-op rebuild" in text
    assert "not measured in this run" in text  # the N=5000, M=5000 targets


def test_report_judges_the_scale_targets():
    def run(wall, cpu, mb=900.0, graph=None):
        return {"ok": True, "wall_s": wall, "cpu_s": cpu, "peak_rss_mb": mb,
                "peak_tree_rss_mb": mb, "read": 1, "written": 2, "read_docs": [],
                "written_docs": [], "groups": {}, "phases": {}, "check": {},
                "graph_work_s": graph, "graph_work_missing": []}
    lab = {"full": run(300, 300, 1500.0, graph=9.0), "noop": run(4, 4), "edit_yaml": run(20, 20),
           "edit_bib": run(7, 7)}
    base = {"full": run(500, 500), "noop": run(40, 40), "edit_yaml": run(40, 40),
            "edit_bib": run(40, 40)}
    case = {"n": 5000, "m": 5000, "labkb": {"runs": lab}, "baseline": {"runs": base}}
    rows = {r[0]: r for r in report.scale_targets({"cases": [case]})}
    assert rows["full build CPU, labkb / baseline (N=5000, M=5000)"][3] == "**met**"  # 0.6x
    assert rows["edit one entry, wall s (N=5000, M=5000)"][3] == "**missed** by 100%"
    assert rows["no-op rebuild, wall s (N=5000, M=5000)"][3] == "**met**"
    assert rows["edit one .bib record, labkb / baseline wall (N=5000, M=5000)"][3] == "**met**"
    assert rows["peak memory of the process tree, full build (N=5000, M=5000)"][3].startswith(
        "**missed**")
    assert rows["graph, lineage and co-author work / full build CPU (N=5000, M=5000)"][1] \
        .startswith("3.0%")
