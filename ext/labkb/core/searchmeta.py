"""What the search index is told about one page, beyond its text: its kind, its areas, and the
names it is also known by (aliases), each with the weight it has in the ranking.

Pagefind (the site's search engine) ranks a term found in a page's title or in a weighted element
above one found in its body; the labkb templates write these values as ``data-pagefind-*``
elements. Names and aliases (the Chinese names included) weigh like the title, tags less, the
kind and area words least; the body keeps the default weight.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from labkb.core.glossary_zh import entry_keywords
from labkb.core.names_zh import kind_zh, name_zh

#: Weights of the weighted elements (Pagefind: 0 to 10; a page's h1 weighs 7, its body 1).
WEIGHT_ALIASES = 7.0
WEIGHT_TAGS = 4.0
WEIGHT_CONTEXT = 1.5

#: Where a name's words part, for its initials ("Qwen2.5-Coder": q and c).
_NAME_WORDS = re.compile(r"[\s\-_/()·|,]+")
#: The initials the search box filters by: a letter or digit of the Latin alphabet (a Chinese
#: character is searched as a word).
_INITIAL = re.compile(r"[a-z0-9]")

#: The kinds of page, in the order the search groups results.
GROUP_ORDER = ("area", "project", "model", "person", "paper", "news", "source", "page")


@dataclass(frozen=True)
class Area:
    """A research area as other pages name it: its title and its Chinese name, if any."""

    title: str
    zh: str | None = None


@dataclass(frozen=True)
class SearchMeta:
    """The search index's view of one page."""

    kind: str
    kind_zh: str | None
    areas: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    context: tuple[str, ...] = field(default=())
    #: The page's other names (Chinese name, what a listing lists): the search boosts a page
    #: whose title or other name is the query.
    names: tuple[str, ...] = field(default=())

    def initials(self, first: bool = False) -> tuple[str, ...]:
        """The first letters of the words of the page's title, aliases and names (``first``: of
        the names themselves), lower-cased: a single letter typed in the search box lists the
        pages named with it, then those with a word of a name starting with it (a letter
        searched as a word matches nearly every page, which says nothing)."""
        found: dict[str, None] = {}
        for name in (*self.aliases, *self.names):
            words = [word for word in _NAME_WORDS.split(name.lower()) if word]
            for word in words[:1] if first else words:
                if _INITIAL.fullmatch(word[0]):
                    found.setdefault(word[0], None)
        return tuple(sorted(found))

    def as_template(self) -> dict[str, Any]:
        """Plain values for the page template (escaped there)."""
        return {
            "kind": self.kind, "kind_zh": self.kind_zh or "", "areas": " · ".join(self.areas),
            "names": " | ".join(self.names),
            "weighted": [(WEIGHT_ALIASES, " ".join(self.aliases)),
                         (WEIGHT_TAGS, " ".join(self.tags)),
                         (WEIGHT_CONTEXT, " ".join(self.context))],
        }


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value.strip():
            seen.setdefault(value.strip(), None)
    return tuple(seen)


def entry_meta(kind: str, data: Mapping[str, Any], areas: Iterable[Area]) -> SearchMeta:
    """An entry page: its name and Chinese name as aliases, its tags, its kind and areas."""
    areas = list(areas)
    chinese, _ = name_zh(data)
    return SearchMeta(
        kind=kind, kind_zh=kind_zh(kind),
        areas=_unique(a.title for a in areas),
        aliases=_unique([data.get("name"), chinese]),
        tags=_unique([*(str(t) for t in data.get("tags", [])), *entry_keywords(data)]),
        context=_unique(a.title for a in areas), names=_unique([chinese]))


def page_meta(kind: str, title: str, metadata: Mapping[str, Any]) -> SearchMeta:
    """A page of the site (an area, a person, a list): its title and Chinese name as aliases."""
    chinese, _ = name_zh(metadata)
    return SearchMeta(
        kind=kind, kind_zh=kind_zh(kind),
        areas=(title,) if kind == "area" else (),
        aliases=_unique([title, chinese]), names=_unique([chinese]))


#: The pages kept for each letter (the search box shows the first few; Enter searches them all).
NAMED_KEPT = 20


def name_row(url: str, title: str, meta: SearchMeta) -> list[Any]:
    """What :func:`named_pages` needs of a page (plain values, kept between builds): its URL,
    title, kind, areas, and the initials of its names and of their words."""
    return [url, title, meta.kind, " · ".join(meta.areas), "".join(meta.initials(first=True)),
            "".join(meta.initials())]


def named_pages(rows: Iterable[list[Any]]) -> dict[str, dict[str, Any]]:
    """What a single letter typed in the search box lists, by letter: how many pages are named
    with it and the first :data:`NAMED_KEPT` of them (URL, title, kind, area), those with a name
    starting with it first, each part by title. ``rows``: of :func:`name_row`."""
    by_letter: dict[str, list[tuple[bool, str, str, list[str]]]] = {}
    for url, title, kind, area, firsts, initials in rows:
        for letter in initials:
            by_letter.setdefault(letter, []).append(
                (letter not in firsts, title.lower(), url, [url, title, kind, area]))
    return {letter: {"total": len(found),
                     "pages": [row for *_, row in sorted(found)[:NAMED_KEPT]]}
            for letter, found in sorted(by_letter.items())}
