"""Sphinx side of the .bib checks: keep sphinxcontrib-bibtex from dropping entries after a bad
one, make every record renderable (types, crossref), and report problems with their locations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pybtex.errors
from docutils import nodes
from pybtex.database import BibliographyData
from sphinx.application import Sphinx
from sphinx.util import logging

try:
    from sphinxcontrib.bibtex.bibfile import BibData
except ImportError:  # without sphinxcontrib-bibtex, KbBibData is never made
    BibData = tuple  # type: ignore[misc,assignment]

from labkb.core.bibnorm import normalise, style_types
from labkb.core.bibread import BibRead, BibScan, read_bibfiles
from labkb.core.fields import unsafe_uri
from labkb.core.problems import Problem
from labkb.sphinxext.domain import cite_domain, kb_domain
from labkb.sphinxext.report import warn
from labkb.sphinxext.state import MainOnly, build_state, in_reader

logger = logging.getLogger(__name__)


def read_bib(app: Sphinx) -> None:
    """``builder-inited`` before sphinxcontrib-bibtex: read the .bib files record by record,
    parsing only the records whose text changed since the last build, and hand the result to
    sphinxcontrib-bibtex as its up-to-date cache, so it does not parse whole files again. When a
    file cannot be read, sphinxcontrib-bibtex parses (and reports) as usual, with pybtex's errors
    collected instead of raised, so one malformed entry does not discard the rest of its file."""
    if "cite" not in app.env.domains or not app.config.bibtex_bibfiles:
        return
    from sphinxcontrib.bibtex.bibfile import BibFile, get_mtime, is_bibdata_outdated

    cite, kb = cite_domain(app.env), kb_domain(app.env).data
    given = [Path(app.confdir, p) for p in app.config.bibtex_bibfiles]
    resolved = [p.resolve() for p in given]
    encoding = app.config.bibtex_encoding
    previous = bib_read(app.env)
    if previous is not None and not is_bibdata_outdated(cite.bibdata, resolved, encoding):
        previous.parsed = 0  # nothing changed: sphinxcontrib-bibtex keeps what it has
        return
    mtimes = [get_mtime(p) for p in resolved]  # before reading: a later change is seen next time
    read = read_bibfiles(given, encoding, previous.chunks if previous else None)
    kb["bibread"] = MainOnly(read=read)
    if read.complete:
        cite.data["bibdata"] = KbBibData(encoding=encoding, data=read.data, bibfiles={
            path: BibFile(mtime=mtime, keys=read.keys.get(str(name), {}))
            for name, path, mtime in zip(given, resolved, mtimes, strict=True)})
    else:
        capture = build_state(app).pybtex_capture = pybtex.errors.capture()
        capture.__enter__()


def check_bib(app: Sphinx) -> None:
    """``builder-inited`` after sphinxcontrib-bibtex: stop collecting pybtex's errors; make the
    parsed records renderable by the default style; report our own checks."""
    state = build_state(app)
    capture, state.pybtex_capture = state.pybtex_capture, None
    if capture is not None:
        capture.__exit__(None, None, None)
    read = bib_read(app.env)
    if read is None:
        return
    problems = list(read.scan.problems)
    found = normalise(known_keys(app.env) or {}, style_types(_default_style(app)))
    for key, written in found.unknown_types:
        problems.append(_record_problem(read.scan, key, f"unknown BibTeX entry type @{written}; "
                                        "rendered as @misc"))
    for key, target in found.missing_parents:
        problems.append(_record_problem(read.scan, key, f"crossref {target!r} is not a record of "
                                        "any .bib file; nothing is inherited"))
    for problem in problems:  # reported on every build while the problem is there
        warn(problem)


def bib_read(env: Any) -> BibRead | None:
    """What the last record-by-record read of the .bib files found (None without .bib files)."""
    holder = kb_domain(env).data.get("bibread") if "kb" in env.domains else None
    read = holder.get("read") if isinstance(holder, dict) else None
    return read if isinstance(read, BibRead) else None



def bib_token(env: Any, key: str) -> str | None:
    """The digest of a record's text (None if unknown): equal tokens, equal records."""
    read = bib_read(env)
    return None if read is None else read.tokens.get(key.casefold())


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
    read = bib_read(env)
    return None if read is None else read.scan.location(key)


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
    """sphinxcontrib-bibtex's domain with its formatting cached, and its quadratic look-ups gone.

    sphinxcontrib-bibtex formats every entry of every bibliography on every build (twice with
    tooltips): seconds for a few thousand records, even when nothing changed. Here a build that
    read no document and saw no .bib change keeps the citations pickled with the environment;
    otherwise an entry whose record (its token, see :mod:`labkb.core.bibread`) and style are
    unchanged reuses its formatted text, and a tooltip in the same style is the same text. The
    methods below are sphinxcontrib-bibtex 2.7's, with that cache, and with the documents citing
    each key (and each document's position) looked up once per build instead of once per entry.
    """
    try:
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
            kb["bibformatted"] = 0
            if unchanged:
                return []
            self._labkb_fresh: dict[Any, Any] = {}
            self._labkb_cited: dict[str, set[str]] | None = None
            result = super().env_updated()
            kb["bibformat"] = MainOnly(self._labkb_fresh)  # only what this build used
            return result

        @property
        def citation_refs(self):  # type: ignore[no-untyped-def]
            refs = getattr(self, "_labkb_refs", None)  # see quick_bibliography_transform
            return self.data["citation_refs"] if refs is None else refs

        @property
        def citations(self):  # type: ignore[no-untyped-def]
            shown = getattr(self, "_labkb_citations", None)  # see resolve_xref
            return self.data["citations"] if shown is None else shown

        def resolve_xref(self, env, fromdocname, builder, typ, target, node,  # type: ignore
                         contnode):
            # upstream goes through every citation of the site, twice, for every reference:
            # here it is shown those of the reference's keys only, in their order
            from sphinxcontrib.bibtex.citation_target import parse_citation_targets

            self._labkb_citations: list[Any] | None = _citations_of(
                self, {t.key for t in parse_citation_targets(target)})
            try:
                return super().resolve_xref(env, fromdocname, builder, typ, target, node,
                                            contnode)
            finally:
                self._labkb_citations = None

        def get_all_cited_keys(self, docnames):  # type: ignore[no-untyped-def]
            position = {name: i for i, name in enumerate(docnames)}
            for ref in sorted(self.citation_refs, key=lambda c: position[c.docname]):
                for target in ref.targets:
                    yield target.key

        def get_filtered_entries(self, bibliography_key):  # type: ignore[no-untyped-def]
            return _filtered_entries(self, bibliography_key)

        def get_formatted_entries(self, bibliography_key, docnames, tooltips,  # type: ignore
                                  tooltips_style):
            return _formatted_entries(self, bibliography_key, docnames, tooltips,
                                      tooltips_style)

    return CachedBibtexDomain


