"""The summaries of every .bib record (by case-folded key), kept in the ``kb`` domain and
recomputed only when a .bib file changed: publication lists select from them, and incremental
builds compare them to know which records an edit changed."""

from __future__ import annotations

from typing import Any

from labkb.core import bibdata
from labkb.sphinxext.bibtex import bib_stamp
from labkb.sphinxext.domain import cite_domain, kb_domain


def update_bibindex(env: Any) -> tuple[set[str], dict[str, dict[str, Any]]]:
    """Summaries of every .bib entry (by case-folded key), recomputed only when a .bib file
    changed. Returns the keys whose record changed and the summaries as they were before."""
    domain = kb_domain(env)
    cite = cite_domain(env)
    stamp = bib_stamp(cite)
    old: dict[str, dict[str, Any]] = domain.data.get("bibindex", {})
    if domain.data.get("bibstamp") == stamp:
        return set(), old
    new = {key.casefold(): bibdata.summary(key, entry)
           for key, entry in cite.bibdata.data.entries.items()}
    domain.data["bibindex"], domain.data["bibstamp"] = new, stamp
    changed = {k for k in old.keys() | new.keys()
               if old.get(k, {}).get("digest") != new.get(k, {}).get("digest")}
    return changed, old
