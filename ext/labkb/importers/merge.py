"""Merging imported records into the .bib files: de-duplication, pairing, conflicts, and the report.

Every importer of scholarly records (BibTeX, ORCID, OpenAlex, CSL-JSON) hands its :class:`Work` list
to :func:`plan`, which finds each record among the records already there (every .bib file given as
``existing``) and among those read before it, by DOI, then arXiv id, then normalised title + first
author + year; an arXiv preprint is paired with its published version by title + first author. A
match gains the fields it lacks; a field it has with another value is a conflict, reported and
never overwritten. What is not found is new, keyed by the README's convention.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from labkb.core.problems import Problem
from labkb.importers.bibtext import add_fields, append_records, writable
from labkb.importers.works import (
    MACHINE_FIELDS,
    NAME_FIELDS,
    VERSION_FIELDS,
    Work,
    arxiv_of,
    convention_key,
    doi_of,
    fold,
    is_preprint,
    people,
    record_text,
    same_value,
    title_key,
    unique_key,
    year_of,
)

__all__ = ["MACHINE_FIELDS", "Action", "Plan", "Record", "apply", "existing_records", "plan"]

STATUSES = ("new", "merged", "duplicate", "conflicting", "refused")


@dataclass
class Record:
    """A record already in a .bib file, or one this import adds (``new``)."""

    key: str
    path: str
    line: int  #: 0 for a new record (it has no line until it is written)
    work: Work
    new: bool = False
    added: dict[str, str] = field(default_factory=dict)  #: fields this import adds

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else f"{self.path} (appended)"

    def has(self, name: str) -> str | None:
        return self.work.fields.get(name, self.added.get(name))


@dataclass
class Action:
    """What happens to one imported record; ``match``: by what it was found."""

    status: str
    work: Work
    record: Record | None = None
    match: str = ""
    added: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        head = f"{self.status:<11} {self.work.where}"
        if self.record is None:
            return f"{head}: " + "; ".join(self.notes)
        if self.status == "new":
            text = f"{head} -> {self.record.where} as {self.record.key}"
        else:
            text = f"{head} = {self.record.where} {self.record.key} (same {self.match})"
        details = ([f"adds {', '.join(self.added)}"] if self.added else []) + self.conflicts + self.notes
        return text + "".join(f"\n{'':12}{d}" for d in details)


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    found: list[str] = field(default_factory=list)  #: other findings (people matched, ids...)

    def count(self, status: str) -> int:
        return sum(a.status == status for a in self.actions)

    def summary(self) -> str:
        return ", ".join(f"{self.count(s)} {s}" for s in STATUSES)

    def report(self, title: str, write: bool) -> str:
        mode = "dry run"
        if write:
            mode = "written" if self.changes() else "nothing to change"
        lines = [f"{title}: {self.summary()} ({mode})"]
        lines += [str(p) for p in self.problems]
        lines += [a.line() for a in self.actions]
        lines += self.found
        return "\n".join(lines) + "\n"

    def changes(self) -> bool:
        return any(r.new or r.added for r in self.records)


class Index:
    """The records by each identifier, in order (the first one found wins)."""

    def __init__(self) -> None:
        self.by: dict[str, dict[object, Record]] = {"doi": {}, "arXiv id": {}, "title": {}, "paper": {}}
        self.keys: set[str] = set()

    def add(self, record: Record) -> None:
        self.keys.add(record.key.casefold())
        fields = {**record.work.fields, **record.added}
        for kind, value in self.identifiers(fields).items():
            self.by[kind].setdefault(value, record)

    @staticmethod
    def identifiers(fields: dict[str, str]) -> dict[str, object]:
        out: dict[str, object] = {}
        doi, arxiv, title = doi_of(fields), arxiv_of(fields), title_key(fields)
        if doi:
            out["doi"] = doi
        if arxiv:
            out["arXiv id"] = arxiv
        if title:
            out["title"] = (*title, year_of(fields))
            out["paper"] = title
        return out

    def find(self, fields: dict[str, str]) -> tuple[Record, str] | None:
        ids = self.identifiers(fields)
        for kind in ("doi", "arXiv id", "title"):
            if kind in ids and ids[kind] in self.by[kind]:
                return self.by[kind][ids[kind]], kind
        other = self.by["paper"].get(ids["paper"]) if "paper" in ids else None
        if other is not None and is_preprint(fields) != is_preprint({**other.work.fields, **other.added}):
            return other, "title and first author"
        return None


def plan(works: list[Work], existing: list[Record], target: Callable[[Work], str],
         drop: tuple[str, ...] = MACHINE_FIELDS) -> Plan:
    """What importing ``works`` into ``existing`` would do; ``target`` names the file of a new record."""
    out, index = Plan(records=list(existing)), Index()
    for record in existing:
        index.add(record)
    keys: dict[tuple[str, str], Record] = {}
    for work in works:
        action = _one(work, index, target, drop)
        out.actions.append(action)
        if action.record is not None:
            keys[(work.path, work.key.casefold())] = action.record
            if action.status == "new":
                out.records.append(action.record)
    for record in out.records:
        _crossref(record, keys)
    return out


def _one(work: Work, index: Index, target: Callable[[Work], str], drop: tuple[str, ...]) -> Action:
    notes = list(work.notes)
    for name in drop:
        if work.fields.pop(name, None) is not None:
            notes.append(f"{name}: dropped (a path or date of the exporting machine)")
    if not work.fields.get("title", "").strip():
        return Action("refused", work, notes=["no title: a record needs one; not imported", *notes])
    unwritable = writable(work)
    if unwritable:
        return Action("refused", work, notes=[f"{unwritable}: not imported", *notes])
    found = index.find(work.fields)
    if found is None:
        key = unique_key(convention_key(work.fields), index.keys)
        if work.key and work.key != key:
            notes.append(f"key {key} by the convention (the input calls it {work.key})")
        record = Record(key, target(work), 0, work, new=True)
        index.add(record)
        return Action("new", work, record, notes=notes)
    record, match = found
    action = Action("duplicate", work, record, match, notes=notes)
    paired = is_preprint(work.fields) != is_preprint({**record.work.fields, **record.added})
    if paired:
        action.notes.append("an arXiv preprint and its published version: one record keeps both ids")
    _compare(work, record, action, paired)
    if action.added:
        index.add(record)
    action.status = "conflicting" if action.conflicts else "merged" if action.added else "duplicate"
    return action


def _compare(work: Work, record: Record, action: Action, paired: bool) -> None:
    title = record.has("title")
    if title is not None and not same_value(title, work.fields["title"]):
        action.conflicts.append(f"title: kept {_short(title)}, the input has {_short(work.fields['title'])}; "
                                f"the same {action.match} with another title: nothing is merged")
        return
    if work.type != record.work.type:
        text = f"type: kept @{record.work.type}, the input has @{work.type}"
        (action.notes if paired else action.conflicts).append(text + (" (other version)" if paired else ""))
    if paired:
        _pair_ids(work, record, action)
    for name, value in work.fields.items():
        have = record.has(name)
        if have is None and paired and name in VERSION_FIELDS:
            action.notes.append(f"{name}: {_short(value)} is the other version's; not copied")
        elif have is None:
            (record.work.fields if record.new else record.added)[name] = value
            action.added.append(name)
        elif not _same(name, have, value):
            text = f"{name}: kept {_short(have)}, the input has {_short(value)}"
            if paired and name in VERSION_FIELDS:
                action.notes.append(text + " (other version)")
            else:
                action.conflicts.append(text)


def _pair_ids(work: Work, record: Record, action: Action) -> None:
    """The preprint's arXiv id, stated in a venue or URL field, as ``eprint`` on the published record."""
    arxiv = arxiv_of(work.fields)
    if arxiv and arxiv_of({**record.work.fields, **record.added}) is None and record.has("eprint") is None:
        target = record.work.fields if record.new else record.added
        target["eprint"], target["archiveprefix"] = arxiv, "arXiv"
        action.added += ["eprint", "archiveprefix"]


