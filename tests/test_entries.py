"""Entries become cards, grids, pages and domain objects (the ``test-kb`` root)."""

from __future__ import annotations

import pytest
from helpers import card_names, grids, html, warnings

pytestmark = pytest.mark.sphinx("html", testroot="kb", freshenv=True)


@pytest.fixture
def built(app):
    app.build()
    return app


def test_clean_build_has_no_warnings(built):
    assert warnings(built) == []


def test_grid_selection_sorting_and_limit(built):
    soup = html(built.outdir, "index.html")
    found = [card_names(g) for g in grids(soup)]
    assert found == [
        ["Alpha阿尔法", "Beta", "VisionModel"],  # all, by name
        ["VisionModel", "Alpha阿尔法"],  # area vision, -year
        ["Alpha阿尔法"],  # tag speech
        ["Alpha阿尔法"],  # status released, kind project, limit 1
        ["Beta", "Alpha阿尔法"],  # explicit ids keep their order
        ["Alpha阿尔法"],  # one card
    ]


def test_card_links_and_filter_attributes(built):
    soup = html(built.outdir, "index.html")
    col = soup.select_one(".kb-grid .kb-card-col")
    assert col["data-kb-id"] == "alpha"
    assert col["data-kb-areas"] == "vision"
    assert col["data-kb-tags"] == "speech|toolkit"
    assert col["data-kb-kind"] == "project"
    assert col.select_one("a.sd-stretched-link")["href"] == "projects/alpha.html"
    # columns option: 1 1 2 2
    rows = soup.select(".kb-grid .sd-row")
    assert "sd-row-cols-md-2" in rows[4]["class"]
    assert "sd-row-cols-md-3" in rows[0]["class"]


def test_roles_resolve_to_entry_pages(built):
    soup = html(built.outdir, "index.html")
    links = {a.get_text(): a["href"] for a in soup.select("a.reference.internal")
             if a["href"].startswith(("projects/", "models/"))}
    assert links["Alpha"] == "projects/alpha.html#kb-project-alpha"
    assert links["VisionModel"] == "models/visionmodel.html#kb-model-visionmodel"
    assert links["Beta"] == "projects/beta.html#kb-project-beta"
    assert links["explicit text"] == "projects/beta.html#kb-project-beta"


def test_rst_host(built):
    soup = html(built.outdir, "hosts/rst.html")
    assert [card_names(g) for g in grids(soup)] == [["Beta", "VisionModel"], ["Beta"]]
    assert soup.select_one('a[href="../projects/alpha.html#kb-project-alpha"]').get_text() == "Alpha"


def test_area_pages_show_their_entries(built):
    assert card_names(html(built.outdir, "research/language.html")) == ["Beta", "VisionModel"]
    assert card_names(html(built.outdir, "research/vision.html")) == ["Alpha阿尔法", "VisionModel"]


def test_project_page(built):
    soup = html(built.outdir, "projects/alpha.html")
    assert soup.select_one("h1").get_text(strip=True).startswith("Alpha")
    assert soup.select_one("section#kb-project-alpha")
    assert soup.select_one(".kb-summary").get_text() == "The first project."
    assert soup.select_one(".kb-description strong").get_text() == "described"
    buttons = {a.get_text(strip=True): a["href"] for a in soup.select(".kb-links a")}
    assert buttons == {"Code": "https://github.com/example/alpha",
                       "Paper": "https://arxiv.org/abs/2101.00001",
                       "GitHub: example/alpha": "https://github.com/example/alpha"}
    assert soup.select_one("img.kb-stars")["src"].startswith(
        "https://img.shields.io/github/stars/example/alpha")
    facts = soup.select_one(".kb-facts").get_text(" ", strip=True)
    assert "阿尔法" in facts and "Vision" in facts and "Ada" in facts
    assert soup.select_one("#related li a")["href"] == "beta.html#kb-project-beta"
    badges = [b.get_text() for b in soup.select(".kb-badges .sd-badge")]
    # the kind, with its Chinese name marked as the knowledge base's translation
    assert badges[0].startswith("project 项目译") and "translated by this knowledge base" in badges[0]
    assert badges[1:] == ["released", "2021", "speech", "toolkit"]


def test_model_card_sections(built):
    soup = html(built.outdir, "models/visionmodel.html")
    ids = [s["id"] for s in soup.select("section[id]")]
    assert ids == ["kb-model-visionmodel", "model-details", "architecture", "training", "uses",
                   "capabilities", "applications", "evaluation", "limitations", "significance",
                   "outlook", "model-card-metadata", "kb-connections"]
    # the entry's own results table, as kb-compare draws it: the value links to its source
    head = [th.get_text(" ", strip=True) for th in soup.select("#evaluation thead th")]
    assert head == ["Entry", "Model", "VQAv2 accuracy setting not stated"]
    row = [td.get_text(strip=True) for td in soup.select("#evaluation tbody tr td")]
    assert row == ["VisionModel-7B", "80.1[1]"]
    link = soup.select_one("#evaluation tbody .kb-cmp-value a")
    assert link["href"] == "https://example.org/paper" and link["title"] == "The paper"
    assert soup.select_one("#evaluation .kb-cmp-sources li").get_text(" ", strip=True) == \
        "The paper https://example.org/paper"
    stages = [li.get_text(" ", strip=True) for li in soup.select("#training ol li")]
    assert stages == ["Pre-training : Image-text pairs.", "Instruction tuning"]


def test_objects_inventory_and_search(built):
    from sphinx.util.inventory import InventoryFile

    inv = InventoryFile.load((built.outdir / "objects.inv").open("rb"), "", lambda *a: "/".join(a))
    data = inv.data if hasattr(inv, "data") else inv
    assert set(data["kb:project"]) == {"alpha", "beta"}
    assert set(data["kb:model"]) == {"visionmodel"}
    # the site searches with Pagefind: Sphinx's own index is not built, its search page is
    assert not (built.outdir / "searchindex.js").exists()
    assert (built.outdir / "pagefind" / "pagefind.js").is_file()
    assert 'link rel="search"' in (built.outdir / "index.html").read_text(encoding="utf8")
    assert "kb-search" in (built.outdir / "search.html").read_text(encoding="utf8")
