"""Who wrote which paper: .bib author lists resolved to the people entries, and co-author counts.

A written author name is matched against every way the people entries say their names are written
(``name``, ``name_zh``, ``name_variants``): in English order (``Zhou, Pan`` is ``Pan Zhou``), with
accents, case and punctuation folded, and Chinese characters without spaces. A name written with
initials (``P. Zhou``) also matches a person whose written names have those initials; a full name
never matches by its initials alone. "and others" is a count of unknown authors, never a person.

A name that two people entries share stays unattributed unless the record's ``people`` field names
one of them: two people who share a written name are never merged. Other authors are counted by
their folded full name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from labkb.core.people import full_form, initial_form, is_abbreviated, written_names
from labkb.core.problems import Problem
from labkb.core.records import EntryRecord

#: person id -> the person's entry record (kind ``person``)
People = Mapping[str, EntryRecord]


@dataclass(frozen=True)
class Paper:
    """What resolution needs of one .bib record: its key, authors as written, ``people`` ids."""

    key: str
    authors: tuple[str, ...]
    people: tuple[str, ...] = ()


@dataclass
class Authorship:
    """One paper's authors after resolution."""

    key: str
    persons: set[str] = field(default_factory=set)  #: people entries among its authors
    others: list[tuple[str, str]] = field(default_factory=list)  #: (folded form, as written)
    truncated: bool = False  #: "and others": some authors are unknown
    ambiguous: list[str] = field(default_factory=list)  #: names shared by several people
    authorless: bool = False  #: the record has no author list


@dataclass
class NameIndex:
    full: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    initials: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    ids: set[str] = field(default_factory=set)  #: every person id

    def candidates(self, name: str) -> set[str]:
        found = set(self.full.get(full_form(name), set()))
        if not found and is_abbreviated(name):
            found = set(self.initials.get(initial_form(name), set()))
        return found


def name_index(people: People) -> NameIndex:
    """Every written form of every person entry -> the ids that write their name so."""
    index = NameIndex(ids=set(people))
    for pid in sorted(people):
        for name in written_names(people[pid].person):
            index.full[full_form(name)].add(pid)
            index.initials[initial_form(name)].add(pid)
    return index


def resolve(paper: Paper, index: NameIndex) -> Authorship:
    """The people entries and other authors of one paper."""
    out = Authorship(paper.key, authorless=not paper.authors)
    listed = set(paper.people)
    for name in paper.authors:
        if name.strip().casefold() == "others":
            out.truncated = True
            continue
        found = index.candidates(name)
        if len(found) > 1:
            found &= listed  # the record says which of the people sharing the name it means
            if len(found) != 1:
                out.ambiguous.append(name)
                continue
        if found:
            out.persons |= found
        else:
            out.others.append((full_form(name), name))
    out.persons |= listed & index.ids
    return out


def resolve_all(papers: list[Paper], people: People) -> list[Authorship]:
    index = name_index(people)
    return [resolve(p, index) for p in papers]


@dataclass
class CoAuthors:
    """A person's co-authors: (person id or None, display name, papers), most papers first."""

    papers: int
    top: list[tuple[str | None, str, int]]
    truncated: int  #: papers whose author list ends in "and others"
    authorless: int  #: papers listing the person in ``people`` without an author list


def coauthors(person: str, resolved: list[Authorship], names: dict[str, str],
              limit: int = 10) -> CoAuthors:
    """Top co-authors of ``person``; ``names`` gives people entries' display names."""
    counts: Counter[tuple[str | None, str]] = Counter()
    shown: dict[str, str] = {}
    mine = [a for a in resolved if person in a.persons]
    for paper in mine:
        seen: set[tuple[str | None, str]] = set()
        for other in sorted(paper.persons - {person}):
            seen.add((other, other))
        for form, written in paper.others:
            shown.setdefault(form, written)
            seen.add((None, form))
        counts.update(seen)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], _label(kv[0], names, shown)))
    top = [(ident if pid else None, _label((pid, ident), names, shown), n)
           for (pid, ident), n in ranked[:limit]]
    return CoAuthors(len(mine), top, sum(1 for a in mine if a.truncated),
                     sum(1 for a in mine if a.authorless))


def _label(key: tuple[str | None, str], names: dict[str, str], shown: dict[str, str]) -> str:
    pid, ident = key
    return names.get(ident, ident) if pid else shown.get(ident, ident)


def matrix(people: list[str], resolved: list[Authorship]) -> dict[tuple[str, str], int]:
    """Papers shared by each pair of people (the diagonal: each person's papers)."""
    out: dict[tuple[str, str], int] = {(a, b): 0 for a in people for b in people}
    for paper in resolved:
        members = sorted(p for p in paper.persons if p in set(people))
        for a in members:
            for b in members:
                out[(a, b)] += 1
    return out


def shared_names(people: People) -> list[Problem]:
    """A written name two people entries share is a problem unless each names the other in
    ``distinct_from`` (then they stay two people, and the name alone attributes no paper).
    Each problem is located at the entry's ``name_variants``."""
    owners: dict[str, set[str]] = defaultdict(set)
    for pid, record in people.items():
        for name in written_names(record.person):
            owners[full_form(name)].add(pid)
    out = []
    for form, ids in sorted(owners.items()):
        if len(ids) < 2:
            continue
        for pid in sorted(ids):
            record = people[pid]
            unsaid = sorted(o for o in ids - {pid} if o not in record.person.distinct_from)
            if unsaid:
                out.append(Problem(record.path, record.line("name_variants"), "name_variants",
                                   f"the written name {form!r} is also a name of {', '.join(unsaid)}: "
                                   "if they are the same person merge the entries, else list them "
                                   "in distinct_from", "duplicate"))
    return out
