"""Publication lists, reading lists, citations, backlinks and .bib checks (``test-kb-bib``)."""

from __future__ import annotations

import re

import pytest
from conftest import copy_root
from helpers import build, html, touch, warnings

#: The al-folio corpus has an @article without a journal: sphinxcontrib-bibtex says so.
CORPUS_WARNING = "missing journal in einstein1905electrodynamics [bibtex.missing_field]"


@pytest.fixture
def src(rootdir, tmp_path):
    return copy_root(rootdir, "kb-bib", tmp_path)


def keys(soup, scope=".kb-pubs"):
    return [p["data-kb-key"] for p in soup.select(f"{scope} .kb-pub")]


def test_publications_page_like_al_folio(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    assert [w for w in warnings(app) if CORPUS_WARNING not in w] == []
    soup = html(app.outdir, "publications.html")
    years = [y.get_text() for y in soup.select(".kb-year-heading")]
    assert years[:3] == ["2024 (1)", "2023 (1)", "2022 (2)"] and years[-1] == "1905 (4)"
    assert soup.select_one(".kb-pub-count").get_text() == "22 publications"  # 10 + 9 + 3
    pub = soup.select_one('.kb-pub[data-kb-key="PhysRev.47.777"]')
    assert pub.select_one(".kb-venue").get_text() == "PhysRev"
    buttons = {a.get_text(strip=True): a["href"] for a in pub.select(".kb-links a")}
    # al-folio fields; the relative pdf has no site to resolve against and is left out
    assert buttons == {"HTML": "https://journals.aps.org/pr/abstract/10.1103/PhysRev.47.777",
                       "Video": "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
                       "URL": "http://link.aps.org/doi/10.1103/PhysRev.47.777",
                       "DOI": "https://doi.org/10.1103/PhysRev.47.777"}
    summaries = [s.get_text() for s in pub.select("details.kb-disclosure > summary")]
    assert summaries == ["Abstract", "BibTeX"]
    bib = pub.select_one("details.kb-disclosure .highlight").get_text()
    assert "PhysRev.47.777" in bib and "doi" in bib
    for hidden in ("altmetric", "google_scholar_id", "abbr", "html", "video", "abstract"):
        assert f"{hidden} =" not in bib, hidden
    assert pub.select_one("button.kb-copy")["data-kb-copy"] == pub.select_one(
        "details .highlight-bibtex")["id"]
    nobel = soup.select_one('.kb-pub[data-kb-key="einstein1905photoelectriceffect"]')
    assert "Nobel Prize" in nobel.select_one(".kb-pub-award").get_text()
    # LaTeX accents resolved in titles
    assert "Über" in soup.select_one('.kb-pub[data-kb-key="einstein1905molekularkinetischen"]'
                                     ).get_text()


def test_authors_shortened_and_lab_people_highlighted(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    pub = html(app.outdir, "publications.html").select_one('.kb-pub[data-kb-key="ada2024vision"]')
    authors = pub.select_one(".kb-pub-authors")
    assert authors.select_one("strong.kb-lab-author").get_text() == "Ada Lovelace"
    assert authors.select_one("details summary").get_text() == "and 2 more"
    assert "Alan Turing, Edsger Dijkstra" in authors.select_one("details").get_text()


def test_selected_on_home_and_escaping(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    soup = html(app.outdir, "index.html")
    assert soup.select_one(".kb-pubs-title").get_text() == "Selected publications"
    assert keys(soup) == ["ada2024vision", "TMC2018"]  # selected = {true} in both files
    raw = (app.outdir / "publications.html").read_text(encoding="utf8")
    assert "<script>alert(1)</script>" not in raw and "&lt;script&gt;alert(1)" in raw


def test_area_reading_list_matches_whole_keywords(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    # not "computer-vision", not "Visionary"
    assert keys(html(app.outdir, "research/vision.html")) == ["ada2024vision"]


def test_person_page_lists_papers_with_computed_figures(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    soup = html(app.outdir, "people/ada.html")
    # name variants ("Lovelace, Ada", "Ada Lovelace") and the people field
    assert keys(soup) == ["ada2024vision", "ada2023cv", "visionary2022"]
    table = soup.select_one(".kb-stats")
    stats = {dt.get_text(strip=True).rstrip(":"): dd.get_text(strip=True)
             for dt, dd in zip(table.select("dt"), table.select("dd"), strict=True)}
    assert stats["Papers"] == "3"
    assert stats["Citations (recorded)"] == "15"
    assert stats["h-index (recorded)"] == "2"
    svg = soup.select_one("figure.kb-chart-figure svg")
    assert svg is not None and svg["role"] == "img" and "3 dated papers" in svg["aria-label"]


def test_entry_papers_cite_into_references_and_get_backlinks(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    page = html(app.outdir, "projects/alpha.html")
    cites = [a["href"] for a in page.select("#papers li a")]
    assert len(cites) == 2 and all(h.startswith("../references.html#") for h in cites)
    refs = html(app.outdir, "references.html")
    for href in cites:
        assert refs.select_one(f"#{href.split('#')[1]}") is not None
    pub = html(app.outdir, "publications.html").select_one('.kb-pub[data-kb-key="ada2024vision"]')
    assert pub.select_one(".kb-used-by a")["href"] == "projects/alpha.html"


def test_unknown_paper_key_warns_with_yaml_line(make_app, src):
    (src / "projects/alpha.yaml").write_text(
        "name: Alpha\nsummary: s\nareas: [vision]\npapers:\n  - ada2024vision\n  - nosuchkey\n",
        encoding="utf8")
    app, _ = build(make_app, src, freshenv=True)
    found = [w for w in warnings(app) if CORPUS_WARNING not in w]
    assert len(found) == 1, found
    assert "projects/alpha.yaml:6: WARNING: papers[1]: unknown BibTeX key 'nosuchkey'" in found[0]


def test_duplicate_and_malformed_bib_entries(make_app, src):
    (src / "refs/lab.bib").write_text(
        (src / "refs/lab.bib").read_text(encoding="utf8")
        + "\n@misc{broken, title = {Broken} year = {2020}}\n"
        + "@misc{PTL2021, title = {Same key as the lab corpus}, year = {2020}}\n"
        + "@misc{after2020, title = {After the problems}, year = {2020}, keywords = {vision}}\n",
        encoding="utf8")
    app, _ = build(make_app, src, freshenv=True)
    found = [w for w in warnings(app) if CORPUS_WARNING not in w]
    assert len(found) == 2, found
    lines = (src / "refs/lab.bib").read_text(encoding="utf8").splitlines()
    broken = lines.index("@misc{broken, title = {Broken} year = {2020}}") + 1
    assert f"refs/lab.bib:{broken}: WARNING: broken: BibTeX syntax error: '}}' expected [kb.bib]" \
        in found[0]
    assert f"refs/lab.bib:{broken + 1}: WARNING: PTL2021: duplicate BibTeX key (first defined at " \
        in found[1]
    assert "al-folio-lab-papers.bib:16)" in found[1]
    # every other entry still renders, including those after the problems
    assert "after2020" in keys(html(app.outdir, "research/vision.html"))




def test_new_citation_updates_references_page_incrementally(make_app, src):
    build(make_app, src, freshenv=True)
    alpha = src / "projects/alpha.yaml"
    touch(alpha, alpha.read_text(encoding="utf8").replace(
        "papers: [ada2024vision, einstein1950meaning]",
        "papers: [ada2024vision, einstein1950meaning, visionary2022]"))
    app, rec = build(make_app, src)
    written = rec.written
    assert "references" in written  # sphinxcontrib-bibtex alone leaves it stale
    href = html(app.outdir, "projects/alpha.html").select("#papers li a")[2]["href"]
    assert html(app.outdir, "references.html").select_one(f"#{href.split('#')[1]}")
    # the new backlink shows on the publication
    pub = html(app.outdir, "publications.html").select_one('.kb-pub[data-kb-key="visionary2022"]')
    assert pub.select_one(".kb-used-by a").get_text() == "Alpha"
    # the lists showing visionary2022; Sphinx adds the toctree parents of what it writes
    # (projects/index holds alpha, index holds references)
    assert written == {"projects/alpha", "references", "publications", "people/ada",
                       "projects/index", "index"}


def test_new_bib_entry_updates_lists_incrementally(make_app, src):
    build(make_app, src, freshenv=True)
    lab = src / "refs/lab.bib"
    touch(lab, lab.read_text(encoding="utf8")
           + "\n@misc{fresh2025, title = {Fresh}, author = {Ada Lovelace}, year = {2025},"
             " keywords = {vision}}\n")
    app, rec = build(make_app, src)
    written = rec.written
    assert keys(html(app.outdir, "research/vision.html")) == ["fresh2025", "ada2024vision"]
    assert keys(html(app.outdir, "publications.html"))[0] == "fresh2025"
    assert "fresh2025" in keys(html(app.outdir, "people/ada.html"))
    assert {"publications", "research/vision", "people/ada", "references"} <= written
    assert "projects/alpha" not in written  # it cites nothing that changed


def test_editing_one_bib_entry_rewrites_only_pages_showing_it(make_app, src):
    build(make_app, src, freshenv=True)
    lab = src / "refs/lab.bib"
    touch(lab, lab.read_text(encoding="utf8").replace("Computer Things", "Computer Stuff"))
    app, rec = build(make_app, src)
    written = rec.written
    # ada2023cv shows on the publications page and Ada's page; the references page is re-read
    # by sphinxcontrib-bibtex (it depends on the .bib files), and so its toctree parent rewritten
    assert written == {"publications", "people/ada", "references", "index"}
    assert "Computer Stuff" in html(app.outdir, "people/ada.html").get_text()


def test_bibliography_formatting_is_cached_and_reused(make_app, src, monkeypatch):
    from pybtex.style.formatting import BaseStyle

    calls: list[str] = []
    original = BaseStyle.format_entry

    def counting(self, label, entry, *args, **kwargs):
        calls.append(entry.key)
        return original(self, label, entry, *args, **kwargs)

    monkeypatch.setattr(BaseStyle, "format_entry", counting)
    app, _ = build(make_app, src, freshenv=True)
    # every record of the :all: bibliography once: its tooltip (same style) is the same text
    assert len(set(calls)) == 22 and len(calls) == 22
    assert kb_data(app)["bibformatted"] == 22
    calls.clear()
    app, _ = build(make_app, src)  # nothing changed
    assert calls == [] and kb_data(app)["bibformatted"] == 0
    lab = src / "refs/lab.bib"
    touch(lab, lab.read_text(encoding="utf8").replace("Computer Things", "Computer Stuff"))
    app, _ = build(make_app, src)
    assert calls == ["ada2023cv"]  # only the edited record is formatted again
    assert kb_data(app)["bibformatted"] == 1
    assert "computer stuff" in html(app.outdir, "references.html").get_text().lower()


def kb_data(app):
    return app.env.get_domain("kb").data


def test_records_decoded_per_edit(make_app, src, monkeypatch):
    """Plain titles and authors (LaTeX decoded) come from the per-record views: a build decodes
    the records whose text changed, not every record (the timeline, graph and exports reuse
    them)."""
    from labkb.core import bibdata

    views: list[str] = []
    decoded: list[str] = []
    view, plain = bibdata.view, bibdata.plain

    def counting_view(key, entry):
        views.append(key)
        return view(key, entry)

    def counting_plain(text):
        decoded.append(text)
        return plain(text)

    monkeypatch.setattr(bibdata, "view", counting_view)
    monkeypatch.setattr(bibdata, "plain", counting_plain)
    app, _ = build(make_app, src, freshenv=True)
    assert sorted(views) == sorted(app.env.get_domain("cite").bibdata.data.entries)
    views.clear()
    decoded.clear()
    alpha = src / "projects/alpha.yaml"
    touch(alpha, alpha.read_text(encoding="utf8").replace("The first project.", "Edited."))
    build(make_app, src)  # an entry edit: the graph, timeline and exports are made again
    assert views == [] and decoded == []
    lab = src / "refs/lab.bib"
    touch(lab, lab.read_text(encoding="utf8").replace("Computer Things", "Computer Stuff"))
    build(make_app, src)
    assert views == ["ada2023cv"]
    assert "Computer Stuff" in decoded and not any("Computer Things" in t for t in decoded)


def test_bib_records_parsed_per_edit(make_app, src):
    """A .bib edit parses only the records whose text changed, wherever they now start."""
    app, _ = build(make_app, src, freshenv=True)
    total = len(app.env.get_domain("cite").bibdata.data.entries)
    assert kb_data(app)["bibread"]["read"].parsed == total
    app, rec = build(make_app, src)  # nothing changed: nothing parsed, nothing read
    assert kb_data(app)["bibread"]["read"].parsed == 0 and rec.read == set()
    lab = src / "refs/lab.bib"
    text = lab.read_text(encoding="utf8")
    text = text.replace("Computer Things", "Computer Stuff")
    touch(lab, text)
    app, _ = build(make_app, src)
    assert kb_data(app)["bibread"]["read"].parsed == 1  # the edited record only
    # a record added at the top moves every other one down: one parse, lines still right
    first = text.index("@")
    touch(lab, text[:first] + "@misc{top2025, title = {Top}, year = {2025}}\n\n" + text[first:])
    app, _ = build(make_app, src)
    read = kb_data(app)["bibread"]["read"]
    assert read.parsed == 1
    cv = text[:text.index("ada2023cv")].count("\n") + 1 + 2
    assert read.scan.location("ada2023cv") == f"{lab}:{cv}"
    assert len(app.env.get_domain("cite").bibdata.data.entries) == total + 1
    # the same records parsed whole by pybtex: the same keys in the same order, the same fields
    from pybtex.database.input.bibtex import Parser

    parser = Parser()
    for name in app.config.bibtex_bibfiles:
        parser.parse_file(str(src / name))
    ours = app.env.get_domain("cite").bibdata.data.entries
    assert list(ours) == list(parser.data.entries)
    for key, entry in parser.data.entries.items():
        assert dict(ours[key].fields) == dict(entry.fields), key
        assert {r: [str(p) for p in ps] for r, ps in ours[key].persons.items()} == \
            {r: [str(p) for p in ps] for r, ps in entry.persons.items()}, key


def test_string_macro_edit_parses_the_records_after_it(make_app, src):
    lab = src / "refs/lab.bib"
    text = lab.read_text(encoding="utf8")
    touch(lab, '@string{venue = "Old Venue"}\n\n' + text
          + "\n@misc{usesmacro, title = {Macro}, howpublished = venue, year = {2024}}\n")
    app, _ = build(make_app, src, freshenv=True)
    entries = app.env.get_domain("cite").bibdata.data.entries
    assert str(entries["usesmacro"].fields["howpublished"]) == "Old Venue"
    touch(lab, lab.read_text(encoding="utf8").replace("Old Venue", "New Venue"))
    app, _ = build(make_app, src)
    entries = app.env.get_domain("cite").bibdata.data.entries
    assert str(entries["usesmacro"].fields["howpublished"]) == "New Venue"
    # every record after the @string of that file (the other files come before it)
    after = lab.read_text(encoding="utf8").count("\n@")
    assert kb_data(app)["bibread"]["read"].parsed == after


def test_parallel_readers_send_back_no_bib_records(monkeypatch):
    """A forked reader pickles the main process's .bib caches empty; the main process keeps them."""
    import pickle

    from labkb.sphinxext import state
    from labkb.sphinxext.bibtex import KbBibData
    from pybtex.database import BibliographyData, Entry

    data = BibliographyData({"a": Entry("misc", fields={"title": "A"})})
    bibdata, cache = KbBibData("utf-8", {"refs.bib": None}, data), state.MainOnly(x=1)
    kept = pickle.loads(pickle.dumps((bibdata, cache)))
    assert list(kept[0].data.entries) == ["a"] and kept[1] == {"x": 1}
    monkeypatch.setattr(state, "_MAIN_PID", -1)  # as in a process forked by Sphinx
    light = pickle.loads(pickle.dumps((bibdata, cache)))
    assert list(light[0].data.entries) == [] and light[0].bibfiles == {} and light[1] == {}


def test_parallel_build_with_bib_matches_serial(make_app, rootdir, tmp_path):
    pages = {}
    for jobs in (1, 2):
        src = copy_root(rootdir, "kb-bib", tmp_path / f"j{jobs}")
        for i in range(12):  # enough documents for Sphinx to read in parallel
            (src / f"projects/p{i:02d}.yaml").write_text(
                f"name: P{i:02d}\nsummary: Entry {i}.\nareas: [vision]\nyear: {2000 + i}\n"
                "papers: [ada2024vision]\n", encoding="utf8")
        app, _ = build(make_app, src, freshenv=True, parallel=jobs)
        assert [w for w in warnings(app) if CORPUS_WARNING not in w] == []
        lab = src / "refs/lab.bib"
        touch(lab, lab.read_text(encoding="utf8").replace("Computer Things", "Computer Stuff"))
        touch(src / "projects/p03.yaml", (src / "projects/p03.yaml").read_text(encoding="utf8")
              .replace("Entry 3.", "Entry three."))
        app, _ = build(make_app, src, parallel=jobs)
        assert kb_data(app)["bibread"]["read"].parsed == 1
        pages[jobs] = {p.relative_to(app.outdir).as_posix(): re.sub(
            r"\?v=[0-9a-f]+", "", p.read_text(encoding="utf8")) for p in app.outdir.rglob("*.html")}
    assert pages[1].keys() == pages[2].keys()
    for name in pages[1]:
        assert pages[1][name] == pages[2][name], name
    assert "Computer Stuff" in pages[2]["people/ada.html"]


def test_reused_pygments_formatters_highlight_as_new_ones():
    from types import SimpleNamespace

    from labkb.sphinxext.highlight import reuse_formatters
    from sphinx.highlighting import PygmentsBridge

    bridge = PygmentsBridge("html", "sphinx")
    blocks = ['@article{a,\n  title = "A"\n}', '@misc{b, year = "2020"}']
    fresh = [bridge.highlight_block(b, "bibtex") for b in blocks]
    reuse_formatters(SimpleNamespace(builder=SimpleNamespace(highlighter=bridge,
                                                             dark_highlighter=None)))
    assert [bridge.highlight_block(b, "bibtex") for b in blocks * 2] == fresh * 2
    assert len(bridge._labkb_formatters) == 1  # one formatter for both blocks


def test_citation_references_resolve_as_sphinxcontrib_bibtex_resolves_them(make_app, src):
    """labkb's domain shows ``resolve_xref`` only the citations of the reference's keys: the
    nodes are upstream's, who goes through every citation for every reference."""
    from docutils import nodes
    from sphinx.addnodes import pending_xref
    from sphinxcontrib.bibtex.domain import BibtexDomain

    app, _ = build(make_app, src, freshenv=True)
    domain = app.env.get_domain("cite")
    assert type(domain) is not BibtexDomain and len(domain.citations) > 10
    targets = sorted({",".join(t.key for t in ref.targets) for ref in domain.citation_refs})
    keys = [c.key for c in domain.citations]
    targets += [",".join(keys[:3]), f"{keys[-1]},{keys[0]}"]
    for target in targets:
        for docname in ("references", "index"):
            made = [resolve(domain, app.env, docname, app.builder, "p", target, pending_xref(),
                            nodes.inline()).pformat()
                    for resolve in (type(domain).resolve_xref, BibtexDomain.resolve_xref)]
            assert made[0] == made[1]
