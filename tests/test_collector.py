"""The cycle collector is paused while the environment loads and kept off what the build loaded
(``sphinxext/collector.py``), and everything is the collector's again when the build ends."""

from __future__ import annotations

import gc
import pickle

import pytest


@pytest.mark.sphinx("html", testroot="kb", freshenv=True, srcdir="kb-collector")
def test_what_the_build_loaded_is_frozen_until_it_ends(make_app, app_params, monkeypatch):
    gc.unfreeze()
    args, kwargs = app_params
    app = make_app(*args, **kwargs)
    assert gc.isenabled() and gc.get_freeze_count() > 0  # frozen at builder-inited
    during: list[tuple[bool, int]] = []
    app.connect("doctree-resolved", lambda *_: during.append((gc.isenabled(),
                                                               gc.get_freeze_count())))
    app.build()
    assert during and all(enabled and frozen > 0 for enabled, frozen in during)
    assert gc.isenabled() and gc.get_freeze_count() == 0  # the build's end gave it all back

    loading: list[bool] = []
    real_load = pickle.load

    def load(*a, **k):
        loading.append(gc.isenabled())
        return real_load(*a, **k)

    monkeypatch.setattr(pickle, "load", load)
    again = make_app(*args, **{**kwargs, "freshenv": False})  # unpickles the first one's env
    assert loading and not any(loading)  # no collection while it was unpickled
    assert gc.isenabled()
    again.build()
    assert gc.isenabled() and gc.get_freeze_count() == 0
