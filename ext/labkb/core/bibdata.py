"""Plain views of BibTeX entries for rendering and selection (no Sphinx): text, people, links."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from typing import Any

from pybtex.backends.plaintext import Backend as PlainText
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer as BibTeXWriter
from pybtex.richtext import Text

from labkb.core.bibnorm import INHERITED

_PLAIN = PlainText()
_WRITER = BibTeXWriter()

#: al-folio's custom fields (and ours) kept out of the copyable BibTeX.
SITE_ONLY_FIELDS = {
    "abbr", "abstract", "additional_info", "altmetric", "annotation", "arxiv", "award",
    "award_name", "bibtex_show", "blog", "code", "google_scholar_id", "html", "inspirehep_id",
    "pdf", "poster", "preview", "selected", "slides", "supp", "video", "website", "keywords",
    "has_code", "affiliations", "citations", "citations_asof", "openalex", "date", "people",
}

#: al-folio's link buttons, in its order: (field, label).
LINK_FIELDS = [("arxiv", "arXiv"), ("html", "HTML"), ("pdf", "PDF"), ("supp", "Supp"),
               ("video", "Video"), ("blog", "Blog"), ("code", "Code"), ("poster", "Poster"),
               ("slides", "Slides"), ("website", "Website"), ("url", "URL"), ("doi", "DOI")]

_HTTP = re.compile(r"^https?://[^\s<>\"']+$")


#: What decoding LaTeX changes: the ASCII characters LaTeX gives a meaning to, and the ligatures
#: of characters that are plain alone (every pair and triple of the others was checked). Text
#: without any is its own plain text, and skips the decoder (about 1 ms a field).
_LATEX = re.compile(r"[\\{}~%$`]|''|,,|--")


@functools.lru_cache(maxsize=1 << 16)
def plain(latex: str) -> str:
    """LaTeX-ish BibTeX text as plain text (braces, accents and macros resolved); remembered, as
    names, venues and keywords repeat across records and decoding LaTeX is slow."""
    if _LATEX.search(latex) is None:
        text = latex
    else:
        try:
            text = Text.from_latex(latex).render(_PLAIN)
        except Exception:  # malformed LaTeX: show it as written rather than fail
            text = latex
    return re.sub(r"\s+", " ", text).strip()


def person_name(person: Person) -> str:
    parts = [*person.first_names, *person.middle_names, *person.prelast_names, *person.last_names]
    return plain(" ".join(parts)).lstrip("*∗ ")


def name_key(name: str) -> str:
    """Normalised form used to match name variants: accents, case and punctuation folded."""
    if "," in name:
        name = person_name(Person(name))
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.findall(r"[\w]+", folded))


def authors(entry: Entry) -> list[str]:
    return [person_name(p) for p in entry.persons.get("author", [])]


def field(entry: Entry, name: str) -> str:
    value = entry.fields.get(name)
    return plain(str(value)) if value else ""


def year(entry: Entry) -> int | None:
    value = entry.fields.get("year", "")
    match = re.search(r"\d{4}", str(value))
    return int(match.group()) if match else None


def keywords(entry: Entry) -> list[str]:
    return [k.strip().casefold() for k in re.split(r"[,;]", entry.fields.get("keywords", ""))
            if k.strip()]


def is_true(entry: Entry, name: str) -> bool:
    return str(entry.fields.get(name, "")).strip().lower() in ("true", "yes", "1")


def venue(entry: Entry) -> str:
    for name in ("journal", "booktitle", "school", "institution", "publisher", "howpublished"):
        if entry.fields.get(name):
            return field(entry, name)
    return ""


def links(entry: Entry) -> list[tuple[str, str]]:
    """The al-folio link buttons of an entry, as (label, http(s) URL); other values are skipped."""
    out: list[tuple[str, str]] = []
    for name, label in LINK_FIELDS:
        value = str(entry.fields.get(name, "")).strip()
        if not value:
            continue
        if name == "arxiv" and not value.startswith("http"):
            value = f"https://arxiv.org/abs/{value}"
        elif name == "doi" and not value.startswith("http"):
            value = f"https://doi.org/{value}"
        if _HTTP.match(value) and value not in [u for _, u in out]:
            out.append((label, value))
    return out


def bibtex(key: str, entry: Entry) -> str:
    """The entry as BibTeX without the site-only fields, as written: its own type and fields,
    not those it renders with (:mod:`labkb.core.bibnorm` maps types and copies crossref fields in)."""
    fields, roles = getattr(entry, INHERITED, ((), ()))
    skip = SITE_ONLY_FIELDS | {f.lower() for f in fields}
    clean = Entry(str(entry.original_type).lower(),
                  fields={k: v for k, v in entry.fields.items() if k.lower() not in skip},
                  persons={r: p for r, p in entry.persons.items() if r not in roles})
    return str(_WRITER.to_string(BibliographyData({key: clean}))).strip()


def summary(key: str, entry: Entry, digest: str | None = None) -> dict[str, Any]:
    """What selection and change detection need to know of an entry (plain, picklable);
    ``digest`` identifies the record's text (computed from the entry when not given)."""
    if digest is None:
        text = _WRITER.to_string(BibliographyData({key: entry}))
        digest = hashlib.sha1(text.encode("utf8")).hexdigest()
    return {
        "key": key,
        "digest": digest,
        "year": year(entry),
        "areas": keywords(entry),
        "authors": [name_key(a) for a in authors(entry)],
        "people": [p.strip().casefold() for p in entry.fields.get("people", "").split(",")
                   if p.strip()],
        "selected": is_true(entry, "selected"),
    }


def view(key: str, entry: Entry) -> dict[str, Any]:
    """Everything a publication list and the export show of a record, as plain text (picklable):
    computed once per record text, since decoding LaTeX and writing BibTeX are slow."""
    return {
        "key": key, "type": entry.type, "title": field(entry, "title"),
        "authors": authors(entry), "year": year(entry), "venue": venue(entry),
        "note": field(entry, "note"), "abbr": field(entry, "abbr"),
        "award": (field(entry, "award_name") or "Award", field(entry, "award"))
        if entry.fields.get("award_name") or entry.fields.get("award") else None,
        "links": links(entry), "abstract": field(entry, "abstract"), "areas": keywords(entry),
        "bibtex": bibtex(key, entry),
    }
