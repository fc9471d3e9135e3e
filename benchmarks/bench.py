"""Build-performance benchmark of labkb (issue 7): synthetic sites, labkb against hand-written MyST.

    python benchmarks/bench.py [--sizes 100,1000,5000] [--bibs 1000,5000] [--quick]
                               [--parallel-sizes 1000] [--out benchmarks/results.json]

For every size N (entries) and bib size M it generates two projects in a temporary folder (see
``sitegen.py``): ``labkb`` (YAML entries, grids) and ``baseline`` (the same content as hand-written
MyST pages, no labkb), and runs, each as a separate process (the baseline's is ``python -m sphinx``,
labkb's the command ``make html`` runs, ``python -m labkb.sphinxext.build_main``: the same CLI,
ended without the interpreter's tear-down):

- ``full``: a clean build with ``-j 1``;
- ``noop``: the same build again, nothing changed;
- ``edit_yaml``: after changing one entry's summary (the YAML file; the page in the baseline);
- ``edit_bib``: after changing the title of one ``.bib`` record that entry cites;
- ``full_j2``: a clean build with ``-j 2`` (for the sizes in ``--parallel-sizes``).

Plus, per M, a clean build of the site with no entries (N = 0): the fixed cost, subtracted to get
the marginal cost per entry. Each run records wall time, peak memory (the largest process, from
``wait4``; and the whole process tree, sampled from /proc), and the documents re-read and re-written
(``_counter.py``). Every figure of labkb is also given as a ratio to the same figure of the baseline,
built on the same machine in the same run, so the machine's speed cancels out.

Every case (and every no-entry build) records what it measured: the git commit (full hash), whether
the tree had uncommitted changes, the digest of the extension's sources, and the date; the top level
records the run the same way. ``--merge`` only adds cases of the same clean commit.

Results go to ``--out`` (JSON) and, through ``report.py``, to the Markdown file next to it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402
import searchbench  # noqa: E402
import servebench  # noqa: E402
import sitegen  # noqa: E402
from _counter import ENV_VAR  # noqa: E402

SCHEMA = 2  # 2: every case records its commit, tree state and run
PAGE = 4096


# -- running one build -----------------------------------------------------------------------------
def _tree_rss(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    total, stack, seen = 0, [root_pid], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak = pid, every, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, _tree_rss(self.pid))
            self.done.wait(self.every)


#: The build command of each variant: labkb's is what ``make html`` runs.
ENTRY_MODULE = {"labkb": "labkb.sphinxext.build_main", "baseline": "sphinx"}


def sphinx_cmd(root: Path, jobs: int = 1, variant: str = "baseline") -> list[str]:
    return [sys.executable, "-m", ENTRY_MODULE[variant], "-b", "html", "-q", "-j", str(jobs),
            "-c", str(root), "-w", str(root / "warnings.txt"),
            "-d", str(root / "_build" / "doctrees"), str(root / "docs"),
            str(root / "_build" / "html")]


def run_build(root: Path, jobs: int = 1, clean: bool = False,
              variant: str = "baseline") -> dict[str, Any]:
    """One build of the ``variant`` project in ``root``: time, memory, counts."""
    if clean:
        shutil.rmtree(root / "_build", ignore_errors=True)
    counter = root / "counter.jsonl"
    counter.unlink(missing_ok=True)
    env = {**sitegen.build_env(), ENV_VAR: str(counter)}
    log = root / "sphinx.log"
    load_before = os.getloadavg()[0]
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(sphinx_cmd(root, jobs, variant), stdout=out,
                                stderr=subprocess.STDOUT,
                                env=env, cwd=root)
        sampler = _Sampler(proc.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted: do not leave the build running
            proc.kill()
            proc.wait()
            sampler.done.set()
            raise
        wall = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    records = [json.loads(line) for line in counter.read_text(encoding="utf8").splitlines()] \
        if counter.exists() else []
    rec = records[-1] if records else {}
    warnings_file = root / "warnings.txt"
    warning_lines = [line for line in warnings_file.read_text(encoding="utf8").splitlines()
                     if "WARNING" in line or "ERROR" in line] if warnings_file.exists() else []
    result = {
        "ok": proc.returncode == 0 and bool(rec.get("ok")),
        "returncode": proc.returncode,
        "jobs": jobs,
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],  # 1-min load, before/after
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # largest single process (KiB on Linux)
        "peak_tree_rss_mb": round(max(sampler.peak, usage.ru_maxrss * 1024) / 2**20, 1),
        "read": len(rec.get("read", [])),
        "written": len(rec.get("written", [])),
        "read_docs": rec.get("read", []),
        "written_docs": rec.get("written", []),
        "phases": rec.get("phases", {}),
        "groups": rec.get("groups", {}),
        "finish": rec.get("finish", {}),
        "finish_wall": rec.get("finish_wall", {}),
        "graph_work_s": rec.get("graph_work"),
        "graph_work_missing": rec.get("graph_work_missing", []),
        "warnings": len(warning_lines),
        "warning_sample": warning_lines[:5],
    }
    if not result["ok"]:
        result["log_tail"] = log.read_text(encoding="utf8", errors="replace")[-3000:]
    return result


def dir_mb(path: Path) -> float:
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(dirpath, name)).st_size
    return round(total / 2**20, 1)


# -- one case --------------------------------------------------------------------------------------
def _compact(run: dict[str, Any], limit: int = 40) -> dict[str, Any]:
    """Keep document lists only when short (a full build lists every page)."""
    out = dict(run)
    for key in ("read_docs", "written_docs"):
        if len(out[key]) > limit:
            out[key] = [*out[key][:limit], f"... {len(run[key]) - limit} more"]
    return out


def _exactness(run: dict[str, Any], expected_read: set[str] | None,
               expected_written: set[str]) -> dict[str, Any]:
    """Compare the documents a build re-read and re-wrote with those it should have.

    Sphinx itself re-writes the toctree parent of every page it re-writes; those pages are listed
    apart (``toctree_parents``) and are not counted as extra.
    """
    read, written = set(run["read_docs"]), set(run["written_docs"])
    parents = {p for d in expected_written if (p := sitegen.toctree_parent(d))} - expected_written
    out: dict[str, Any] = {"expected_written": sorted(expected_written),
                           "missing_written": sorted(expected_written - written),
                           "toctree_parents": sorted(written & parents),
                           "extra_written": sorted(written - expected_written - parents)}
    if expected_read is not None:
        out["expected_read"] = sorted(expected_read)
        out["extra_read"] = sorted(read - expected_read)
        out["missing_read"] = sorted(expected_read - read)
    return out


def bench_case(work: Path, n: int, m: int, parallel: bool, log: Any, repeat: int = 1,
               budget: float = 0.0, patch_pybtex: bool = False,
               serve: bool = True) -> dict[str, Any]:
    """Generate the labkb and baseline projects of one size and time their builds.

    The two variants run in lockstep (labkb, baseline, labkb, ...) so that a slow patch of the
    machine hits both. Each measurement is repeated up to ``repeat`` times while the time spent on
    it stays under ``budget`` seconds. The smallest wall time and the smallest CPU time are kept
    (``walls_s`` and ``cpus_s`` list them all; the details come from the run with the least CPU
    time), and peak memory is the largest of them.
    """
    sites = {}
    for variant in sitegen.VARIANTS:
        root = work / f"{variant}-n{n}-m{m}"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        sites[variant] = sitegen.generate(root, n, m, variant, patch_pybtex)
    runs: dict[str, dict[str, Any]] = {v: {} for v in sitegen.VARIANTS}
    edited: dict[str, dict[str, Any]] = {v: {} for v in sitegen.VARIANTS}

    def step(name: str, prepare: Any = None, **kw: Any) -> None:
        best: dict[str, dict[str, Any]] = {}
        spent, walls, cpus, peaks = 0.0, defaultdict(list), defaultdict(list), defaultdict(list)
        while True:
            for variant, site in sites.items():
                if prepare is not None:
                    prepare(variant, site)
                log(f"  {variant:8s} n={n:<5d} m={m:<5d} {name:9s} ... ")
                run = run_build(site.root, variant=variant, **kw)
                log(f"{run['wall_s']:7.1f} s (cpu {run['cpu_s']:7.1f} s)  read {run['read']:5d}  "
                    f"written {run['written']:5d}"
                    f"  peak {run['peak_tree_rss_mb']:6.0f} MB  warnings {run['warnings']}"
                    f"{'' if run['ok'] else '  FAILED'}\n")
                if not run["ok"]:
                    log(run.get("log_tail", "") + "\n")
                spent += run["wall_s"]
                walls[variant].append(run["wall_s"])
                cpus[variant].append(run["cpu_s"])
                peaks[variant].append((run["peak_rss_mb"], run["peak_tree_rss_mb"]))
                if variant not in best or (run["ok"] and run["cpu_s"] < best[variant]["cpu_s"]):
                    best[variant] = run
            count = len(walls["labkb"])
            if count >= repeat or spent / count * (count + 1) > budget or \
                    not all(r["ok"] for r in best.values()):
                break
        for variant, run in best.items():
            run = dict(run)
            run["wall_s"], run["cpu_s"] = min(walls[variant]), min(cpus[variant])
            run["walls_s"], run["cpus_s"] = walls[variant], cpus[variant]
            run["peak_rss_mb"] = max(p[0] for p in peaks[variant])
            run["peak_tree_rss_mb"] = max(p[1] for p in peaks[variant])
            runs[variant][name] = run

    step("full", clean=True)
    for variant, site in sites.items():
        runs[variant]["full"]["html_mb"] = dir_mb(site.build / "html")
        runs[variant]["full"]["doctrees_mb"] = dir_mb(site.build / "doctrees")
    if n:  # the search of the labkb site, in chromium, on the index its full build wrote
        log(f"  labkb    n={n:<5d} m={m:<5d} search    ... ")
        runs["labkb"]["full"]["search"] = searchbench.measure(sites["labkb"].build / "html")
        log(json.dumps(runs["labkb"]["full"]["search"]) + "\n")
    if n:
        step("noop")
        step("edit_yaml", prepare=lambda v, site: edited[v].update(entry=sitegen.edit_entry(site)))
        step("edit_bib", prepare=lambda v, site: edited[v].update(key=sitegen.edit_bib(site)))
        if serve:  # make serve: sphinx-autobuild and chromium, after the incremental builds
            log(f"  labkb    n={n:<5d} m={m:<5d} serve     ... ")
            try:
                runs["labkb"]["full"]["serve"] = servebench.measure(sites["labkb"])
            except RuntimeError as exc:  # recorded, not fatal: the other figures stand
                runs["labkb"]["full"]["serve"] = {"error": str(exc)}
            log(json.dumps(runs["labkb"]["full"]["serve"]) + "\n")
        if parallel:
            step("full_j2", jobs=2, clean=True)
    out: dict[str, Any] = {}
    for variant, site in sites.items():
        r = runs[variant]
        if n:
            r["noop"]["check"] = _exactness(r["noop"], set(), set())
            entry = edited[variant]["entry"]
            r["edit_yaml"]["edited"] = entry.docname
            r["edit_yaml"]["check"] = _exactness(r["edit_yaml"], {entry.docname},
                                                 sitegen.pages_showing_entry(site, entry))
            key = edited[variant]["key"]
            r["edit_bib"]["edited"] = key
            r["edit_bib"]["check"] = _exactness(r["edit_bib"], None,
                                                sitegen.pages_showing_key(site, key))
        out[variant] = {"runs": {k: _compact(v) for k, v in r.items()},
                        "pages": len(site.docnames()),
                        "entries": {"project": sum(e.kind == "project" for e in site.entries),
                                    "model": sum(e.kind == "model" for e in site.entries)}}
        shutil.rmtree(site.root, ignore_errors=True)
    return out


def ratios(labkb: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, run in labkb["runs"].items():
        base = baseline["runs"].get(name)
        if not base:
            continue
        out[name] = {
            "wall": round(run["wall_s"] / base["wall_s"], 3) if base["wall_s"] else None,
            "cpu": round(run["cpu_s"] / base["cpu_s"], 3) if base["cpu_s"] else None,
            "peak_rss": round(run["peak_rss_mb"] / base["peak_rss_mb"], 3)
            if base["peak_rss_mb"] else None,
        }
    return out


# -- machine and versions ------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "memory_gb": mem_gb, "cpu": cpu or platform.processor(),
            "os": platform.platform(), "python": platform.python_version()}


def versions() -> dict[str, str]:
    from importlib import metadata

    out = {}
    for dist in ("sphinx", "pydata-sphinx-theme", "myst-parser", "sphinx-design",
                 "sphinxcontrib-bibtex", "pybtex", "docutils", "pydantic", "labkb", "jieba"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    out["labkb sources (sha1)"] = sources_digest()
    return out


def sources_digest() -> str:
    """The extension changes faster than its version: a digest of its sources says which ran."""
    digest = hashlib.sha1()
    root = sitegen.REPO / "ext" / "labkb"
    for path in sorted(root.rglob("*.py")):  # every module, not only the package's top level
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def git_state(ignore: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The commit checked out and whether the tree differs from it: a figure is only reproducible
    from a clean commit. ``ignore``: files the benchmark itself writes (its results)."""
    def git(*args: str) -> str | None:
        try:
            proc = subprocess.run(["git", *args], cwd=sitegen.REPO, capture_output=True,
                                  text=True, check=False)
        except OSError:
            return None
        return proc.stdout if proc.returncode == 0 else None

    commit = git("rev-parse", "--verify", "HEAD")
    if commit is None:
        return {"commit": None, "dirty": None}
    excludes = []
    for path in ignore:
        with contextlib.suppress(ValueError):
            excludes.append(":(exclude)" + path.resolve().relative_to(sitegen.REPO).as_posix())
    status = git("status", "--porcelain", "--", ".", *excludes)
    return {"commit": commit.strip(), "dirty": status is None or bool(status.strip())}


