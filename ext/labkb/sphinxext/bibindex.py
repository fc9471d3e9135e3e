"""The summaries of every .bib record (by case-folded key), kept in the ``kb`` domain and
recomputed only when a .bib file changed, and then only for the records whose text changed (their
token, :mod:`labkb.core.bibread`): publication lists select from them, and incremental builds
compare them to know which records an edit changed. Beside them, each record's display values
(:func:`labkb.core.bibdata.view`) for publication lists and the export."""

from __future__ import annotations

from typing import Any

from labkb.core import bibdata
from labkb.sphinxext.bibtex import bib_stamp, bib_token
from labkb.sphinxext.domain import cite_domain, kb_domain
from labkb.sphinxext.state import MainOnly


def update_bibindex(env: Any) -> tuple[set[str], dict[str, dict[str, Any]]]:
    """Summaries of every .bib entry (by case-folded key), recomputed only when a .bib file
    changed. Returns the keys whose record changed and the summaries as they were before."""
    domain = kb_domain(env)
    cite = cite_domain(env)
    stamp = bib_stamp(cite)
    old: dict[str, dict[str, Any]] = domain.data.get("bibindex", {})
    if domain.data.get("bibstamp") == stamp:
        return set(), old
    new, views = {}, {}
    old_views = domain.data.get("bibview") or {}
    for key, entry in cite.bibdata.data.entries.items():
        folded, token = key.casefold(), bib_token(env, key)
        before = old.get(folded)
        if (token is not None and before is not None and before["digest"] == token
                and before["key"] == key and folded in old_views):
            new[folded], views[folded] = before, old_views[folded]  # the record is unchanged
        else:
            new[folded], views[folded] = bibdata.summary(key, entry, token), bibdata.view(key, entry)
    domain.data["bibview"] = MainOnly(views)
    domain.data["bibindex"], domain.data["bibstamp"] = MainOnly(new), stamp
    changed = {k for k in old.keys() | new.keys()
               if old.get(k, {}).get("digest") != new.get(k, {}).get("digest")}
    return changed, old


def record_view(env: Any, key: str, entry: Any) -> dict[str, Any]:
    """What is shown of a record (:func:`labkb.core.bibdata.view`: plain title, authors, venue),
    as :func:`update_bibindex` kept it for the record's text; computed only for a record it has
    not seen (decoding LaTeX costs about 1 ms a field)."""
    views = kb_domain(env).data.get("bibview") or {}
    view = views.get(key.casefold())
    return view if view is not None and view["key"] == key else bibdata.view(key, entry)

