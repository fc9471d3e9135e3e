"""The Pagefind index of an HTML build: written at build-finished, pages marked for it, turned off
by kb_search, and a missing binary a located warning (Sphinx's search then stays)."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from conftest import copy_root
from helpers import build, in_ci, touch
from labkb.core.config import KbConfig
from labkb.core.glossary_zh import entry_keywords
from labkb.core.names_zh import name_zh
from labkb.core.searchmeta import NAMED_KEPT, Area, entry_meta, name_row, named_pages, page_meta
from labkb.sphinxext import search_changes, search_index

REPO = Path(__file__).resolve().parent.parent
#: The site's theme and templates (the data-pagefind-* markup is in its page.html).
SITE = {"html_theme": "pydata_sphinx_theme",
        "templates_path": [str(Path(__file__).resolve().parent.parent / "docs" / "_templates")]}


def test_the_npm_lock_pins_pagefind_with_hashes() -> None:
    """package.json asks for one exact version; the lock holds it and every platform's binary
    package at that version, each with its integrity hash (what `npm ci` checks)."""
    wanted = json.loads((REPO / "package.json").read_text(encoding="utf8"))["dependencies"]
    packages = json.loads((REPO / "package-lock.json").read_text(encoding="utf8"))["packages"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted["pagefind"])
    assert packages[""]["dependencies"] == wanted
    locked = {name: meta for name, meta in packages.items() if name}
    assert packages["node_modules/pagefind"]["version"] == wanted["pagefind"]
    assert "node_modules/@pagefind/linux-x64" in locked
    for name, meta in locked.items():
        assert meta["version"] == wanted["pagefind"], name
        assert meta["integrity"].startswith("sha512-"), name


def test_npm_binary_is_preferred(tmp_path: Path) -> None:
    """A Pagefind installed by npm above the site's folder is the one used."""
    site = tmp_path / "project" / "docs"
    site.mkdir(parents=True)
    package = search_index.npm_package()
    if package is None:
        pytest.skip("npm has no build of Pagefind for this machine")
    folder = tmp_path / "project" / "node_modules" / "@pagefind" / package[0] / "bin"
    folder.mkdir(parents=True)
    (folder / package[1]).write_bytes(b"")  # as npm lays it out
    found = folder / package[1]
    assert search_index.pagefind_binary(site) == found


def test_the_binary_found_is_the_locked_version() -> None:
    """The build runs the Pagefind of package-lock.json (installed by `npm ci`, as `make html`
    does), not an older one."""
    locked = json.loads((REPO / "package-lock.json").read_text(encoding="utf8"))
    version = locked["packages"]["node_modules/pagefind"]["version"]
    binary = search_index.pagefind_binary(REPO)
    if binary is None or "node_modules" not in binary.parts:
        message = "npm has not installed the locked Pagefind (`npm ci`, as `make html` does)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=60,
                          check=True)
    assert done.stdout.split() == ["pagefind", version]


def test_the_option_is_validated() -> None:
    config, problems = KbConfig.from_values({"kb_search": "yes"})
    assert config.search is True and problems[0].name == "kb_search"


def test_translated_names_are_told_apart() -> None:
    assert name_zh({"name_zh": "具身智能", "derived": '{"name_zh": "translated"}'}) == ("具身智能", True)
    assert name_zh({"name_zh": "多模态"}) == ("多模态", False)


def test_entry_meta_weighs_names_over_tags() -> None:
    meta = entry_meta("model", {"name": "X-1M", "tags": ["long context"], "summary": "s"},
                      [Area("New Architectures", "新架构")])
    assert meta.kind_zh == "模型" and "X-1M" in meta.aliases and "长上下文" in meta.tags
    assert entry_keywords({"tags": ["多模态模型"], "name": "multimodal"}) == ["多模态"]


