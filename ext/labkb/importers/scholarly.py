"""Saved ORCID and OpenAlex JSON to records (:class:`~labkb.importers.works.Work`) and findings.

ORCID: a v3.0 or v2.0 record (``/record``) or works list (``/works``), as saved from orcid.org or its
API; each work summary gives a title, a type, external ids (DOI, arXiv), a date and a journal, but no
authors (ORCID summaries list none: the record is left without ``author``, never given the owner).
OpenAlex: a work, an author, a list of either, or an API page (``results``). A work's
``cited_by_count`` is stored as ``citations`` with ``citations_asof``, the file's ``updated_date``
(the date OpenAlex computed it, not the import's); an author gives ids to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from labkb.importers.works import Work, escape, line_at, norm_arxiv, norm_doi

#: ORCID work types (v3.0 lower-case with hyphens, v2.0 upper-case with underscores) -> BibTeX.
ORCID_TYPES = {"journal-article": "article", "conference-paper": "inproceedings", "book": "book",
               "book-chapter": "incollection", "dissertation": "phdthesis",
               "dissertation-thesis": "phdthesis",
               "report": "techreport", "preprint": "misc", "working-paper": "techreport"}
#: OpenAlex work types -> BibTeX (``article`` depends on where it appeared).
OPENALEX_TYPES = {"book": "book", "book-chapter": "incollection", "dissertation": "phdthesis",
                  "report": "techreport", "preprint": "misc", "dataset": "misc"}


@dataclass
class Read:
    """What a file gave: records, persons found (name, ids, where), and notes about the file."""

    works: list[Work] = field(default_factory=list)
    persons: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def dig(data: Any, *path: str | int) -> Any:
    """``data[path[0]][path[1]]…`` or None when any step is missing or of another type."""
    for step in path:
        if isinstance(step, int):
            data = data[step] if isinstance(data, list) and -len(data) <= step < len(data) else None
        else:
            data = data.get(step) if isinstance(data, dict) else None
        if data is None:
            return None
    return data


def text_of(value: Any) -> str:
    return str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


# -- ORCID --------------------------------------------------------------------------------------------


def read_orcid(data: Any, path: str, text: str = "") -> Read:
    out = Read()
    orcid = text_of(dig(data, "orcid-identifier", "path"))
    if not orcid:
        found = re.match(r"/?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])/works", text_of(dig(data, "path")))
        orcid = found.group(1) if found else ""
    given = text_of(dig(data, "person", "name", "given-names", "value"))
    family = text_of(dig(data, "person", "name", "family-name", "value"))
    if orcid:
        out.persons.append((f"{given} {family}".strip(), {"orcid": orcid}))
    groups = dig(data, "activities-summary", "works", "group")
    if groups is None:
        groups = dig(data, "group")
    if not isinstance(groups, list):
        out.notes.append(f"{path}: no works found (neither activities-summary.works.group nor group)")
        return out
    for group in groups:
        summaries = dig(group, "work-summary")
        if not isinstance(summaries, list) or not summaries:
            continue
        summary = summaries[0]  # ORCID groups versions of one work; the first is the preferred one
        put = text_of(dig(summary, "put-code"))
        line = line_at(text, rf'"put-code"\s*:\s*"?{re.escape(put)}\b') if put else 1
        out.works.append(_orcid_work(summary, path, line))
    return out


def _orcid_work(summary: Any, path: str, line: int) -> Work:
    kind = text_of(dig(summary, "type")).lower().replace("_", "-")
    fields: dict[str, str] = {}
    title = text_of(dig(summary, "title", "title", "value"))
    if title:
        fields["title"] = escape(title)
    year = text_of(dig(summary, "publication-date", "year", "value"))
    if year:
        fields["year"] = year
    journal = text_of(dig(summary, "journal-title", "value"))
    if journal:
        fields["booktitle" if kind == "conference-paper" else "journal"] = escape(journal)
    notes: list[str] = []
    ids = dig(summary, "external-ids", "external-id")
    for ext in ids if isinstance(ids, list) else []:
        _orcid_id(ext, fields, notes)
    put = text_of(dig(summary, "put-code"))
    work = Work(ORCID_TYPES.get(kind, "misc"), fields, path, line, f"put-code {put}" if put else "", notes)
    if kind and kind not in ORCID_TYPES:
        notes.append(f"ORCID type {kind!r}: imported as @misc")
    return work


def _orcid_id(ext: Any, fields: dict[str, str], notes: list[str]) -> None:
    kind = text_of(dig(ext, "external-id-type")).lower()
    value = text_of(dig(ext, "external-id-normalized", "value")) or text_of(dig(ext, "external-id-value"))
    relation = text_of(dig(ext, "external-id-relationship")).lower()
    if relation and relation != "self":
        return  # "part-of", "version-of": the identifier of another work
    if kind == "doi":
        doi = norm_doi(value)
        if doi is None:
            notes.append(f"doi {value!r} is not a DOI; left out")
        else:
            fields.setdefault("doi", doi)
    elif kind == "arxiv":
        arxiv = norm_arxiv(value, bare=True)
        if arxiv:
            fields.setdefault("eprint", arxiv)
            fields.setdefault("archiveprefix", "arXiv")


# -- OpenAlex -----------------------------------------------------------------------------------------


def read_openalex(data: Any, path: str, text: str = "") -> Read:
    out = Read()
    items = dig(data, "results") if isinstance(data, dict) and "results" in data else data
    for item in items if isinstance(items, list) else [items]:
        full = text_of(dig(item, "id"))
        oid = full.rsplit("/", 1)[-1]
        line = line_at(text, rf'"id"\s*:\s*"{re.escape(full)}"') if full else 1
        if oid.startswith("W"):
            out.works.append(_openalex_work(item, path, line, oid))
        elif oid.startswith("A"):
            _openalex_author(item, path, line, oid, out)
        else:
            out.notes.append(f"{path}:{line}: not an OpenAlex work or author (id {oid or 'missing'}); "
                             "skipped")
    return out


def _openalex_author(item: Any, path: str, line: int, oid: str, out: Read) -> None:
    name = text_of(dig(item, "display_name"))
    if name == "Deleted Author" or (not dig(item, "works_count") and not dig(item, "orcid")
                                     and name.lower().startswith("deleted")):
        out.notes.append(f"{path}:{line}: author {oid} is a deleted-author record; nothing to import")
        return
    ids = {"openalex": oid}
    orcid = text_of(dig(item, "orcid")).rsplit("/", 1)[-1]
    if orcid:
        ids["orcid"] = orcid
    asof = text_of(dig(item, "updated_date"))[:10]
    cited = text_of(dig(item, "cited_by_count"))
    out.persons.append((name, ids))
    if cited:
        out.notes.append(f"{path}:{line}: author {name} ({oid}): cited_by_count {cited} as of {asof or '?'}, "
                         f"works_count {text_of(dig(item, 'works_count')) or '?'} (reported, not stored)")


def _openalex_work(item: Any, path: str, line: int, oid: str) -> Work:
    fields: dict[str, str] = {}
    notes: list[str] = []
    title = text_of(dig(item, "title")) or text_of(dig(item, "display_name"))
    if title:
        fields["title"] = escape(title)
    names = [text_of(dig(a, "author", "display_name")) for a in dig(item, "authorships") or []]
    if any(names):
        fields["author"] = " and ".join("{" + escape(n) + "}" if "," in n else escape(n) for n in names if n)
    if text_of(dig(item, "publication_year")):
        fields["year"] = text_of(dig(item, "publication_year"))
    if text_of(dig(item, "publication_date")):
        fields["date"] = text_of(dig(item, "publication_date"))
    kind = text_of(dig(item, "type"))
    source_type = text_of(dig(item, "primary_location", "source", "type"))
    venue = text_of(dig(item, "primary_location", "source", "display_name"))
    entry = OPENALEX_TYPES.get(kind, "inproceedings" if source_type == "conference" else
                               "article" if kind == "article" and source_type == "journal" else "misc")
    if venue:
        fields["booktitle" if entry in ("inproceedings", "incollection") else "journal"] = escape(venue)
    _openalex_biblio(item, fields)
    doi = norm_doi(text_of(dig(item, "doi")))
    if doi:
        fields["doi"] = doi
    fields["openalex"] = oid
    _openalex_citations(item, fields, notes)
    abstract = _abstract(dig(item, "abstract_inverted_index"))
    if abstract:
        fields["abstract"] = escape(abstract)
    return Work(entry, fields, path, line, oid, notes)


def _openalex_biblio(item: Any, fields: dict[str, str]) -> None:
    volume, issue = text_of(dig(item, "biblio", "volume")), text_of(dig(item, "biblio", "issue"))
    first, last = text_of(dig(item, "biblio", "first_page")), text_of(dig(item, "biblio", "last_page"))
    if volume:
        fields["volume"] = escape(volume)
    if issue:
        fields["number"] = escape(issue)
    if first:
        fields["pages"] = escape(first if last in ("", first) else f"{first}--{last}")


def _openalex_citations(item: Any, fields: dict[str, str], notes: list[str]) -> None:
    cited = dig(item, "cited_by_count")
    if not isinstance(cited, int) or isinstance(cited, bool):
        return
    asof = text_of(dig(item, "updated_date"))[:10]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", asof):
        notes.append("cited_by_count without an updated_date: the count has no date and is not stored")
        return
    fields["citations"] = str(cited)
    fields["citations_asof"] = asof


def _abstract(index: Any) -> str:
    """The abstract OpenAlex stores as word -> positions, in order."""
    if not isinstance(index, dict):
        return ""
    words: dict[int, str] = {}
    for word, positions in index.items():
        for position in positions if isinstance(positions, list) else []:
            if isinstance(position, int) and 0 <= position < 100_000:
                words[position] = str(word)
    return " ".join(words[i] for i in sorted(words))
