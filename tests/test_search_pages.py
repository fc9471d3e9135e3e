"""The pages as Pagefind reads them (``search_pages``): the index made from them is the index made
from the site, byte for byte; a page is cut again only when its file changed; the elements the
index leaves out whole are dropped, and nothing else."""

from __future__ import annotations

import html
import json
import os
import subprocess
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from labkb.sphinxext import search_index
from labkb.sphinxext.search_pages import MANIFEST, PAGEFIND_REMOVES, cut, drop, update, whole_classes

REPO = Path(__file__).resolve().parent.parent

PAGE = ('<!DOCTYPE html>\n<html lang="en" data-content_root="../">\n<head><title>T</title></head>'
        '<body><nav>{nav}</nav><main><article class="bd-article"><div data-pagefind-body>'
        "<h1>{title}</h1><p>{text}</p></div></article></main><footer>f</footer></body></html>")


def page(title: str, text: str = "words", nav: str = "menu") -> str:
    return PAGE.format(title=title, text=text, nav=nav)


def test_a_page_keeps_its_language_and_body_and_loses_the_theme() -> None:
    out = cut(page("Alpha", nav="navigation everywhere"))
    assert out.startswith('<html lang="en" data-content_root="../">')
    assert "<h1>Alpha</h1><p>words</p>" in out
    assert "navigation" not in out and "footer" not in out and "<title>" not in out
    other = "<html><body><p>another template</p></body></html>"
    assert cut(other) == other  # no body element: Pagefind reads it whole, as before


GONE = frozenset({"kb-grid", "no-search"})


def test_the_classes_dropped_are_those_excluded_with_all_they_hold() -> None:
    assert whole_classes(".kb-grid, .kb-graph figcaption,.no-search , .a > .b, #id, div") == GONE
    assert {"kb-grid", "kb-graph-table", "no-search", "citation-list"} <= search_index.DROPPED


def test_dropped_elements_go_with_what_they_hold_and_nothing_else_does() -> None:
    body = ('<p>keep</p><div class="kb-grid x"><div><div class="c">card</div></div></div>'
            '<p class="no-search">a paragraph: its end tag may be left out, so it stays</p>'
            '<div data-class="kb-grid">stays</div><div class="kb-gridded">stays</div>'
            '<!-- <div class="kb-grid"> --><script>"<div class=\\"no-search\\">"</script>'
            '<span class="no-search"><span>b</span></span><p>end</p>')
    assert drop(body, GONE) == (
        '<p>keep</p><p class="no-search">a paragraph: its end tag may be left out, so it stays</p>'
        '<div data-class="kb-grid">stays</div><div class="kb-gridded">stays</div>'
        '<!-- <div class="kb-grid"> --><script>"<div class=\\"no-search\\">"</script><p>end</p>')
    unclosed = '<p>a</p><div class="kb-grid"><div>never closed</div>'
    assert drop(unclosed, GONE) == unclosed  # Pagefind sees the page whole
    assert drop(body, frozenset()) == body


def test_what_pagefind_leaves_out_itself_goes_too() -> None:
    graph = ('<svg viewBox="0 0 9 9"><a href="x"><text>label</text><svg><line/></svg></a>'
             '<rect/></svg>')
    body = (f'<p>keep</p>{graph}<nav class="x"><a href="a">prev</a></nav><svg/><p>svgs</p>'
            '<label for="q">Find</label><p>end</p>')
    assert drop(body, frozenset()) == "<p>keep</p><svg/><p>svgs</p><p>end</p>"
    assert drop('<p>a</p><svg><text>never closed</text>', GONE) == (
        '<p>a</p><svg><text>never closed</text>')


TEXT = st.text(st.sampled_from("ab <>&\"'译/-"), max_size=6).map(html.escape)
Tree = tuple[str, str, list]  # tag, class, children (str: text)


def _trees() -> st.SearchStrategy[Tree]:
    leaf: st.SearchStrategy = TEXT
    def element(children: st.SearchStrategy) -> st.SearchStrategy:
        return st.tuples(st.sampled_from(["div", "span", "section", "a", "ul", "svg", "nav"]),
                         st.sampled_from(["", "kb-grid", "x kb-grid", "no-search", "kb-gridx",
                                          "x"]),
                         st.lists(children, max_size=3))
    return st.recursive(leaf, element, max_leaves=12)


def _render(node: Tree | str, gone: frozenset[str] = frozenset()) -> str:
    if isinstance(node, str):
        return node
    tag, classes, children = node
    if gone & set(classes.split()) or (gone and tag in PAGEFIND_REMOVES):
        return ""
    attrs = f' class="{classes}"' if classes else ""
    return f"<{tag}{attrs}>" + "".join(_render(child, gone) for child in children) + f"</{tag}>"


