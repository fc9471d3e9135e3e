"""Cards written as HTML text (``cards_html``) are the markup the HTML writer makes of the card
nodes (``cards.grid_nodes``), byte for byte: for every entry of the test root, seen from pages
in several folders, and for fuzzed text (markup characters, quotes, ``@``, control whitespace,
Chinese)."""

from __future__ import annotations

import pytest
from conftest import copy_root
from docutils import nodes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from labkb.core.records import EntryRecord
from labkb.core.schema import Model, Project
from labkb.sphinxext.cards import grid, grid_nodes
from labkb.sphinxext.domain import knowledge_base

PAGES = ("index", "projects/index", "research/vision", "projects/alpha")


def translated(app, node: nodes.Node) -> str:
    """``node`` as the site's HTML writer writes it inside a page."""
    document = app.env.get_doctree("index")
    document.children = []
    document.settings = app.builder.docsettings  # what the builder gives a page it writes
    document += node
    visitor = app.builder.create_translator(document, app.builder)
    node.walkabout(visitor)
    return "".join(visitor.body)


def both(app, page: str, records: list[EntryRecord], columns: list[int]) -> tuple[str, str]:
    fast = grid(app.builder, page, records, columns)
    assert isinstance(fast, nodes.raw) and fast["format"] == "html"
    return fast.astext(), translated(app, grid_nodes(app.builder, page, records, columns))


@pytest.fixture(scope="module")
def built(rootdir, tmp_path_factory):
    from sphinx.testing.util import SphinxTestApp

    src = copy_root(rootdir, "kb", tmp_path_factory.mktemp("cards"))
    app = SphinxTestApp("html", srcdir=src, freshenv=True)
    app.build()
    yield app
    app.cleanup()


def test_every_entry_card_equals_the_writers_markup(built) -> None:
    records = [r for r in knowledge_base(built.env).research()
               if isinstance(r.entry, Project) and r.kind in ("project", "model")]
    assert len(records) >= 3
    for page in PAGES:
        for columns in ([1, 2, 3, 3], [1, 1, 1, 1]):
            fast, slow = both(built, page, records, columns)
            assert fast == slow, page


def test_a_grid_with_nothing_is_the_same_note_for_every_writer(built) -> None:
    assert grid(built.builder, "index", [], [1, 2, 3, 3]).astext() == "No entries yet."


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1,
               max_size=40).filter(str.strip)
HOSTILE = st.sampled_from(['<script>alert(1)</script>', 'a "quoted" & \'single\'', "x@y.org",
                           "tab\there\nnewline", "多模态大模型", "</div></p>", "nul\x00", "\x00 after"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT | HOSTILE, summary=TEXT | HOSTILE, name_zh=st.none() | TEXT | HOSTILE,
       tags=st.lists(TEXT | HOSTILE, max_size=6), status=st.none() | st.sampled_from(
           ["active", "released", "archived"]), year=st.none() | st.integers(1990, 2030),
       derived_year=st.booleans(), kind=st.sampled_from(["project", "model"]))
def test_fuzzed_cards_equal_the_writers_markup(built, name, summary, name_zh, tags, status, year,
                                               derived_year, kind) -> None:
    cls = Project if kind == "project" else Model
    derived = {"year": "from the arXiv id"} if derived_year and year else {}
    entry = cls.model_construct(name=name, name_zh=name_zh, summary=summary, tags=tags,
                                status=status, year=year, derived=derived, areas=["vision"])
    record = EntryRecord(id="fuzzed", kind=kind, docname=f"{kind}s/fuzzed", path="x.yaml",
                         entry=entry)
    fast, slow = both(built, "research/vision", [record], [1, 2, 3, 3])
    assert fast == slow
