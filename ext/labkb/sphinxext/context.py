"""What entries may refer to (areas, people, entries, .bib keys), from the documents Sphinx found."""

from __future__ import annotations

from typing import Any

from labkb.core.schema import ENTRY_KINDS, Context
from labkb.sphinxext.bibtex import known_keys

#: The source suffix of entry files.
SUFFIX = ".yaml"


def entry_kind(docname: str, config: Any) -> str | None:
    """The kind of entry a document holds, from its folder (``kb_entry_dirs``)."""
    folder = docname.split("/", 1)[0] if "/" in docname else ""
    kind: str | None = config.kb_entry_dirs.get(folder)
    return kind


def build_context(env: Any) -> Context:
    """The ids entries may refer to, from the documents Sphinx found (the same in every process)."""
    config = env.config
    entries: set[str] = set()
    areas: set[str] = set()
    people: set[str] = set()
    sources: set[str] = set()
    for docname in env.found_docs:
        folder, _, leaf = docname.rpartition("/")
        if leaf == "index":
            continue
        if folder in config.kb_entry_dirs and str(env.doc2path(docname)).endswith(SUFFIX):
            kind = config.kb_entry_dirs[folder]
            if kind in ENTRY_KINDS or kind in ("source", "person"):
                {"source": sources, "person": people}.get(kind, entries).add(leaf)
        elif folder == config.kb_area_dir:
            areas.add(leaf)
        elif folder == config.kb_people_dir:
            people.add(leaf)
    keys = known_keys(env)
    papers = None if keys is None else frozenset(k.casefold() for k in keys)
    return Context(frozenset(areas), frozenset(people), frozenset(entries), papers,
                   frozenset(sources), bool(config.kb_require_sources))