@given(st.lists(_trees(), max_size=4))
def test_dropping_is_taking_the_elements_out_of_the_tree(trees: list[Tree | str]) -> None:
    page = "".join(_render(tree) for tree in trees)
    assert drop(page, GONE) == "".join(_render(tree, GONE) for tree in trees)


def _site(root: Path, pages: dict[str, str]) -> None:
    for rel, text in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf8")


def test_only_changed_pages_are_cut_again_and_removed_ones_go(tmp_path: Path) -> None:
    site, pages = tmp_path / "html", tmp_path / "pages"
    _site(site, {"index.html": page("Home"), "projects/a.html": page("A"),
                 "projects/b.html": page("B"), "pagefind/x.html": "index files: not a page"})
    first = update(site, pages, "pagefind")
    assert first.cut == {"index.html", "projects/a.html", "projects/b.html"}
    assert first.gone == set() and first.total == 3
    assert sorted(p.relative_to(pages).as_posix() for p in pages.rglob("*.html")) == [
        "index.html", "projects/a.html", "projects/b.html"]
    assert update(site, pages, "pagefind").cut == set()  # nothing changed
    (site / "projects" / "a.html").write_text(page("A", "edited words"), encoding="utf8")
    stat = (site / "projects" / "a.html").stat()
    os.utime(site / "projects" / "a.html", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    (site / "projects" / "b.html").unlink()
    edited = update(site, pages, "pagefind")
    assert (edited.cut, edited.gone, edited.total) == ({"projects/a.html"}, {"projects/b.html"}, 2)
    assert "edited words" in (pages / "projects" / "a.html").read_text(encoding="utf8")
    assert not (pages / "projects" / "b.html").exists()
    (pages / MANIFEST).write_text("not json", encoding="utf8")  # a broken manifest: cut all again
    assert len(update(site, pages, "pagefind").cut) == 2
    assert len(update(site, pages, "pagefind", GONE).cut) == 2  # other classes: cut all again
    assert update(site, pages, "pagefind", GONE).cut == set()
    manifest = json.loads((pages / MANIFEST).read_text(encoding="utf8"))
    (pages / MANIFEST).write_text(json.dumps(manifest["pages"]), encoding="utf8")  # older code's
    (site / "index.html").unlink()  # gone while the manifest was unusable: gone from the pages too
    last = update(site, pages, "pagefind", GONE)
    assert (last.cut, last.gone) == ({"projects/a.html"}, {"index.html"})
    assert sorted(p.name for p in pages.rglob("*.html")) == ["a.html"]


def test_pages_kept_inside_the_site_are_not_pages_of_the_site(tmp_path: Path) -> None:
    """``sphinx-build`` without ``-d`` keeps the doctrees (and so the cut pages) in the output."""
    site = tmp_path / "html"
    pages = site / ".doctrees" / "kb-pagefind-pages"
    _site(site, {"index.html": page("Home"), "a.html": page("A")})
    assert update(site, pages, "pagefind").cut == {"a.html", "index.html"}
    again = update(site, pages, "pagefind")
    assert (again.cut, again.gone, again.total) == (set(), set(), 2)
    assert sorted(p.name for p in pages.rglob("*.html")) == ["a.html", "index.html"]


def _index(binary: Path, site: Path, out: Path) -> dict[str, bytes]:
    subprocess.run([str(binary), "--site", str(site), "--output-path", str(out),
                    "--exclude-selectors", search_index.EXCLUDE, "--quiet", "--force-language",
                    "zh"], check=True, capture_output=True, timeout=600)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_the_index_of_the_cut_pages_is_the_index_of_the_site(site: Path, tmp_path: Path) -> None:
    binary = search_index.pagefind_binary(REPO)
    assert binary is not None
    cut_pages = site.parent / "doctrees" / "kb-pagefind-pages"
    assert (cut_pages / "index.html").is_file()  # the build indexed these
    for page_name, gone in (("projects/index.html", "kb-grid"),
                            ("publications.html", "no-search"),
                            ("references.html", "citation-list"),
                            ("models/moss-vl.html", "<svg")):  # dropped, and so tested
        assert gone in (site / page_name).read_text(encoding="utf8")
        assert gone not in (cut_pages / page_name).read_text(encoding="utf8")
    whole = _index(binary, site, tmp_path / "whole")
    from_cut = _index(binary, cut_pages, tmp_path / "cut")
    assert len(whole) > 50 and whole == from_cut
