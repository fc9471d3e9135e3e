"""The comparison page in chromium: sources reachable from every value, the locator on focus,
the numbered sources and downloads without JavaScript, and the print layout."""

from __future__ import annotations

import csv
import io
from urllib.request import urlopen

AFTER = "el => getComputedStyle(el, '::after').content"


def test_values_link_to_sources_and_show_the_locator_on_focus(new_page) -> None:
    watched = new_page()
    page = watched.page
    watched.goto("models/compare.html")
    value = page.locator("#kb-cmp-1 .kb-cmp-value a[title]").first
    assert value.inner_text() == "84.2"
    assert value.get_attribute("title") == "Qwen2 Technical Report [yang2024qwen2], abstract"
    assert value.evaluate(AFTER) in ("none", "normal")
    page.keyboard.press("Tab")  # keyboard focus: the locator shows beside the value
    value.focus()
    assert "abstract" in value.evaluate(AFTER)
    # the footnote mark leads to the numbered source, which links to the references page
    mark = page.locator("#kb-cmp-1 .kb-cmp-fn").first
    assert mark.get_attribute("href") == "#kb-cmp-1-src-1"
    target = page.locator("#kb-cmp-1-src-1 a")
    assert "references.html#" in target.get_attribute("href")
    assert not watched.problems()


def test_without_javascript_and_in_print_the_sources_are_there(browser, base_url) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "models/compare.html", wait_until="load")
        page.emulate_media(media="print")
        assert page.locator("#kb-cmp-1-src-1").is_visible()
        assert page.locator(".kb-compare-claims").first.is_visible()
        rows = page.locator("#kb-cmp-1 .kb-compare-table tbody tr")
        assert rows.count() == 5
        assert "not reported" in rows.nth(2).inner_text()
        href = page.locator("#kb-cmp-1 a.kb-cmp-csv").get_attribute("href")
    finally:
        context.close()
    with urlopen(base_url + "models/" + href) as response:  # the local server
        table = list(csv.reader(io.StringIO(response.read().decode("utf-8"))))
    assert table[1][:2] == ["Qwen2", "Qwen2-72B"] and table[1][4] == "84.2"
