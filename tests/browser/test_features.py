"""Theme modes, sphinx-design dropdowns and the search page in a real browser (search as you
type: test_search.py)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from .conftest import PHONE

BACKGROUND = "getComputedStyle(document.body).backgroundColor"


def test_light_and_dark_modes(new_page) -> None:
    watched = new_page()
    page = watched.page
    watched.goto("index.html")
    html = page.locator("html")
    assert html.get_attribute("data-mode") == "auto"
    assert html.get_attribute("data-theme") == "light"
    light = page.evaluate(BACKGROUND)

    page.locator(".theme-switch-button:visible").first.click()
    page.locator(".theme-change-button[data-mode=dark]:visible").click()
    assert html.get_attribute("data-theme") == "dark"
    dark = page.evaluate(BACKGROUND)
    assert dark != light, f"the background stays {light} in dark mode"
    assert page.evaluate("localStorage.getItem('mode')") == "dark"

    # The choice is kept on the next page; "auto" follows the system preference.
    watched.goto("models/moss-vl.html")
    assert html.get_attribute("data-theme") == "dark"
    assert page.evaluate(BACKGROUND) == dark
    assert not watched.problems()

    system_dark = new_page(color_scheme="dark")
    system_dark.goto("index.html")
    assert system_dark.page.locator("html").get_attribute("data-theme") == "dark"
    assert system_dark.page.evaluate(BACKGROUND) == dark
    assert not system_dark.problems()


def test_dropdown_opens(new_page) -> None:
    watched = new_page()
    page = watched.page
    watched.goto("research/efficiency-optimization.html")
    dropdown = page.locator("details.sd-dropdown").first
    content = dropdown.locator(".sd-summary-content")
    assert dropdown.get_attribute("open") is None
    assert content.is_hidden()
    dropdown.locator("summary").click()
    assert dropdown.get_attribute("open") is not None
    content.wait_for(state="visible")
    assert content.inner_text().strip()
    assert not watched.problems()


def search(watched, query: str, docname: str) -> bool:
    """Search for ``query`` on the results page; True when a link to ``docname`` shows once the
    page says it is done."""
    page = watched.page
    watched.goto(f"search.html?q={quote(query)}")
    page.wait_for_selector("#search-results[data-kb-done]")
    return page.locator(f'#search-results a[href$="/{docname}.html"]').count() > 0


@pytest.mark.parametrize("query", ["MOSS", "multimodal", "多模态", "视觉理解"])
def test_search_finds_moss_vl(new_page, query: str) -> None:
    watched = new_page()
    assert search(watched, query, "models/moss-vl"), f"search for {query} misses models/moss-vl"
    assert not watched.problems()


def test_filter_narrows_a_grid_and_the_url_restores_it(new_page) -> None:
    watched = new_page()
    page = watched.page
    watched.goto("projects/index.html")
    cards = page.locator(".kb-grid .kb-card-col")
    total = cards.count()
    assert total > 20
    count = page.locator(".kb-filter-count").first
    assert count.inner_text() == f"{total} of {total} shown"
    page.locator(".kb-filter input[type=search]").first.fill("optimizer")
    visible = page.locator(".kb-grid .kb-card-col:not([hidden])")
    assert 0 < visible.count() < total
    assert count.inner_text() == f"{visible.count()} of {total} shown"
    names = visible.locator(".kb-card-title").all_inner_texts()
    assert "Adan" in names
    assert "kb0-q=optimizer" in page.url
    # a facet, chosen with the keyboard
    area = page.locator(".kb-filter select[aria-label=Area]").first
    area.focus()
    area.select_option("efficiency-optimization")
    narrowed = visible.count()
    assert "kb0-areas=efficiency-optimization" in page.url
    # the URL restores the view in a new page
    shared = page.url
    again = new_page()
    again.page.goto(shared)
    assert again.page.locator(".kb-grid .kb-card-col:not([hidden])").count() == narrowed
    assert again.page.locator(".kb-filter input[type=search]").first.input_value() == "optimizer"
    # clearing shows everything again
    again.page.locator(".kb-filter button", has_text="Clear").first.click()
    assert again.page.locator(".kb-grid .kb-card-col:not([hidden])").count() == total
    assert not watched.problems() and not again.problems()


def test_filter_narrows_publications_by_year(new_page) -> None:
    watched = new_page()
    watched.goto("publications.html?kb0-year=2024")
    page = watched.page
    shown = page.locator(".kb-pub:not([hidden])")
    assert shown.count() > 0
    assert set(shown.evaluate_all("els => els.map(e => e.dataset.kbYear)")) == {"2024"}
    assert page.locator(".kb-pub-year:not([hidden])").count() == 1
    assert not watched.problems()


def test_without_javascript_every_card_shows(browser, base_url) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
        page.goto(base_url + "projects/index.html?kb0-q=optimizer")
        assert page.locator(".kb-filter").count() == 0
        cards = page.locator(".kb-grid .kb-card-col")
        assert cards.count() > 20 and cards.evaluate_all("els => els.every(e => !e.hidden)")
    finally:
        context.close()


def test_phone_grid_has_one_column(new_page) -> None:
    """At phone width an entry grid shows one card per row (its ``:columns:`` default 1 2 3 3)."""
    watched = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    watched.goto("research/multimodal-large-models.html")
    boxes = [col.bounding_box() for col in watched.page.locator(".kb-card-col").all()[:2]]
    assert len(boxes) == 2
    assert boxes[1]["y"] > boxes[0]["y"], f"two cards side by side on a phone: {boxes}"
    assert boxes[0]["width"] > PHONE["width"] * 0.8, boxes
