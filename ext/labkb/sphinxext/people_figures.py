"""What person pages compute from the records, filled at write time: the reported figures beside
the computed ones, papers per category, co-authors; and ``kb-collaboration``, the matrix of papers
the people entries share (for the People page).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from labkb.core import bibdata
from labkb.core.coauthors import coauthors, matrix, shared_names
from labkb.core.records import EntryRecord
from labkb.sphinxext.badges import paragraph
from labkb.sphinxext.blocks import section, table
from labkb.sphinxext.domain import cite_domain, kb_domain
from labkb.sphinxext.nodes import kb_collaboration, kb_person_figures
from labkb.sphinxext.report import warn
from labkb.sphinxext.research import research

NO_COUNTS = "no per-paper citation counts recorded"


class CollaborationDirective(SphinxDirective):
    """``kb-collaboration``: papers shared by each pair of people entries, computed from the
    .bib author lists (and ``people`` fields)."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        kb_domain(self.env).data["collab"][self.env.docname] = True
        node = kb_collaboration("")
        self.set_source_info(node)
        return [node]


def display_names(people: Mapping[str, EntryRecord]) -> dict[str, str]:
    """Person id -> the name shown: the entry's name, with its id when two people share it."""
    names = Counter(r.name for r in people.values())
    return {pid: r.name + (f" ({pid})" if names[r.name] > 1 else "") for pid, r in people.items()}


def _records(n: int) -> str:
    return f"{n} record" + ("" if n == 1 else "s")


def _ref(app: Sphinx, docname: str, record: EntryRecord, label: str | None = None) -> nodes.Node:
    uri = app.builder.get_relative_uri(docname, record.docname)
    return nodes.reference("", label or record.name, refuri=uri, internal=True)


