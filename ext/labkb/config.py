"""The ``kb_*`` configuration values: their defaults and their validation at ``config-inited``.

A bad value would otherwise surface deep in the build as a ``KeyError`` or ``TypeError``
traceback. Sphinx prints a traceback for any exception, ``ConfigError`` included, so a bad value
is a located warning (``conf.py:line: ... [kb.config]``) and the option falls back to its
default: ``-W`` (as in ``make html`` and CI) still fails the build, with a clear message.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from .schema import KINDS

logger = logging.getLogger(__name__)

#: name -> (default, rebuild, type, description), for ``app.add_config_value``.
OPTIONS: dict[str, tuple[Any, str, type, str]] = {
    "kb_entry_dirs": ({"projects": "project", "models": "model"}, "env", dict,
                      "folder of the docs -> kind of the YAML entries in it"),
    "kb_area_dir": ("research", "env", str, "folder whose pages are the research areas"),
    "kb_people_dir": ("people", "env", str, "folder whose pages are the people"),
    "kb_star_badges": (True, "env", bool,
                       "show a GitHub stars badge (loaded by the reader's browser)"),
    "kb_max_authors": (3, "html", int,
                       "authors shown before 'and N more' in publication lists"),
}

#: One folder name: what the first part of a docname can be (no separators, no ``.``/``..``).
_FOLDER_RE = re.compile(r"^(?!\.{1,2}$)[^/\\\x00-\x1f]+$")


def add_options(app: Sphinx) -> None:
    for name, (default, rebuild, kind, description) in OPTIONS.items():
        app.add_config_value(name, default, rebuild, types=frozenset({kind}),
                             description=description)


def _folder_path(value: Any) -> bool:
    """A relative folder of the sources in docname form, e.g. ``research`` or ``lab/people``."""
    return (isinstance(value, str) and value != "" and not value.startswith("/")
            and all(_FOLDER_RE.match(part) for part in value.split("/")))


def _problem(name: str, value: Any, entry_dirs: dict[str, Any], area_dir: Any) -> str | None:
    """What is wrong with one value (given the values checked before it), or None."""
    kinds = ", ".join(KINDS)
    if name == "kb_entry_dirs":
        if not isinstance(value, dict):
            return f"must be a dict of folder -> kind ({kinds}), not {type(value).__name__}"
        for folder, kind in value.items():
            if not (isinstance(folder, str) and _FOLDER_RE.match(folder)):
                return f"{folder!r} is not a folder name of the sources (one name, no '/')"
            if not isinstance(kind, str) or kind not in KINDS:
                return f"{folder!r} -> {kind!r}: unknown kind (use one of: {kinds})"
    elif name in ("kb_area_dir", "kb_people_dir"):
        if not _folder_path(value):
            return "must be a folder of the sources relative to them, e.g. 'research'"
        if value in entry_dirs:
            return f"{value!r} is also an entry folder (kb_entry_dirs)"
        if name == "kb_people_dir" and value == area_dir:
            return f"{value!r} is also kb_area_dir: people need a folder of their own"
    elif name == "kb_star_badges":
        if not isinstance(value, bool):
            return "must be True or False"
    elif name == "kb_max_authors" and (isinstance(value, bool) or not isinstance(value, int)
                                       or value < 1):
        return "must be a whole number of at least 1"
    return None


def _location(confdir: str | Path | None, name: str) -> str | None:
    """``conf.py:line`` of the (last) assignment to ``name``, or None."""
    if confdir is None:
        return None
    path = Path(confdir, "conf.py")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    starts = [m.start() for m in re.finditer(rf"^{name}\s*=", text, re.M)]  # the last one wins
    return f"{path}:{text.count(chr(10), 0, starts[-1]) + 1}" if starts else None


def check_config(app: Sphinx, config: Config) -> None:
    """``config-inited``: warn about each bad ``kb_*`` value and use its default instead."""
    for name, (default, *_) in OPTIONS.items():
        value = config[name]
        problem = _problem(name, value, config.kb_entry_dirs, config.kb_area_dir)
        if problem is None:
            continue
        logger.warning("%s = %r: %s; using the default %r", name, value, problem, default,
                       location=None if name in config.overrides else _location(app.confdir, name),
                       type="kb", subtype="config")
        setattr(config, name, copy.deepcopy(default))
