"""The knowledge base as one queryable whole: entries, source records, papers, areas and people,
and the links between them.

The Sphinx side builds one from its domain (:func:`labkb.sphinxext.domain.knowledge_base`) and the
pages and outputs ask it; nothing else walks the records. A query returns records in a stable
order (by id unless a selector sorts), so what is built from it is the same in every process.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from labkb.core.pubselect import pub_matches
from labkb.core.records import EntryRecord
from labkb.core.schema import Model
from labkb.core.select import select

#: A .bib record as the knowledge base knows it (:func:`labkb.core.bibdata.summary`).
PaperSummary = Mapping[str, Any]


@dataclass(frozen=True)
class Link:
    """A typed relation between two things of the knowledge base.

    ``source`` is the id of the record that states it (a research entry or a person);
    ``target`` is, as ``relation`` says: an area (``area``), a person (``person``), an entry
    (``related``), a case-folded BibTeX key (``paper``), a source record (``source``), a model or
    a Hub id (``base_model``, ``new_version``), or an organisation's name as written
    (``organisation``). ``how`` qualifies it where the record says how: a ``base_model`` link's
    ``base_model_relation`` (finetune, adapter ...). It takes no part in comparisons: a link is
    its source, relation and target."""

    source: str
    relation: str
    target: str
    how: str = field(default="", compare=False)


class KnowledgeBase:
    """Every built entry of a site (one record per id) with the papers, areas and people known."""

    def __init__(self, records: Iterable[EntryRecord],
                 papers: Mapping[str, PaperSummary] | None = None,
                 areas: Iterable[str] = (), people: Iterable[str] = ()) -> None:
        self._records: dict[str, EntryRecord] = {}
        for record in records:
            if record.entry is not None:
                self._records.setdefault(record.id, record)
        #: case-folded BibTeX key -> summary
        self.papers: Mapping[str, PaperSummary] = papers or {}
        self.areas = frozenset(areas)
        self.people = frozenset(people)

    # -- records ---------------------------------------------------------------------------------
    def get(self, entry_id: str) -> EntryRecord | None:
        return self._records.get(entry_id)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._records

    def __len__(self) -> int:
        return len(self._records)

    def records(self) -> list[EntryRecord]:
        """Every record, research entries and source records, by id."""
        return [self._records[i] for i in sorted(self._records)]

    def research(self) -> list[EntryRecord]:
        """The projects and models, by id."""
        return [r for r in self.records() if r.is_research]

    def source_records(self) -> list[EntryRecord]:
        return [r for r in self.records() if r.kind == "source"]

    def news_records(self) -> list[EntryRecord]:
        """The news items, by id."""
        return [r for r in self.records() if r.kind == "news"]

    def select(self, selector: Mapping[str, Any]) -> list[EntryRecord]:
        """The records a grid's selector shows (see :mod:`labkb.core.select`)."""
        return select(selector, self._records.values())

    def publications(self, selector: Mapping[str, Any]) -> list[str]:
        """The BibTeX keys (as written) a publication list's selector shows: newest first, then
        by key, limited as it asks."""
        chosen = [s for k, s in self.papers.items() if pub_matches(selector, k, s)]
        chosen.sort(key=lambda s: (-(s["year"] or 0), str(s["key"]).casefold()))
        limit = selector.get("limit")
        return [str(s["key"]) for s in (chosen[:limit] if limit else chosen)]

    # -- links -----------------------------------------------------------------------------------
    def links(self) -> Iterator[Link]:
        """Every relation the records state, record by record in id order: a research entry's
        areas, people, related entries, papers, sources, organisation and (models) lineage; a
        person's areas and the sources of its record, affiliations and figures."""
        for record in self.records():
            if record.is_research:
                yield from _research_links(record)
            elif record.kind == "person":
                person = record.person
                yield from (Link(record.id, "area", a) for a in person.areas)
                stated = [*(ref.id for ref in person.sources),
                          *(item.source for item in person.affiliation),
                          *(fig.source for fig in person.figures)]
                yield from (Link(record.id, "source", s) for s in stated)

    @cached_property
    def _inverse(self) -> dict[tuple[str, str], list[EntryRecord]]:
        out: dict[tuple[str, str], list[EntryRecord]] = defaultdict(list)
        for link in self.links():
            record = self._records[link.source]
            bucket = out[(link.relation, link.target)]
            if not bucket or bucket[-1] is not record:
                bucket.append(record)
        return out

    def linking(self, relation: str, target: str) -> list[EntryRecord]:
        """The records that state ``relation`` to ``target``, by id: ``linking("paper", key)``
        are the entries citing a .bib record, ``linking("source", id)`` the entries and people
        based on a source (or whose affiliation or figure it states)."""
        key = target.casefold() if relation == "paper" else target
        return list(self._inverse.get((relation, key), []))

    def citing(self, key: str) -> list[EntryRecord]:
        """The entries whose ``papers`` list the .bib record ``key`` (case-insensitive)."""
        return self.linking("paper", key)


def _research_links(record: EntryRecord) -> Iterator[Link]:
    entry = record.research
    yield from (Link(record.id, "area", a) for a in entry.areas)
    yield from (Link(record.id, "person", p) for p in entry.people)
    yield from (Link(record.id, "related", r) for r in entry.related)
    yield from (Link(record.id, "paper", k.casefold()) for k in entry.papers)
    yield from (Link(record.id, "source", s.id) for s in entry.sources)
    if entry.organization:
        yield Link(record.id, "organisation", entry.organization)
    if isinstance(entry, Model):
        how = entry.base_model_relation or ""
        yield from (Link(record.id, "base_model", b, how) for b in entry.base_model)
        if entry.new_version:
            yield Link(record.id, "new_version", entry.new_version)