def fill_people(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: the computed parts of person pages and the collaboration matrix."""
    for figures in list(doctree.findall(kb_person_figures)):
        figures.replace_self(PersonFigures(app, docname, figures["person"]).render())
    for collab in list(doctree.findall(kb_collaboration)):
        collab.replace_self(_matrix(app, docname))


class PersonFigures:
    def __init__(self, app: Sphinx, docname: str, person: str) -> None:
        self.app, self.docname, self.person = app, docname, person
        self.data = research(app)
        self.record = self.data.people.get(person)
        entries = cite_domain(app.env).bibdata.data.entries if "cite" in app.env.domains else {}
        keys = [a.key for a in self.data.authorship if person in a.persons]
        self.entries = [entries[k] for k in keys if k in entries]

    def render(self) -> list[nodes.Node]:
        if self.record is None:
            return []
        out: list[nodes.Node] = []
        if self.record.person.figures:
            out.append(self.figures())
        categories = self.categories()
        if categories is not None:
            out.append(categories)
        out.append(self.coauthors())
        return out

    def computed(self, what: str | None) -> tuple[str, str]:
        """A computed figure and how (or why there is none)."""
        n = len(self.entries)
        counts = [int(c) for e in self.entries if str(c := e.fields.get("citations", "")).isdigit()]
        if what == "papers":
            return str(n), f"records of {self.record_name} in the .bib files"
        if what in ("citations", "h-index"):
            if not counts:
                return "not computed", NO_COUNTS
            ranked = sorted(counts, reverse=True)
            value = sum(counts) if what == "citations" else sum(
                1 for i, c in enumerate(ranked) if c > i)
            return f"{value:,}", f"from the counts of {len(counts)} of {n} records"
        if what == "category":
            top = Counter(self.category(e) for e in self.entries if self.category(e)).most_common(1)
            if top:
                return top[0][0], f"most frequent category: {top[0][1]} of {n} records"
            return "not computed", "no categories recorded"
        return "—", "not computable from the records"

    @property
    def record_name(self) -> str:
        return self.record.name if self.record else self.person

    @staticmethod
    def category(entry: Any) -> str:
        value = str(entry.fields.get("primaryclass", "")).strip()
        return value.split(".", 1)[-1] if value else ""

    def figures(self) -> nodes.section:
        sec = section("Figures", "figures")
        sec += paragraph(nodes.Text(
            "Reported: as the source states them, with the date it gives (unknown when it gives "
            "none). Computed: from this knowledge base's records of the person; where the two "
            "differ, the note says why."))
        rows: list[list[nodes.Node]] = []
        assert self.record is not None
        for fig in self.record.person.figures:
            value = fig.value
            shown = f"{value:,}" if isinstance(value, int) else str(value)
            found = kb_domain(self.app.env).entry(fig.source)
            source: nodes.Node = (_ref(self.app, self.docname, found) if found is not None
                                  else nodes.Text(fig.source))
            value_c, how = self.computed(fig.compare)
            rows.append([nodes.Text(fig.name), nodes.Text(shown), source,
                         nodes.Text(fig.as_of or "unknown"), nodes.Text(value_c),
                         nodes.Text(how)])
        sec += table(["Figure", "Reported", "Source", "As of", "Computed", "Note"], rows,
                     ["kb-figures"])
        return sec

    def categories(self) -> nodes.section | None:
        counts = Counter(self.category(e) for e in self.entries if self.category(e))
        if not counts:
            return None
        flagged = sum(1 for e in self.entries if bibdata.is_true(e, "has_code"))
        sec = section("Papers per category", "papers-per-category")
        sec += paragraph(nodes.Text(
            f"Computed from the categories (primaryclass) of the {_records(len(self.entries))}; "
            f"{flagged} carry a code flag (has_code)."))
        rows: list[list[nodes.Node]] = [[nodes.Text(cat), nodes.Text(str(n))]
                for cat, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        rows.append([nodes.Text("Total"), nodes.Text(str(sum(counts.values())))])
        sec += table(["Category", "Papers"], rows, ["kb-categories"])
        return sec

    def coauthors(self) -> nodes.section:
        names = display_names(self.data.people)
        found = coauthors(self.person, self.data.authorship, names)
        sec = section("Co-authors", "co-authors")
        note = (f"Computed from the author lists of the {_records(found.papers)} of "
                f"{self.record_name} in the .bib files")
        if found.truncated:
            note += (f"; {found.truncated} end in \"and others\", whose further authors are "
                     "unknown and not counted")
        if found.authorless:
            note += f"; {found.authorless} have no author list"
        sec += paragraph(nodes.Text(note + "."))
        if not found.top:
            sec += paragraph(nodes.Text("No co-authors are recorded."), classes=["kb-empty"])
            return sec
        rows = []
        for pid, label, count in found.top:
            rec = self.data.people.get(pid) if pid else None
            who = _ref(self.app, self.docname, rec, label) if rec else nodes.Text(label)
            rows.append([who, nodes.Text(str(count))])
        sec += table(["Co-author", "Papers"], rows, ["kb-coauthors"])
        return sec


def _matrix(app: Sphinx, docname: str) -> list[nodes.Node]:
    data = research(app)
    people = sorted(data.people, key=lambda p: (data.people[p].name.casefold(), p))
    if not people:
        return [paragraph(nodes.Text("No people entries."), classes=["kb-empty"])]
    shared = matrix(people, data.authorship)
    names = display_names(data.people)
    rows = []
    for a in people:
        cells: list[nodes.Node] = [_ref(app, docname, data.people[a], names[a])]
        cells += [nodes.Text(str(shared[(a, b)])) for b in people]
        rows.append(cells)
    header = ["Person", *(names[p] for p in people)]
    intro = paragraph(nodes.Text(
        "Papers each pair of people wrote together, computed from the author lists of the .bib "
        "records (and their people fields); the diagonal is each person's own papers."))
    return [intro, table(header, rows, ["kb-collaboration"])]


def warn_shared_names(app: Sphinx, env: Any) -> None:
    """``env-updated``: a written name two people entries share, unless they say they differ."""
    domain = kb_domain(env)
    reread = domain.data.get("reread", set())
    people = {r.id: r for r in domain.entries() if r.kind == "person"}
    if not any(r.docname in reread for r in people.values()):
        return
    for problem in shared_names(people):
        warn(problem)
