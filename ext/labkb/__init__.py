"""labkb: a Sphinx knowledge base of AI research built from one YAML file per project or model.

``labkb`` is both the Sphinx extension (add ``"labkb"`` to ``extensions``) and the library behind the
``labkb`` command line; Sphinx is imported only when the extension is set up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

from labkb.core.version import __version__

__all__ = ["__version__", "setup"]


def setup(app: Sphinx) -> dict[str, Any]:
    from labkb.sphinxext.setup import setup_extension

    return setup_extension(app)
