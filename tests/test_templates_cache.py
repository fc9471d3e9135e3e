"""The theme's compiled templates are kept beside the doctrees and reused by the next build."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

SITE = {"html_theme": "pydata_sphinx_theme"}


@pytest.mark.sphinx("html", testroot="kb", freshenv=True, confoverrides=SITE,
                    srcdir="kb-templates-cache")
def test_the_next_build_reuses_the_compiled_templates(make_app, app_params, monkeypatch):
    compiled: list[str | None] = []
    real = jinja2.Environment.compile

    def counted(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return real(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    args, kwargs = app_params
    app = make_app(*args, **kwargs)
    app.build()
    first = [n for n in compiled if n]
    kept = list(Path(app.doctreedir).glob("kb-templates*/*.cache"))
    assert first and len(kept) >= len(set(first))
    compiled.clear()
    page = next(Path(app.srcdir).glob("projects/*.yaml"))
    page.write_text(page.read_text(encoding="utf8") + "\n", encoding="utf8")
    again = make_app(*args, **kwargs)
    again.build()
    assert [n for n in compiled if n] == []  # every named template came from the cache
