"""Look pybtex's plugins up once.

pybtex 0.26 and sphinxcontrib-bibtex find a plugin (a style, a backend, a writer) by scanning every
installed package's entry points, on every look-up: about 25 ms each, and there is one per citation
resolved and per text rendered. Registering each installed plugin through the libraries' own
``register_plugin`` puts it in their runtime store, which is consulted first; results are the same.
"""

from __future__ import annotations

from importlib.metadata import entry_points

_done = False


def preload_plugins() -> None:
    global _done
    if _done:
        return
    import pybtex.plugin

    found = entry_points()  # one scan of the installed packages (each costs ~0.1 s)
    for ep in found:
        if not ep.group.startswith("pybtex."):
            continue
        try:
            pybtex.plugin.register_plugin(ep.group, ep.name, ep.load(), force=True)
        except Exception:  # a broken third-party plugin: leave it to pybtex to report when used
            continue
    _done = True
    try:
        from sphinxcontrib.bibtex import plugin as bibtex_plugin
    except ImportError:
        return
    for group in bibtex_plugin._runtime_plugins:
        for ep in found.select(group=group):
            try:
                bibtex_plugin.register_plugin(group, ep.name, ep.load(), force=True)
            except Exception:
                continue