def quick_bibliography_transform() -> type | None:
    """sphinxcontrib-bibtex's post-transform writing bibliographies, without its quadratic scan:
    for every citation of a bibliography it goes through every citation reference of the whole
    site looking for those in the bibliography's document (its back-references); at 5,000 records
    that scan was most of writing the references page. Here the domain (see
    :func:`cached_bibtex_domain`) shows the transform only the references made in the documents
    of the page's bibliographies: the same back-references."""
    try:
        from sphinxcontrib.bibtex.nodes import bibliography
        from sphinxcontrib.bibtex.transforms import BibliographyTransform
    except ImportError:
        return None

    class QuickBibliographyTransform(BibliographyTransform):
        def run(self, **kwargs: Any) -> None:
            domain = cite_domain(self.env)
            docnames = {node["docname"] for node in self.document.findall(bibliography)}
            if not docnames:
                return
            domain._labkb_refs = [ref for ref in domain.citation_refs if ref.docname in docnames]
            try:
                super().run(**kwargs)
            finally:
                domain._labkb_refs = None

    return QuickBibliographyTransform


def use_quick_bibliography_transform(app: Sphinx) -> None:
    """Put :func:`quick_bibliography_transform` in place of sphinxcontrib-bibtex's."""
    quick = quick_bibliography_transform()
    if quick is not None:
        upstream = quick.__bases__[0]
        posts = app.registry.post_transforms
        posts[:] = [quick if t is upstream else t for t in posts]


def _citations_of(domain: Any, keys: set[str]) -> list[Any]:
    """The citations of ``keys``, in the order of the domain's citations (an index of them by
    key made once, again when the citations change)."""
    citations = domain.data["citations"]
    made = getattr(domain, "_labkb_by_key", None)
    if made is None or made[0] is not citations or made[1] != len(citations):
        index: dict[str, list[int]] = {}
        for i, citation in enumerate(citations):
            index.setdefault(citation.key, []).append(i)
        made = domain._labkb_by_key = (citations, len(citations), index)
    found = sorted(i for key in keys for i in made[2].get(key, ()))
    return [citations[i] for i in found]


