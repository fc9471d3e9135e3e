"""News and releases as one dated timeline, and which feed shows which item (no Sphinx).

An item is a news record (``docs/news/<date>-<slug>.yaml``) or a *release* of an entry, dated only
by what the data states:

- the entry's ``release_date`` (a day);
- else each of its papers whose .bib record gives a full date (``date = {YYYY-MM-DD}``): the
  paper's day, as its source dates it (the profile's papers);
- else its ``year``, when a source states it (not a derived one): the item says that only the
  year is known, and its feed timestamp is the first day of that year, said so.

Nothing else dates anything: a derived year (from an arXiv id) is no release date. Feeds are the
site's, one per research area, per person and per kind; a feed exists only when it has an item,
since its ``updated`` must come from the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from labkb.core.newsitem import News
from labkb.core.records import EntryRecord
from labkb.core.schema import Project

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Feed keys: ``site``, ``area/<id>``, ``person/<id>``, ``kind/<kind>``.
SITE = "site"


@dataclass(frozen=True)
class Item:
    """One dated thing the site reports: a news item or a release of an entry."""

    key: str  #: stable, unique: ``news/<id>`` or ``release/<entry>/<what>``
    kind: str  #: ``news`` or ``release``
    date: str  #: as stated: ``YYYY-MM-DD`` (or ``YYYY`` for a year-only release)
    title: str
    summary: str
    target: str  #: the id of the record whose page it links to (the news item, the entry)
    entry_kind: str  #: kind of that record (news, project, model)
    entries: tuple[str, ...] = ()  #: entries it is about (a release: its entry)
    people: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    dated_by: str = ""  #: how the date is known, in words

    @property
    def timestamp(self) -> str:
        """RFC 3339 for Atom: the day at 00:00 UTC (sources give days, not times)."""
        day = self.date if _DAY.match(self.date) else f"{self.date}-01-01"
        return f"{day}T00:00:00Z"

    @property
    def year_only(self) -> bool:
        return not _DAY.match(self.date)

    def shown(self) -> tuple[str, ...]:
        """What a list on a page shows of it (a change elsewhere needs no re-write)."""
        return (self.key, self.kind, self.date, self.title, self.summary, self.target)

    def sort_key(self) -> tuple[str, str]:
        return (self.timestamp, self.key)


@dataclass
class Timeline:
    """Every item, newest first, and the feeds they belong to."""

    items: list[Item] = field(default_factory=list)

    def feed_keys(self, item: Item) -> list[str]:
        keys = [SITE, f"kind/{item.entry_kind}"]
        keys += [f"area/{a}" for a in item.areas]
        keys += [f"person/{p}" for p in item.people]
        return list(dict.fromkeys(keys))

    @cached_property
    def by_record(self) -> dict[str, list[Item]]:
        """Record id -> the items about it (its releases, the news naming it), newest first."""
        out: dict[str, list[Item]] = {}
        for item in self.items:
            for record_id in dict.fromkeys((item.target, *item.entries)):
                out.setdefault(record_id, []).append(item)
        return out

    @cached_property
    def _feeds(self) -> dict[str, list[Item]]:
        out: dict[str, list[Item]] = {}
        for item in self.items:
            for key in self.feed_keys(item):
                out.setdefault(key, []).append(item)
        return dict(sorted(out.items()))

    def feeds(self) -> dict[str, list[Item]]:
        """Feed key -> its items, newest first (only feeds with an item)."""
        return self._feeds

    def about(self, record_id: str) -> list[Item]:
        """The items an entry or news page lists: its releases and the news naming it."""
        return list(self.by_record.get(record_id, []))

    def select(self, scope: Mapping[str, Any]) -> list[Item]:
        """The items a list shows: ``scope`` may give ``entry``, ``person``, ``area``, ``kind``
        (news or release) and ``limit``."""
        chosen = self.items
        if scope.get("entry"):
            chosen = self.by_record.get(scope["entry"], [])
        if scope.get("person"):
            chosen = [i for i in chosen if scope["person"] in i.people]
        if scope.get("area"):
            chosen = [i for i in chosen if scope["area"] in i.areas]
        if scope.get("kind"):
            chosen = [i for i in chosen if i.kind == scope["kind"]]
        limit = scope.get("limit")
        return chosen[:limit] if limit else list(chosen)


def _kind_word(kind: str) -> str:
    return {"project": "project", "model": "model"}.get(kind, "entry")


def releases(record: EntryRecord, papers: Mapping[str, Mapping[str, str]]) -> list[Item]:
    """The dated releases of one research entry; ``papers`` maps case-folded .bib keys to
    ``{"title", "date"}`` of the records that give a full date."""
    entry = record.research
    name, kind = entry.name, record.kind
    common: dict[str, Any] = {
        "kind": "release", "target": record.id, "entry_kind": kind, "entries": (record.id,),
        "people": tuple(entry.people), "areas": tuple(entry.areas),
        "sources": tuple(ref.id for ref in entry.sources)}
    if entry.release_date:
        day = entry.release_date.isoformat()
        return [Item(key=f"release/{record.id}", date=day, title=f"{name} released",
                     summary=f"The {_kind_word(kind)} {name} was released on {day}. "
                             f"{entry.summary}",
                     dated_by="its release date", **common)]
    out = []
    for key in entry.papers:
        paper = papers.get(key.casefold())
        if paper is None:
            continue
        title = paper["title"]
        out.append(Item(key=f"release/{record.id}/{key.casefold()}", date=paper["date"],
                        title=title if title.startswith(f"{name}:") else f"{name}: {title}",
                        summary=f"The paper of the {_kind_word(kind)} {name}, “{title}”, is "
                                f"dated {paper['date']}. {entry.summary}",
                        dated_by="the date its .bib record gives the paper", **common))
    if out:
        return out
    if entry.year and "year" not in entry.derived:
        year = entry.year
        return [Item(key=f"release/{record.id}/year", date=str(year), title=f"{name} ({year})",
                     summary=f"The {_kind_word(kind)} {name} is dated by its year only, {year}: "
                             f"its sources give no month or day. {entry.summary}",
                     dated_by="its year only", **common)]
    return []


def news_item(record: EntryRecord, item: News, entries: Mapping[str, Project]) -> Item:
    """A news record as an item; ``entries`` (id -> research entry) gives the areas and people
    of the entries it names, so it shows in their feeds too."""
    named = [e for e in item.entries if e in entries]
    people = list(item.people)
    areas: list[str] = []
    for entry_id in named:
        people += entries[entry_id].people
        areas += entries[entry_id].areas
    return Item(key=f"news/{record.id}", kind="news", date=item.date.isoformat(),
                title=item.title, summary=item.summary, target=record.id, entry_kind="news",
                entries=tuple(named), people=tuple(dict.fromkeys(people)),
                areas=tuple(dict.fromkeys(areas)), sources=tuple(ref.id for ref in item.sources),
                dated_by="the date of its source")


def timeline(records: Iterable[EntryRecord],
             papers: Mapping[str, Mapping[str, str]]) -> Timeline:
    """Every news item and release of ``records`` (built records), newest first; ties by key,
    so the order never depends on reading order."""
    built = [r for r in records if r.entry is not None]
    entries = {r.id: r.research for r in built if r.is_research}
    items: list[Item] = []
    for record in built:
        if isinstance(record.entry, News):
            items.append(news_item(record, record.entry, entries))
        elif record.is_research:
            items += releases(record, papers)
    items.sort(key=Item.sort_key, reverse=True)
    return Timeline(items)


def dated_papers(records: Iterable[tuple[str, str, str]]) -> dict[str, dict[str, str]]:
    """``(key, title, date)`` of .bib records -> the look-up :func:`releases` takes; only full
    days (``YYYY-MM-DD``) date a release."""
    return {key.casefold(): {"title": title, "date": date} for key, title, date in records
            if _DAY.match(date or "")}
