"""Comparison tables (kb-compare): results with their sources, settings never sharing a column,
the best value by lower_is_better, "not reported" cells, downloads equal to the table, MyST and
rST hosts, unsourced results warned and not shown, and incremental re-writes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import copy_root
from helpers import build, html, touch, warnings
from labkb.core.compare import NOT_REPORTED, compare, table_rows
from labkb.core.loader import load_yaml
from labkb.core.schema import Context, validate


def result(bench: str, value, source=None, metric="acc", **extra):
    split = {"split": extra.pop("dataset_split")} if "dataset_split" in extra else {}
    return {"task": {"type": "t"}, "dataset": {"type": bench, "name": bench.upper(), **split},
            "metrics": [{"type": metric, "value": value, **extra.pop("metric_extra", {})}],
            "source": source or {"url": "https://example.org/p", "locator": "Table 1"}, **extra}


def entry(name: str, *results, claims=()):
    data = {"name": name, "summary": "s", "areas": ["a"]}
    if results:
        data["model-index"] = [{"name": name, "results": list(results)}]
    if claims:
        data["claims"] = list(claims)
    return name.lower(), data


# -- the core table ---------------------------------------------------------------------------------

def test_two_settings_of_one_benchmark_get_two_columns_flagged_not_comparable():
    table = compare([entry("A", result("mmlu", 70, setting={"shots": 5}),
                           result("mmlu", 61, setting={"shots": 0})),
                     entry("B", result("mmlu", 75, setting={"shots": 5}))])
    assert [(c.benchmark, c.setting, c.comparable) for c in table.columns] == [
        ("MMLU", "0-shot", False), ("MMLU", "5-shot", False)]
    assert table_rows(table)[1:] == [["A", "", "61", "70"], ["B", "", NOT_REPORTED, "75"]]
    # the best of the 5-shot column is B's, and nothing is "best" alone in its column
    assert [[v.best for v in cell] for cell in table.rows[1].cells] == [[], [True]]
    assert [[v.best for v in cell] for cell in table.rows[0].cells] == [[False], [False]]


def test_notes_and_split_are_settings_too():
    table = compare([entry("A", result("x", 1, notes="chain-of-thought")),
                     entry("B", result("x", 2, dataset_split="test"))])
    assert [c.setting for c in table.columns] == ["chain-of-thought", "split test"]
    assert not any(c.comparable for c in table.columns)


def test_lower_is_better_picks_the_lowest():
    lower = {"lower_is_better": True}
    table = compare([entry("A", result("latency", 30, metric_extra=lower)),
                     entry("B", result("latency", 20, metric_extra=lower)),
                     entry("C", result("latency", "25"))])
    # C states no direction: a column of its own, and both flagged
    assert [(c.lower_is_better, c.comparable) for c in table.columns] == [(True, False),
                                                                          (False, False)]
    assert [r.cells[0][0].best for r in table.rows[:2]] == [False, True]
    higher = compare([entry("A", result("acc", 30)), entry("B", result("acc", "20%"))])
    assert [r.cells[0][0].best for r in higher.rows] == [True, False]


def test_empty_cells_are_not_reported_never_zero():
    table = compare([entry("A", result("mmlu", 0)), entry("B")], fields=["parameters"])
    assert table_rows(table) == [["entry", "model", "parameters", "MMLU / acc / setting not stated"],
                                 ["A", "", NOT_REPORTED, "0"], ["B", "", NOT_REPORTED, NOT_REPORTED]]


def test_benchmarks_keep_the_order_given_and_claims_stay_out_of_columns():
    claim = {"statement": "2x faster.", "factor": "2x", "measure": "speed",
             "source": {"record": "r"}}
    table = compare([entry("A", result("gsm8k", 1), result("mmlu", 2), claims=[claim])],
                    benchmarks=["MMLU", "gsm8k"])
    assert [c.benchmark for c in table.columns] == ["MMLU", "GSM8K"]
    assert [c.claim for c in table.claims] == [claim]


# -- validation ---------------------------------------------------------------------------------------

def check(text: str, context: Context | None = None):
    return validate(load_yaml(text, "m.yaml"), "m.yaml", "m", "model", context)


BASE = "name: M\nsummary: s\nareas: [a]\nmodel-index:\n  - name: M\n    results:\n"
ONE = "      - task: {type: t}\n        dataset: {type: d}\n        metrics: [{type: m, value: 1}]\n"


def test_an_unsourced_result_is_a_located_schema_problem_and_is_dropped():
    text = BASE + ONE + "        source: {locator: Table 2}\n" + ONE + "        source: {url: https://e.org}\n"
    out = check(text)
    assert [(p.line, p.field, p.subtype) for p in out.problems] == [
        (10, "model-index[0].results[0].source", "schema")]
    assert "unsourced result is not shown" in out.problems[0].message
    assert [r["source"] for r in out.data["model-index"][0]["results"]] == [{"url": "https://e.org"}]


def test_unknown_bib_keys_and_records_are_refused_per_result():
    text = (BASE + ONE + "        source: {bib: nokey, locator: abstract}\n" + ONE +
            "        source: {record: nosource}\n" + ONE + "        source: {record: known}\n")
    out = check(text, Context(papers=frozenset({"other"}), sources=frozenset({"known"}),
                              require_sources=False))
    assert [(p.line, p.field, p.subtype) for p in out.problems] == [
        (10, "model-index[0].results[0].source.bib", "ref"),
        (14, "model-index[0].results[1].source.record", "ref")]
    assert [r["source"] for r in out.data["model-index"][0]["results"]] == [{"record": "known"}]


# -- the directive in a build -------------------------------------------------------------------------

@pytest.fixture
def src(rootdir, tmp_path):
    return copy_root(rootdir, "kb-compare", tmp_path)


def cells(table) -> list[list[str]]:
    """A rendered table's text rows, header first, without the footnote marks and "best"."""
    out = []
    for tr in table.select("tr"):
        row = []
        for cell in tr.select("th, td"):
            values = cell.select(".kb-cmp-value")
            if values:
                row.append("; ".join(v.select_one("a, strong").get_text() if v.select_one("a")
                                     else v.get_text() for v in values))
            elif cell.name == "th" and cell.parent.parent.name == "thead" and cell.select("p"):
                parts = [p.get_text(strip=True) for p in cell.select("p")]
                row.append(" / ".join(p for p in parts[:3]) if len(parts) >= 3 else parts[0])
            else:
                row.append(cell.get_text(strip=True))
        out.append(row)
    return out


