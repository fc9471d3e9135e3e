"""Incremental builds: which pages to re-write when entries change, without re-reading them.

Grids and cards are filled at write time, so a page showing an entry only needs a re-write when an
entry it shows (before or after the change) was edited, added or removed. Pages that link to an
entry by id (roles, ``related``) are re-written too, since they show its name.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from labkb.core.pubselect import pub_matches
from labkb.core.records import EntryRecord
from labkb.core.select import matches
from labkb.sphinxext.bibindex import update_bibindex
from labkb.sphinxext.context import build_context
from labkb.sphinxext.domain import cite_domain, kb_domain
from labkb.sphinxext.news import timeline_pages
from labkb.sphinxext.sources import source_pages_to_rewrite


def reset(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
          removed: set[str]) -> list[str]:
    """``env-get-outdated``: start a build's record of entries as they were before it."""
    kb_domain(env).data["old"] = {}
    kb_domain(env).data["old_page_sources"] = {}
    return []


def remember_old(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """``env-purge-doc``: keep the record a re-read or removed document had."""
    data = kb_domain(env).data
    record = data["docs"].get(docname)
    old = data.get("old")
    if record is not None and old is not None:
        old.setdefault(docname, record)
    page_sources = data["page_sources"].get(docname)
    if page_sources is not None:
        data.setdefault("old_page_sources", {}).setdefault(docname, page_sources)


def before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: compute once what entries may refer to; note what is re-read."""
    data = kb_domain(env).data
    data["context"] = build_context(env)
    data["reread"] = set(docnames)
    if docnames and "cite" in env.domains:
        # sphinxcontrib-bibtex computes every citation again after reading (env-updated);
        # the old ones would only travel to and back from parallel readers
        cite_domain(env).data["citations"] = []


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: pages showing or naming an entry or a .bib record that changed."""
    domain = kb_domain(env)
    reread: set[str] = domain.data.get("reread", set())
    old: dict[str, EntryRecord] = domain.data.get("old", {})
    docs: dict[str, EntryRecord] = domain.data["docs"]
    touched = [*old.values(), *(docs[d] for d in reread if d in docs)]
    touched = [r for r in touched if r.entry is not None]
    out: set[str] = set()
    # entries: grids and cards selecting them, pages linking to them
    ids = {r.id for r in touched}
    out |= {doc for doc, refs in domain.data["refs"].items() if ids & set(refs)}
    for doc, selectors in domain.data["aggregates"].items():
        if any(matches(sel, rec) for sel in selectors for rec in touched):
            out.add(doc)
    # publications: lists showing a changed record, or one whose "used by" links changed
    keys = _backlinks_changed(old, docs, reread)
    if "cite" in env.domains:
        changed_keys, old_index = update_bibindex(env)
        keys |= changed_keys
        index = domain.data["bibindex"]
        for doc, selectors in domain.data["pubs"].items():
            if any(pub_matches(sel, key, summary) for sel in selectors for key in keys
                   for summary in (index.get(key), old_index.get(key))):
                out.add(doc)
        # entry pages citing a changed record show its label
        out |= {r.docname for r in domain.entries() if _papers(r) & changed_keys}
        # sphinxcontrib-bibtex fills bibliographies at write time but never asks for a rewrite
        # when citations change (its references page goes stale): ask for it here
        if keys:
            out |= {key.docname for key in cite_domain(env).bibliographies}
    # news lists and feed links showing an item that changed (papers' dates included)
    out |= timeline_pages(app, env, reread, old)
    # the exports need writing again only when something they show may have changed
    domain.data["changed"] = bool(reread or old or keys)
    # the re-read documents are written anyway
    out |= source_pages_to_rewrite(domain, reread | set(old),
                                   domain.data.get("old_page_sources", {}))
    return sorted((out - reread) & env.found_docs)


def _papers(record: EntryRecord | None) -> set[str]:
    """The case-folded .bib keys an entry cites (none for a source record or a broken file)."""
    if record is None or not record.is_research:
        return set()
    return {k.casefold() for k in record.research.papers}


def _name(record: EntryRecord | None) -> str | None:
    return record.name if record is not None and record.entry is not None else None


def _backlinks_changed(old: dict[str, EntryRecord], docs: dict[str, EntryRecord],
                       reread: set[str]) -> set[str]:
    """Bib keys whose "used by" links change: papers added or removed, or all the papers of an
    entry that was added, removed or renamed."""
    keys: set[str] = set()
    for docname in set(old) | (reread & set(docs)):
        before, after = old.get(docname), docs.get(docname)
        was, now = _papers(before), _papers(after)
        keys |= (was | now) if _name(before) != _name(after) else was ^ now
    return keys
