"""People as entries: the ``person`` kind, ORCID check digits and the forms of a written name.

A person is a YAML entry (``docs/people/<id>.yaml``) like projects and models, but not a research
entry (no grids, no areas filter): it names the person as sources and author lists write them, the
person's identifiers (ORCID, DBLP, OpenAlex), a role, affiliations as a source states them, and the
figures a profile reports (each with its source and the date it gives, or none).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from labkb.core.fields import EntryId, HttpUrl, Short, Strict, Text
from labkb.core.provenance import Derived, SourceDate, SourceList

ORCID_RE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def orcid_check_digit(base: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 15 digits of an ORCID iD."""
    total = 0
    for char in base:
        total = (total + int(char)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def _orcid(value: str) -> str:
    value = value.removeprefix("https://orcid.org/").removeprefix("http://orcid.org/")
    if not ORCID_RE.match(value):
        raise ValueError("must be an ORCID iD, four groups of four digits: 0000-0002-1825-0097")
    digits = value.replace("-", "")
    expected = orcid_check_digit(digits[:15])
    if digits[15] != expected:
        raise ValueError(f"ORCID iD {value} fails its check digit (ISO 7064 MOD 11-2): the last "
                         f"character should be {expected}; check for a mistyped digit")
    return value


Orcid = Annotated[str, AfterValidator(_orcid)]
Role = Literal["PI", "researcher", "student", "alumni", "external"]
#: Which figure computed from the records a reported figure is shown beside.
Computed = Literal["papers", "citations", "h-index", "category"]


class Affiliation(Strict):
    """An affiliation exactly as one source states it."""

    name: Short = Field(description="The affiliation as the source writes it.")
    source: EntryId = Field(description="Id of the source that states it.")
    locator: Short | None = Field(None, description="Where in the source.")


class Figure(Strict):
    """A figure a profile reports about the person (h-index, citations ...), never computed."""

    name: Short = Field(description="The figure's name as the source gives it, e.g. h-index.")
    value: int | float | Short = Field(description="The value as stated.")
    source: EntryId = Field(description="Id of the source that reports it.")
    as_of: SourceDate | None = Field(None, description="The date the source gives for it; "
                                     "leave out when it gives none (shown as unknown).")
    compare: Computed | None = Field(None, description="The figure computed from the records to "
                                     "show beside it: papers, citations, h-index or category.")


class Person(Strict):
    """A person: a researcher of the lab, a co-author, an author of a source."""

    name: Short = Field(description="Display name, in English order (given name first).")
    name_zh: Short | None = Field(None, description="Chinese name, in characters.")
    name_variants: list[Short] = Field([], description="Other ways author lists write the name: "
                                       "\"Zhou, Pan\", \"P. Zhou\", characters.")
    distinct_from: list[EntryId] = Field([], description="Ids of other people who share a written "
                                         "name with this one but are someone else.")
    summary: Annotated[str, Field(min_length=1, max_length=1000)] = Field(
        description="One or two plain sentences, shown on cards.")
    description: Text | None = Field(None, description="The page's prose, MyST Markdown; a "
                                     "`kb-publications` in it places the publication list, "
                                     "else the page ends with one.")
    role: Role | None = Field(None, description="PI, researcher, student, alumni or external.")
    orcid: Orcid | None = Field(None, description="ORCID iD (its check digit is verified).")
    dblp: Annotated[str, Field(pattern=r"^[a-z0-9]+/[A-Za-z0-9-]+(/[A-Za-z0-9-]+)?$")] | None = \
        Field(None, description="DBLP person id, the part after dblp.org/pid/, e.g. 12/3456.")
    openalex: Annotated[str, Field(pattern=r"^A\d+$")] | None = Field(
        None, description="OpenAlex author id, e.g. A5023888391.")
    homepage: HttpUrl | None = Field(None, description="Home page, where a source states it.")
    affiliation: list[Affiliation] = Field([], description="Affiliations, each as a source states "
                                           "it (name, source, locator).")
    areas: list[EntryId] = Field([], description="Research area ids the person's sources name.")
    figures: list[Figure] = Field([], description="Figures a profile reports (name, value, source, "
                                  "as_of, compare), shown beside those computed from the records.")
    sources: SourceList = Field([], description="The documents the entry is based on.")
    derived: Derived = Field({}, description="Values no source states, each with how it was "
                             "derived.")


# -- written names ---------------------------------------------------------------------------------
def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def _english_order(name: str) -> str:
    """``Zhou, Pan`` -> ``Pan Zhou`` (BibTeX's ``Last, First``); other names unchanged."""
    if "," in name:
        last, _, first = name.partition(",")
        return f"{first.strip()} {last.strip()}"
    return name


def full_form(name: str) -> str:
    """The folded form of a written name that two spellings of one name share: English order,
    accents, case and punctuation folded; characters kept and their spaces removed."""
    if _CJK.search(name):
        return "".join(ch for ch in name if not ch.isspace() and ch not in ".,·")
    return " ".join(re.findall(r"\w+", _fold(_english_order(name))))


def is_abbreviated(name: str) -> bool:
    """Whether the given names are written as initials only (``P. Zhou``, ``Zhou, P.``)."""
    words = re.findall(r"[^\s.,]+\.?", _english_order(name))
    return len(words) >= 2 and all(len(w.rstrip(".")) == 1 for w in words[:-1])


def initial_form(name: str) -> str:
    """``Pan Zhou`` and ``P. Zhou`` -> ``p zhou``: initials of the given names, then the family
    name. Matched only against names written with initials: ``Peng Zhou`` is not ``P. Zhou``'s
    person just because the initials agree."""
    if _CJK.search(name):
        return full_form(name)
    words = re.findall(r"\w+", _fold(_english_order(name)))
    if len(words) < 2:
        return " ".join(words)
    return " ".join([*(w[0] for w in words[:-1]), words[-1]])


def written_names(person: Person | Mapping[str, Any]) -> list[str]:
    """Every way a person entry says its name is written: ``name``, ``name_variants``, then
    ``name_zh``. Takes the validated record, or a person file's YAML as loaded (what the importers
    read, before the file is known to validate)."""
    if isinstance(person, Person):
        name, variants, name_zh = person.name, person.name_variants, person.name_zh
    else:
        name, variants = person["name"], person.get("name_variants", [])
        name_zh = person.get("name_zh")
    return [name, *variants, *([name_zh] if name_zh else [])]