def provenance(ignore: tuple[Path, ...] = ()) -> dict[str, Any]:
    """What a case measured: commit, dirty tree or not, digest of the extension, and when."""
    return {**git_state(ignore), "labkb_sources": sources_digest(), "date": _now()}


def same_sources(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a.get(k) == b.get(k) for k in report.SOURCE_KEYS)


# -- main ------------------------------------------------------------------------------------------
def _ints(text: str) -> list[int]:
    """Comma-separated positive integers (argparse turns the error into a usage message)."""
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of integers: {text!r}") \
            from None
    if any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError(f"sizes must be positive: {text!r}")
    return values


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _merge_refusal(old: dict[str, Any], now: dict[str, Any]) -> str | None:
    """Why the cases already in --out must not be merged with this run's (None: they may be).

    Merged figures are compared with each other in the report: only figures of the same clean
    commit, with the same extension sources, can be.
    """
    if now.get("commit") is None:
        return "this checkout's commit is unknown (not a git checkout?)"
    if now.get("dirty"):
        return "the tree has uncommitted changes: commit them first"
    for item in [old.get("run", {}), *old.get("cases", []), *old.get("fixed", [])]:
        if item.get("commit") is None:
            return "its cases record no commit"
        if item.get("dirty"):
            return f"its cases were measured on a dirty tree at {item['commit'][:12]}"
        if not same_sources(item, now):
            return (f"its cases were measured at commit {item['commit'][:12]} (sources "
                    f"{item.get('labkb_sources')}), this run is at {now['commit'][:12]} "
                    f"(sources {now['labkb_sources']})")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=_ints, default=[100, 1000, 5000],
                        help="numbers of entries N (default 100,1000,5000)")
    parser.add_argument("--bibs", type=_ints, default=[1000, 5000],
                        help="numbers of bib records M (default 1000,5000)")
    parser.add_argument("--parallel-sizes", type=_ints, default=[1000],
                        help="sizes N at which -j 2 is compared with -j 1 (default 1000)")
    parser.add_argument("--quick", action="store_true",
                        help="a quick run: N in {50, 200}, M = 100, -j 2 at N = 200")
    parser.add_argument("--out", type=Path, default=HERE / "results.json",
                        help="JSON results (the Markdown report is written next to it)")
    parser.add_argument("--repeat", type=_positive, default=3,
                        help="run each measurement up to this many times, keep the fastest "
                        "(default 3)")
    parser.add_argument("--repeat-budget", type=float, default=60.0,
                        help="but stop repeating once a measurement took this many seconds "
                        "(default 60: large builds run once)")
    parser.add_argument("--patch-pybtex", action="store_true",
                        help="cache pybtex's plugin look-ups in both variants (a workaround for "
                        "a slow path of pybtex 0.26, see sitegen.PYBTEX_PATCH); recorded in the "
                        "results")
    parser.add_argument("--no-serve", action="store_true",
                        help="skip the make serve figures (sphinx-autobuild and chromium: seconds "
                        "from saving a YAML file to the browser showing the new page)")
    parser.add_argument("--merge", action="store_true",
                        help="keep the cases already in --out that this run does not measure "
                        "(refused unless they were measured at this same clean commit)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the temporary projects go (default: a new temporary folder; "
                        "created if missing)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.bibs, args.parallel_sizes = [50, 200], [100], [200]
    if not args.sizes or not args.bibs:
        parser.error("--sizes and --bibs need at least one number each")
    if args.repeat_budget < 0:
        parser.error(f"--repeat-budget must not be negative: {args.repeat_budget}")
    if args.out.is_dir():
        parser.error(f"--out is a directory: {args.out}")
    if args.workdir is not None:
        try:
            args.workdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            parser.error(f"--workdir {args.workdir}: cannot create it ({exc.strerror or exc})")
    outputs = (args.out, args.out.with_suffix(".md"))
    run = provenance(outputs)
    if args.merge and args.out.exists():
        try:
            old = json.loads(args.out.read_text(encoding="utf8"))
        except (OSError, ValueError) as exc:
            parser.error(f"--merge: cannot read {args.out}: {exc}")
        reason = _merge_refusal(old, run)
        if reason:
            parser.error(f"--merge: will not merge with {args.out}: {reason}")

    def log(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    # a plain `kill` should still remove the temporary projects (the finally below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="labkb-bench-", dir=args.workdir))
    started = time.perf_counter()
    results: dict[str, Any] = {
        "schema": SCHEMA,
        "date": run["date"],
        "run": run,
        "command": "python benchmarks/bench.py " + " ".join(argv if argv is not None
                                                             else sys.argv[1:]),
        "quick": args.quick,
        "pybtex_patch": args.patch_pybtex,
        "machine": machine(),
        "versions": versions(),
        "fixed": [],
        "cases": [],
    }
    changed: list[str] = []

    def measured() -> dict[str, Any]:
        """The provenance of a case, taken when it starts: the tree may change during a run."""
        now = {**provenance(outputs), "run": run["date"]}
        if not same_sources(now, run):
            changed.append(now["date"])
        return now

    try:
        if not args.no_serve:  # make serve on the repository's own site
            log("  real site           serve     ... ")
            try:
                results["real_site_serve"] = {**servebench.measure_real_site(work),
                                              **measured()}
            except Exception as exc:  # a figure that failed is reported, the run goes on
                results["real_site_serve"] = {"error": str(exc)}
            log(json.dumps({k: v for k, v in results["real_site_serve"].items()
                            if k.startswith("save") or k == "error"}) + "\n")
        for m in args.bibs:
            prov = measured()
            fixed = bench_case(work, 0, m, False, log, args.repeat, args.repeat_budget,
                               args.patch_pybtex)
            results["fixed"].append({"n": 0, "m": m, "pybtex_patch": args.patch_pybtex, **prov,
                                     **{v: fixed[v]["runs"]["full"] for v in sitegen.VARIANTS}})
            for n in args.sizes:
                case: dict[str, Any] = {"n": n, "m": m, "pybtex_patch": args.patch_pybtex,
                                        **measured()}
                case.update(bench_case(work, n, m, n in args.parallel_sizes, log, args.repeat,
                                       args.repeat_budget, args.patch_pybtex,
                                       serve=not args.no_serve))
                case["ratios"] = ratios(case["labkb"], case["baseline"])
                results["cases"].append(case)
                _save(results, args)  # keep what is done if a later case is interrupted
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["total_s"] = round(time.perf_counter() - started, 1)
    results = _save(results, args)
    print()
    print(report.render(results, allow_mixed=True))
    if changed:
        print("the sources changed during the run (commit, tree or extension): its cases are not "
              "comparable with each other; run it again on an unchanged tree", file=sys.stderr)
        return 1
    failed = [f"{c['n']}/{c['m']}/{v}/{name}" for c in results["cases"] for v in sitegen.VARIANTS
              for name, r in c[v]["runs"].items() if not r["ok"]]
    if failed:
        print("failed builds: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


def _save(results: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    out = dict(results)
    if args.merge and args.out.exists():
        old = json.loads(args.out.read_text(encoding="utf8"))

        def key(c: dict[str, Any]) -> tuple[Any, ...]:
            return (bool(c.get("pybtex_patch")), c["m"], c["n"])

        have = {key(c) for c in out["cases"]} | {key(f) for f in out["fixed"]}
        out["cases"] = sorted([c for c in old.get("cases", []) if key(c) not in have]
                              + out["cases"], key=key)
        out["fixed"] = sorted([f for f in old.get("fixed", []) if key(f) not in have]
                              + out["fixed"], key=key)
        out["merged_from"] = sorted((set(old.get("merged_from", [])) | {old.get("date", "")})
                                    - {out["date"], ""})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf8")
    # the page says when cases come from several runs or sources; it does not hide them
    args.out.with_suffix(".md").write_text(report.render(out, allow_mixed=True), encoding="utf8")
    return out


if __name__ == "__main__":
    sys.exit(main())
