"""Incremental and parallel builds: exact sets of documents re-read and re-written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import copy_root
from helpers import build, card_names, html, touch, warnings


@pytest.fixture
def src(rootdir, tmp_path):
    return copy_root(rootdir, "kb", tmp_path)


def test_noop_rebuild_reads_and_writes_nothing(make_app, src):
    first, _ = build(make_app, src, freshenv=True)
    machine = [Path(first.outdir, name) for name in ("knowledge.json", "llms.txt")]
    before = {p: p.stat().st_mtime_ns for p in machine}
    app, rec = build(make_app, src)
    assert rec.read == set()
    assert rec.written == set()
    assert warnings(app) == []
    # nothing changed, so nothing is gathered or written again from the whole knowledge base
    from labkb.sphinxext.state import build_state

    assert build_state(app).research is None
    assert {p: p.stat().st_mtime_ns for p in machine} == before


def test_editing_one_yaml_rereads_it_and_rewrites_only_pages_showing_it(make_app, src):
    build(make_app, src, freshenv=True)
    alpha = src / "projects/alpha.yaml"
    touch(alpha, alpha.read_text(encoding="utf8").replace("The first project.", "Edited."))
    app, rec = build(make_app, src)
    assert rec.read == {"projects/alpha"}
    assert rec.written == {"projects/alpha", "index", "research/vision", "projects/index",
                           "hosts/rst"}
    soup = html(app.outdir, "research/vision.html")
    assert "Edited." in soup.select_one(".kb-grid").get_text()


def test_moving_an_entry_between_areas_updates_both_area_pages(make_app, src):
    build(make_app, src, freshenv=True)
    beta = src / "projects/beta.yaml"
    touch(beta, beta.read_text(encoding="utf8").replace("areas: [language]", "areas: [vision]"))
    app, rec = build(make_app, src)
    assert rec.read == {"projects/beta"}
    assert {"research/vision", "research/language"} <= rec.written
    assert "models/index" not in rec.written and "people/ada" not in rec.written
    assert card_names(html(app.outdir, "research/language.html")) == ["VisionModel"]
    assert "Beta" in card_names(html(app.outdir, "research/vision.html"))


def test_adding_and_removing_an_entry(make_app, src):
    build(make_app, src, freshenv=True)
    gamma = src / "projects/gamma.yaml"
    touch(gamma, "name: Gamma\nsummary: New.\nareas: [language]\n")
    app, rec = build(make_app, src)
    # Sphinx re-reads every page with a glob toctree when a document is added
    assert rec.read == {"projects/gamma", "projects/index", "models/index"}
    assert card_names(html(app.outdir, "research/language.html")) == ["Beta", "Gamma",
                                                                      "VisionModel"]
    assert "Gamma" in card_names(html(app.outdir, "index.html"))
    gamma.unlink()
    app, rec = build(make_app, src)
    assert card_names(html(app.outdir, "research/language.html")) == ["Beta", "VisionModel"]
    assert "Gamma" not in card_names(html(app.outdir, "index.html"))
    assert "research/vision" not in rec.written


def _pages(outdir):
    out = {}
    for path in sorted(outdir.rglob("*.html")):
        text = path.read_text(encoding="utf8")
        out[str(path.relative_to(outdir))] = re.sub(r"\?v=[0-9a-f]+", "", text)
    return out


def test_parallel_build_matches_serial(make_app, rootdir, tmp_path):
    pages = {}
    for jobs in (1, 2):
        src = copy_root(rootdir, "kb", tmp_path / f"j{jobs}")
        for i in range(40):
            area = "vision" if i % 2 else "language"
            (src / f"projects/p{i:02d}.yaml").write_text(
                f"name: P{i:02d}\nsummary: Entry {i}.\nareas: [{area}]\nyear: {2000 + i}\n"
                f"related: [alpha]\n", encoding="utf8")
        app, _rec = build(make_app, src, freshenv=True, parallel=jobs)
        assert warnings(app) == []
        pages[jobs] = _pages(app.outdir)
    assert pages[1].keys() == pages[2].keys()
    for name in pages[1]:
        assert pages[1][name] == pages[2][name], name
    assert len(card_names(html(app.outdir, "research/vision.html").select_one(".kb-grid"))) == 22
