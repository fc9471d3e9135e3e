"""Doctree snapshots (syrupy) of what labkb renders: a card, a grid, a publication list in a MyST
and an rST host, an entry page and a model card, as resolved doctrees (the ``pseudoxml`` builder
writes them after the placeholders are filled). ``pytest --snapshot-update`` records a change on
purpose; the review of ``__snapshots__/`` shows what a change did to every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import copy_root
from helpers import warnings

HOSTS = ["hosts/myst", "hosts/rst"]


@pytest.fixture
def pseudoxml(make_app, rootdir, tmp_path) -> dict[str, str]:
    """Every page of ``test-kb-snapshot`` as pseudo-XML, with the build's paths made neutral."""
    src = copy_root(rootdir, "kb-snapshot", tmp_path)
    app = make_app("pseudoxml", srcdir=src, freshenv=True)
    app.build()
    assert warnings(app) == []
    out = Path(app.outdir)
    pages = {}
    for path in sorted(out.rglob("*.pseudoxml")):
        text = path.read_text(encoding="utf8").replace(str(src), "<srcdir>")
        # the document's attributes list Sphinx's domains and counters: not labkb's output
        text = re.sub(r' (xmlns:\w+|translation_progress)="[^"]*"', "", text)
        pages[path.relative_to(out).with_suffix("").as_posix()] = text
    return pages


def body(text: str) -> str:
    """A host page without its document and section wrappers (the title differs by syntax only)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "<title>" in line) + 2
    return "\n".join(re.sub(r"^ {8}", "", line) for line in lines[start:])


@pytest.mark.parametrize("host", HOSTS)
def test_grid_card_and_publications_in_a_host(pseudoxml, host, snapshot):
    assert body(pseudoxml[host]) == snapshot


def test_myst_and_rst_hosts_render_the_same(pseudoxml):
    """The same directives give the same nodes in both syntaxes (ids carry the page's name)."""
    myst, rst = (body(pseudoxml[h]).replace(h.replace("/", "-"), "HOST") for h in HOSTS)
    assert myst == rst


def test_entry_page(pseudoxml, snapshot):
    assert pseudoxml["projects/alpha"] == snapshot


def test_model_card(pseudoxml, snapshot):
    assert pseudoxml["models/visionmodel"] == snapshot


def test_source_page(pseudoxml, snapshot):
    """A source record's page: what it says about itself, and what is based on it."""
    assert pseudoxml["sources/home"] == snapshot
