"""The news kind: a dated item (``docs/news/<date>-<slug>.yaml``) that reports what a source says
happened on one day, about entries and people. Its timeline and feeds: :mod:`labkb.core.news`."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from pydantic import Field

from labkb.core.fields import EntryId, HttpUrl, Short, Strict
from labkb.core.problems import Problem
from labkb.core.provenance import Derived, SourceList

#: A news item's id: the file name, ``<YYYY-MM-DD>-<slug>``.
NEWS_ID_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9][a-z0-9-]*$")


class News(Strict):
    """A dated news item (``docs/news/<date>-<slug>.yaml``): what a source reports on one day,
    about which entries and people. Not a research entry: no areas, no grids."""

    date: datetime.date = Field(description="The day, YYYY-MM-DD, as its source dates it; the "
                                "file name starts with it.")
    title: Short = Field(description="Headline, plain text.")
    summary: Annotated[str, Field(min_length=1, max_length=1000)] = Field(
        description="One or two plain sentences: what happened.")
    entries: list[EntryId] = Field([], description="Ids of the entries it is about.")
    people: list[EntryId] = Field([], description="Ids of the people it is about (pages of "
                                  "`docs/people/`).")
    link: HttpUrl | None = Field(None, description="Address of the item itself, where a source "
                                 "gives one.")
    sources: SourceList = Field([], description="The documents it is based on: ids of "
                                "`docs/sources/`.")
    derived: Derived = Field({}, description="Values no source states, each with how it was "
                             "derived.")


def news_date_problem(data: dict[str, Any], entry_id: str, path: str, line: int
                      ) -> list[Problem]:
    """The file name's date and the ``date`` field must agree (a feed would disagree with the
    address of the item otherwise)."""
    match = NEWS_ID_RE.match(entry_id)
    if match is None or match.group(1) == data["date"]:
        return []
    return [Problem(path, line, "date", f"the date {data['date']} is not the file name's "
                    f"{match.group(1)}: rename the file or correct the date", "schema")]
