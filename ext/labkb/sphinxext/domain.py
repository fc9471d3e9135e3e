"""The ``kb`` domain: every entry of the build, its id, page and data, kept parallel-safe.

Entries are stored per document (the YAML file that defines them); the id index is rebuilt once per
build in the main process (:func:`index_entries`) so duplicate ids are decided deterministically.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from labkb.core.kb import KnowledgeBase
from labkb.core.records import EntryRecord

logger = logging.getLogger(__name__)

KIND_TITLES = {"project": "Project", "model": "Model", "source": "Source", "news": "News",
               "person": "Person"}
#: Domain data kept per document (cleared and merged by document).
PER_DOC = ("docs", "aggregates", "refs", "pubs", "people_names", "page_sources", "timelines",
           "collab", "graph_page")


class EntryRole(XRefRole):
    """``{project}`id```, ``{model}`id``` and ``{entry}`id```: link to an entry by id."""

    def __init__(self) -> None:
        super().__init__(warn_dangling=True)

    def result_nodes(self, document: nodes.document, env: BuildEnvironment, node: Element,
                     is_ref: bool) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        if not node.get("refdomain"):  # used without the ``kb:`` prefix
            node["refdomain"], node["reftype"] = "kb", self.name.rsplit(":", 1)[-1]
        kb_domain(env).note_reference(env.docname, node["reftarget"])
        return [node], []


class KBDomain(Domain):
    """Entries (projects and models) as objects: in search, ``objects.inv`` and cross-references."""

    name = "kb"
    label = "Knowledge base"
    object_types: ClassVar[dict[str, ObjType]] = {
        "project": ObjType("project", "project", "entry"),
        "model": ObjType("model", "model", "entry"),
        "source": ObjType("source", "source", "entry"),
        "news": ObjType("news", "news", "entry"),
        "person": ObjType("person", "person", "entry"),
    }
    roles: ClassVar[dict[str, Any]] = {"project": EntryRole(), "model": EntryRole(),
                                       "source": EntryRole(), "news": EntryRole(),
                                       "person": EntryRole(),
                                       "entry": EntryRole()}
    dangling_warnings: ClassVar[dict[str, str]] = {
        "project": "unknown project id %(target)r",
        "model": "unknown model id %(target)r",
        "source": "unknown source id %(target)r",
        "news": "unknown news id %(target)r",
        "person": "unknown person id %(target)r",
        "entry": "unknown entry id %(target)r",
    }
    initial_data: ClassVar[dict[str, Any]] = {
        "docs": {},  # docname -> EntryRecord of the YAML document
        "ids": {},  # id -> docname, rebuilt by index_entries()
        "aggregates": {},  # docname -> list of selectors shown on that page (grids, cards)
        "refs": {},  # docname -> sorted list of entry ids referenced from that page
        "pubs": {},  # docname -> list of publication-list selectors on that page
        "people_names": {},  # person page -> normalised name variants (lab authors)
        "page_sources": {},  # docname -> the sources a page names (kb-sources), as dicts
        "collab": {},  # docname -> True: the page shows the collaboration matrix
        "graph_page": {},  # docname -> True: the page shows the whole graph (kb-graph)
        "graph_digests": {},  # docname -> digest of the neighbourhood its page shows
        "graph_stamp": None,  # digest of the whole graph the graph page shows
        "timelines": {},  # docname -> scopes of the news lists on that page (kb-news)
        "bibindex": {},  # bib key -> summary (digest, year, areas, authors), see publications
        "bibstamp": None,  # mtimes of the .bib files the bibindex was computed from
        # one build's bookkeeping (main process), kept here rather than on the environment:
        "context": None,  # what entries may refer to, computed once before reading
        "reread": set(),  # documents this build re-reads
        "old": {},  # docname -> the entry record a re-read or removed document had
        "changed": True,  # whether the exports may show something new
        "bibread": None,  # the record-by-record read of the .bib files (labkb.core.bibread)
        "bibformat": {},  # formatted .bib records of the last build, reused when unchanged
        "paperdates": {},  # .bib key -> title and day, of the records giving a full date
        "bibformatted": 0,  # records this build formatted (the others were reused)
        "bibview": {},  # bib key -> what lists and exports show of a record (with bibindex)
    }
    data_version = 6

    # -- recording, at read time -------------------------------------------------------------
    def note_entry(self, docname: str, record: EntryRecord) -> None:
        self.data["docs"][docname] = record

    def note_aggregate(self, docname: str, selector: dict[str, Any]) -> None:
        self.data["aggregates"].setdefault(docname, []).append(selector)

    def note_reference(self, docname: str, target: str) -> None:
        refs = self.data["refs"].setdefault(docname, [])
        if target not in refs:
            refs.append(target)

    # -- parallel and incremental bookkeeping --------------------------------------------------
    def clear_doc(self, docname: str) -> None:
        for key in PER_DOC:
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        wanted = set(docnames)
        for key in PER_DOC:
            for docname, value in otherdata[key].items():
                if docname in wanted:
                    self.data[key][docname] = value

    # -- lookups ---------------------------------------------------------------------------------
    def record(self, docname: str) -> EntryRecord | None:
        """The record of an entry document (built or not), or None for other documents."""
        record: EntryRecord | None = self.data["docs"].get(docname)
        return record

    def entries(self) -> Iterator[EntryRecord]:
        """Every entry that built, once per id."""
        docs = self.data["docs"]
        for docname in self.data["ids"].values():
            record = docs.get(docname)
            if record is not None and record.entry is not None:
                yield record

    def entry(self, entry_id: str) -> EntryRecord | None:
        docname = self.data["ids"].get(entry_id)
        record = self.data["docs"].get(docname) if docname else None
        return record if record is not None and record.entry is not None else None

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for record in self.entries():
            yield (record.id, record.name, record.kind, record.docname, record.anchor, 1)

    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str,
                     target: str, node: pending_xref, contnode: Element) -> nodes.reference | None:
        record = self.entry(target)
        if record is None or record.entry is None or (typ in KIND_TITLES and record.kind != typ):
            return None
        if not node.get("refexplicit"):
            contnode = nodes.inline("", record.name, classes=["kb-ref"])
        return make_refnode(builder, fromdocname, record.docname, record.anchor, contnode,
                            record.entry.summary)

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder,
                         target: str, node: pending_xref, contnode: Element
                         ) -> list[tuple[str, nodes.reference]]:
        record = self.entry(target)
        if record is None:
            return []
        ref = self.resolve_xref(env, fromdocname, builder, record.kind, target, node, contnode)
        return [(f"kb:{record.kind}", ref)] if ref is not None else []


def index_entries(app: Any, env: BuildEnvironment) -> None:
    """Rebuild the id index after reading (``env-updated``): first file in name order wins."""
    domain = env.get_domain("kb")
    ids: dict[str, str] = {}
    for docname in sorted(domain.data["docs"]):
        record = domain.data["docs"][docname]
        if record.entry is None:
            continue
        first = ids.get(record.id)
        if first is not None:
            logger.warning("duplicate entry id %r (first defined in %s); this file is skipped",
                           record.id, domain.data["docs"][first].path,
                           location=f"{record.path}:1", type="kb", subtype="duplicate")
            continue
        ids[record.id] = docname
    domain.data["ids"] = ids


def knowledge_base(env: BuildEnvironment) -> KnowledgeBase:
    """The build's knowledge base: its entries (one per id), papers, areas and people."""
    domain = kb_domain(env)
    context = domain.data.get("context")
    return KnowledgeBase(domain.entries(), domain.data.get("bibindex") or {},
                         context.areas or () if context else (),
                         context.people or () if context else ())


def kb_domain(env: BuildEnvironment) -> KBDomain:
    """The ``kb`` domain of ``env``, typed (``env.get_domain`` returns a plain ``Domain``)."""
    return cast(KBDomain, env.get_domain("kb"))


def cite_domain(env: BuildEnvironment) -> Any:
    """sphinxcontrib-bibtex's ``cite`` domain (untyped: its attributes are that package's)."""
    return env.get_domain("cite")
