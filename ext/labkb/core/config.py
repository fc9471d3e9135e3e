"""The one validated configuration of a knowledge base: folder layout, kinds and display options.

The Sphinx extension reads it from ``conf.py`` (``kb_*`` values, through ``app.config``); the
command line reads the same ``kb_*`` assignments from ``conf.py`` without running it, or a
``[tool.labkb]`` table of ``pyproject.toml``. Both validate with :func:`option_problem`, so a
wrong value gives the same message everywhere, and the layout is defined here only.
"""

from __future__ import annotations

import ast
import copy
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from labkb.core.schema import KINDS

#: name -> (default, Sphinx rebuild scope, type, description): every ``kb_*`` option.
OPTIONS: dict[str, tuple[Any, Literal["env", "html", ""], type, str]] = {
    "kb_entry_dirs": ({"projects": "project", "models": "model", "sources": "source",
                       "news": "news", "people": "person"}, "env", dict,
                      "folder of the docs -> kind of the YAML entries in it"),
    "kb_area_dir": ("research", "env", str, "folder whose pages are the research areas"),
    "kb_people_dir": ("people", "env", str, "folder whose pages are the people (its YAML files "
                      "are person entries when kb_entry_dirs maps it to person)"),
    "kb_star_badges": (True, "env", bool,
                       "show a GitHub stars badge (loaded by the reader's browser)"),
    "kb_max_authors": (3, "html", int,
                       "authors shown before 'and N more' in publication lists"),
    "kb_require_sources": (True, "env", bool,
                           "warn (kb.source) about every entry that names no source"),
    "kb_search": (True, "html", bool,
                  "index the built site with Pagefind: search as you type and the search page "
                  "(False: Sphinx's own search)"),
    "kb_search_background": (False, "", bool,
                             "index with Pagefind after the build returns, in the background "
                             "(make serve: a page shows before the index has caught up with it)"),
    "kb_min_sourced": (1.0, "env", float,
                       "share of entries that must name a source (0 to 1); below it the build "
                       "and labkb check --coverage fail"),
    "kb_tag_authority": ("labkb.invalid,2026", "html", str,
                         "tagging entity of the feeds' tag: ids (RFC 4151: a domain name or an "
                         "email address the site owned on a date, then ',' and that date), e.g. "
                         "'example.org,2026-12-01'; keep it once published"),
    "kb_site_summary": ("", "html", str, "one sentence about the site, for llms.txt"),
    "kb_feed_length": (50, "html", int, "items in each Atom feed: its newest (readers fetch a "
                       "feed again and again; a page lists every item)"),
    "kb_doctrees_kept": (2000, "", int, "doctrees a serial build holds in memory from reading to "
                         "writing; the others are read back from their files when written, so "
                         "memory stays bounded at any size (0: hold them all, as Sphinx does)"),
}
#: RFC 4151 taggingEntity: authorityName "," date.
TAG_AUTHORITY_RE = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9.-]*|[^@\s,:]+@[A-Za-z0-9][A-Za-z0-9.-]*)"
                              r",\d{4}(?:-\d{2}(?:-\d{2})?)?$")

#: One folder name: what the first part of a docname can be (no separators, no ``.``/``..``).
_FOLDER_RE = re.compile(r"^(?!\.{1,2}$)[^/\\\x00-\x1f]+$")


def _folder_path(value: Any) -> bool:
    """A relative folder of the sources in docname form, e.g. ``research`` or ``lab/people``."""
    return (isinstance(value, str) and value != "" and not value.startswith("/")
            and all(_FOLDER_RE.match(part) for part in value.split("/")))


def _entry_dirs_problem(value: Any) -> str | None:
    kinds = ", ".join(KINDS)
    if not isinstance(value, dict):
        return f"must be a dict of folder -> kind ({kinds}), not {type(value).__name__}"
    for folder, kind in value.items():
        if not (isinstance(folder, str) and _FOLDER_RE.match(folder)):
            return f"{folder!r} is not a folder name of the sources (one name, no '/')"
        if not isinstance(kind, str) or kind not in KINDS:
            return f"{folder!r} -> {kind!r}: unknown kind (use one of: {kinds})"
    return None


def _page_dir_problem(name: str, value: Any, entry_dirs: Any, area_dir: Any) -> str | None:
    if not _folder_path(value):
        return "must be a folder of the sources relative to them, e.g. 'research'"
    if isinstance(entry_dirs, dict) and value in entry_dirs and not (
            name == "kb_people_dir" and entry_dirs[value] == "person"):
        return f"{value!r} is also an entry folder (kb_entry_dirs)"
    if name == "kb_people_dir" and value == area_dir:
        return f"{value!r} is also kb_area_dir: people need a folder of their own"
    return None


