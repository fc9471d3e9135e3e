"""Look pybtex's plugins up once.

pybtex 0.26 and sphinxcontrib-bibtex find a plugin (a style, a backend, a writer) by scanning every
installed package's entry points, on every look-up: about 25 ms each, and there is one per citation
resolved and per text rendered. Registering each installed plugin through the libraries' own
``register_plugin`` puts it in their runtime store, which is consulted first; results are the same.

``register_plugin`` itself scans the entry points again on every call (to refuse overwriting one
unless forced), 43 scans at start-up, about 0.7 s of every build. While registering, both libraries'
look-ups are answered from the one scan made here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import EntryPoint, EntryPoints, entry_points
from types import ModuleType
from typing import Any

_done = False


@contextmanager
def _answered_from(module: ModuleType, attribute: str, found: EntryPoints) -> Iterator[None]:
    """``module.attribute`` (its entry-point scan) answered from ``found`` for the duration."""
    scan: Callable[..., Any] | None = getattr(module, attribute, None)
    if scan is None:
        yield
        return

    def select(group: str, name: str | None = None) -> EntryPoints:
        return found.select(group=group, name=name) if name else found.select(group=group)

    setattr(module, attribute, select)
    try:
        yield
    finally:
        setattr(module, attribute, scan)


def _load(entry: EntryPoint) -> Any:
    try:
        return entry.load()
    except Exception:  # a broken third-party plugin: leave it to the library to report when used
        return None


def preload_plugins() -> None:
    global _done
    if _done:
        return
    import pybtex.plugin

    found = entry_points()  # one scan of the installed packages (each costs ~0.1 s)
    with _answered_from(pybtex.plugin, "entry_points", found):
        for ep in found:
            if ep.group.startswith("pybtex.") and (klass := _load(ep)) is not None:
                try:
                    pybtex.plugin.register_plugin(ep.group, ep.name, klass, force=True)
                except Exception:  # a group pybtex does not know: it would not look there
                    continue
    _done = True
    try:
        from sphinxcontrib.bibtex import plugin as bibtex_plugin
    except ImportError:
        return
    with _answered_from(bibtex_plugin, "_entry_points", found):
        for group in bibtex_plugin._runtime_plugins:
            for ep in found.select(group=group):
                if (klass := _load(ep)) is not None:
                    bibtex_plugin.register_plugin(group, ep.name, klass, force=True)