def test_a_letter_lists_the_pages_named_with_it() -> None:
    """What a single letter typed in the search box lists: pages with a name starting with it,
    then pages with a word of a name starting with it, each part by title; Chinese names and
    punctuation give no letter."""
    coder = entry_meta("model", {"name": "Qwen2.5-Coder", "name_zh": "通义千问", "tags": ["code"]},
                       [Area("Large Language Models")])
    assert coder.initials(first=True) == ("q",) and coder.initials() == ("c", "q")
    person = page_meta("person", "Rui Men", {})
    assert person.initials(first=True) == ("r",) and person.initials() == ("m", "r")
    assert page_meta("page", "(Draft) 1M tokens", {}).initials(first=True) == ("d",)
    models = page_meta("page", "Models", {})
    table = named_pages([name_row("people/rui-men.html", "Rui Men", person),
                         name_row("models/index.html", "Models", models),
                         name_row("models/coder.html", "Qwen2.5-Coder", coder)])
    assert table["m"] == {"total": 2, "pages": [["models/index.html", "Models", "page", ""],
                                                ["people/rui-men.html", "Rui Men", "person", ""]]}
    assert table["c"]["pages"] == [["models/coder.html", "Qwen2.5-Coder", "model",
                                    "Large Language Models"]]
    many = named_pages([name_row(f"p/{k}.html", f"Paper {k:04d}",
                                 page_meta("page", f"Paper {k:04d}", {}))
                        for k in range(NAMED_KEPT + 5)])
    assert many["p"]["total"] == NAMED_KEPT + 5 and len(many["p"]["pages"]) == NAMED_KEPT
    assert many["p"]["pages"][0][0] == "p/0.html"


@pytest.mark.sphinx("html", testroot="kb", freshenv=True, confoverrides=SITE)
def test_index_written_and_pages_marked(app) -> None:
    app.build()
    out = app.outdir
    assert (out / "pagefind" / "pagefind.js").is_file()
    page = (out / "index.html").read_text(encoding="utf8")
    assert 'name="kb-search" content="pagefind"' in page and "searchindex.js" not in page
    entry = next(p for p in out.glob("*/*.html") if "kb-entry" in p.read_text(encoding="utf8"))
    text = entry.read_text(encoding="utf8")
    assert "data-pagefind-body" in text and re.search(r'data-pagefind-meta="kind:\w+"', text)
    title = re.search(r"<h1>(.*?)<", text).group(1)
    named = json.loads((out / "kb-names" / f"{title[0].lower()}.json").read_text(encoding="utf8"))
    assert title in [row[1] for row in named["pages"]]


@pytest.mark.sphinx("html", testroot="kb", freshenv=True, confoverrides={**SITE, "kb_search": False},
                    srcdir="kb-search-off")
def test_off_keeps_sphinx_search(app) -> None:
    app.build()
    assert not (app.outdir / "pagefind").exists()
    assert "searchindex.js" in (app.outdir / "index.html").read_text(encoding="utf8")
    assert (app.outdir / "searchindex.js").is_file()  # built: Sphinx's search is the site's


@pytest.mark.sphinx("html", testroot="kb", freshenv=True, confoverrides=SITE,
                    srcdir="kb-search-missing")
def test_missing_binary_is_a_located_warning(make_app, app_params, monkeypatch) -> None:
    monkeypatch.setattr(search_index, "pagefind_binary", lambda *args: None)
    args, kwargs = app_params
    app = make_app(*args, **kwargs)  # the engine is chosen when the builder starts
    app.build()
    warnings = app.warning.getvalue()
    assert re.search(r"conf\.py:\d+: WARNING: kb_search is on but the Pagefind binary is missing.*"
                     r"\[kb\.search\]", warnings), warnings
    assert "Traceback" not in warnings
    assert not (app.outdir / "pagefind").exists()