def option_problem(name: str, value: Any, entry_dirs: Any, area_dir: Any) -> str | None:
    """What is wrong with one value (given the values checked before it), or None."""
    if name == "kb_entry_dirs":
        return _entry_dirs_problem(value)
    if name in ("kb_area_dir", "kb_people_dir"):
        return _page_dir_problem(name, value, entry_dirs, area_dir)
    if name in ("kb_star_badges", "kb_require_sources", "kb_search", "kb_search_background") \
            and not isinstance(value, bool):
        return "must be True or False"
    if name == "kb_min_sourced" and (isinstance(value, bool) or not isinstance(value, (int, float))
                                     or not 0 <= value <= 1):
        return "must be a number from 0 to 1, e.g. 1.0 (every entry) or 0.9"
    if name == "kb_tag_authority" and not (isinstance(value, str) and TAG_AUTHORITY_RE.match(value)):
        return "must be a domain name or an email address, ',' and a date, e.g. 'example.org,2026'"
    if name == "kb_site_summary" and not isinstance(value, str):
        return "must be a string"
    if name in ("kb_max_authors", "kb_feed_length") and (
            isinstance(value, bool) or not isinstance(value, int) or value < 1):
        return "must be a whole number of at least 1"
    if name == "kb_doctrees_kept" and (isinstance(value, bool) or not isinstance(value, int)
                                       or value < 0):
        return "must be a whole number, 0 or more (0: no bound)"
    return None


@dataclass(frozen=True)
class ConfigProblem:
    """One bad value: the option, the value given, what is wrong, and where it was set."""

    name: str
    value: Any
    message: str
    location: str | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        default = OPTIONS[self.name][0]
        return f"{where}{self.name} = {self.value!r}: {self.message}; using the default {default!r}"


@dataclass(frozen=True)
class KbConfig:
    """The validated ``kb_*`` values (a bad one falls back to its default, with a problem)."""

    entry_dirs: Mapping[str, str] = field(default_factory=lambda: dict(OPTIONS["kb_entry_dirs"][0]))
    area_dir: str = OPTIONS["kb_area_dir"][0]
    people_dir: str = OPTIONS["kb_people_dir"][0]
    star_badges: bool = OPTIONS["kb_star_badges"][0]
    max_authors: int = OPTIONS["kb_max_authors"][0]
    require_sources: bool = OPTIONS["kb_require_sources"][0]
    search: bool = OPTIONS["kb_search"][0]
    search_background: bool = OPTIONS["kb_search_background"][0]
    min_sourced: float = OPTIONS["kb_min_sourced"][0]
    tag_authority: str = OPTIONS["kb_tag_authority"][0]
    site_summary: str = OPTIONS["kb_site_summary"][0]
    feed_length: int = OPTIONS["kb_feed_length"][0]
    doctrees_kept: int = OPTIONS["kb_doctrees_kept"][0]

    @classmethod
    def from_values(cls, values: Mapping[str, Any], locations: Mapping[str, str] | None = None
                    ) -> tuple[KbConfig, list[ConfigProblem]]:
        """A configuration from ``kb_*`` values (missing ones take their defaults)."""
        chosen: dict[str, Any] = {}
        problems: list[ConfigProblem] = []
        for name, (default, *_) in OPTIONS.items():
            value = values.get(name, default)
            message = option_problem(name, value, chosen.get("kb_entry_dirs"),
                                     chosen.get("kb_area_dir"))
            if message is not None:
                problems.append(ConfigProblem(name, value, message, (locations or {}).get(name)))
                value = copy.deepcopy(default)
            chosen[name] = value
        return cls(**{name.removeprefix("kb_"): value for name, value in chosen.items()}), problems

    @classmethod
    def discover(cls, docs: Path) -> tuple[KbConfig, list[ConfigProblem]]:
        """The configuration of the knowledge base whose sources are ``docs``: the ``kb_*``
        assignments of its ``conf.py`` (beside ``docs`` or above it), else ``[tool.labkb]`` of
        the ``pyproject.toml`` above it, else the defaults."""
        for folder in (docs, docs.parent):
            if (folder / "conf.py").is_file():
                return cls.from_values(*conf_py_values(folder / "conf.py"))
        if (docs.parent / "pyproject.toml").is_file():
            return cls.from_values(*pyproject_values(docs.parent / "pyproject.toml"))
        return cls(), []

    def kind_of_folder(self, folder: str) -> str | None:
        """The kind of entry the YAML files of ``folder`` hold, if it is an entry folder."""
        return self.entry_dirs.get(folder)

    def folder_of_kind(self, kind: str) -> str | None:
        """The first entry folder holding ``kind`` (where ``labkb new`` writes), if any."""
        return next((folder for folder, k in self.entry_dirs.items() if k == kind), None)


def conf_py_values(path: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The literal ``kb_* = ...`` assignments at the top of a ``conf.py``, read without running
    it (a ``conf.py`` may import anything), and the ``file:line`` of each; the last one wins."""
    values: dict[str, Any] = {}
    where: dict[str, str] = {}
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return values, where
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id in OPTIONS:
            name = node.targets[0].id
            where[name] = f"{path}:{node.lineno}"
            try:
                values[name] = ast.literal_eval(node.value)
            except ValueError:  # computed: the build sees it, the command line keeps the default
                values.pop(name, None)
    return values, where


def pyproject_values(path: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """``[tool.labkb]`` of a ``pyproject.toml``, its keys without the ``kb_`` prefix."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("labkb", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}, {}
    values = {f"kb_{key}": value for key, value in table.items() if f"kb_{key}" in OPTIONS}
    return values, {name: str(path) for name in values}
