"""Search as you type (Pagefind) in chromium on the built real site: the golden query set, the
keyboard, screen-reader markup (axe), the results page, and the form without JavaScript."""

from __future__ import annotations

from urllib.parse import quote, urlparse

import pytest

from .conftest import PHONE, REPORT
from .golden_queries import CHINESE, ENGLISH, QUERIES
from .test_accessibility import AXE_OPTIONS, BLOCKING, axe, describe  # noqa: F401 (fixture)

DIALOG_INPUT = "#pst-search-dialog form.bd-search input[name=q]"


def docname(href: str) -> str:
    path = urlparse(href).path.lstrip("/")
    path = path.removesuffix(".html")
    return path + "index" if path.endswith("/") or not path else path


def open_search(watched) -> object:
    page = watched.page
    watched.goto("index.html")
    page.keyboard.press("Control+k")
    box = page.locator(DIALOG_INPUT)
    box.wait_for(state="visible")
    return box


def suggestions(page, box, query: str) -> list[str]:
    """Type ``query`` as a reader would; the pages offered, best first."""
    box.fill("")
    box.press_sequentially(query)
    page.wait_for_function(
        "(q) => document.querySelector('.kb-suggest')?.dataset.query === q", arg=query)
    return [docname(h) for h in page.evaluate(
        """() => Array.from(document.querySelectorAll('.kb-suggest [role=option]'))
                  .sort((a, b) => a.dataset.rank - b.dataset.rank).map((o) => o.href)""")]


def test_golden_set_is_balanced() -> None:
    assert len(QUERIES) >= 100
    assert len(CHINESE) >= len(QUERIES) // 2 and len(ENGLISH) >= len(QUERIES) // 2
    assert len({q for q, _ in QUERIES}) == len(QUERIES)


def test_golden_queries(new_page, site) -> None:
    watched = new_page()
    box = open_search(watched)
    ranks: dict[str, int] = {}
    for query, expected in QUERIES:
        assert (site / f"{expected}.html").is_file(), f"{expected} is not a page of the site"
        found = suggestions(watched.page, box, query)
        ranks[query] = found.index(expected) + 1 if expected in found else 0
    top3 = sum(0 < r <= 3 for r in ranks.values()) / len(ranks)
    mrr = sum(1 / r for r in ranks.values() if r) / len(ranks)
    REPORT.append(f"golden search queries: {len(ranks)}, top-3 {top3:.1%}, MRR {mrr:.3f}")
    misses = "\n".join(f"  {q!r}: rank {r or '-'} (want {dict(QUERIES)[q]})"
                       for q, r in ranks.items() if r != 1)
    assert top3 >= 0.9, f"top-3 {top3:.1%} < 90%; not first:\n{misses}"
    assert mrr >= 0.8, f"MRR {mrr:.3f} < 0.8; not first:\n{misses}"
    assert not watched.problems()


def test_keyboard_chooses_a_result(new_page) -> None:
    watched = new_page()
    page = watched.page
    box = open_search(watched)
    assert "models/moss-vl" in suggestions(page, box, "MOSS-VL")
    assert box.get_attribute("aria-expanded") == "true"
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")
    assert listbox.get_attribute("role") == "listbox"
    assert listbox.locator("[role=group] .kb-suggest-kind").count() >= 1  # grouped by kind
    assert listbox.locator("mark").count() >= 1  # the match highlighted
    box.press("ArrowDown")
    first = page.locator(f"#{box.get_attribute('aria-activedescendant')}")
    assert first.get_attribute("aria-selected") == "true"
    target = first.get_attribute("href")
    box.press("Enter")
    page.wait_for_url(f"**{target}")
    assert not watched.problems()


