"""Citation lists written in linear time (``sphinxext/citations_html.py``): the HTML of
docutils' own translator, byte for byte."""

from __future__ import annotations

import pytest
from docutils import nodes
from docutils.utils import new_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from labkb.sphinxext.citations_html import CitationListMixin


def _document(app, children: list[str]) -> nodes.document:
    if not hasattr(app.builder, "docsettings"):  # the writer's settings, made by a build
        app.build()
    document = new_document("test", app.builder.docsettings)
    document.settings.env = app.env
    section = nodes.section(ids=["s"])
    for i, kind in enumerate(children):
        if kind == "citation":
            node = nodes.citation(ids=[f"c{i}"])
            node += nodes.label(text=str(i))
            node += nodes.paragraph(text=f"record {i}")
        else:
            node = nodes.paragraph(text=f"text {i}")
        section += node
    document += section
    return document


def _html(app, translator_class: type, document: nodes.document) -> str:
    translator = translator_class(document, app.builder)
    document.walkabout(translator)
    return "".join(translator.body)


@pytest.mark.sphinx("html", testroot="kb", srcdir="kb-citations-html")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["citation", "paragraph"]), max_size=12))
def test_citation_lists_are_docutils_html(app, children: list[str]) -> None:
    ours = app.builder.get_translator_class()
    assert issubclass(ours, CitationListMixin)  # the HTML builder translates with it
    theirs = ours.__mro__[2]  # the theme's translator, as it was
    assert not issubclass(theirs, CitationListMixin) and "visit_citation" not in vars(theirs)
    document = _document(app, children)
    assert _html(app, ours, document) == _html(app, theirs, document)
    if "citation" in children:
        assert 'class="citation-list"' in _html(app, ours, document)
