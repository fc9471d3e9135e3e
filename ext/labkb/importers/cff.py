"""CITATION.cff (Citation File Format 1.2.0) to a project entry and a .bib record.

The file is checked against the CFF 1.2.0 schema first; any break (``date-released: 2020-05-xx``) is
reported at its line and nothing is imported, so no date or field is guessed. Authors become
``people`` where a person page has their name (the rest are named in the notes and in the .bib
record); an entity author is the ``organization``. The citation record is ``preferred-citation``
when there is one, else the software as the file describes it (CFF's message asks for that).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from labkb.core.bibdata import name_key
from labkb.core.cffschema import schema_errors
from labkb.core.loader import Loaded, load_yaml
from labkb.core.problems import Problem, field_path
from labkb.importers.works import Work, escape

#: CFF reference types -> BibTeX.
TYPES = {"article": "article", "conference-paper": "inproceedings", "book": "book", "report": "techreport",
         "thesis": "phdthesis", "software": "software", "software-code": "software", "manual": "manual",
         "proceedings": "proceedings", "unpublished": "unpublished", "dataset": "dataset"}


@dataclass
class CffImport:
    path: str
    data: dict[str, Any] = field(default_factory=dict)
    citation: Work | None = None
    notes: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _dates_as_text(value: Any) -> Any:
    """YAML dates as the ISO text the file holds (the schema checks text, as CFF tools read it)."""
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    return value.isoformat() if isinstance(value, datetime.date) else value


def import_cff(text: str, path: str, people: dict[str, str]) -> CffImport:
    """The entry and citation of a CITATION.cff; ``people``: folded name -> person id."""
    out = CffImport(path)
    loaded = load_yaml(text, path)
    out.problems += loaded.problems
    if out.problems:
        return out
    doc = _dates_as_text(loaded.data)
    if not isinstance(doc, dict):
        out.problems.append(Problem(path, 1, "", "a CITATION.cff is a mapping", "schema"))
        return out
    for loc, message in schema_errors(doc):
        out.problems.append(Problem(path, loaded.line(loc), field_path(loc), f"CFF 1.2.0: {message}",
                                    "schema"))
    if out.problems:
        return out
    _entry(doc, loaded, out, people)
    cited = doc.get("preferred-citation")
    out.citation = _work(cited if isinstance(cited, dict) else doc, path,
                         loaded.line(("preferred-citation",) if isinstance(cited, dict) else ()))
    return out


def _entry(doc: dict[str, Any], loaded: Loaded, out: CffImport, people: dict[str, str]) -> None:
    data = out.data
    data["name"] = str(doc["title"]).strip()
    if doc.get("abstract"):
        data["summary"] = re.sub(r"\s+", " ", str(doc["abstract"])).strip()
    else:
        out.notes.append(Problem(out.path, 1, "summary", "the file has no abstract: pass --summary", "cff"))
    for i, author in enumerate(doc.get("authors") or []):
        _author(author, loaded.line(("authors", i)), out, people)
    released = doc.get("date-released")
    if isinstance(released, str):
        data["release_date"] = released
        data["year"] = int(released[:4])
    links = {}
    code, url = doc.get("repository-code"), doc.get("url")
    if isinstance(code, str):
        links["code"] = code
        found = re.match(r"https?://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$", code)
        if found:
            data["github"] = found.group(1)
    if isinstance(url, str) and url != code:
        links["homepage"] = url
    if links:
        data["links"] = links
    if doc.get("keywords"):
        data["tags"] = [str(k) for k in doc["keywords"]]
    for key in ("version", "license", "doi", "repository-artifact", "identifiers", "references"):
        if doc.get(key) is not None:
            where = "kept in the .bib record" if key in ("version", "doi", "license") else "not imported"
            out.notes.append(Problem(out.path, loaded.line((key,)), key, f"no project field; {where}",
                                     "cff"))


def _author(author: Any, line: int, out: CffImport, people: dict[str, str]) -> None:
    name = _name(author)
    person = people.get(name_key(name)) if name else None
    if person:
        out.data.setdefault("people", []).append(person)
        return
    if isinstance(author, dict) and author.get("name") and "organization" not in out.data:
        out.data["organization"] = str(author["name"])
        return
    out.notes.append(Problem(out.path, line, "authors", f"{name or '(no name)'}: no person page of that "
                             "name; named in the .bib record only", "cff"))


def _name(author: Any) -> str:
    if not isinstance(author, dict):
        return ""
    parts = [author.get("given-names"), author.get("name-particle"), author.get("family-names")]
    return " ".join(str(p) for p in parts if p) or str(author.get("name") or "")


def _work(doc: dict[str, Any], path: str, line: int) -> Work:
    fields: dict[str, str] = {"title": escape(str(doc.get("title", "")))}
    names = []
    for author in doc.get("authors") or []:
        if isinstance(author, dict) and author.get("family-names"):
            family = " ".join(str(p) for p in (author.get("name-particle"), author["family-names"]) if p)
            given = author.get("given-names")
            names.append(escape(family) + (f", {escape(str(given))}" if given else ""))
        elif isinstance(author, dict) and author.get("name"):
            names.append("{" + escape(str(author["name"])) + "}")
    if names:
        fields["author"] = " and ".join(names)
    date = str(doc.get("date-released") or doc.get("date-published") or "")
    year = doc.get("year") or (date[:4] if re.match(r"\d{4}", date) else None)
    if year:
        fields["year"] = str(year)
    for cff, bib in (("version", "version"), ("doi", "doi"), ("url", "url"), ("repository-code", "url"),
                     ("journal", "journal"), ("volume", "volume"), ("issue", "number"),
                     ("publisher", "publisher"),
                     ("license", "license")):
        value = doc.get(cff)
        if isinstance(value, dict):
            value = value.get("name")
        if value is not None and bib not in fields:
            fields[bib] = escape(str(value), url=bib in ("url", "doi"))
    kind = TYPES.get(str(doc.get("type", "software")), "misc")
    return Work(kind, fields, path, line, "")
