"""Search figures of a built labkb site, in Debian's chromium (Playwright), on its Pagefind index.

    python benchmarks/searchbench.py _build/html [--json]

- ``keystroke_p95_ms``: from a key pressed in the search box (Ctrl+K) to the results of what is
  typed so far rendered, every prefix of a set of queries typed one key at a time (a Chinese
  character is inserted by a script in the page, which takes the time just before); also with
  the CPU slowed 4x through the DevTools protocol (``Emulation.setCPUThrottlingRate``):
  ``keystroke_p95_ms_cpu4x``. That throttling slows a page's main thread only, not its workers
  (Chromium: "Operation is only supported for pages, not workers"), so the throttled run takes
  the page's workers away: the search then runs on the main thread (the page's fallback without
  workers, Pagefind's too), where all of it is slowed. ``keystroke_phases_ms`` says where the
  time of the unthrottled keystrokes went (median and p95 of each phase the search box reports:
  waiting for Pagefind, its searches, the ranking, the results' data).
- ``first_query_kb``: what a fresh visitor's browser fetches for the first query (from the
  first key to the first rendered results: the search scripts, Pagefind's WebAssembly, the index
  chunks and the pages ranked and shown), as served (the test server does not compress).
- ``results_page_ms``: ``search.html?q=...`` for the query that hits the most pages, from the start
  of the navigation to the list complete (its first 50 results rendered; the time is taken in
  the page when the list says so); with its hits and the number of pages indexed.

bench.py calls :func:`measure` on the labkb site of each case after its full build.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: What readers type (the synthetic sites use these words), Chinese included.
QUERIES = ["vision", "language model", "多模态", "optimizer", "具身智能", "benchmark"]
#: Candidates for a query hitting every page: the one with the most hits is timed.
EVERY_PAGE = ["the", "a", "of", "and"]
WATCH = """() => { window.__kbKeys = []; window.__kbRenders = [];
  document.addEventListener('keydown', () => window.__kbKeys.push(performance.now()), true);
  document.addEventListener('kb-search-rendered', (e) => window.__kbRenders.push(e.detail)); }"""
#: A Chinese character as an input method commits it: no key event, so the time is taken in the
#: page just before the text is inserted.
INSERT = """(ch) => { window.__kbKeys = [performance.now()];
  document.execCommand('insertText', false, ch); }"""
#: The pages' workers taken away (for the throttled run, see the docstring).
NO_WORKERS = "delete window.Worker; window.Worker = undefined;"
#: When the results page says its list is complete.
DONE = """new MutationObserver((records, observer) => {
  const list = document.getElementById('search-results');
  if (list && list.dataset.kbDone) { window.__kbDone = performance.now(); observer.disconnect(); }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-kb-done'] });"""
PHASES = ("engine", "search", "rank", "data")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1) if ordered else 0.0


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[len(ordered) // 2], 1) if ordered else 0.0


def phases(keystrokes: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Median and p95 of each phase the search box reported for the keystrokes."""
    out = {}
    for name in PHASES:
        values = [k["timings"][name] for k in keystrokes if name in k["timings"]]
        if values:
            out[name] = {"median": median(values), "p95": p95(values)}
    return out


def _keystrokes(browser: Any, url: str, throttle: float = 1.0) -> list[dict[str, Any]]:
    """Each measured keystroke: its delay and the phases the search box reported."""
    context = browser.new_context()
    page = context.new_page()
    if throttle != 1.0:
        page.add_init_script(NO_WORKERS)
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    page.goto(url + "index.html", wait_until="load")
    page.evaluate(WATCH)
    page.keyboard.press("Control+k")
    box = page.locator("#pst-search-dialog form.bd-search input[name=q]")
    box.wait_for(state="visible")
    box.focus()
    page.evaluate("() => document.activeElement.dispatchEvent(new Event('focus'))")
    delays: list[dict[str, Any]] = []
    for query in QUERIES:
        box.fill("")
        for i, char in enumerate(query):
            typed = query[: i + 1]
            if char.isascii():
                page.evaluate("() => { window.__kbKeys = []; }")
                box.press(char)
            else:
                page.evaluate(INSERT, char)
            if not typed.strip():
                continue
            page.wait_for_function(
                "(q) => window.__kbRenders.some((r) => r.query === q.trim())", arg=typed,
                timeout=30_000)
            delays.append(page.evaluate(
                """(q) => { const r = window.__kbRenders.filter((r) => r.query === q.trim()).pop();
                            return { delay: r.time - window.__kbKeys[0],
                                     timings: r.timings || {} }; }""", typed))
            page.evaluate("() => { window.__kbRenders = []; }")
    context.close()
    return delays[len(QUERIES[0]):]  # the first query's first keys load the engine: see first_query


def _first_query(browser: Any, url: str) -> dict[str, Any]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "index.html", wait_until="load")
    page.evaluate(WATCH)
    fetched: list[Any] = []
    page.on("requestfinished", lambda request: fetched.append(request))
    page.keyboard.press("Control+k")
    box = page.locator("#pst-search-dialog form.bd-search input[name=q]")
    box.wait_for(state="visible")
    box.press_sequentially(QUERIES[0])
    page.wait_for_function("(q) => window.__kbRenders.some((r) => r.query === q)",
                           arg=QUERIES[0], timeout=60_000)
    total = 0
    for request in fetched:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    context.close()
    return {"first_query_kb": round(total / 1024, 1), "first_query_requests": len(fetched)}


def _results_page(browser: Any, url: str) -> dict[str, Any]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "index.html", wait_until="load")
    page.keyboard.press("Control+k")
    box = page.locator("#pst-search-dialog form.bd-search input[name=q]")
    box.wait_for(state="visible")
    hits = {}
    page.evaluate(WATCH)
    for word in EVERY_PAGE:
        box.fill(word)
        page.wait_for_function("(q) => window.__kbRenders.some((r) => r.query === q)", arg=word,
                               timeout=60_000)
        hits[word] = page.evaluate("(q) => window.__kbRenders.filter((r) => r.query === q)"
                                   ".pop().total", word)
    word = max(hits, key=lambda w: hits[w])
    page.add_init_script(DONE)
    page.goto(url + f"search.html?q={word}", wait_until="commit")
    page.wait_for_function("() => window.__kbDone !== undefined", timeout=120_000)
    done = page.evaluate("window.__kbDone")
    context.close()
    return {"results_page_ms": round(done, 1), "results_page_query": word,
            "results_page_hits": hits[word]}


def measure(html: Path) -> dict[str, Any]:
    """The search figures of the site built in ``html`` (empty when it has no Pagefind index or
    no browser is available)."""
    chromium = shutil.which("chromium")
    if not (html / "pagefind" / "pagefind.js").is_file() or chromium is None:
        return {}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    pages = sum(1 for _ in html.rglob("*.html"))
    with serve(html) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            plain = _keystrokes(browser, url)
            slow = _keystrokes(browser, url, throttle=4.0)
            out: dict[str, Any] = {"keystroke_p95_ms": p95([k["delay"] for k in plain]),
                                   "keystroke_p95_ms_cpu4x": p95([k["delay"] for k in slow]),
                                   "keystrokes": len(plain), "html_pages": pages,
                                   "keystroke_phases_ms": phases(plain)}
            out.update(_first_query(browser, url))
            out.update(_results_page(browser, url))
        finally:
            browser.close()
    return out


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1])), indent=2))
