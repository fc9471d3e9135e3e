"""The index of changes: after a full Pagefind index, an incremental build indexes the pages it
changed (all those changed since the full index) apart, and names the full index's results they
replace; too many changes, or no known full index, and the site is indexed whole again."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from helpers import Recorder, touch
from labkb.sphinxext import search_changes
from labkb.sphinxext.search_changes import Plan, fragment_ids, plan, record, url_of
from test_search_index import SITE, fragments


def test_urls_are_pagefinds() -> None:
    assert url_of("index.html") == "/"
    assert url_of("models/index.html") == "/models/"
    assert url_of("models/moss-vl.html") == "/models/moss-vl.html"
    assert url_of("reindex.html") == "/reindex.html"


def _fragment(bundle: Path, fid: str, url: str, first: bool = True) -> None:
    data = {"url": url, "content": "words"} if first else {"content": "x" * 5000, "url": url}
    (bundle / "fragment").mkdir(parents=True, exist_ok=True)
    (bundle / "fragment" / f"{fid}.pf_fragment").write_bytes(
        gzip.compress(b"pagefind_dcd" + json.dumps(data).encode()))


def test_fragment_ids_read_each_pages_url(tmp_path: Path) -> None:
    """The URL is read from the start of a fragment, or from all of it when not there."""
    _fragment(tmp_path, "zh_1", "/a.html")
    _fragment(tmp_path, "zh_2", "/b/", first=False)
    (tmp_path / "fragment" / "zh_3.pf_fragment").write_bytes(b"not gzip")
    assert fragment_ids(tmp_path) == {"/a.html": "zh_1", "/b/": "zh_2"}


def test_changes_accumulate_until_a_tenth_of_the_site(tmp_path: Path) -> None:
    state, folder = tmp_path / "state.json", tmp_path / "pages"
    folder.mkdir()
    for name in ("a.html", "b.html"):
        (folder / name).write_text("<html></html>", encoding="utf8")
    none: frozenset[str] = frozenset()
    assert plan(state, frozenset({"a.html"}), none, folder, 1000) is None  # no full index known
    state.write_text(search_changes.FRESH, encoding="utf8")
    first = plan(state, frozenset({"a.html"}), frozenset({"gone.html"}), folder, 1000)
    assert first == Plan(("a.html", "gone.html"), ("a.html",))
    state.write_text(json.dumps({"replaced": list(first.replaced), "ids": {}}), encoding="utf8")
    assert plan(state, frozenset({"b.html"}), none, folder, 1000) == Plan(
        ("a.html", "b.html", "gone.html"), ("a.html", "b.html"))
    many = frozenset(f"p{i}.html" for i in range(98))
    assert plan(state, many, none, folder, 1000) is not None  # 100 of 1,000 pages
    assert plan(state, many | {"p98.html"}, none, folder, 1000) is None
    assert plan(state, frozenset(f"p{i}.html" for i in range(17)), none, folder, 30) is not None
    assert plan(state, many, none, folder, 30) is None
    state.write_text("{broken", encoding="utf8")
    assert plan(state, none, none, folder, 1000) is None


def test_the_manifest_drops_old_versions_and_keeps_pages_unchanged(tmp_path: Path) -> None:
    """The ids of the pages' versions in the full index are dropped, unless a page was indexed
    again unchanged (the same id in both bundles: the search shows it once)."""
    out, state = tmp_path / "html", tmp_path / "state.json"
    for fid, url in (("zh_a1", "/a.html"), ("zh_b1", "/b.html"), ("zh_c1", "/c.html"),
                     ("zh_i1", "/")):
        _fragment(out / "pagefind", fid, url)
    for fid, url in (("zh_a2", "/a.html"), ("zh_b1", "/b.html"), ("zh_n1", "/new.html")):
        _fragment(out / search_changes.BUNDLE, fid, url)
    state.write_text(search_changes.FRESH, encoding="utf8")
    changes = Plan(("a.html", "b.html", "c.html", "new.html"), ("a.html", "b.html", "new.html"))
    manifest = record(state, changes, out, "pagefind")
    assert manifest == {"bundle": f"../{search_changes.BUNDLE}/", "superseded": ["zh_a1", "zh_c1"],
                        "added": ["zh_a2", "zh_b1", "zh_n1"]}
    assert json.loads((out / "pagefind" / search_changes.MANIFEST).read_text()) == manifest
    kept = json.loads(state.read_text(encoding="utf8"))
    assert kept["replaced"] == list(changes.replaced) and kept["ids"]["/"] == "zh_i1"
    (out / "pagefind" / "fragment" / "zh_i1.pf_fragment").unlink()
    assert record(state, Plan(("c.html",), ()), out, "pagefind") == {  # ids read once
        "bundle": None, "superseded": ["zh_c1"], "added": []}


@pytest.mark.sphinx("html", testroot="kb", freshenv=True, confoverrides=SITE,
                    srcdir="kb-search-changes")
def test_an_edit_indexes_the_pages_it_changed_apart(make_app, app_params) -> None:
    args, kwargs = app_params
    app = make_app(*args, **kwargs)
    app.build()
    main = app.outdir / "pagefind"
    before = {p.relative_to(main).as_posix(): p.stat().st_mtime_ns for p in main.rglob("*")
              if p.name != search_changes.MANIFEST}
    old = {f["url"]: f for f in fragments(app.outdir)}
    ids = fragment_ids(main)
    alpha = Path(app.srcdir) / "projects" / "alpha.yaml"
    touch(alpha, alpha.read_text(encoding="utf8").replace("The first project.",
                                                          "The first project, Zyzzogeton."))
    again = make_app(*args, **kwargs)
    written = Recorder(again)
    again.build()
    after = {p.relative_to(main).as_posix(): p.stat().st_mtime_ns for p in main.rglob("*")
             if p.name != search_changes.MANIFEST}
    assert after == before  # the full index is left as it was
    manifest = json.loads((main / search_changes.MANIFEST).read_text(encoding="utf8"))
    state = json.loads((Path(app.doctreedir) / search_changes.STATE).read_text(encoding="utf8"))
    assert {f"{doc}.html" for doc in written.written} <= set(state["replaced"])
    changed = {f["url"]: f for f in fragments(app.outdir, search_changes.BUNDLE)}
    assert "Zyzzogeton" in changed["/projects/alpha.html"]["content"]
    assert set(changed) == {url_of(rel) for rel in state["replaced"] if url_of(rel) in old}
    assert ids["/projects/alpha.html"] in manifest["superseded"]
    assert not set(manifest["superseded"]) & set(manifest["added"])
    assert sorted(fragment_ids(app.outdir / search_changes.BUNDLE).values()) == manifest["added"]

    beta = Path(app.srcdir) / "projects" / "beta.yaml"
    touch(beta, beta.read_text(encoding="utf8") + "\n")
    make_app(*args, **kwargs).build()
    state2 = json.loads((Path(app.doctreedir) / search_changes.STATE).read_text(encoding="utf8"))
    assert set(state["replaced"]) | {"projects/beta.html"} <= set(state2["replaced"])
    changed = {f["url"]: f for f in fragments(app.outdir, search_changes.BUNDLE)}
    assert "Zyzzogeton" in changed["/projects/alpha.html"]["content"]  # still since the full one
