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
