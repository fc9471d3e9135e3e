"""Scholarly records as every importer reads them (BibTeX, ORCID, OpenAlex, CSL-JSON), before merging.

A :class:`Work` holds BibTeX fields as BibTeX text (what the source states, escaped where the source
is not BibTeX), with where it was read; the identifiers used to find the same work twice (DOI, arXiv
id, normalised title + first author + year) are derived from those fields, and so is the key, by the
convention of the README ("Papers and publication lists").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pybtex.database import Person

from labkb.core.bibdata import plain

#: Fields whose value is a list of names.
NAME_FIELDS = ("author", "editor")
#: Fields that record where a file lives on the machine that exported the record, always dropped.
MACHINE_FIELDS = ("file",)
#: Words skipped when a key takes the first significant word of a title.
STOPWORDS = frozenset({
    "a", "an", "the", "on", "of", "in", "for", "and", "to", "with", "towards", "toward", "via", "is", "are",
    "from", "at", "by", "as", "how", "what", "when", "why", "do", "does", "can"})
#: Fields of a version of a paper (a preprint's venue is not the published one's): differing values are
#: reported as the other version's, not as conflicts, when a preprint is paired with its publication.
VERSION_FIELDS = frozenset({"journal", "booktitle", "publisher", "volume", "number", "pages", "year",
                            "month", "note", "url", "howpublished", "type", "institution", "date",
                            "issn", "isbn", "series", "address", "organization", "eprinttype",
                            "archiveprefix", "primaryclass", "eprint"})

_DOI_RE = re.compile(r"(10\.\d{4,9}/[^\s\"<>{}]+)", re.I)
_ARXIV_NEW = r"\d{4}\.\d{4,5}"
_ARXIV_OLD = r"[a-z][a-z.\-]+/\d{7}"
_ARXIV_RE = re.compile(r"(?:arxiv[:\s./]*(?:abs/|pdf/)?|arxiv\.org/(?:abs|pdf)/)\s*"
                       rf"({_ARXIV_NEW}|{_ARXIV_OLD})(?:v\d+)?", re.I)
_ARXIV_BARE = re.compile(rf"^\s*({_ARXIV_NEW}|{_ARXIV_OLD})(?:v\d+)?\s*$", re.I)


@dataclass
class Work:
    """One record read from a source file (``line``: where it starts; ``key``: as the source names it)."""

    type: str
    fields: dict[str, str]
    path: str
    line: int
    key: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def line_at(text: str, pattern: str) -> int:
    """The line of the first match of ``pattern`` in ``text`` (1 when there is none)."""
    match = re.search(pattern, text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


# -- identifiers --------------------------------------------------------------------------------------


def norm_doi(value: str) -> str | None:
    """A DOI in lower case without its resolver prefix, or None when ``value`` holds none."""
    match = _DOI_RE.search(value.replace("\\_", "_"))
    if match is None:
        return None
    doi = match.group(1).rstrip(".,;")
    arxiv = re.match(r"10\.48550/arxiv\.(.+)$", doi, re.I)
    return None if arxiv else doi.lower()


def norm_arxiv(value: str, bare: bool = False) -> str | None:
    """The arXiv id (no version) in ``value``: ``arXiv:2101.00001``, an arxiv.org URL, the arXiv DOI,
    or (``bare``, for ``eprint`` and al-folio's ``arxiv`` fields) the id alone."""
    text = value.replace("\\_", "_")
    doi = re.search(r"10\.48550/arxiv\.(\S+?)(?:v\d+)?(?:[\s}]|$)", text + " ", re.I)
    if doi:
        return doi.group(1).lower()
    match = _ARXIV_RE.search(text) or (_ARXIV_BARE.match(text) if bare else None)
    return match.group(1).lower() if match else None


def doi_of(fields: dict[str, str]) -> str | None:
    for name in ("doi", "url"):
        value = fields.get(name)
        if value and (name == "doi" or "doi.org/" in value):
            found = norm_doi(value)
            if found:
                return found
    return None


def arxiv_of(fields: dict[str, str]) -> str | None:
    """The arXiv id stated in ``eprint`` (unless another archive is named), ``arxiv``, ``journal``,
    ``doi`` or a URL field."""
    archive = fields.get("archiveprefix", fields.get("eprinttype", "arxiv")).strip().lower()
    if fields.get("eprint") and archive == "arxiv":
        found = norm_arxiv(fields["eprint"], bare=True)
        if found:
            return found
    if fields.get("arxiv"):
        found = norm_arxiv(fields["arxiv"], bare=True)
        if found:
            return found
    for name in ("journal", "doi", "url", "howpublished", "note", "pdf", "html"):
        found = norm_arxiv(fields.get(name, ""))
        if found:
            return found
    return None


def is_preprint(fields: dict[str, str]) -> bool:
    """An arXiv record: an arXiv (or DBLP's CoRR) venue, or no venue and an arXiv id. Only the venue
    counts, so what a merge adds (an eprint, a DOI) does not change what a record is."""
    venue = " ".join(fields.get(n, "") for n in ("journal", "booktitle", "publisher", "howpublished"))
    if venue.strip():
        return bool(re.search(r"arxiv|\bcorr\b", venue, re.I))
    return arxiv_of(fields) is not None


def fold(text: str) -> str:
    """Plain lower-case ASCII letters and digits of a BibTeX value, for comparison and keys."""
    folded = unicodedata.normalize("NFKD", plain(text).casefold())
    return "".join(c for c in folded if c.isascii() and c.isalnum())


def same_value(a: str, b: str) -> bool:
    """Whether two BibTeX values say the same (braces, accents, case, spacing and punctuation aside)."""
    return fold(a) == fold(b) and (bool(fold(a)) or a.strip() == b.strip())


def people(value: str) -> list[Person]:
    try:
        return [Person(p) for p in re.split(r"\s+and\s+", value.strip()) if p.strip()]
    except Exception:  # pybtex rejects some names (unbalanced braces): no person rather than a crash
        return []


def first_family(fields: dict[str, str]) -> str:
    """The folded family name of the first author ("" when there is none, or ``others``)."""
    names = people(fields.get("author", ""))
    if not names or str(names[0]).strip().lower() == "others":
        return ""
    person = names[0]
    return fold(" ".join(person.last_names) or " ".join(person.first_names))


def year_of(fields: dict[str, str]) -> str:
    match = re.search(r"(?<!\d)(\d{4})(?!\d)", fields.get("year", "") or fields.get("date", ""))
    return match.group(1) if match else ""


def title_key(fields: dict[str, str]) -> tuple[str, str] | None:
    """(folded title, first author's family name), or None without a title."""
    title = fold(fields.get("title", ""))
    return (title, first_family(fields)) if title else None


# -- keys and text ------------------------------------------------------------------------------------


def title_word(fields: dict[str, str]) -> str:
    """The first significant word of the title, folded (``Qwen2-VL:`` -> ``qwen2vl``)."""
    for word in plain(fields.get("title", "")).split():
        folded = fold(word)
        if folded and folded not in STOPWORDS:
            return folded
    return ""


def convention_key(fields: dict[str, str]) -> str:
    """``<family name of the first author><year><first significant title word>`` (``nd``: no year);
    without authors, ``<title word><year>``."""
    family, year, word = first_family(fields), year_of(fields), title_word(fields)
    if family:
        return f"{family}{year or 'nd'}{word}"
    return f"{word or 'untitled'}{year}"


def unique_key(base: str, taken: set[str]) -> str:
    """``base``, or ``base`` + ``b``, ``c``… when another record has it (keys compare case-folded)."""
    if base.casefold() not in taken:
        return base
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if (base + letter).casefold() not in taken:
            return base + letter
    number = 2
    while f"{base}{number}".casefold() in taken:
        number += 1
    return f"{base}{number}"


_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "#": r"\#",
            "$": r"\$", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def escape(text: str, url: bool = False) -> str:
    """Plain text (from JSON or YAML) as a BibTeX value; URLs and DOIs keep their characters."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    if url:
        return text.replace("{", "%7B").replace("}", "%7D")
    return "".join(_SPECIAL.get(c, c) for c in text)


def balanced(value: str) -> bool:
    depth = 0
    for char in value.replace("\\{", "").replace("\\}", ""):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def field_text(name: str, value: str) -> str:
    return f"  {name} = {{{value}}}"


def record_text(work: Work, key: str) -> str:
    """The record as BibTeX text: ``@type{key,`` then one ``name = {value}`` line per field."""
    lines = [field_text(name, value) for name, value in work.fields.items()]
    return f"@{work.type}{{{key},\n" + ",\n".join(lines) + "\n}\n"
