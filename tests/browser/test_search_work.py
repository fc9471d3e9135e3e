"""What the search does for a query, counted in requests (never timed): a newer query supersedes
one still in progress (whose results are never rendered, and whose pages are not loaded), only
the results shown or ranked are loaded, the engine reads the pages' fragments itself (what
Pagefind's data() gives of them), and the search works without module workers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .test_search import DIALOG_INPUT, docname, open_search, suggestions

STATIC = Path(__file__).resolve().parents[2] / "ext" / "labkb" / "static"
WATCH = """() => { window.__kbRenders = [];
  document.addEventListener('kb-search-rendered', (e) => window.__kbRenders.push(e.detail)); }"""
#: Module workers refused, as by a browser without them: the page runs the engine itself.
NO_MODULE_WORKERS = """(() => { const Original = window.Worker;
  window.Worker = function (url, options) {
    if (options && options.type === "module") throw new TypeError("no module workers");
    return new Original(url, options);
  }; })();"""


def constant(name: str) -> int:
    """A constant of the search engine's script (how many results it ranks, for instance)."""
    text = (STATIC / "labkb-search-worker.js").read_text(encoding="utf8")
    return int(re.search(rf"const {name} = (\d+);", text).group(1))


def fragments(requests: list[str]) -> int:
    return sum("/pagefind/fragment/" in url for url in requests)


def test_a_newer_query_supersedes_one_in_progress(new_page) -> None:
    """The index chunks are held back while the reader types: the searches of the prefixes
    typed meanwhile stop without loading a page, only the last query's results are rendered,
    and no more pages are loaded than the engine ranks for one query."""
    watched = new_page()
    page = watched.page
    context = page.context
    held: list = []
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.route("**/pagefind/index/*", lambda route: held.append(route))
    box = open_search(watched)
    page.evaluate(WATCH)
    box.press_sequentially("multimodal")
    page.wait_for_timeout(300)
    assert held, "the first query's index chunk was not requested"
    assert page.evaluate("window.__kbRenders.length") == 0
    context.unroute("**/pagefind/index/*")
    for route in held:
        route.continue_()
    page.wait_for_function("() => window.__kbRenders.some((r) => r.query === 'multimodal')")
    page.wait_for_timeout(300)  # a stale answer, if any, would be rendered by now
    renders = page.evaluate("window.__kbRenders.map((r) => [r.query, r.total])")
    assert [query for query, _ in renders] == ["multimodal"]
    assert renders[0][1] > constant("BOOST_WINDOW"), "the query must hit more pages than it ranks"
    assert 0 < fragments(requests) <= constant("BOOST_WINDOW")
    assert page.locator(".kb-suggest").get_attribute("data-query") == "multimodal"
    assert not watched.problems()


def test_each_word_is_searched_once_while_typing_on(new_page) -> None:
    """A query whose words are not all on one page is searched word by word too; typing on in
    its last word searches that word and the query again, not the words before it, and a query
    typed again is answered from what the engine kept, with the same results."""
    watched = new_page()
    page = watched.page
    box = open_search(watched)
    page.evaluate(WATCH)

    def searched(query: str) -> tuple[int, int]:
        page.evaluate("() => { window.__kbRenders.length = 0; }")  # not an earlier render of it
        box.fill(query)
        page.wait_for_function("(q) => window.__kbRenders.some((r) => r.query === q)", arg=query)
        found = page.evaluate("(q) => { const r = window.__kbRenders.find((r) => r.query === q);"
                              " return [r.timings.searches, r.total]; }", query)
        return found[0], found[1]

    # no page has both words: the query, then "anygpt" and "quantiza" alone
    first, hits = searched("anygpt quantiza")
    assert first == 3 and hits > 0
    assert searched("anygpt quantizat") == (2, hits)  # "anygpt" is kept
    assert searched("anygpt quantiza") == (0, hits)
    assert not watched.problems()


