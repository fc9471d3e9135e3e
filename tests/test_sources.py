"""Sources as data: source records, ``sources:`` of entries and ``kb-sources`` of pages, derived
values shown as derived, and the same located ``kb.source`` problems from the build and the CLI."""

from __future__ import annotations

import json

import pytest
from conftest import copy_root
from helpers import build, html, touch, warnings
from labkb.cli import main


@pytest.fixture
def src(rootdir, tmp_path):
    return copy_root(rootdir, "kb-sources", tmp_path)


def test_missing_and_unknown_sources_are_one_located_warning_each(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    assert warnings(app) == [
        f"{src}/projects/badsource.yaml:6: WARNING: sources[1]: unknown source 'nowhere' "
        "(no file in docs/sources/) [kb.source]",
        f"{src}/projects/badsource.yaml:7: WARNING: derived.venue: the entry has no value 'venue' "
        "to explain; remove the note or add the value [kb.schema]",
        f"{src}/projects/nosource.yaml:1: WARNING: sources: no source: name the documents this "
        "entry is based on (ids of docs/sources/) [kb.source]",
        f"{src}/research/speech.rst:9: WARNING: unknown source 'missing-too' (no file in "
        "docs/sources/) [kb.source]",
        f"{src}/research/vision.md:10: WARNING: unknown source 'nowhere' (no file in "
        "docs/sources/) [kb.source]",
        f"{src}/conf.py:1: WARNING: only 67% of the projects and models name a source; "
        "kb_min_sourced is 100% [kb.source]",
    ]
    # the rest builds: both entries have pages, the bad one without the unknown source
    for page in ("projects/nosource.html", "projects/badsource.html", "projects/cited.html"):
        assert (app.outdir / page).exists()
    bad = html(app.outdir, "projects/badsource.html").select_one("section.kb-sources")
    assert [a.get_text(strip=True) for a in bad.select("li a")] == ["A Lab's Home Page"]


def test_labkb_check_reports_the_same_source_problems(src, capsys):
    assert main(["check", "--docs", str(src)]) == 1
    err = capsys.readouterr().err
    assert f"{src}/projects/badsource.yaml:6: sources[1]: unknown source 'nowhere'" in err
    assert f"{src}/projects/nosource.yaml:1: sources: no source:" in err
    assert f"{src}/projects/badsource.yaml:7: derived.venue:" in err


def test_entry_page_names_its_sources_and_marks_derived_values(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    page = html(app.outdir, "projects/cited.html")
    sources = page.select_one("section.kb-sources")
    assert [li.get_text(" ", strip=True) for li in sources.select("li")] == [
        "A Lab's Home Page — Projects", "An Article About Cited"]
    assert sources.select_one("li a")["href"] == "../sources/home.html#kb-source-home"
    badges = [b.get_text(strip=True) for b in page.select(".kb-badges .sd-badge")]
    assert "arXiv 2022" in badges and "2022" not in badges  # never a bare venue-like year
    assert "GitHub: example/cited (derived)" in page.get_text()
    derived = page.select_one("section.kb-derived").get_text(" ", strip=True)
    assert "year (2022): from the arXiv id 2208.06677" in derived
    assert "github (example/cited): from the path of a stars badge" in derived
    cards = html(app.outdir, "research/vision.html").select(".kb-card")
    cited = next(c for c in cards if "Cited" in c.get_text())
    assert "arXiv 2022" in cited.get_text(" ", strip=True)


def test_source_pages_list_what_is_based_on_them(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    home = html(app.outdir, "sources/home.html")
    facts = home.select_one(".kb-facts").get_text(" ", strip=True)
    assert "Type : web page" in facts.replace(":", " :").replace("  ", " ")
    based = home.select_one("#based-on")
    assert sorted(t.get_text(strip=True) for t in based.select(".kb-card-title")) == [
        "Bad Source", "Cited"]
    assert [a.get_text(strip=True) for a in based.select("p + ul a")] == ["Vision"]
    assert [a.get_text(strip=True) for a in html(app.outdir, "sources/article.html").select(
        "#based-on p + ul a")] == ["Speech"]
    article = html(app.outdir, "sources/article.html")
    assert "Some Forum" in article.get_text() and "2026-04-08 18:55" in article.get_text()
    # a grid without :kind: shows research entries, never source records
    grid = html(app.outdir, "research/vision.html").select(".kb-card-title")
    assert sorted(t.get_text(strip=True) for t in grid) == ["Bad Source", "Cited"]


def test_exports_carry_sources_and_json_ld_is_based_on_them(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    data = json.loads((app.outdir / "knowledge.json").read_text(encoding="utf8"))
    cited = next(e for e in data["entries"] if e["id"] == "cited")
    assert cited["sources"] == [{"id": "home", "locator": "Projects"}, {"id": "article"}]
    assert cited["derived"]["year"] == "from the arXiv id 2208.06677"
    assert {s["id"] for s in data["sources"]} == {"home", "article"}
    assert all(e["kind"] != "source" for e in data["entries"])
    page = (app.outdir / "projects/cited.html").read_text(encoding="utf8")
    ld = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert [s["name"] for s in ld["isBasedOn"]] == ["A Lab's Home Page", "An Article About Cited"]
    assert ld["isBasedOn"][1]["publisher"]["name"] == "Some Forum"


def test_editing_an_entrys_sources_rewrites_the_source_pages(make_app, src):
    build(make_app, src, freshenv=True)
    cited = src / "projects" / "cited.yaml"
    touch(cited, cited.read_text(encoding="utf8").replace("- article\n", ""))
    app, rec = build(make_app, src)
    assert rec.read == {"projects/cited"}
    assert {"sources/home", "sources/article"} <= rec.written
    article = html(app.outdir, "sources/article.html")
    assert article.select_one("#based-on .kb-card-title") is None
    # a page's kb-sources: editing it rewrites the source it stops naming
    vision = src / "research" / "vision.md"
    touch(vision, vision.read_text(encoding="utf8").replace("home: Research › Vision\n", ""))
    app, rec = build(make_app, src)
    assert "sources/home" in rec.written
    assert not html(app.outdir, "sources/home.html").select("#based-on p + ul a")


def test_check_coverage_reports_the_curation_figures_and_fails_below_the_threshold(src, capsys):
    assert main(["check", "--coverage", "--docs", str(src)]) == 1
    out, err = capsys.readouterr()
    assert "entries naming a source: 67% (threshold 100%)" in out
    assert "missing: sources[1]: unknown source 'nowhere'" in out
    assert "below kb_min_sourced (100%)" in err
    (src / "conf.py").write_text("extensions = ['labkb']\nkb_min_sourced = 0.5\n")
    main(["check", "--coverage", "--docs", str(src)])
    assert "below kb_min_sourced" not in capsys.readouterr().err


def test_real_site_coverage_is_complete(capsys):
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    assert main(["check", "--coverage", "--docs", str(docs)]) == 0
    out = capsys.readouterr().out
    assert "entries naming a source: 100% (threshold 100%)" in out and "missing: none" in out
