"""Sphinx side of the .bib checks: keep sphinxcontrib-bibtex from dropping entries after a bad
one, make every record renderable (types, crossref), and report problems with their locations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pybtex.errors
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from labkb.core.bibcheck import BibScan, scan_bibfiles
from labkb.core.bibnorm import normalise, style_types
from labkb.core.fields import unsafe_uri
from labkb.core.problems import Problem
from labkb.sphinxext.domain import cite_domain, kb_domain
from labkb.sphinxext.report import warn
from labkb.sphinxext.state import build_state

logger = logging.getLogger(__name__)


def begin_lenient_parse(app: Sphinx) -> None:
    """``builder-inited`` before sphinxcontrib-bibtex: collect pybtex errors instead of raising,
    so one malformed entry or duplicate key does not discard the rest of its file."""
    if "bibtex_bibfiles" in app.config:
        capture = build_state(app).pybtex_capture = pybtex.errors.capture()
        capture.__enter__()


def end_lenient_parse(app: Sphinx) -> None:
    """``builder-inited`` after sphinxcontrib-bibtex: stop collecting; make the parsed records
    renderable by the default style; report our own checks."""
    state = build_state(app)
    capture, state.pybtex_capture = state.pybtex_capture, None
    if capture is None:
        return
    capture.__exit__(None, None, None)
    paths = [Path(app.confdir, p) for p in app.config.bibtex_bibfiles]
    stamp = [(str(p), p.stat().st_mtime if p.exists() else None) for p in paths]
    data = kb_domain(app.env).data
    cached = data.get("bibcheck")
    if cached is None or cached[0] != stamp or not isinstance(cached[1], BibScan):
        cached = data["bibcheck"] = (stamp, scan_bibfiles(paths))
    scan: BibScan = cached[1]
    problems = list(scan.problems)
    found = normalise(known_keys(app.env) or {}, style_types(_default_style(app)))
    for key, written in found.unknown_types:
        problems.append(_record_problem(scan, key, f"unknown BibTeX entry type @{written}; "
                                        "rendered as @misc"))
    for key, target in found.missing_parents:
        problems.append(_record_problem(scan, key, f"crossref {target!r} is not a record of any "
                                        ".bib file; nothing is inherited"))
    for problem in problems:  # reported on every build while the problem is there
        warn(problem)


def _default_style(app: Sphinx) -> Any:
    """The formatting style bibliographies use unless they name one (pybtex's unsrt if unknown)."""
    import pybtex.plugin
    from pybtex.style.formatting.unsrt import Style

    try:
        return pybtex.plugin.find_plugin("pybtex.style.formatting",
                                         app.config.bibtex_default_style)()
    except Exception:  # an unknown style: sphinxcontrib-bibtex reports it where it is used
        return Style()


def _record_problem(scan: BibScan, key: str, message: str) -> Problem:
    """A ``kb.bib`` problem located at the record ``key``."""
    path, line = scan.locations.get(key.casefold(), ("", 1))
    return Problem(path or "<bibtex>", line, key, message, "bib")


def record_location(env: Any, key: str) -> str | None:
    """``file:line`` of the record ``key`` in the .bib files, if known."""
    cached = kb_domain(env).data.get("bibcheck")
    if cached is None or not isinstance(cached[1], BibScan):
        return None
    return cached[1].location(key)


def bib_stamp(cite: Any) -> dict[str, float]:
    """The modification times of the .bib files sphinxcontrib-bibtex parsed (its cache key too)."""
    return {str(path): info.mtime for path, info in cite.bibdata.bibfiles.items()}


def known_keys(env: Any) -> Any | None:
    """The parsed .bib entries (a case-insensitive mapping), or None without sphinxcontrib-bibtex."""
    if "cite" not in env.domains:
        return None
    return cite_domain(env).bibdata.data.entries


def _entry_digest(entry: Any) -> tuple[Any, ...]:
    """What a formatted entry depends on: its type, fields and people."""
    persons = tuple((role, tuple(str(p) for p in people)) for role, people in entry.persons.items())
    return entry.type, tuple(entry.fields.items()), persons


def cached_bibtex_domain() -> type | None:
    """sphinxcontrib-bibtex's domain with its formatting cached.

    sphinxcontrib-bibtex formats every entry of every bibliography on every build: seconds for a
    few thousand records, even when nothing changed. Here a build that read no document and saw no
    .bib change keeps the citations pickled with the environment, and otherwise every entry whose
    record, label and style are unchanged reuses its formatted text (cached in the environment).
    The method below is sphinxcontrib-bibtex 2.7's ``get_formatted_entries`` with that cache.
    """
    try:
        import pybtex.plugin
        from pybtex.style.formatting import BaseStyle
        from sphinxcontrib.bibtex.domain import BibtexDomain
    except ImportError:
        return None

    class CachedBibtexDomain(BibtexDomain):
        def env_updated(self):  # type: ignore[no-untyped-def]
            env = self.env
            stamp = bib_stamp(self)
            kb = kb_domain(env).data
            unchanged = (not kb.get("reread", True) and kb.get("bibstamp") == stamp
                         and self.citations)
            if unchanged:
                return []
            self._labkb_fresh: dict[Any, Any] = {}
            result = super().env_updated()
            kb["bibformat"] = self._labkb_fresh  # only what this build used: no growth
            return result

        def get_formatted_entries(self, bibliography_key, docnames, tooltips,  # type: ignore
                                  tooltips_style):
            env = self.env
            cache: dict[Any, Any] = kb_domain(env).data.get("bibformat") or {}
            fresh: dict[Any, Any] = getattr(self, "_labkb_fresh", {})
            bibliography = self.bibliographies[bibliography_key]
            entries = dict(self.get_sorted_entries(bibliography_key, docnames))
            style: BaseStyle = pybtex.plugin.find_plugin("pybtex.style.formatting",
                                                         bibliography.style)()
            style2 = None
            if tooltips:
                style2 = (pybtex.plugin.find_plugin("pybtex.style.formatting", tooltips_style)()
                          if tooltips_style else style)
            sorted_entries = list(style.sort(entries.values()))
            labels = style.format_labels(sorted_entries)
            for label, entry in zip(labels, sorted_entries, strict=False):
                full = bibliography.labelprefix + label
                key = (bibliography.style, tooltips and tooltips_style, full, _entry_digest(entry))
                if key not in cache:
                    cache[key] = _format(style, style2, full, entry)
                text, tooltip, problem = fresh[key] = cache[key]
                if problem:  # reported on every build that formats the bibliography
                    _report_format_problem(env, entry.key, problem,
                                           (bibliography_key.docname, bibliography.line))
                yield entry, text, tooltip

    return CachedBibtexDomain


def _report_format_problem(env: Any, key: str, problem: str | tuple[str, str],
                           fallback: tuple[str, int]) -> None:
    """A record pybtex could not format, at its .bib line (the bibliography's when unknown);
    a missing field keeps sphinxcontrib-bibtex's ``bibtex.missing_field`` type."""
    message, subtype = ((problem, "missing_field") if isinstance(problem, str)
                        else problem)  # str: cached by an earlier version
    logger.warning(message, location=record_location(env, key) or fallback,
                   type="bibtex" if subtype == "missing_field" else "kb", subtype=subtype)


def _format(style: Any, style2: Any | None, label: str,
            entry: Any) -> tuple[Any, Any, tuple[str, str] | None]:
    """(text, tooltip, problem) of one record; a record that cannot be formatted shows the
    error in bold, as sphinxcontrib-bibtex does, instead of stopping the build."""
    from pybtex.richtext import Tag
    from pybtex.style import FormattedEntry
    from pybtex.style.template import FieldIsMissing

    try:
        return (style.format_entry(label, entry),
                style2.format_entry(label, entry) if style2 else None, None)
    except FieldIsMissing as exc:
        problem = (str(exc), "missing_field")
    except Exception as exc:  # a pybtex error on odd input: one record, not the build
        problem = (f"{entry.key}: cannot format the record: {exc}", "bib")
    return FormattedEntry(entry.key, Tag("b", problem[0]), label), None, problem


def safe_footcite_role() -> Any | None:
    """sphinxcontrib-bibtex's ``footcite`` role formats each record itself, with no error handling:
    one record lacking a required field stopped the whole build. This one reports such a record at
    its .bib line and leaves it out of the footnotes; every other key is cited as before."""
    try:
        import pybtex.plugin
        from sphinxcontrib.bibtex.foot_roles import FootCiteRole
    except ImportError:
        return None

    class SafeFootCiteRole(FootCiteRole):
        def run(self):  # type: ignore[no-untyped-def]
            entries = cite_domain(self.env).bibdata.data.entries
            style = pybtex.plugin.find_plugin("pybtex.style.formatting",
                                              self.config.bibtex_default_style)()
            keys = []
            for key in (k.strip() for k in self.text.split(",")):
                entry = entries.get(key)
                try:
                    if entry is not None:
                        style.format_entry(label="", entry=entry)
                except Exception as exc:  # FieldIsMissing, or a pybtex error on odd input
                    logger.warning(f"{key}: cannot format the record for a footnote: {exc}",
                                   location=record_location(self.env, key)
                                   or (self.env.docname, self.lineno), type="kb", subtype="bib")
                    continue
                keys.append(key)
            if not keys:
                return [nodes.inline(self.rawtext, self.text, classes=["kb-missing-citation"])], []
            self.text = ",".join(keys)
            return super().run()

    return SafeFootCiteRole()


def drop_unsafe_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: sphinxcontrib-bibtex links a record's ``url`` as written; in its
    bibliographies keep only http(s) and relative links (``javascript:`` would run on a click).
    :func:`labkb.core.bibcheck.check_bibfiles` reports those records."""
    holders: list[nodes.Element] = [*doctree.findall(nodes.citation), *doctree.findall(nodes.footnote)]
    for holder in holders:
        for ref in list(holder.findall(nodes.reference)):
            if unsafe_uri(ref.get("refuri", "")):
                ref.replace_self(nodes.inline("", "", *ref.children))
