"""The research graph: its nodes and edges, each page's drawing (links that resolve, a list of the
same links), the Graph page, the exports, determinism (-j 1 / -j 2, two clean builds) and which
pages an edit re-writes."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import copy_root
from helpers import build, entry_record, html, site_pages, touch, warnings
from labkb.core.coauthors import Authorship
from labkb.core.graph import GraphInput, Node, neighbourhood
from labkb.core.graph import build as build_graph
from labkb.core.kb import KnowledgeBase, Link


@pytest.fixture
def src(rootdir, tmp_path):
    return copy_root(rootdir, "kb-people", tmp_path)


def test_typed_nodes_and_edges_from_the_records_and_their_links():
    records = [
        entry_record("model", "base", new_version="v2", sources=[{"id": "home"}],
                     organization="Lab X"),
        entry_record("model", "v2"),
        entry_record("model", "tuned", base_model=["base", "org/hub"],
                     base_model_relation="finetune", related=["v2"], papers=["Key1"],
                     people=["ada"]),
        entry_record("person", "ada", affiliation=[{"name": "U", "source": "home"}]),
        entry_record("source", "home"),
        entry_record("news", "2024-01-01-v2", date="2024-01-01", entries=["v2"]),
    ]
    graph = build_graph(GraphInput(KnowledgeBase(records), {"lang": ("Language", "research/lang")},
                                   {"key1": {"key": "Key1", "title": "A paper", "areas": ["lang"]}},
                                   [Authorship("Key1", persons={"ada"})]))
    assert graph.nodes["entry:tuned"] == Node("entry:tuned", "entry", "tuned", "model",
                                              "models/tuned")
    assert graph.nodes["organisation:lab-x"].label == "Lab X"
    assert not any(n.startswith("news") or "2024" in n for n in graph.nodes)  # news: no node
    assert {n.type for n in graph.nodes.values()} == {"entry", "person", "paper", "area",
                                                       "organisation", "source"}
    edges = {(e.source, e.target, e.type, e.relation) for e in graph.edges}
    assert ("entry:tuned", "entry:base", "base_model", "finetune") in edges
    assert ("entry:base", "entry:v2", "new_version", "") in edges
    assert ("person:ada", "paper:key1", "author", "") in edges
    assert ("person:ada", "entry:tuned", "author", "") in edges
    assert ("entry:tuned", "paper:key1", "paper", "") in edges
    assert ("entry:base", "organisation:lab-x", "organisation", "") in edges
    assert ("person:ada", "source:home", "source", "") in edges
    assert not any("org/hub" in e.target for e in graph.edges)  # a Hub id is not a node
    hood = neighbourhood(graph, "entry:base", limit=3)
    assert len(hood.nodes) == 3 and sum(hood.more.values()) == len(graph.adjacency["entry:base"]) - 2


def test_reported_lineage_links_are_left_out_of_the_graph():
    records = [entry_record("model", "a", base_model=["b"], base_model_relation="merge"),
               entry_record("model", "b", base_model=["a"], new_version="p"),
               entry_record("project", "p")]
    whole = build_graph(GraphInput(KnowledgeBase(records), {}, {}, []))
    assert {(e.source, e.target, e.type, e.relation) for e in whole.edges} == {
        ("entry:a", "entry:b", "base_model", "merge"), ("entry:b", "entry:a", "base_model", ""),
        ("entry:b", "entry:p", "new_version", "")}
    # a dropped link is its source, relation and target (how it holds takes no part)
    dropped = {Link("a", "base_model", "b"), Link("b", "new_version", "p")}
    shown = build_graph(GraphInput(KnowledgeBase(records), {}, {}, [], dropped))
    assert [(e.source, e.target) for e in shown.edges] == [("entry:b", "entry:a")]


def _resolves(outdir: Path, page: Path, href: str) -> bool:
    if href.startswith(("http://", "https://")):
        return False  # the graph links only to pages of the site
    parts = urlsplit(href)
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if not target.is_file():
        return False
    return not parts.fragment or f'id="{parts.fragment}"' in target.read_text(encoding="utf8")


def test_every_svg_link_resolves_and_the_list_has_the_same_links(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    assert warnings(app) == []
    out = Path(app.outdir)
    checked = 0
    for page in site_pages(out):
        soup = html(out, str(page.relative_to(out)))
        for figure in soup.select("figure.kb-graph"):
            hrefs = [a["href"] for a in figure.select("svg a")]
            assert hrefs, page
            for href in hrefs:
                assert _resolves(out, page, href), (page, href)
                checked += 1
            for a in figure.select("svg a"):
                assert a.get("aria-label"), (page, a)
            if "kb-graph-whole" in figure["class"]:
                continue
            listed = [a["href"] for a in soup.select("#kb-connections .kb-graph-list a")]
            assert sorted(listed) == sorted(hrefs[1:]), page  # the centre is the page itself
    assert checked > 40
    for page in ("people/ada.html", "projects/alpha.html", "models/base.html",
                 "research/vision.html"):
        assert html(out, page).select_one("#kb-connections svg") is not None, page


def test_graph_page_tables_and_exports(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    out = Path(app.outdir)
    soup = html(out, "graph.html")
    assert soup.select_one("figure.kb-graph-whole svg") is not None
    headings = [h.get_text(strip=True).rstrip("¶#") for h in soup.select("section h2")]
    assert headings == ["Model families", "Entries (4)", "People (4)", "Papers (6)",
                        "Research areas (2)", "Organisations (1)", "Sources (0)"]
    assert soup.select_one("#graph-paper-lovelace1843notes") is not None
    families = soup.select_one("#model-families").get_text(" ", strip=True)
    assert "Base (newer version: Base v2)" in families and "Tuned (built from Base (finetune))" \
        in families
    data = json.loads((out / "knowledge.json").read_text(encoding="utf8"))
    edges = {(e["source"], e["target"], e["type"], e.get("relation")) for e in data["graph"]["edges"]}
    assert ("entry:tuned", "entry:base", "base_model", "finetune") in edges
    assert {p["id"] for p in data["people"]} == {"ada", "pan-zhou", "wei-wang-a", "wei-wang-b"}
    assert all(e["kind"] in ("project", "model") for e in data["entries"])
    root = ET.parse(out / "knowledge.graphml").getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == len(data["graph"]["nodes"])
    assert len(root.findall(".//g:edge", ns)) == len(data["graph"]["edges"])


def _outputs(outdir: Path) -> dict[str, str]:
    files = {}
    for path in sorted(outdir.rglob("*")):
        if path.suffix in (".html", ".json", ".graphml") and "_static" not in path.parts:
            text = path.read_text(encoding="utf8")
            files[str(path.relative_to(outdir))] = re.sub(r"\?v=[0-9a-f]+", "", text)
    return files


def test_graph_and_pages_identical_between_j1_j2_and_two_clean_builds(make_app, rootdir, tmp_path):
    results = []
    for name, jobs in (("a", 1), ("b", 1), ("c", 2)):
        src = copy_root(rootdir, "kb-people", tmp_path / name)
        app = make_app("html", srcdir=src, freshenv=True, parallel=jobs)
        app.build()
        app.cleanup()
        results.append(_outputs(Path(app.outdir)))
    assert results[0] == results[1]
    assert results[0] == results[2]


def test_an_edit_rewrites_only_pages_whose_neighbourhood_shows_it(make_app, src):
    build(make_app, src, freshenv=True)
    tuned = src / "models/tuned.yaml"
    touch(tuned, tuned.read_text(encoding="utf8").replace("summary: Fine-tuned from Base.",
                                                          "summary: Edited."))
    _, rec = build(make_app, src)
    assert rec.read == {"models/tuned"}
    # its name, and so every drawing, is unchanged (index: Sphinx's own toctree parent)
    assert rec.written == {"models/tuned", "index"}
    touch(tuned, tuned.read_text(encoding="utf8").replace("name: Tuned", "name: Tuned Two"))
    app, rec = build(make_app, src)
    assert rec.read == {"models/tuned"}
    # the pages whose drawing shows it: its neighbours', and the Graph page
    assert rec.written == {"models/tuned", "index", "models/base", "research/language", "graph"}
    assert "Tuned Two" in html(app.outdir, "models/base.html").select_one("#kb-connections").text


def test_graphml_is_made_again_only_when_the_graph_changed(make_app, src, monkeypatch):
    from labkb.sphinxext import exports

    build(make_app, src, freshenv=True)
    made: list[int] = []
    real = exports.graphml
    monkeypatch.setattr(exports, "graphml", lambda graph: made.append(1) or real(graph))
    tuned = src / "models/tuned.yaml"
    touch(tuned, tuned.read_text(encoding="utf8").replace("summary: Fine-tuned from Base.",
                                                          "summary: Edited."))
    app, _ = build(make_app, src)
    assert made == []  # the summary is not in the graph
    before = (Path(app.outdir) / "knowledge.graphml").read_text(encoding="utf8")
    touch(tuned, tuned.read_text(encoding="utf8").replace("name: Tuned", "name: Tuned Two"))
    app, _ = build(make_app, src)
    after = (Path(app.outdir) / "knowledge.graphml").read_text(encoding="utf8")
    assert made == [1] and "Tuned Two" in after and "Tuned Two" not in before
    (Path(app.outdir) / "knowledge.graphml").unlink()  # a file gone is made again
    touch(tuned, tuned.read_text(encoding="utf8").replace("summary: Edited.", "summary: Again."))
    app, _ = build(make_app, src)
    assert made == [1, 1] and (Path(app.outdir) / "knowledge.graphml").read_text("utf8") == after
