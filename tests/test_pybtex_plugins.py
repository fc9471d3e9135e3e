"""pybtex's plugins are registered from one scan of the entry points, not one scan per plugin."""

from __future__ import annotations

from typing import Any

import pybtex.plugin
import pytest
from labkb.sphinxext import pybtex_plugins
from sphinxcontrib.bibtex import plugin as bibtex_plugin


def test_registration_scans_the_entry_points_once(monkeypatch: pytest.MonkeyPatch) -> None:
    scans: list[tuple[Any, ...]] = []
    real_pybtex, real_bibtex = pybtex.plugin.entry_points, bibtex_plugin._entry_points

    def counted_pybtex(*args: Any, **kwargs: Any) -> Any:
        scans.append(("pybtex", args, tuple(kwargs.items())))
        return real_pybtex(*args, **kwargs)

    def counted_bibtex(*args: Any, **kwargs: Any) -> Any:
        scans.append(("bibtex", args, tuple(kwargs.items())))
        return real_bibtex(*args, **kwargs)

    monkeypatch.setattr(pybtex.plugin, "entry_points", counted_pybtex)
    monkeypatch.setattr(bibtex_plugin, "_entry_points", counted_bibtex)
    monkeypatch.setattr(pybtex_plugins, "_done", False)
    pybtex_plugins.preload_plugins()
    assert scans == []
    # the libraries' own look-ups are theirs again, and answered from the runtime store
    assert pybtex.plugin.entry_points is counted_pybtex
    assert bibtex_plugin._entry_points is counted_bibtex
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", "unsrt").__name__ == "Style"
    assert bibtex_plugin.find_plugin("sphinxcontrib.bibtex.style.referencing", "author_year")
    assert scans == []