def fragments(out: Path, bundle: str = "pagefind") -> list[dict]:
    """The pages as the Pagefind index holds them (gzipped JSON after a signature)."""
    found = []
    for path in (out / bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        found.append(json.loads(data[len(b"pagefind_dcd"):]))
    return found


@pytest.mark.sphinx("html", testroot="kb", freshenv=True, confoverrides=SITE,
                    srcdir="kb-search-clean")
def test_index_leaves_out_what_every_page_says(app) -> None:
    """How to read an entry's graph and what the 译 mark means are on every entry page: not in
    the index (the graph's list of links is)."""
    app.build()
    html = {p.relative_to(app.outdir).as_posix(): p.read_text(encoding="utf8")
            for p in app.outdir.rglob("*.html")}
    pages = fragments(app.outdir)

    def source(page: dict) -> str:
        path = page["url"].lstrip("/")
        return html[path + "index.html" if path.endswith("/") or not path else path]

    with_graph = [f for f in pages if "legend below" in source(f)]
    with_mark = [f for f in pages if re.search("not a source(&#39;|')s wording", source(f))]
    assert with_graph and with_mark
    for page in pages:
        text = page["content"].replace("\u200b", "")
        assert "legend below" not in text and "The same links as a list" not in text
        assert "not a source's wording" not in text
    assert any("Connections" in f["content"] for f in with_graph)
    assert "data-pagefind-filter" not in "".join(html.values())


@pytest.mark.sphinx("html", testroot="kb", freshenv=True, confoverrides=SITE,
                    srcdir="kb-search-rebuild")
def test_a_rebuild_leaves_no_stale_index_files(make_app, app_params) -> None:
    """A full index replaces the old one and the changes indexed since; an index of changes
    replaces the one before it."""
    args, kwargs = app_params
    app = make_app(*args, **kwargs)
    app.build()
    page = next(Path(app.srcdir).glob("projects/*.yaml"))
    page.write_text(page.read_text(encoding="utf8") + "\n", encoding="utf8")
    make_app(*args, **kwargs).build()
    changes = app.outdir / search_changes.BUNDLE
    stale = app.outdir / "pagefind" / "fragment" / "zh_0000000.pf_fragment"
    stale.write_bytes(b"old")
    (changes / "fragment" / "zh_0000000.pf_fragment").write_bytes(b"old")
    page.write_text(page.read_text(encoding="utf8") + "\n", encoding="utf8")
    make_app(*args, **kwargs).build()
    assert stale.exists() and not (changes / "fragment" / "zh_0000000.pf_fragment").exists()
    (Path(app.doctreedir) / search_changes.STATE).unlink()  # the full index is unknown
    page.write_text(page.read_text(encoding="utf8") + "\n", encoding="utf8")
    again = make_app(*args, **kwargs)
    again.build()
    assert not stale.exists() and not changes.exists()
    assert (again.outdir / "pagefind" / "pagefind.js").is_file() and fragments(again.outdir)
    assert json.loads((again.outdir / "pagefind" / search_changes.MANIFEST).read_text(
        encoding="utf8")) == {"added": [], "bundle": None, "superseded": []}


def _named(out: Path, letter: str) -> list[str]:
    path = out / "kb-names" / f"{letter}.json"
    return [row[1] for row in json.loads(path.read_text(encoding="utf8"))["pages"]] \
        if path.is_file() else []


def test_the_letters_lists_follow_a_renamed_entry(make_app, rootdir, tmp_path) -> None:
    """An entry renamed is listed under its new letter and no longer under its old one; the
    pages not written again keep their rows, the pages written get new ones."""
    src = copy_root(rootdir, "kb", tmp_path)
    app, _ = build(make_app, src, freshenv=True)
    assert "Alpha" in _named(app.outdir, "a")
    alpha = src / "projects" / "alpha.yaml"
    touch(alpha, alpha.read_text(encoding="utf8").replace("name: Alpha", "name: Zyzzogeton"))
    app, rec = build(make_app, src)
    assert "Zyzzogeton" in _named(app.outdir, "z") and "Alpha" not in _named(app.outdir, "a")
    rows_file = Path(app.doctreedir) / "kb-names-rows.json"
    rows = json.loads(rows_file.read_text(encoding="utf8"))
    rows["people/ada"][1:] = ["Quux", "person", "", "q", "q"]  # marks: kept or made again
    rows["projects/alpha"][1:] = ["Quuz", "project", "", "q", "q"]
    rows_file.write_text(json.dumps(rows), encoding="utf8")
    touch(alpha, alpha.read_text(encoding="utf8").replace("The first project.", "Edited."))
    app, rec = build(make_app, src)
    assert "projects/alpha" in rec.written and "people/ada" not in rec.written
    assert _named(app.outdir, "q") == ["Quux"] and "Zyzzogeton" in _named(app.outdir, "z")


def _wait_for(path: Path, seconds: float = 120.0) -> dict:
    """The background run's final state, once it has written it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = json.loads(path.read_text(encoding="utf8"))
        except (OSError, ValueError):
            state = {}
        if "returncode" in state:
            return state
        time.sleep(0.2)
    raise AssertionError(f"no background index after {seconds} s")


@pytest.mark.sphinx("html", testroot="kb", freshenv=True,
                    confoverrides={**SITE, "kb_search_background": True},
                    srcdir="kb-search-background")
def test_the_background_index_replaces_the_served_one_whole(make_app, app_params) -> None:
    """make serve's mode: the build returns at once; the index appears when it is complete,
    a failed run is reported by the next build, and no staging folder is left."""
    args, kwargs = app_params
    app = make_app(*args, **kwargs)
    app.build()
    state = _wait_for(Path(app.doctreedir) / "kb-pagefind.json")
    assert state["returncode"] == 0
    assert (app.outdir / "pagefind" / "pagefind.js").is_file() and fragments(app.outdir)
    assert not (app.outdir / ".pagefind-next").exists()
    assert not (app.outdir / "pagefind.old").exists()
    served = sorted(p.name for p in (app.outdir / "pagefind").iterdir())

    assert json.loads((Path(app.doctreedir) / search_changes.STATE).read_text(
        encoding="utf8")) == {"replaced": [], "ids": None}  # written once the index was swapped
    assert (app.outdir / "pagefind" / search_changes.MANIFEST).is_file()
    (Path(app.doctreedir) / search_changes.STATE).unlink()  # a full index is due: in background

    broken = Path(app.srcdir) / "broken-pagefind"
    broken.write_text("#!/bin/sh\necho 'index failed on purpose' >&2\nexit 3\n", encoding="utf8")
    broken.chmod(0o755)
    page = next(Path(app.srcdir).glob("projects/*.yaml"))
    page.write_text(page.read_text(encoding="utf8") + "\n", encoding="utf8")
    failing = make_app(*args, **kwargs)
    search_index.build_state(failing).pagefind = broken  # as if chosen at builder-inited
    failing.build()
    assert _wait_for(Path(app.doctreedir) / "kb-pagefind.json")["returncode"] == 3
    # the served index stays as it was; the next build says what went wrong
    assert sorted(p.name for p in (app.outdir / "pagefind").iterdir()) == served
    page.write_text(page.read_text(encoding="utf8") + "\n", encoding="utf8")
    again = make_app(*args, **kwargs)
    again.build()
    warnings = again.warning.getvalue()
    assert re.search(r"the last background Pagefind index failed \(exit 3\): index failed on "
                     r"purpose.*\[kb\.search\]", warnings), warnings
    assert _wait_for(Path(app.doctreedir) / "kb-pagefind.json")["returncode"] == 0


@pytest.mark.sphinx("html", testroot="kb", freshenv=True,
                    confoverrides={**SITE, "kb_search_background": True},
                    srcdir="kb-search-background-stop")
def test_a_new_build_stops_the_running_background_index_and_indexes_again(make_app,
                                                                          app_params) -> None:
    args, kwargs = app_params
    app = make_app(*args, **kwargs)
    slow = Path(app.srcdir) / "slow-pagefind"
    slow.write_text("#!/bin/sh\nsleep 60\n", encoding="utf8")
    slow.chmod(0o755)
    search_index.build_state(app).pagefind = slow
    app.build()
    state_file = Path(app.doctreedir) / "kb-pagefind.json"
    running = json.loads(state_file.read_text(encoding="utf8"))
    assert "returncode" not in running
    again = make_app(*args, **kwargs)  # a no-op build: it writes nothing, yet indexes again
    again.build()
    with pytest.raises(ProcessLookupError):
        for _ in range(50):  # the stopped run ends within moments
            os.kill(running["pid"], 0)
            time.sleep(0.1)
    assert _wait_for(state_file)["returncode"] == 0
    assert (again.outdir / "pagefind" / "pagefind.js").is_file()


@pytest.mark.sphinx("html", testroot="kb-people", freshenv=True, confoverrides=SITE,
                    srcdir="kb-search-references")
def test_the_references_citation_list_is_not_indexed_the_publication_lists_are(app) -> None:
    """The references page repeats the records publication lists show (a 1.5 MB page at 5,000
    records that short queries ranked high): a paper is found where a list shows it."""
    app.build()
    pages = {f["url"].rstrip("/").rsplit("/", 1)[-1]: f["content"] for f in fragments(app.outdir)}
    assert "Notes" in (app.outdir / "references.html").read_text(encoding="utf8")
    assert "Notes" not in pages["references.html"] and "References" in pages["references.html"]
    assert any("Notes" in text for name, text in pages.items() if name != "references.html")


def test_a_background_index_that_hangs_is_stopped_and_reported(tmp_path: Path,
                                                                 monkeypatch) -> None:
    """Pagefind waits for ever when the site's folder is removed under it: the run times out."""
    from labkb.sphinxext import search_background

    monkeypatch.setattr(search_background, "TIMEOUT_S", 0.5)
    state = tmp_path / "state.json"
    code = search_background.main([str(state), json.dumps(["sleep", "30"]),
                                   str(tmp_path / "next"), str(tmp_path / "pagefind")])
    assert code == -1
    assert json.loads(state.read_text(encoding="utf8"))["stderr"] == "timed out after 0.5 s"
    assert not search_background.stop(state)  # it has ended: nothing to stop