def test_only_the_results_shown_are_loaded(new_page) -> None:
    """"the" hits more pages than the results page shows at once: it loads the pages it shows
    (and ranks), then the next ones when asked for them."""
    watched = new_page()
    page = watched.page
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    watched.goto("search.html?q=the")
    page.wait_for_selector("#search-results[data-kb-done]")
    shown = page.locator("#search-results li").count()
    total = int(re.match(r"(\d+) pages match",
                         page.locator("#kb-search-status").inner_text()).group(1))
    limit = constant("BOOST_WINDOW")
    assert total > 2 * shown and shown == 50
    assert shown <= fragments(requests) <= max(shown, limit)
    page.locator(".kb-results-more").click()
    page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 50")
    assert fragments(requests) <= 2 * shown
    assert not watched.problems()


def test_without_module_workers_the_page_searches(new_page) -> None:
    watched = new_page()
    page = watched.page
    page.add_init_script(NO_MODULE_WORKERS)
    box = open_search(watched)
    assert "models/moss-vl" in suggestions(page, box, "MOSS-VL")
    page.locator(DIALOG_INPUT).press("Enter")
    page.wait_for_url("**/search.html?q=*")
    page.wait_for_selector("#search-results[data-kb-done]")
    hrefs = page.evaluate("Array.from(document.querySelectorAll('#search-results a'), a => a.href)")
    assert "models/moss-vl" in [docname(h) for h in hrefs]
    assert not watched.problems()


#: The engine (labkb-search-worker.js imported into the page) and Pagefind itself on the same
#: query: what the engine answers of each result, and what Pagefind's data() gives of the page.
BOTH = """async ([query, count]) => {
  const meta = document.querySelector('meta[name="kb-search"]');
  const bundle = new URL(meta.dataset.bundle, document.baseURI).href;
  const root = new URL(document.documentElement.dataset.content_root || './', document.baseURI);
  const script = document.querySelector('script[src*="labkb-search.js"]').src;
  const module = await import(new URL('labkb-search-worker.js', script).href);
  const engine = module.createEngine(bundle, root.pathname);
  const answer = await engine.search({ id: 1, session: 's', query, limit: count, count });
  const pf = await import(bundle);
  await pf.options({ baseUrl: root.pathname });
  await pf.init();
  const pages = {};
  for (const q of [query, ...module.words(query)]) {  // the engine's any-word search too
    for (const result of (await pf.search(q)).results.slice(0, 40)) {
      const data = await result.data();
      pages[data.url] = { title: data.meta.title || '', kind: data.meta.kind || '' };
    }
  }
  return { results: answer.results, pages };
}"""
#: The browser's gzip taken away: the engine reads pages through Pagefind's data().
NO_DECOMPRESSION = "delete window.DecompressionStream; window.DecompressionStream = undefined;"


@pytest.mark.parametrize("query", ["multimodal", "多模态", "m"])
@pytest.mark.parametrize("gzip", [True, False], ids=["own-reader", "pagefind-data"])
def test_pages_read_by_the_engine_are_pagefinds(new_page, query: str, gzip: bool) -> None:
    """The engine reads the pages itself (the browser's gzip, no sub-results made), or without
    DecompressionStream through Pagefind's data(): either way each result has the URL, title
    and kind Pagefind gives the page, and an excerpt with a query's word marked."""
    watched = new_page()
    page = watched.page
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    if not gzip:
        page.add_init_script(NO_DECOMPRESSION)
    watched.goto("index.html")
    both = page.evaluate(BOTH, [query, 8])
    assert len(both["results"]) == 8
    marks = 0
    for result in both["results"]:
        assert result["url"] in both["pages"], result["url"]
        assert {"title": result["title"], "kind": result["kind"]} == both["pages"][result["url"]]
        assert result["excerpt"], result
        marked = re.findall(r"<mark>(.*?)</mark>", result["excerpt"])
        assert all(query.lower() in m.lower() or m in query for m in marked), marked
        marks += len(marked)
    assert marks  # a page matched by its names only has no word marked
    # Pagefind's data() afterwards (the same Pagefind in the page) fetches again the pages the
    # engine read itself, none of those it read through data()
    fetched = [url for url in requests if "/pagefind/fragment/" in url]
    again = len(fetched) - len(set(fetched))
    assert again > 0 if gzip else again == 0, fetched
    assert not watched.problems()
