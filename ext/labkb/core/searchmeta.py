"""What the search index is told about one page, beyond its text: its kind, its areas, and the
names it is also known by (aliases), each with the weight it has in the ranking.

Pagefind (the site's search engine) ranks a term found in a page's title or in a weighted element
above one found in its body; the labkb templates write these values as ``data-pagefind-*``
elements. Names and aliases (the Chinese names included) weigh like the title, tags less, the
kind and area words least; the body keeps the default weight.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from labkb.core.glossary_zh import entry_keywords
from labkb.core.names_zh import kind_zh, name_zh

#: Weights of the weighted elements (Pagefind: 0 to 10; a page's h1 weighs 7, its body 1).
WEIGHT_ALIASES = 7.0
WEIGHT_TAGS = 4.0
WEIGHT_CONTEXT = 1.5

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