def _same(name: str, have: str, value: str) -> bool:
    if name in NAME_FIELDS:
        def families(text: str) -> list[str]:
            return [fold(" ".join(p.last_names) or " ".join(p.first_names)) for p in people(text)]
        return families(have) == families(value)
    if name == "doi":
        return doi_of({"doi": have}) == doi_of({"doi": value})
    return same_value(have, value)


def _short(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "…")


def _crossref(record: Record, keys: dict[tuple[str, str], Record]) -> None:
    """A new record's ``crossref`` names the input's key: it is given the key that record now has."""
    value = record.work.fields.get("crossref", "").strip()
    if not value:
        return
    parent = keys.get((record.work.path, value.casefold()))
    if parent is None:
        record.work.notes.append(f"crossref: {value} is not in the input; kept as written")
    elif parent.key != value:
        record.work.fields["crossref"] = parent.key


def apply(result: Plan, read: Callable[[str], str], write: Callable[[str, str], None]) -> list[str]:
    """Write the plan: new records appended to their files, new fields into their records; the files
    changed, in order. ``read`` of a missing file returns ""."""
    texts: dict[str, str] = {}
    for record in result.records:
        if record.added and not record.new:
            text = texts.get(record.path, read(record.path) if record.path not in texts else "")
            changed = add_fields(text, record.line, record.added)
            if changed is None:
                raise ValueError(f"{record.where}: record {record.key} not found in the file")
            texts[record.path] = changed
    for record in result.records:
        if record.new:
            text = texts[record.path] if record.path in texts else read(record.path)
            texts[record.path] = append_records(text, [record_text(record.work, record.key)])
    for path, text in texts.items():
        write(path, text)
    return list(texts)


def existing_records(paths: list[Path], read: Callable[[Path], str | None]
                     ) -> tuple[list[Record], list[Problem]]:
    """The records of the .bib files already there (a file that does not exist yet has none)."""
    from labkb.importers.bibtext import read_bib

    records: list[Record] = []
    problems: list[Problem] = []
    for path in paths:
        text = read(path)
        if text is None:
            continue
        works, found = read_bib(text, str(path))
        problems += found
        records += [Record(w.key, str(path), w.line, w) for w in works]
    return records, problems
