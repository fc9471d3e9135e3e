"""Publications kept as HTML between builds (:mod:`labkb.sphinxext.pub_html`): the same pages as
the node path, byte for byte, and a .bib edit translates only the publications it changed."""

from __future__ import annotations

import pytest
from conftest import copy_root
from helpers import build, html, touch

#: Records with everything a publication can show, and text that HTML must escape everywhere:
#: title, authors, venue, note, badge, award, links, abstract, BibTeX and ``data-kb-*`` values.
HOSTILE = r"""
@article{hostile2021,
  title = {Less <than> & "quoted" 'apostrophes' {\"U}ber {\textless}b{\textgreater}},
  author = {O'Brien, Se{\'a}n and Smith & Sons, Jo and <b>Bold</b>, Al and Doe, Jane and Roe, Rick
            and Poe, Pat and Moe, Max and Zoe, Zed and others},
  journal = {J. of "Quotes" & <Tags>},
  note = {Note with > and < and &amp;},
  abbr = {A&B"<},
  award = {Best "paper" & <more>},
  award_name = {Prize <1>},
  year = {2021},
  keywords = {vision, a&b},
  html = {https://example.org/?a=1&b="2"<x>},
  doi = {10.1000/x&y<z>},
  abstract = {Abstract with "quotes", <i>tags</i> & ampersands; and 'single' ones.},
}

@misc{plain2020,
  title = {Plain},
  year = {2020},
}
"""


@pytest.fixture
def src(rootdir, tmp_path):
    root = copy_root(rootdir, "kb-bib", tmp_path)
    lab = root / "refs/lab.bib"
    lab.write_text(lab.read_text(encoding="utf8") + HOSTILE, encoding="utf8")
    alpha = root / "projects/alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf8").replace(
        "papers: [", "papers: [hostile2021, "), encoding="utf8")
    return root


def pub_pages(outdir):
    return {p.relative_to(outdir).as_posix(): p.read_text(encoding="utf8")
            for p in sorted(outdir.rglob("*.html")) if 'class="kb-pub"' in p.read_text("utf8")}


def rendered(app):
    from labkb.sphinxext import pub_html

    cache = pub_html._CACHES.get(app)  # none: the build wrote no page with a list
    return 0 if cache is None else cache.rendered


@pytest.mark.parametrize("pagefind", [True, False])
def test_kept_html_is_the_node_paths_html(make_app, src, tmp_path, monkeypatch, pagefind):
    import shutil

    from labkb.sphinxext import publications

    slow_src = tmp_path / "slow"
    shutil.copytree(src, slow_src)
    conf = {"kb_search": pagefind}  # without Pagefind, Sphinx's own index is built
    fast, _ = build(make_app, src, freshenv=True, confoverrides=conf)
    with monkeypatch.context() as m:
        m.setattr(publications, "fast_html", lambda app: False)
        slow, _ = build(make_app, slow_src, freshenv=True, confoverrides=conf)
    fast_pages, slow_pages = pub_pages(fast.outdir), pub_pages(slow.outdir)
    assert {"publications.html", "index.html", "people/ada.html"} <= set(fast_pages)
    assert fast_pages == slow_pages
    assert rendered(fast) > 0
    # the hostile record is there, escaped once
    pub = html(fast.outdir, "publications.html").select_one('.kb-pub[data-kb-key="hostile2021"]')
    assert 'Less <than> & "quoted"' in pub.select_one(".kb-pub-title").get_text()
    assert pub["data-kb-text"].startswith('Less <than> & "quoted"')
    assert pub.select_one(".kb-used-by a").get_text() == "Alpha"
    raw = fast_pages["publications.html"]
    assert "<than>" not in raw and "<b>Bold" not in raw and "<i>tags" not in raw
    # Sphinx's own search index takes the same words from both
    fast_index, slow_index = fast.outdir / "searchindex.js", slow.outdir / "searchindex.js"
    assert fast_index.exists() == slow_index.exists() == (not pagefind)
    if not pagefind:
        index = fast_index.read_text("utf8")
        assert index == slow_index.read_text("utf8")
        assert '"ampersand' in index or "ampersand" in index  # an abstract's word is indexed


def test_bib_edit_translates_only_the_edited_publication(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    shown = sum(page.count('class="kb-pub"') for page in pub_pages(app.outdir).values())
    assert rendered(app) == shown
    app, _ = build(make_app, src)  # nothing changed: nothing written, nothing translated
    assert rendered(app) == 0
    lab = src / "refs/lab.bib"
    touch(lab, lab.read_text(encoding="utf8").replace("Computer Things", "Computer Stuff"))
    app, _ = build(make_app, src)
    pages = pub_pages(app.outdir)
    showing = [name for name, page in pages.items() if 'data-kb-key="ada2023cv"' in page]
    assert len(showing) >= 2  # the full list and the person page at least
    assert rendered(app) == len(showing)  # one publication per page showing it, no other
    assert all("Computer Stuff" in pages[name] for name in showing)
    assert "Computer Things" not in "".join(pages.values())


def test_entry_rename_translates_the_publications_it_uses(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    alpha = src / "projects/alpha.yaml"
    touch(alpha, alpha.read_text(encoding="utf8").replace("name: Alpha", "name: Alpha & Co"))
    app, _ = build(make_app, src)
    used = sum(1 for name in pub_pages(app.outdir) for a in
               html(app.outdir, name).select(".kb-used-by a") if a.get_text() == "Alpha & Co")
    assert used >= 2 and rendered(app) == used  # only the publications alpha lists


def test_quick_bibliography_transform_writes_the_same_references(make_app, src, tmp_path,
                                                                 monkeypatch):
    """The references page with sphinxcontrib-bibtex's own transform and with labkb's (which
    scans only the page's own citations for back-references): the same page, back-references
    included."""
    import shutil

    from labkb.sphinxext import setup

    refs = src / "references.md"
    refs.write_text(refs.read_text(encoding="utf8").replace(
        "```{bibliography}", "Cited here {cite:p}`ada2023cv` and {cite:t}`ada2023cv,TMC2018`.\n\n"
        "```{bibliography}"), encoding="utf8")
    upstream_src = tmp_path / "upstream"
    shutil.copytree(src, upstream_src)
    quick, _ = build(make_app, src, freshenv=True)
    with monkeypatch.context() as m:
        m.setattr(setup, "use_quick_bibliography_transform", lambda app: None)
        upstream, _ = build(make_app, upstream_src, freshenv=True)
    page = (quick.outdir / "references.html").read_text("utf8")
    assert page == (upstream.outdir / "references.html").read_text("utf8")
    assert page.count('role="doc-backlink"') >= 3  # ada2023cv twice, TMC2018 once
    assert (quick.outdir / "projects/alpha.html").read_text("utf8") == (
        upstream.outdir / "projects/alpha.html").read_text("utf8")
    from sphinxcontrib.bibtex.transforms import BibliographyTransform

    posts = quick.registry.post_transforms
    assert BibliographyTransform not in posts
    assert [t.__name__ for t in posts].count("QuickBibliographyTransform") == 1
