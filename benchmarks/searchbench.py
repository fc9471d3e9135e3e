"""Search figures of a built labkb site, in Debian's chromium (Playwright), on its Pagefind index.

    python benchmarks/searchbench.py _build/html [--json]

- ``keystroke_p95_ms``: from a key pressed in the search box (Ctrl+K) to the results of what is
  typed so far rendered, every prefix of a set of queries typed one key at a time (the search
  box's 25 ms debounce included); also with the CPU slowed 4x through the DevTools protocol
  (``Emulation.setCPUThrottlingRate``): ``keystroke_p95_ms_cpu4x``.
- ``first_query_kb``: what a fresh visitor's browser fetches for the first query (from the
  first key to the first rendered results: the Pagefind script, its WebAssembly, the index chunks
  and the fragments of the results shown), as served (the test server does not compress).
- ``results_page_ms``: ``search.html?q=...`` for the query that hits the most pages, from the start
  of the navigation to the list complete (its first 50 results rendered); with its hits and the
  number of pages indexed.

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


def _keystrokes(browser: Any, url: str, throttle: float = 1.0) -> list[float]:
    context = browser.new_context()
    page = context.new_page()
    if throttle != 1.0:
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    page.goto(url + "index.html", wait_until="load")
    page.evaluate(WATCH)
    page.keyboard.press("Control+k")
    box = page.locator("#pst-search-dialog form.bd-search input[name=q]")
    box.wait_for(state="visible")
    box.focus()
    page.evaluate("() => document.activeElement.dispatchEvent(new Event('focus'))")
    delays: list[float] = []
    for query in QUERIES:
        box.fill("")
        for i, char in enumerate(query):
            typed = query[: i + 1]
            if char.isascii():
                page.evaluate("() => { window.__kbKeys = []; }")
                box.press(char)
            else:  # an input method's character: no key event, so the time is taken just before
                page.evaluate("() => { window.__kbKeys = [performance.now()]; }")
                page.keyboard.insert_text(char)
            if not typed.strip():
                continue
            page.wait_for_function(
                "(q) => window.__kbRenders.some((r) => r.query === q.trim())", arg=typed,
                timeout=30_000)
            delays.append(page.evaluate(
                """(q) => { const r = window.__kbRenders.filter((r) => r.query === q.trim()).pop();
                            return r.time - window.__kbKeys[0]; }""", typed))
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
    page.goto(url + f"search.html?q={word}", wait_until="commit")
    page.wait_for_selector("#search-results[data-kb-done]", timeout=120_000)
    done = page.evaluate("performance.now()")
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
            out: dict[str, Any] = {"keystroke_p95_ms": p95(plain),
                                   "keystroke_p95_ms_cpu4x": p95(slow),
                                   "keystrokes": len(plain), "html_pages": pages}
            out.update(_first_query(browser, url))
            out.update(_results_page(browser, url))
        finally:
            browser.close()
    return out


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1])), indent=2))
