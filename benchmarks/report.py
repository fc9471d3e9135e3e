"""Render the benchmark's JSON results (``bench.py``) as Markdown tables, with the issue's targets.

    python benchmarks/report.py [benchmarks/results.json] [-o benchmarks/results.md] [--allow-mixed]

Figures are only divided by or compared with figures measured at the same sources (commit, tree
state, digest of the extension): a ratio across two versions of the code measures the edit, not the
code. A results file whose cases come from several runs or sources is refused unless
``--allow-mixed`` is given; even then, such comparisons say "not comparable".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: Which time the targets use: CPU seconds of the build's processes (user + system, from wait4),
#: which other programs running on the machine disturb far less than wall time. Only the -j 2
#: comparison uses wall time, since parallel builds trade CPU time for wall time.
TIME = "cpu_s"
SCENARIOS = [
    ("full", "full build (clean, -j 1)"),
    ("noop", "no-op rebuild"),
    ("edit_yaml", "edit one entry"),
    ("edit_bib", "edit one .bib record"),
    ("full_j2", "full build (clean, -j 2)"),
]
#: What identifies the sources a case measured (``bench.provenance``).
SOURCE_KEYS = ("commit", "dirty", "labkb_sources")
NOT_COMPARABLE = "not comparable: measured at different sources"
NO_COMMIT = "not comparable: the commit measured is not recorded"


class MixedResultsError(ValueError):
    """The results mix runs or sources, and the caller did not allow it."""


# -- provenance ------------------------------------------------------------------------------------
def sources_of(item: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(item.get(k) for k in SOURCE_KEYS)


def incomparable(*items: dict[str, Any] | None) -> str | None:
    """Why figures of these cases (or no-entry builds) cannot be compared; None if they can."""
    present = [i for i in items if i is not None]
    if len({sources_of(i) for i in present}) > 1:
        return NOT_COMPARABLE
    if len(present) > 1 and any(i.get("commit") is None for i in present):
        return NO_COMMIT
    return None


def _measured(results: dict[str, Any]) -> list[dict[str, Any]]:
    return [*results.get("cases", []), *results.get("fixed", [])]


def mixing(results: dict[str, Any]) -> list[str]:
    """Why the results are not one run of one source (empty when they are)."""
    items = _measured(results)
    reasons = []
    sources = {sources_of(i) for i in items}
    if results.get("run") and items:
        sources.add(sources_of(results["run"]))
    if len(sources) > 1:
        reasons.append(f"the cases were measured at {len(sources)} different sources ("
                       + "; ".join(_describe(dict(zip(SOURCE_KEYS, s, strict=True)))
                                   for s in sorted(sources, key=str)) + ")")
    runs = {i.get("run") for i in items}
    if len(runs) > 1 or results.get("merged_from"):
        dates = sorted({d for d in runs if d} | set(results.get("merged_from", []))
                       | ({results["date"]} if results.get("merged_from") else set()), key=str)
        reasons.append(f"the cases come from {max(len(runs), len(dates))} runs"
                       + (f" ({', '.join(dates)})" if dates else ""))
    return reasons


def _describe(prov: dict[str, Any]) -> str:
    """One source as the report names it; a dirty tree is no commit, whatever HEAD was."""
    digest = f"extension sources `{prov.get('labkb_sources') or '?'}`"
    commit = prov.get("commit")
    if not commit:
        return f"commit not recorded, {digest}"
    if prov.get("dirty"):
        return f"`{commit[:12]}` with uncommitted changes (**not a commit**), {digest}"
    return f"commit `{commit}`, {digest}"


# -- small helpers -------------------------------------------------------------------------------
def _f(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def _fixed(results: dict[str, Any], m: int) -> dict[str, Any] | None:
    return next((f for f in results.get("fixed", []) if f["m"] == m), None)


def entry_page_cost(run: dict[str, Any]) -> float | None:
    """Seconds per entry page, reading plus resolving and writing (serial build, from the counter)."""
    g = run.get("groups", {}).get("entry")
    if not g or not g.get("read") or not g.get("written"):
        return None
    return g["read_s"] / g["read"] + g["write_s"] / g["written"]


def per_entry(results: dict[str, Any], case: dict[str, Any], variant: str) -> dict[str, Any]:
    """Raw and marginal (fixed cost of the N = 0 site removed) CPU seconds per entry of a full
    build, and the CPU seconds per entry page measured inside the build."""
    n = case["n"]
    full = case[variant]["runs"]["full"][TIME]
    fixed = _fixed(results, case["m"])
    # the fixed cost only subtracts from a build of the same sources
    base = fixed[variant][TIME] if fixed and not incomparable(case, fixed) else None
    return {"raw": full / n, "marginal": (full - base) / n if base is not None else None,
            "page": entry_page_cost(case[variant]["runs"]["full"])}


# -- targets ---------------------------------------------------------------------------------------
def _status(value: float | None, limit: float, *, below: bool = True, strict: bool = False) -> str:
    if value is None:
        return "not measured"
    ok = (value < limit if strict else value <= limit) if below else value >= limit
    if ok:
        return "**met**"
    return f"**missed** by {abs(value / limit - 1) * 100:.0f}%"


def targets(results: dict[str, Any]) -> list[list[str]]:
    cases = results.get("cases", [])
    rows: list[list[str]] = []
    if not cases:
        return rows
    bibs = sorted({c["m"] for c in cases})
    by = {(c["n"], c["m"]): c for c in cases}
    sizes_at = {m: sorted(c["n"] for c in cases if c["m"] == m) for m in bibs}
    big_m = bibs[-1]
    big_n = sizes_at[big_m][-1]
    note_nm = "" if (big_n, big_m) == (5000, 5000) else \
        f" (measured at N={big_n}, M={big_m}; the target is at N=5000, M=5000)"

    # 1. scaling of the per-entry cost: largest against smallest N at each M
    for m in bibs:
        small_n, big = sizes_at[m][0], sizes_at[m][-1]
        if small_n == big:
            continue
        note = "" if big >= 5000 else " (the target is at N=5000)"
        label = f"per-entry CPU cost at N={big} vs N={small_n} (M={m}){note}"
        reason = incomparable(by[(big, m)], by[(small_n, m)])
        if reason:
            rows.append([label, f"N={big}: {_describe(by[(big, m)])}; N={small_n}: "
                         f"{_describe(by[(small_n, m)])}", "≤ 1.3x", reason])
            continue
        lab_big = per_entry(results, by[(big, m)], "labkb")
        lab_small = per_entry(results, by[(small_n, m)], "labkb")
        base_big = per_entry(results, by[(big, m)], "baseline")
        base_small = per_entry(results, by[(small_n, m)], "baseline")
        key = "marginal" if lab_big["marginal"] is not None else "raw"
        value = _ratio(lab_big[key], lab_small[key])
        base = _ratio(base_big[key], base_small[key])
        raw = _ratio(lab_big["raw"], lab_small["raw"])
        rows.append([label, f"{_f(value)}x ({key}; raw {_f(raw)}x; baseline {_f(base)}x)", "≤ 1.3x",
                     _status(value, 1.3)])

    # 2. generated entry pages vs hand-written ones
    for m in bibs:
        big = sizes_at[m][-1]
        lab = per_entry(results, by[(big, m)], "labkb")
        base = per_entry(results, by[(big, m)], "baseline")
        value = _ratio(lab["page"], base["page"])
        marginal = _ratio(lab["marginal"], base["marginal"])
        rows.append([f"entry page cost, labkb / hand-written (N={big}, M={m})",
                     f"{_f(value)}x per entry page (read + write); whole site per entry "
                     + (f"{_f(marginal)}x" if marginal is not None else
                        "– (no no-entry build of the same sources)"),
                     "≤ 1.2x", _status(value, 1.2)])

    # 3. no-op rebuild
    if (big_n, big_m) in by:
        runs = by[(big_n, big_m)]["labkb"]["runs"]
        frac = _ratio(runs["noop"][TIME], runs["full"][TIME])
        wall = _ratio(runs["noop"]["wall_s"], runs["full"]["wall_s"])
        base = by[(big_n, big_m)]["baseline"]["runs"]
        base_frac = _ratio(base["noop"][TIME], base["full"][TIME])
        rows.append([f"no-op rebuild / full build{note_nm}",
                     f"{_f(frac * 100 if frac is not None else None, 1)}% CPU "
                     f"({_f(runs['noop'][TIME], 1)} s of {_f(runs['full'][TIME], 1)} s; wall "
                     f"{_f(wall * 100 if wall is not None else None, 1)}%; baseline "
                     f"{_f(base_frac * 100 if base_frac is not None else None, 1)}%)",
                     "< 10%", _status(frac, 0.10, strict=True)])
    reads = [(c["n"], c["m"], c["labkb"]["runs"]["noop"]["read"]) for c in cases]
    bad = [f"N={n},M={m}: {r}" for n, m, r in reads if r]
    rows.append(["no-op rebuild re-reads no document (every case)",
                 "0 everywhere" if not bad else "; ".join(bad), "0",
                 "**met**" if not bad else "**missed**"])

    # 4. editing one YAML file
    problems, detail = [], []
    for c in cases:
        run = c["labkb"]["runs"]["edit_yaml"]
        chk = run.get("check", {})
        if chk.get("extra_read") or chk.get("missing_read"):
            problems.append(f"N={c['n']},M={c['m']}: re-read {run['read']}")
        if chk.get("extra_written") or chk.get("missing_written"):
            problems.append(f"N={c['n']},M={c['m']}: extra {chk.get('extra_written')}, "
                            f"missing {chk.get('missing_written')}")
        detail.append(f"{run['read']}/{run['written']}")
    rows.append(["edit one YAML: re-reads only its page, re-writes only pages showing it",
                 "read/written per case: " + ", ".join(detail)
                 + ("; " + "; ".join(problems) if problems else "; exactly the expected pages"),
                 "exact", "**met**" if not problems else "**missed**"])

    # 5. editing one .bib record
    problems, detail = [], []
    for c in cases:
        run = c["labkb"]["runs"]["edit_bib"]
        chk = run.get("check", {})
        detail.append(f"{run['read']}/{run['written']}")
        if chk.get("extra_written"):
            problems.append(f"N={c['n']},M={c['m']}: {len(chk['extra_written'])} extra "
                            f"({', '.join(chk['extra_written'][:5])})")
        if chk.get("missing_written"):
            problems.append(f"N={c['n']},M={c['m']}: not re-written (stale): "
                            f"{', '.join(chk['missing_written'][:5])}")
    rows.append(["edit one .bib record: re-writes only pages showing it",
                 "read/written per case: " + ", ".join(detail)
                 + ("; " + "; ".join(problems) if problems else "; exactly the expected pages"),
                 "exact", "**met**" if not problems else "**missed**"])

    # 6. peak memory
    if (big_n, big_m) in by:
        run = by[(big_n, big_m)]["labkb"]["runs"]["full"]
        gb = run["peak_tree_rss_mb"] / 1024
        rows.append([f"peak memory, full build -j 1{note_nm}",
                     f"{_f(gb)} GB (largest process {_f(run['peak_rss_mb'] / 1024)} GB)",
                     "< 2 GB", _status(gb, 2.0, strict=True)])

    # 7. -j 2 against -j 1
    for c in cases:
        runs = c["labkb"]["runs"]
        if "full_j2" not in runs:
            continue
        value = _ratio(runs["full_j2"]["wall_s"], runs["full"]["wall_s"])
        base = c["baseline"]["runs"].get("full_j2")
        base_ratio = _ratio(base["wall_s"], c["baseline"]["runs"]["full"]["wall_s"]) if base else None
        target = " (target at N=1000)" if c["n"] != 1000 else ""
        load = max(runs["full_j2"].get("load", [0]) + runs["full"].get("load", [0]))
        rows.append([f"-j 2 / -j 1 full build, wall time (N={c['n']}, M={c['m']}){target}",
                     f"{_f(value)}x ({_f(runs['full_j2']['wall_s'], 1)} s vs "
                     f"{_f(runs['full']['wall_s'], 1)} s; baseline {_f(base_ratio)}x; "
                     f"machine load up to {load:.1f})", "≤ 1.0x", _status(value, 1.0)])
    return rows


def scale_targets(results: dict[str, Any]) -> list[list[str]]:
    """The institute-scale targets: full builds against the baseline in every case, edits and
    no-op at N=5000/M=5000 (wall seconds, CPU beside), memory, and the graph work's share."""
    rows: list[list[str]] = []
    by = {(c["n"], c["m"]): c for c in results.get("cases", [])}
    if not by:
        return rows
    for (n, m), c in sorted(by.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        lab, base = c["labkb"]["runs"]["full"], c["baseline"]["runs"]["full"]
        value = _ratio(lab[TIME], base[TIME])
        rows.append([f"full build CPU, labkb / baseline (N={n}, M={m})",
                     f"{_f(value)}x ({_f(lab[TIME], 1)} s vs {_f(base[TIME], 1)} s)", "≤ 1.0x",
                     _status(value, 1.0)])
    big = by.get((5000, 5000))
    if big is None:
        rows.append(["the N=5000, M=5000 targets", "not measured in this run", "–",
                     "not measured"])
        return rows
    lab, base = big["labkb"]["runs"], big["baseline"]["runs"]
    value = _ratio(lab["full"][TIME], base["full"][TIME])
    rows.append(["full build CPU, labkb / baseline (N=5000, M=5000)", f"{_f(value)}x", "≤ 0.7x",
                 _status(value, 0.7)])
    for name, label, limit in (("edit_bib", "edit one .bib record", 8.0),
                               ("edit_yaml", "edit one entry", 10.0),
                               ("noop", "no-op rebuild", 5.0)):
        run = lab[name]
        index = (run.get("finish_wall") or {}).get("search_index")
        rows.append([f"{label}, wall s (N=5000, M=5000)",
                     f"{_f(run['wall_s'], 1)} s (CPU {_f(run[TIME], 1)} s; read/written "
                     f"{run['read']}/{run['written']}"
                     + (f"; of which Pagefind's index {_f(index, 1)} s" if index and index >= 0.05
                        else "") + ")",
                     f"≤ {limit:.0f} s", _status(run["wall_s"], limit)])
    value = _ratio(lab["edit_bib"]["wall_s"], base["edit_bib"]["wall_s"])
    rows.append(["edit one .bib record, labkb / baseline wall (N=5000, M=5000)", f"{_f(value)}x",
                 "≤ 0.3x", _status(value, 0.3)])
    gb = lab["full"]["peak_tree_rss_mb"] / 1024
    rows.append(["peak memory of the process tree, full build (N=5000, M=5000)",
                 f"{_f(gb)} GB (largest process {_f(lab['full']['peak_rss_mb'] / 1024)} GB; "
                 f"baseline {_f(base['full']['peak_tree_rss_mb'] / 1024)} GB)", "≤ 1 GB",
                 _status(gb, 1.0)])
    graph = lab["full"].get("graph_work_s")
    share = _ratio(graph, lab["full"][TIME]) if graph is not None else None
    missing = lab["full"].get("graph_work_missing") or []
    rows.append(["graph, lineage and co-author work / full build CPU (N=5000, M=5000)",
                 (f"{_f(share * 100 if share is not None else None, 1)}% ({_f(graph, 1)} s)"
                  + (f"; not found, so not counted: {', '.join(missing)}" if missing else "")),
                 "≤ 5%", _status(share, 0.05) if not missing else "incomplete"])
    return rows


# -- the page --------------------------------------------------------------------------------------
def render(results: dict[str, Any], allow_mixed: bool = False) -> str:
    """The Markdown page; raises MixedResultsError for mixed runs or sources unless ``allow_mixed``."""
    mixed = mixing(results)
    if mixed and not allow_mixed:
        raise MixedResultsError("; ".join(mixed))
    mach, ver = results.get("machine", {}), results.get("versions", {})
    items = _measured(results)
    run = results.get("run") or (items[0] if len(mixed) == 0 and items else {})
    lines = [
        "# Build performance benchmark",
        "",
        "Generated by `benchmarks/report.py` from `benchmarks/results.json` "
        "(`python benchmarks/bench.py`; see `benchmarks/README.md`). "
        "**labkb** is the synthetic site built from YAML entries with the project's extension; "
        "**baseline** is the same content as hand-written MyST pages with the same theme and no "
        "labkb. Ratios are labkb / baseline from the same run on the same machine.",
        "",
        f"- Measured at: {_describe(run)}" + ("" if not mixed else " (the run; see below)"),
        f"- Date: {results.get('date', '?')}"
        + (f" (merged with runs of {', '.join(d for d in results['merged_from'] if d)})"
           if results.get("merged_from") else ""),
        f"- Machine: {mach.get('nproc')} cores, {mach.get('memory_gb')} GB, {mach.get('cpu')}; "
        f"{mach.get('os')}",
        "- Versions: Python " + str(mach.get("python")) + ", "
        + ", ".join(f"{k} {v}" for k, v in ver.items()),
        f"- Command: `{results.get('command', '')}`"
        + (f"; total {results['total_s'] / 60:.1f} min" if results.get("total_s") else ""),
        "",
    ]
    if results.get("quick"):
        lines += ["*Quick run (small sizes): for checking the benchmark, not for the targets.*", ""]
    if mixed:
        lines += ["**Mixed results: " + "; ".join(mixed) + ".** Figures of different sources "
                  "are not compared with each other below.", ""]
        lines += _table(["N", "M", "measured at", "date"],
                        [[str(i["n"]), str(i["m"]), _describe(i), str(i.get("date") or "?")]
                         for i in sorted(items, key=lambda i: (i["m"], i["n"]))])
        lines += [""]
    loads = [x for c in results.get("cases", []) for v in ("labkb", "baseline")
             for r in c[v]["runs"].values() for x in r.get("load", [])]
    if loads:
        lines += [f"- Machine load (1-minute load average around each build): {min(loads):.1f} to "
                  f"{max(loads):.1f} on {mach.get('nproc')} cores. Above the core count, other "
                  "programs competed for the processors: wall times suffer most, CPU times less.",
                  ""]
    for patched in (False, True):
        sub = {**results,
               "cases": [c for c in results.get("cases", [])
                         if bool(c.get("pybtex_patch")) == patched],
               "fixed": [f for f in results.get("fixed", [])
                         if bool(f.get("pybtex_patch")) == patched]}
        if sub["cases"] or sub["fixed"]:
            lines += render_group(sub, patched)
    return "\n".join(lines)


#: The search figures (benchmarks/searchbench.py) and the issue's limits for them.
SEARCH_LIMITS = {"keystroke_p95_ms": 100, "keystroke_p95_ms_cpu4x": 300, "first_query_kb": 300,
                 "results_page_ms": 2000}


def search_lines(results: dict[str, Any]) -> list[str]:
    """The search table: per case, the labkb site's search in chromium after its full build."""
    rows = []
    for c in results.get("cases", []):
        s = c["labkb"]["runs"].get("full", {}).get("search")
        if not s:
            continue
        cells = [f"{s[k]:.0f}" + ("" if s[k] <= limit else " (over)")
                 for k, limit in SEARCH_LIMITS.items()]
        rows.append([str(c["n"]), str(c["m"]), str(s.get("html_pages", "?")), *cells,
                     f"{s.get('results_page_query', '?')!r}: {s.get('results_page_hits', '?')}"])
    if not rows:
        return []
    return ["### Search", "",
            "The labkb site's search (Pagefind) in chromium after its full build "
            "(`benchmarks/searchbench.py`): keystroke to rendered results, p95 in ms (plain and "
            "with the CPU slowed 4x, the search then on the page's main thread: the throttling "
            "does not reach workers); kB fetched for a fresh visitor's first query; the full "
            "results page, in ms, for the query hitting the most pages. Limits: "
            + ", ".join(f"{k} <= {v}" for k, v in SEARCH_LIMITS.items()) + ".", "",
            *_table(["N", "M", "pages", "key p95 ms", "key p95 ms (4x CPU)", "first query kB",
                     "results page ms", "query: hits"], rows), ""]


#: ``make serve``: the issue's limit at N=5000, M=5000 (seconds from saving a YAML file to the
#: browser showing the new page; the real site's limit, 3 s, is not measured by the benchmark).
SERVE_LIMIT_S = 12.0
#: The limit on the real site, and the page its figure edits (``servebench.REAL_ENTRY``).
REAL_SERVE_LIMIT_S = 3.0
REAL_ENTRY = "models/moss-vl"


def serve_lines(results: dict[str, Any]) -> list[str]:
    """The make serve table: per case, sphinx-autobuild and chromium on the labkb site."""
    rows = []
    real = results.get("real_site_serve")
    if real and "error" in real:
        rows.append(["real site", "–", "–", "–", f"failed: {real['error']}"])
    elif real and real.get("save_to_browser_s"):
        worst = real["save_to_browser_max_s"]
        rows.append(["real site", "–", ", ".join(f"{t:.1f}" for t in real["save_to_browser_s"]),
                     f"{worst:.1f}", "ok" if worst <= REAL_SERVE_LIMIT_S else "over"])
    for c in results.get("cases", []):
        s = c["labkb"]["runs"].get("full", {}).get("serve")
        if not s:
            continue
        if "error" in s:
            rows.append([str(c["n"]), str(c["m"]), "–", "–", f"failed: {s['error']}"])
            continue
        worst = s["save_to_browser_max_s"]
        status = ("ok" if worst <= SERVE_LIMIT_S else "over") \
            if (c["n"], c["m"]) == (5000, 5000) else "–"
        rows.append([str(c["n"]), str(c["m"]), ", ".join(f"{t:.1f}" for t in
                                                         s["save_to_browser_s"]),
                     f"{worst:.1f}", status])
    if not rows:
        return []
    return ["### make serve", "",
            "sphinx-autobuild on the labkb site after its builds, an entry page open in chromium; "
            "each edit of that entry's summary timed from the YAML file written to the page "
            "showing the new text (`benchmarks/servebench.py`: watcher, incremental build, "
            f"reload, render). Limits: {REAL_SERVE_LIMIT_S:.0f} s on the real site (the "
            f"repository's own `docs/`, editing `{REAL_ENTRY}`), {SERVE_LIMIT_S:.0f} s at N=5000, "
            "M=5000 (wall time, so the machine's load counts).", "",
            *_table(["N", "M", "each edit s", "slowest s", "status"], rows), ""]


def render_group(results: dict[str, Any], patched: bool) -> list[str]:
    """The tables of the cases run with (or without) ``--patch-pybtex``."""
    if patched:
        lines = ["## With pybtex's plugin look-ups cached (`--patch-pybtex`)", "",
                 "Both variants' `conf.py` wrap `pybtex.plugin._load_entry_point` in "
                 "`functools.cache`: pybtex 0.26 otherwise scans every installed package's entry "
                 "points on each plugin look-up, e.g. on each `Text.render_as(\"text\")` "
                 "(about 25 ms a call). A workaround to measure everything else, not the project "
                 "as shipped.", ""]
    else:
        lines = ["## As shipped", ""]
    lines += ["### Targets", ""]
    lines += _table(["target", "measured", "limit", "status"], targets(results))
    lines += [""]
    scale = scale_targets(results)
    if scale:
        lines += ["### Targets at institute scale", "",
                  "Full builds against the hand-written baseline in every case; at N=5000, "
                  "M=5000 the edit loop (wall seconds of one build, labkb's through `make html`'s "
                  "command, the Pagefind index included), the memory of the whole process tree, "
                  "and the share of the graph, lineage and co-author work (`_counter.py`).", ""]
        lines += _table(["target", "measured", "limit", "status"], scale)
        lines += [""]

    lines += search_lines(results)
    lines += serve_lines(results)
    lines += ["### Build times", "",
              "Wall time and CPU time (user + system of the build and its worker processes) in "
              "seconds, the smallest of the repeated runs; `read/written` are the documents "
              "re-read and re-written; peak memory is the whole process tree in MB.", ""]
    rows = []
    for c in results.get("cases", []):
        for name, label in SCENARIOS:
            lab = c["labkb"]["runs"].get(name)
            base = c["baseline"]["runs"].get(name)
            if not lab or not base:
                continue
            rows.append([str(c["n"]), str(c["m"]), label,
                         _f(lab["wall_s"], 1), _f(base["wall_s"], 1),
                         _f(_ratio(lab["wall_s"], base["wall_s"])),
                         _f(lab["cpu_s"], 1), _f(base["cpu_s"], 1),
                         _f(_ratio(lab["cpu_s"], base["cpu_s"])),
                         f"{lab['read']}/{lab['written']}", f"{base['read']}/{base['written']}",
                         f"{lab['peak_tree_rss_mb']:.0f}", f"{base['peak_tree_rss_mb']:.0f}",
                         _f(_ratio(lab["peak_tree_rss_mb"], base["peak_tree_rss_mb"]))])
    lines += _table(["N", "M", "build", "labkb wall s", "baseline wall s", "wall ratio",
                     "labkb CPU s", "baseline CPU s", "CPU ratio", "labkb read/written",
                     "baseline read/written", "labkb MB", "baseline MB", "MB ratio"], rows)
    lines += [""]

    lines += ["### Cost per entry", "",
              "CPU milliseconds. raw: full build / N; marginal: (full build − build of the same "
              "site with no entries) / N; page: reading plus resolving and writing one entry "
              "page, measured inside the build (`_counter.py`).", ""]
    rows = []
    for c in results.get("cases", []):
        lab, base = per_entry(results, c, "labkb"), per_entry(results, c, "baseline")
        ms = 1000
        rows.append([str(c["n"]), str(c["m"]),
                     _f(lab["raw"] * ms, 1), _f(base["raw"] * ms, 1),
                     _f(lab["marginal"] * ms if lab["marginal"] is not None else None, 1),
                     _f(base["marginal"] * ms if base["marginal"] is not None else None, 1),
                     _f(_ratio(lab["marginal"], base["marginal"])),
                     _f(lab["page"] * ms if lab["page"] is not None else None, 1),
                     _f(base["page"] * ms if base["page"] is not None else None, 1),
                     _f(_ratio(lab["page"], base["page"]))])
    lines += _table(["N", "M", "labkb raw ms", "baseline raw ms", "labkb marginal ms",
                     "baseline marginal ms", "marginal ratio", "labkb page ms",
                     "baseline page ms", "page ratio"], rows)
    lines += [""]
    fixed_rows = [[str(f["m"]), _f(f["labkb"][TIME], 1), _f(f["baseline"][TIME], 1),
                   _f(_ratio(f["labkb"][TIME], f["baseline"][TIME]))]
                  for f in results.get("fixed", [])]
    if fixed_rows:
        lines += ["Fixed cost (the site with no entries: 20 areas, people, indexes, the "
                  "bibliography of M records):", ""]
        lines += _table(["M", "labkb CPU s", "baseline CPU s", "ratio"], fixed_rows)
        lines += [""]

    lines += ["### Build phases (full build, -j 1)", "",
              "Seconds from the end of Sphinx's start-up (`config-inited`): reading ends at "
              "`env-updated`, then resolving and writing; `start-up` is the process's wall "
              "time minus that.", ""]
    rows = []
    for c in results.get("cases", []):
        for variant in ("labkb", "baseline"):
            run = c[variant]["runs"]["full"]
            ph = run.get("phases", {})
            if "finished" not in ph:
                continue
            rows.append([str(c["n"]), str(c["m"]), variant,
                         _f(run["wall_s"] - ph["finished"], 1), _f(ph.get("read_end"), 1),
                         _f(ph["finished"] - ph.get("read_end", 0), 1),
                         _f(run.get("html_mb"), 0), _f(run.get("doctrees_mb"), 0)])
    lines += _table(["N", "M", "variant", "start-up s", "reading s", "writing s", "html MB",
                     "doctrees MB"], rows)
    lines += [""]

    lines += _output_shares(results)

    lines += ["### Incremental builds: which pages", "",
              "Expected written: the pages that show the edited data (for a YAML edit, its page, "
              "its kind's index, its areas' grids, the pages of entries relating to it; for a "
              "`.bib` edit, the bibliography, the pages citing the record and, with labkb, the "
              "publication lists showing it and the overview). Sphinx itself also "
              "re-writes the toctree parent of every page it re-writes (`env.files_to_rebuild`): "
              "those are listed apart and not counted as extra.", ""]
    rows = []
    for c in results.get("cases", []):
        for variant in ("labkb", "baseline"):
            for name in ("edit_yaml", "edit_bib"):
                run = c[variant]["runs"].get(name)
                if not run:
                    continue
                chk = run.get("check", {})
                rows.append([str(c["n"]), str(c["m"]), variant, name, f"`{run.get('edited')}`",
                             ", ".join(run["read_docs"][:6]) or "–",
                             ", ".join(chk.get("missing_written", [])[:6]) or "–",
                             ", ".join(chk.get("extra_written", [])[:6]) or "–",
                             ", ".join(chk.get("toctree_parents", [])[:6]) or "–"])
    lines += _table(["N", "M", "variant", "build", "edited", "re-read", "missing (stale)",
                     "extra", "toctree parents"], rows)
    lines += [""]
    return lines


#: The kinds of page of the synthetic site (``_counter.group_of``), in the order shown.
OUTPUTS = ("entry", "area", "overview", "person", "publications", "references", "graph", "index",
           "other")
#: The work after the pages are written (``_counter``'s ``finish``), in the order shown.
FINISH = ("exports", "search_index")


def output_shares(run: dict[str, Any]) -> dict[str, float]:
    """Each kind of page's share of a full build's CPU time (reading + resolving and writing,
    measured per page in a serial build), then the exports and the search index (Pagefind, its
    CPU included); ``rest`` is start-up, pickling and the rest. Empty when the build has no
    per-page figures."""
    groups, total = run.get("groups") or {}, run.get(TIME)
    if not groups or not total:
        return {}
    shares = {g: (v.get("read_s", 0.0) + v.get("write_s", 0.0)) / total
              for g, v in groups.items()}
    shares.update({k: v / total for k, v in (run.get("finish") or {}).items()})
    shares["rest"] = max(0.0, 1.0 - sum(shares.values()))
    return shares


def _output_shares(results: dict[str, Any]) -> list[str]:
    lines = ["### Share of the full build per output (-j 1, CPU)", "",
             "Each kind of page's reading plus resolving and writing, as a share of the full "
             "build's CPU time; `exports` is the work at the end of the build (`knowledge.json`, "
             "sitemap, feeds, machine files), `search_index` labkb's Pagefind run (its CPU "
             "included); `rest` is start-up and the environment pickle. Baseline pages are hand-written "
             "equivalents (publication lists and the overview's counts as text, no charts).", ""]
    rows = []
    for c in results.get("cases", []):
        for variant in ("labkb", "baseline"):
            shares = output_shares(c[variant]["runs"]["full"])
            if shares:
                rows.append([str(c["n"]), str(c["m"]), variant,
                             *(f"{100 * shares[g]:.0f}%" if g in shares else "–"
                               for g in (*OUTPUTS, *FINISH, "rest"))])
    if not rows:
        return []
    return [*lines, *_table(["N", "M", "variant", *OUTPUTS, *FINISH, "rest"], rows), ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", nargs="?", type=Path, default=HERE / "results.json")
    parser.add_argument("-o", "--output", type=Path, default=None,
                        help="Markdown file (default: the results file with .md)")
    parser.add_argument("--allow-mixed", action="store_true",
                        help="render results whose cases come from several runs or sources "
                        "(the page says so, and does not compare figures of different sources)")
    args = parser.parse_args(argv)
    try:
        results = json.loads(args.results.read_text(encoding="utf8"))
    except (OSError, ValueError) as exc:
        parser.error(f"cannot read {args.results}: {exc}")
    try:
        text = render(results, allow_mixed=args.allow_mixed)
    except MixedResultsError as exc:
        parser.error(f"{args.results} mixes runs: {exc}. Not rendered; pass --allow-mixed to "
                     "render it anyway")
    out = args.output or args.results.with_suffix(".md")
    out.write_text(text, encoding="utf8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