def _cited_docnames(domain: Any) -> dict[str, set[str]]:
    """Key -> the documents citing it (computed once per build; upstream scans every citation
    of every document for every entry of every bibliography)."""
    cited = getattr(domain, "_labkb_cited", None)
    if cited is None:
        cited = {}
        for ref in domain.citation_refs:
            for target in ref.targets:
                cited.setdefault(target.key, set()).add(ref.docname)
        domain._labkb_cited = cited
    return cited


def _filtered_entries(domain: Any, bibliography_key: Any) -> Any:
    """sphinxcontrib-bibtex 2.7's ``get_filtered_entries``, with :func:`_cited_docnames`."""
    from sphinxcontrib.bibtex.domain import _FilterVisitor

    bibliography = domain.bibliographies[bibliography_key]
    cited = _cited_docnames(domain)
    for entry in domain.get_entries(bibliography.bibfiles):
        key = bibliography.keyprefix + entry.key
        cited_docnames = cited.get(key, set())
        visitor = _FilterVisitor(entry=entry, docname=bibliography_key.docname,  # type: ignore[no-untyped-call]
                                 cited_docnames=cited_docnames)
        try:
            success = visitor.visit(bibliography.filter_)
        except ValueError as err:
            logger.warning(f"syntax error in :filter: expression; {err}",
                           location=(bibliography_key.docname, bibliography.line),
                           type="bibtex", subtype="filter_syntax_error")
            success = bool(cited_docnames)  # recover by falling back to the default
        if success or entry.key in bibliography.keys:
            yield key, entry


def _formatted_entries(domain: Any, bibliography_key: Any, docnames: list[str], tooltips: bool,
                       tooltips_style: str) -> Any:
    """sphinxcontrib-bibtex 2.7's ``get_formatted_entries``, formatting only what changed."""
    import pybtex.plugin
    from pybtex.style import FormattedEntry
    from pybtex.style.formatting import BaseStyle

    env = domain.env
    kb = kb_domain(env).data
    cache: dict[Any, Any] = kb.get("bibformat") or {}
    fresh: dict[Any, Any] = getattr(domain, "_labkb_fresh", {})
    bibliography = domain.bibliographies[bibliography_key]
    entries = dict(domain.get_sorted_entries(bibliography_key, docnames))
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", bibliography.style)()
    style2 = None
    if tooltips:
        style2 = (pybtex.plugin.find_plugin("pybtex.style.formatting", tooltips_style)()
                  if tooltips_style and tooltips_style != bibliography.style else style)
    # pybtex's own format_entry does not put the label in the text: then the text is reused
    # whatever label the entry gets (labels shift when a record is added or re-sorted)
    plain_label = type(style).format_entry is BaseStyle.format_entry
    sorted_entries = list(style.sort(entries.values()))
    labels = style.format_labels(sorted_entries)
    for label, entry in zip(labels, sorted_entries, strict=False):
        full = bibliography.labelprefix + label
        token = bib_token(env, entry.key) or _entry_digest(entry)
        key = (bibliography.style, tooltips and tooltips_style, None if plain_label else full,
               token)
        if key not in cache:
            cache[key] = _format(style, style2, full, entry)
            kb["bibformatted"] = kb.get("bibformatted", 0) + 1
        text, tooltip, problem = fresh[key] = cache[key]
        if problem:  # reported on every build that formats the bibliography
            _report_format_problem(env, entry.key, problem,
                                   (bibliography_key.docname, bibliography.line))
        formatted = FormattedEntry(entry.key, text.text, full)
        tip = None if tooltip is None else (formatted if tooltip is text
                                            else FormattedEntry(entry.key, tooltip.text, full))
        yield entry, formatted, tip


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
    error in bold, as sphinxcontrib-bibtex does, instead of stopping the build. A tooltip in the
    same style is the text itself (formatted once)."""
    from pybtex.richtext import Tag
    from pybtex.style import FormattedEntry
    from pybtex.style.template import FieldIsMissing

    try:
        text = style.format_entry(label, entry)
        if style2 is None:
            return text, None, None
        return text, text if style2 is style else style2.format_entry(label, entry), None
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


class KbBibData(BibData):
    """sphinxcontrib-bibtex's ``BibData`` (every parsed record), pickled without its records by a
    parallel reader process (see :class:`~labkb.sphinxext.state.MainOnly`): the main process
    keeps its own and merges only the documents' bibliographies and citations from a reader."""

    __slots__ = ()

    def __reduce__(self) -> Any:
        if in_reader():
            return (BibData, (self.encoding, {}, BibliographyData()))
        return (KbBibData, tuple(self))
