"""sphinxext-opengraph's social cards, imported when the first card is drawn instead of when the
extension loads.

sphinxext-opengraph imports its social-card module, and with it matplotlib and pyplot (about
0.55 s, a tenth of a no-op build at 5,000 entries), every time it loads, even with
``ogp_social_cards = {"enable": False}`` as labkb's site has. ``python -m
labkb.sphinxext.build_main`` puts a stand-in in its place before Sphinx starts:

- its ``DEFAULT_SOCIAL_CONFIG`` is read from the real module's source, without running it;
- its ``create_social_card`` imports the real module when first called and hands over to it;
- any other name is looked up in the real module.

When the source is not found or not as expected, nothing is put in place and the real module
loads as before.
"""

from __future__ import annotations

import ast
import importlib
import sys
import types
from pathlib import Path
from typing import Any

MODULE = "sphinxext.opengraph._social_cards"


def _source() -> Path | None:
    """The real module's file, found without importing ``sphinxext.opengraph`` (which would
    import it)."""
    try:
        namespace = importlib.import_module("sphinxext")  # a namespace package: nothing runs
    except ImportError:
        return None
    for folder in getattr(namespace, "__path__", []):
        candidate = Path(folder, "opengraph", "_social_cards.py")
        if candidate.is_file():
            return candidate
    return None


def defaults(source: str) -> dict[str, Any] | None:
    """The literal dictionary ``DEFAULT_SOCIAL_CONFIG`` is assigned in ``source``, if it is one."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "DEFAULT_SOCIAL_CONFIG"
                for target in node.targets):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    return None


def real() -> types.ModuleType:
    """The real module, imported now if the stand-in is still in its place."""
    module = sys.modules.get(MODULE)
    if module is not None and not getattr(module, "kb_stand_in", False):
        return module
    sys.modules.pop(MODULE, None)
    return importlib.import_module(MODULE)


def _create_social_card(*args: Any, **kwargs: Any) -> Any:
    return real().create_social_card(*args, **kwargs)


def _getattr(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(real(), name)


def defer() -> bool:
    """Put the stand-in in place, unless the real module is loaded or its source is not as
    expected. Returns whether it was put in place."""
    if MODULE in sys.modules:
        return False
    path = _source()
    try:
        found = defaults(path.read_text(encoding="utf8")) if path is not None else None
    except (OSError, SyntaxError, ValueError):
        found = None
    if found is None:
        return False
    stand_in = types.ModuleType(MODULE, __doc__)
    stand_in.__file__ = str(path)
    stand_in.__dict__.update(DEFAULT_SOCIAL_CONFIG=found, create_social_card=_create_social_card,
                             kb_stand_in=True, __getattr__=_getattr)
    sys.modules[MODULE] = stand_in
    return True
