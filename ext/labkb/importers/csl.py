"""CSL-JSON (reference managers' and Better BibTeX's export) to records.

Dates are taken only when they are one date: a range, a ``circa`` date, a season or a literal date is
reported and left out, since a BibTeX year cannot say it; nothing is guessed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from labkb.importers.scholarly import Read, dig, text_of
from labkb.importers.works import Work, escape, line_at

TYPES = {"article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
         "paper-conference": "inproceedings", "chapter": "incollection", "book": "book",
         "thesis": "phdthesis", "report": "techreport", "manuscript": "unpublished", "webpage": "misc",
         "article": "misc", "dataset": "misc", "software": "misc", "entry": "misc"}
#: CSL variable -> BibTeX field, copied as text (``url``: the characters kept).
FIELDS = {"title": "title", "DOI": "doi", "URL": "url", "volume": "volume", "issue": "number",
          "page": "pages", "publisher": "publisher", "ISSN": "issn", "ISBN": "isbn", "abstract": "abstract",
          "language": "language", "note": "note", "number": "number", "edition": "edition",
          "collection-title": "series", "publisher-place": "address"}
VENUE = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle",
         "techreport": "institution", "misc": "howpublished"}


def read_csl(data: Any, path: str, text: str = "") -> Read:
    out = Read()
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    if not items:
        out.notes.append(f"{path}: not CSL-JSON (a list of items); nothing read")
    for item in items:
        if not isinstance(item, dict):
            out.notes.append(f"{path}: an item that is not an object; skipped")
            continue
        ident = text_of(item.get("id"))
        line = line_at(text, rf'"id"\s*:\s*{re.escape(json.dumps(item.get("id")))}') if ident else 1
        out.works.append(_work(item, path, line, ident))
    return out


def _work(item: dict[str, Any], path: str, line: int, ident: str) -> Work:
    kind = text_of(item.get("type"))
    entry = TYPES.get(kind, "misc")
    fields: dict[str, str] = {}
    notes: list[str] = [] if kind in TYPES else [f"CSL type {kind!r}: imported as @misc"]
    for csl, bib in FIELDS.items():
        value = text_of(item.get(csl))
        if value and bib not in fields:
            fields[bib] = escape(value, url=bib in ("url", "doi"))
    for role in ("author", "editor"):
        names = _names(item.get(role), notes, role)
        if names:
            fields[role] = names
    venue = text_of(item.get("container-title"))
    if venue:
        fields[VENUE.get(entry, "journal")] = escape(venue)
    if "doi" in fields and not re.match(r"10\.\d{4,9}/", fields["doi"]):
        notes.append(f"doi {fields['doi']!r} is a short DOI: kept as written (it cannot be compared "
                     "with a full DOI offline)")
    _date(item.get("issued"), fields, notes)
    accessed = _iso(dig(item, "accessed", "date-parts", 0))
    if accessed:
        fields["urldate"] = accessed
    return Work(entry, fields, path, line, ident, notes)


def _iso(parts: Any) -> str:
    """``YYYY-MM-DD`` of a full CSL date's parts, else ""."""
    texts = [text_of(p) for p in parts] if isinstance(parts, list) and len(parts) == 3 else []
    if not texts or not all(re.fullmatch(r"\d{1,4}", t) for t in texts):
        return ""
    return f"{int(texts[0]):04d}-{int(texts[1]):02d}-{int(texts[2]):02d}"


def _names(value: Any, notes: list[str], role: str) -> str:
    out = []
    for person in value if isinstance(value, list) else []:
        family = text_of(dig(person, "family"))
        given = text_of(dig(person, "given"))
        particle = text_of(dig(person, "non-dropping-particle"))
        literal = text_of(dig(person, "literal"))
        if family:
            full = f"{particle} {family}".strip()
            out.append(escape(full) + (f", {escape(given)}" if given else ""))
        elif literal:
            out.append("{" + escape(literal) + "}")
        else:
            notes.append(f"{role}: a name with neither family nor literal; left out")
    return " and ".join(out)


def _date(issued: Any, fields: dict[str, str], notes: list[str]) -> None:
    """``year`` (and ``month``) from a single CSL date; anything else is reported."""
    if issued is None:
        notes.append("no issued date: no year")
        return
    parts = dig(issued, "date-parts")
    literal = text_of(dig(issued, "literal")) or text_of(dig(issued, "raw"))
    if not isinstance(parts, list) or not parts:
        notes.append(f"issued {literal!r} is not in date-parts: no year" if literal else "issued has no "
                     "date-parts: no year")
        return
    first = parts[0] if isinstance(parts[0], list) else []
    year = text_of(first[0]) if first else ""
    if not re.fullmatch(r"-?\d{1,4}", year):
        notes.append(f"issued date-parts {json.dumps(parts)}: no year")
        return
    if len(parts) > 1:
        notes.append(f"issued is a date range {json.dumps(parts)}: no single year; left out")
        return
    if dig(issued, "circa"):
        notes.append(f"issued is circa {year}: an approximate year; left out")
        return
    if dig(issued, "season") is not None:
        notes.append(f"issued season {text_of(dig(issued, 'season'))}: not a BibTeX field; left out")
    fields["year"] = year
    month = text_of(first[1]) if len(first) > 1 else ""
    if re.fullmatch(r"0?[1-9]|1[0-2]", month):
        fields["month"] = str(int(month))
