"""Incremental builds: which pages to re-write when entries change, without re-reading them.

Grids and cards are filled at write time, so a page showing an entry only needs a re-write when an
entry it shows (before or after the change) was edited, added or removed. Pages that link to an
entry by id (roles, ``related``) are re-written too, since they show its name.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .parser import build_context
from .select import matches


def reset(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
          removed: set[str]) -> list[str]:
    """``env-get-outdated``: start a build's record of entries as they were before it."""
    env._labkb_old = {}  # type: ignore[attr-defined]
    return []


def remember_old(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """``env-purge-doc``: keep the record a re-read or removed document had."""
    record = env.get_domain("kb").data["docs"].get(docname)
    old = getattr(env, "_labkb_old", None)
    if record is not None and old is not None:
        old.setdefault(docname, record)


def before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: compute once what entries may refer to; note what is re-read."""
    env._labkb_context = build_context(env)  # type: ignore[attr-defined]
    env._labkb_reread = set(docnames)  # type: ignore[attr-defined]


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: pages showing or naming an entry that changed in this build."""
    domain = env.get_domain("kb")
    reread: set[str] = getattr(env, "_labkb_reread", set())
    old: dict[str, dict[str, Any]] = getattr(env, "_labkb_old", {})
    docs = domain.data["docs"]
    touched = [*old.values(), *(docs[d] for d in reread if d in docs)]
    touched = [r for r in touched if r.get("data") is not None or r["docname"] in old]
    if not touched:
        return []
    ids = {r["id"] for r in touched}
    out = {doc for doc, refs in domain.data["refs"].items() if ids & set(refs)}
    for doc, selectors in domain.data["aggregates"].items():
        if any(matches(sel, rec) for sel in selectors for rec in touched):
            out.add(doc)
    # the re-read documents are written anyway
    return sorted((out - reread) & env.found_docs)
