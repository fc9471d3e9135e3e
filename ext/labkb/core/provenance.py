"""Where facts come from: source records, the ``sources`` of every entry, and derived values.

A *source* is a document the knowledge base is built from (a lab's home page, a researcher's page,
a profile, an article): a record of its own (``docs/sources/<id>.yaml``) with what the document
states about itself (title, publisher or site, authors, date, URL), never more. Entries cite their
sources with an optional locator (a section name, "Section 03"). A value no source states but that
was derived from one (a year from an arXiv id, a repository from a badge's path, a name inferred
from a link) is listed under ``derived`` with how it was derived, so pages can show it as such.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from labkb.core.fields import EntryId, HttpUrl, Short, Strict, Text
from labkb.core.problems import Problem


def _reference(value: Any) -> Any:
    """``sources: [home]`` is short for ``sources: [{id: home}]``."""
    return {"id": value} if isinstance(value, str) else value


class SourceRef(Strict):
    """One source of an entry, and where in it (optional)."""

    id: EntryId = Field(description="Id of the source (a file of `docs/sources/`).")
    locator: Short | None = Field(None, description="Where in the source: a section, a heading.")


SourceList = list[Annotated[SourceRef, BeforeValidator(_reference)]]
#: A date as a source writes it: a year, a month or a day, optionally with a time.
SourceDate = Annotated[str, BeforeValidator(lambda v: v.isoformat() if isinstance(
    v, datetime.date) else str(v) if isinstance(v, int) else v),
    Field(pattern=r"^\d{4}(-\d{2}(-\d{2}( \d{2}:\d{2})?)?)?$")]
#: Field path (``year``, ``github``, ``links.code``) -> how its value was derived.
Derived = dict[Annotated[str, Field(pattern=r"^[a-z_]+(\.[a-z_]+)?$")], Text]


class SourceDoc(Strict):
    """A source document: what it says about itself, and nothing it does not say."""

    name: Short = Field(description="Its title, as it gives it (or what it is, when untitled).")
    summary: Annotated[str, Field(min_length=1, max_length=1000)] = Field(
        description="What the document is, in one sentence.")
    description: Text | None = Field(None, description="Longer notes (MyST Markdown).")
    type: Short | None = Field(None, description="web page, researcher profile, article, ...")
    publisher: Short | None = Field(None, description="Publisher or site, as stated.")
    authors: list[Short] = Field([], description="Authors, where stated.")
    date: SourceDate | None = Field(None, description="Publication date as stated (YYYY[-MM[-DD "
                                    "[HH:MM]]]).")
    url: HttpUrl | None = Field(None, description="Address, where stated.")
    language: list[Short] = Field([], description="Languages it is written in.")
    tags: list[Short] = Field([], description="Keywords it gives itself.")
    derived: Derived = Field({}, description="Values not stated by the document itself, and how "
                             "they were derived.")


def derived_problems(data: dict[str, Any], path: str, line: int) -> list[Problem]:
    """``derived`` may only explain values the entry has (a stale note would mislead): such a
    note is reported and dropped."""
    out = []
    for key in list(data.get("derived", {})):
        head, _, rest = key.partition(".")
        value = data.get(head)
        if value is None or (rest and not (isinstance(value, dict) and rest in value)):
            out.append(Problem(path, line, f"derived.{key}", f"the entry has no value {key!r} to "
                               "explain; remove the note or add the value", "schema"))
            del data["derived"][key]
    if "derived" in data and not data["derived"]:
        del data["derived"]
    return out


def source_problems(data: dict[str, Any], kind: str, known: frozenset[str] | None, path: str,
                    lines: Any, required: bool = True) -> list[Problem]:
    """An entry without a source, or citing a source that is not a record, is a ``kb.source``
    problem; the entry still builds, without the unknown source. ``known`` None skips the
    look-up (a lone file)."""
    if kind == "source":
        return []
    refs = data.get("sources", [])
    if not refs:
        if not required:
            return []
        return [Problem(path, 1, "sources", "no source: name the documents this entry is based "
                        "on (ids of docs/sources/)", "source")]
    if known is None:
        return []
    out = [Problem(path, lines(("sources", i)), f"sources[{i}]", f"unknown source {ref['id']!r} "
                   "(no file in docs/sources/)", "source")
           for i, ref in enumerate(refs) if ref["id"] not in known]
    data["sources"] = [ref for ref in refs if ref["id"] in known]
    if not data["sources"]:
        del data["sources"]
    return out


def shown_as_derived(value: Any, how: str | None) -> str:
    """A value as a page shows it: marked when it was derived, so that a year taken from an arXiv
    id reads "arXiv 2022" (its posting year), never as the year of a venue."""
    if how is None:
        return str(value)
    return f"arXiv {value}" if "arxiv" in how.casefold() else f"{value} (derived)"
