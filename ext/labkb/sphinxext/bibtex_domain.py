"""sphinxcontrib-bibtex's domain and bibliography transform, with labkb's caches and without
their quadratic look-ups: formatted entries kept per record text, the documents citing each key
and the citations of each key found once per build, and a page's bibliography shown only its own
documents' references. The methods are sphinxcontrib-bibtex 2.7's, with those look-ups."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from labkb.sphinxext.bibtex import bib_stamp, bib_token, record_location
from labkb.sphinxext.domain import cite_domain, kb_domain
from labkb.sphinxext.state import MainOnly

logger = logging.getLogger(__name__)


def _entry_digest(entry: Any) -> tuple[Any, ...]:
    """What a formatted entry depends on: its type, fields and people."""
    persons = tuple((role, tuple(str(p) for p in people)) for role, people in entry.persons.items())
    return entry.type, tuple(entry.fields.items()), persons


class KeyedCitations:
    """``resolve_xref`` of sphinxcontrib-bibtex's domain shown only the citations of the
    reference's keys, in their order: upstream goes through every citation of the site, twice,
    for every reference."""

    data: dict[str, Any]

    @property
    def citations(self) -> Any:
        shown = getattr(self, "_labkb_citations", None)
        return self.data["citations"] if shown is None else shown

    def resolve_xref(self, env: Any, fromdocname: str, builder: Any, typ: str, target: str,
                     node: Any, contnode: Any) -> Any:
        from sphinxcontrib.bibtex.citation_target import parse_citation_targets

        self._labkb_citations: list[Any] | None = _citations_of(
            self, {t.key for t in parse_citation_targets(target)})
        try:
            return super().resolve_xref(  # type: ignore[misc]
                env, fromdocname, builder, typ, target, node, contnode)
        finally:
            self._labkb_citations = None


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

    class CachedBibtexDomain(KeyedCitations, BibtexDomain):
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