def test_a_letter_lists_the_pages_named_with_it(new_page) -> None:
    """One letter lists the pages with a name starting with it, in the order of their names,
    then those with a word of a name starting with it (a person by the surname); Enter still
    searches the letter in every page."""
    watched = new_page()
    page = watched.page
    box = open_search(watched)
    qwen = suggestions(page, box, "q")
    assert qwen[:3] == ["models/qwen", "models/qwen-image-2-0", "models/qwen2"]
    assert "named with “q…”" in page.locator(".kb-suggest-all").inner_text()
    assert page.locator(".kb-suggest mark").count() == 0  # no letter marked in the snippets
    titles = page.locator(".kb-suggest-option .kb-result-title").all_inner_texts()
    assert all(t.lower().startswith("q") for t in titles)
    assert suggestions(page, box, "z") == ["people/pan-zhou"]  # Pan Zhou, by his surname
    box.press("Enter")
    page.wait_for_url("**/search.html?q=z")
    page.wait_for_selector("#search-results[data-kb-done]")
    assert "pages match" in page.locator("#kb-search-status").inner_text()
    assert not watched.problems()


def test_enter_opens_the_results_page(new_page) -> None:
    watched = new_page()
    page = watched.page
    box = open_search(watched)
    suggestions(page, box, "多模态")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    page.wait_for_selector("#search-results[data-kb-done]")
    assert page.locator('#search-results a[href$="/models/moss-vl.html"]').count() == 1
    assert "pages match" in page.locator("#kb-search-status").inner_text()
    assert not watched.problems()


def test_slash_opens_the_search(new_page) -> None:
    watched = new_page()
    page = watched.page
    watched.goto("models/moss-vl.html")
    page.keyboard.press("/")
    page.locator(DIALOG_INPUT).wait_for(state="visible")
    assert page.evaluate("document.activeElement.name") == "q"


def test_slash_is_left_to_read_the_docs_search(new_page) -> None:
    """With Read the Docs' search addon on the page, "/" is its key."""
    watched = new_page()
    page = watched.page
    watched.goto("models/moss-vl.html")
    page.evaluate("document.body.append(document.createElement('readthedocs-search'))")
    page.keyboard.press("/")
    assert page.locator(DIALOG_INPUT).is_hidden()


@pytest.mark.parametrize("query", ["MOSS", "multimodal", "多模态", "视觉理解", "具身智能"])
def test_results_page(new_page, query: str) -> None:
    watched = new_page()
    page = watched.page
    watched.goto(f"search.html?q={quote(query)}")
    page.wait_for_selector("#search-results[data-kb-done]")
    assert page.locator("#search-results li a").count() >= 1, f"nothing found for {query}"
    assert not watched.problems()


def test_results_page_for_a_query_hitting_every_page(new_page) -> None:
    """"the" is on nearly every page: the list completes, its first 50 rendered, more on demand."""
    watched = new_page()
    page = watched.page
    watched.goto("search.html?q=the")
    page.wait_for_selector("#search-results[data-kb-done]")
    shown = page.locator("#search-results li").count()
    assert 0 < shown <= 50
    assert page.locator(".kb-results-more").is_visible()
    assert not watched.problems()


def test_without_javascript_the_form_submits(browser, base_url) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "search.html")
        page.locator("#kb-search-page-input").fill("MOSS")
        with page.expect_navigation():
            page.locator("#kb-search-page-input").press("Enter")
        address = urlparse(page.url)
        assert address.path.endswith("/search.html") and address.query == "q=MOSS"
        assert page.locator("noscript").count() >= 1
    finally:
        context.close()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_search_ui_accessible(new_page, axe, viewport: str) -> None:  # noqa: F811
    watched = new_page(**({"viewport": PHONE, "is_mobile": True} if viewport == "phone" else {}))
    page = watched.page
    box = open_search(watched)
    suggestions(page, box, "Qwen")
    box.press("ArrowDown")
    found = axe.run(page, options=AXE_OPTIONS).response["violations"]
    watched.goto("search.html?q=%E5%85%B7%E8%BA%AB%E6%99%BA%E8%83%BD")
    page.wait_for_selector("#search-results[data-kb-done]")
    found += axe.run(page, options=AXE_OPTIONS).response["violations"]
    blocking = [describe(v) for v in found if v["impact"] in BLOCKING]
    REPORT.append(f"axe search UI ({viewport}): {len(found)} violations, {len(blocking)} blocking")
    assert not blocking, "\n".join(blocking)
