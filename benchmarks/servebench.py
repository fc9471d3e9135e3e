"""``make serve`` figures: from saving a YAML file to the browser showing the new page.

    python benchmarks/servebench.py PROJECT_ROOT [--edits 3] [--json]

Runs ``make serve``'s command (``python -m labkb.sphinxext.serve``: sphinx-autobuild, rebuilds
forked from a process with the imports done, Pagefind's index following in the background) on a
project that has been built once (the same watched folders), opens an entry page in Debian's
chromium (Playwright), then edits that entry's YAML file (its summary, as the benchmark's
``edit_yaml`` case does) and times, for each edit, the seconds from the file written to the page
in the browser showing the new text: the file watcher, the incremental build, sphinx-autobuild's
reload of the page and the browser rendering it.

- ``save_to_browser_s``: each edit's seconds; ``save_to_browser_max_s`` the slowest.

bench.py calls :func:`measure` on the labkb site of each case after its builds (``--no-serve``
skips it). Nothing is measured, and ``{}`` returned, without chromium, Playwright or
sphinx-autobuild.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import sitegen  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: The longest wait for one edit to show (a larger site simply reports a failure beyond it).
TIMEOUT_S = 300.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def autobuild(root: Path, log: Path) -> Iterator[str]:
    """sphinx-autobuild on ``root`` (conf.py, docs/, refs/), as ``make serve`` runs it; yields
    its address once the first build is done and the server answers."""
    port = _free_port()
    cmd = [sys.executable, "-m", "labkb.sphinxext.serve", "-c", str(root), str(root / "docs"),
           str(root / "_build" / "html"), "-d", str(root / "_build" / "doctrees"),
           "--watch", str(root / "refs"), "--ignore", "*/_build/*", "--host", "127.0.0.1",
           "--port", str(port)]
    with log.open("w", encoding="utf8") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=root,
                                env=sitegen.build_env())
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline and proc.poll() is None:
            if "Serving on" in log.read_text(encoding="utf8", errors="replace"):
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(url, timeout=5).close()
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"sphinx-autobuild did not start (see {log})")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        # the last save's background index would go on indexing a project about to be removed
        from labkb.sphinxext.search_background import stop

        stop(root / "_build" / "doctrees" / "kb-pagefind.json")


def _shows(page: Any, text: str) -> bool:
    try:
        return bool(page.evaluate("(t) => !!document.body && document.body.innerText.includes(t)",
                                  text))
    except Exception:  # the page is being reloaded: its context is gone for a moment
        return False


def time_edits(url: str, edit: Callable[[], str], edits: int) -> list[float]:
    """Seconds from each ``edit()`` (which writes a file and returns the text the page must then
    show) to the page at ``url`` showing it in chromium."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    out: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = browser.new_page()
            page.goto(url, wait_until="load")
            for _ in range(edits):
                time.sleep(1.0)  # the watcher settles after the previous build
                expected = edit()
                start = time.perf_counter()
                while not _shows(page, expected):
                    if time.perf_counter() - start > TIMEOUT_S:
                        raise RuntimeError(f"{url} did not show {expected!r}")
                    time.sleep(0.05)
                out.append(round(time.perf_counter() - start, 2))
        finally:
            browser.close()
    return out


def _tools() -> bool:
    if shutil.which("chromium") is None:
        return False
    try:
        import playwright.sync_api  # noqa: F401
        import sphinx_autobuild  # noqa: F401
    except ImportError:
        return False
    return True


def measure(site: sitegen.Site, edits: int = 3) -> dict[str, Any]:
    """The ``make serve`` figures of a built labkb ``site`` (empty when a tool is missing)."""
    if site.variant != "labkb" or not _tools():
        return {}
    entry = sitegen.edited_entry(site)
    return measure_project(site.root, site.source(entry), entry.docname, edits)


#: The real site's page the real-site figure edits (its YAML file under docs/).
REAL_ENTRY = "models/moss-vl"


def measure_real_site(work: Path, edits: int = 3) -> dict[str, Any]:
    """The same figures on a copy of the repository's own site (conf.py, docs/, refs/) in
    ``work``, built once first as ``make html`` would (empty when a tool is missing)."""
    if not _tools():
        return {}
    root = work / "real-site"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copy2(sitegen.REPO / "conf.py", root / "conf.py")
    for folder in ("docs", "refs"):
        shutil.copytree(sitegen.REPO / folder, root / folder,
                        ignore=shutil.ignore_patterns("_build"))
    (root / "benchmarks").mkdir()  # the performance page includes the results page
    shutil.copy2(sitegen.REPO / "benchmarks" / "results.md", root / "benchmarks" / "results.md")
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(root),
                    "-d", str(root / "_build" / "doctrees"), str(root / "docs"),
                    str(root / "_build" / "html")], cwd=root, check=True, capture_output=True,
                   env=sitegen.build_env())
    return measure_project(root, root / "docs" / f"{REAL_ENTRY}.yaml", REAL_ENTRY, edits)


def measure_project(root: Path, path: Path, docname: str, edits: int = 3) -> dict[str, Any]:
    """``edits`` edits of the summary of the YAML file ``path``, each timed until the page of
    ``docname`` shows it, under sphinx-autobuild on the built project in ``root``."""
    original = path.read_text(encoding="utf8")
    count = [0]

    def edit() -> str:
        count[0] += 1
        marker = f"Edit number {count[0]} of the serve benchmark."
        edited = re.sub(r"^(summary: .*)$", lambda m: f"{m.group(1)} {marker}", original,
                        count=1, flags=re.M)
        if edited == original:
            raise RuntimeError(f"no summary line in {path}")
        path.write_text(edited, encoding="utf8")
        return marker

    log = root / "autobuild.log"
    try:
        with autobuild(root, log) as url:
            times = time_edits(f"{url}{docname}.html", edit, edits)
    finally:
        path.write_text(original, encoding="utf8")
    return {"save_to_browser_s": times, "save_to_browser_max_s": max(times), "entry": docname}


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="a project generated by sitegen.py (labkb), built")
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    n = len(list((root / "docs").glob("*/[pm]-*.yaml")))
    m = (root / "refs" / "bench.bib").read_text(encoding="utf8").count("\n@article")
    site = sitegen.Site(root, "labkb", n, m, sitegen.make_entries(n, m))
    print(json.dumps(measure(site, args.edits), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
