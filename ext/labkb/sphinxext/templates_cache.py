"""Compiled HTML templates kept between builds.

Each build compiles the theme's Jinja templates anew (about 30 of them for pydata-sphinx-theme,
0.3-0.5 s of every build that writes a page, before the first page is written). Jinja's own
bytecode cache keeps them beside the doctrees; it checks each template's source and Jinja's and
Python's versions, and the folder is named for whether the templates are translated (the i18n
extension compiles them differently), so a cached template is used only where compiling it again
would give the same code.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from sphinx.application import Sphinx


def cache_templates(app: Sphinx) -> None:
    """``builder-inited``: give the builder's Jinja environment a bytecode cache."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if not isinstance(environment, Environment) or environment.bytecode_cache is not None:
        return
    translated = "jinja2.ext.InternationalizationExtension" in environment.extensions
    folder = Path(app.doctreedir) / ("kb-templates-i18n" if translated else "kb-templates")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))
