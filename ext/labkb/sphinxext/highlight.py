"""Code highlighting without a new Pygments formatter per block.

Sphinx's ``PygmentsBridge.get_formatter`` builds a new ``HtmlFormatter`` for every code block, and
each one computes its whole stylesheet first: a third of the cost of highlighting a block. A
publication list has one BibTeX block per record (thousands on a large site), so the formatters are
made once per set of options and reused; the HTML is the same.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def reuse_formatters(app: Sphinx) -> None:
    """``builder-inited``: let the HTML builder's highlighters reuse their formatters."""
    for name in ("highlighter", "dark_highlighter"):
        bridge = getattr(app.builder, name, None)
        if bridge is None or getattr(bridge, "_labkb_formatters", None) is not None:
            continue
        bridge._labkb_formatters = {}
        bridge.get_formatter = _reusing(bridge.get_formatter, bridge._labkb_formatters)


def _reusing(make: Any, made: dict[Any, Any]) -> Any:
    def get_formatter(**kwargs: Any) -> Any:
        try:
            key = tuple(sorted(kwargs.items()))
            hash(key)
        except TypeError:  # an option that cannot be a key: a formatter of its own
            return make(**kwargs)
        if key not in made:
            made[key] = make(**kwargs)
        return made[key]

    return get_formatter