def test_myst_and_rst_hosts_downloads_and_warnings(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    found = warnings(app)
    assert any("models/alpha.yaml:25: WARNING: model-index[0].results[3].source: no source"
               in w and "[kb.schema]" in w for w in found), found
    assert any("models/beta.yaml:21: WARNING: model-index[0].results[2].source.record: unknown "
               "source 'no-such-source'" in w and "[kb.ref]" in w for w in found), found
    assert len(found) == 2, found
    soup = html(app.outdir, "compare.html")
    table = soup.select_one(".kb-compare-table")
    rows = cells(table)
    assert rows[0] == ["Entry", "Model", "parameters", "MMLU / accuracy / 0-shot",
                       "MMLU / accuracy / 5-shot", "Latency / ms / setting not stated"]
    assert rows[1:] == [["Alpha", "", "7B", "61.0", "70.1", "30"],
                        ["Beta", "Beta-Large", NOT_REPORTED, NOT_REPORTED, "75.2", "20"],
                        ["Gamma", "", NOT_REPORTED, NOT_REPORTED, NOT_REPORTED, NOT_REPORTED]]
    assert "99.9" not in soup.get_text() and "50" not in rows[2]  # unsourced, unknown source
    flags = [th.select_one(".kb-cmp-flag") is not None for th in table.select("thead th")]
    assert flags == [False, False, False, True, True, False]
    best = [p.select_one("strong").get_text() for p in table.select(".kb-best")]
    assert best == ["75.2", "20"]  # highest accuracy, lowest latency
    # each value links to its source, with the locator as title and a numbered source below
    link = table.select_one("tbody tr .kb-cmp-value a")
    assert link["href"] == "https://example.org/alpha" and link["title"] == "Alpha report, Table 4"
    record = table.select("tbody tr")[1].select(".kb-cmp-value a")[0]
    assert record["href"] == "sources/paper.html" and record["title"] == "The Beta Paper, abstract"
    notes = [li.get_text(" ", strip=True) for li in soup.select(".kb-cmp-sources li")]
    assert notes[0] == "Alpha report, Table 4; self-reported https://example.org/alpha"
    assert "The Beta Paper, abstract; third-party" in notes
    fn = table.select_one(".kb-cmp-fn")
    assert soup.select_one(fn["href"]) is not None
    claims = cells(soup.select_one(".kb-compare-claims"))
    assert claims[1][:4] == ["Beta", "faster: about 2x", "Alpha", "on one GPU"]
    # the downloads are the table
    links = {a.get_text(): a["href"] for a in soup.select(".kb-cmp-downloads a")}
    text = (app.outdir / links["CSV"]).read_text(encoding="utf8")
    assert list(csv.reader(io.StringIO(text))) == [
        ["entry", "model", "parameters", *(c.replace(" / ", " / ") for c in rows[0][3:])],
        *[[r[0], r[1], *r[2:]] for r in rows[1:]]]
    data = json.loads((app.outdir / links["JSON"]).read_text(encoding="utf8"))
    assert [[c["value"] for c in cell] if cell else NOT_REPORTED for row in data["rows"]
            for cell in row["cells"]] == [
        [61.0], [70.1], [30], NOT_REPORTED, [75.2], [20], NOT_REPORTED, NOT_REPORTED, NOT_REPORTED]
    assert data["rows"][1]["cells"][1][0]["source"] == {"record": "paper", "locator": "abstract"}
    assert data["claims"][0]["factor"] == "about 2x"
    # the rST host: models only, MMLU only
    rst = cells(html(app.outdir, "hosts/compare.html").select_one(".kb-compare-table"))
    assert [r[0] for r in rst[1:]] == ["Alpha", "Beta"] and len(rst[0]) == 4
    assert (app.outdir / "_kb/compare/hosts-compare-1.csv").exists()
    # an entry page shows its own table the same way
    own = cells(html(app.outdir, "models/beta.html").select_one("#evaluation .kb-compare-table"))
    assert own[1] == ["Beta", "Beta-Large", "75.2", "20"]


def test_editing_one_entrys_results_rewrites_exactly_the_pages_showing_it(make_app, src):
    build(make_app, src, freshenv=True)
    beta = src / "models/beta.yaml"
    touch(beta, beta.read_text(encoding="utf8").replace("value: 75.2", "value: 71.5"))
    app, rec = build(make_app, src)
    assert rec.read == {"models/beta"}
    # index: Sphinx re-writes the page whose toctree holds a re-read document
    assert rec.written == {"models/beta", "compare", "hosts/compare", "research/vision", "index"}
    assert "71.5" in html(app.outdir, "compare.html").select_one(".kb-compare-table").get_text()
    assert "71.5" in (app.outdir / "_kb/compare/compare-1.csv").read_text(encoding="utf8")


def test_an_entry_only_one_table_shows_rewrites_that_page(make_app, src):
    build(make_app, src, freshenv=True)
    gamma = src / "projects/gamma.yaml"
    touch(gamma, gamma.read_text(encoding="utf8") + "year: 2020\n")
    app, rec = build(make_app, src)
    assert rec.read == {"projects/gamma"}
    assert rec.written == {"projects/gamma", "compare", "research/vision", "index"}
    assert "2020" not in html(app.outdir, "hosts/compare.html").get_text()
