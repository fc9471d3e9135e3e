"""Cards as HTML text: the markup the HTML writer makes of :func:`labkb.sphinxext.cards.card`,
without building and translating a node tree per card.

An index at institute scale shows thousands of cards, and every edit of an entry re-writes it:
building and translating their nodes was most of such a build. ``tests/test_cards_html.py``
holds the two renderings equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from labkb.core.names_zh import kind_zh, name_zh
from labkb.core.newsitem import News
from labkb.core.provenance import shown_as_derived
from labkb.core.records import EntryRecord
from labkb.core.schema import Project
from labkb.sphinxext.badges import KIND_COLOURS
from labkb.sphinxext.html_text import encode, start, translated_mark


def zh(text: str, *, translated: bool) -> str:
    return (start("span", ["kb-zh"], lang="zh-Hans") + encode(text)
            + (translated_mark() if translated else "") + "</span>")


def badge(text: str, colour: str = "secondary", *, outline: bool = False,
          extra: tuple[str, ...] = (), inner: str = "") -> str:
    """A sphinx-design badge, as ``badges.badge`` makes it."""
    kind = [f"sd-outline-{colour}", f"sd-text-{colour}"] if outline else \
        [f"sd-bg-{colour}", f"sd-bg-text-{colour}"]
    return (start("span", ["sd-sphinx-override", "sd-badge", *kind, *extra]) + encode(text)
            + inner + "</span>")


def kind_badge(kind: str) -> str:
    chinese = kind_zh(kind)
    return badge(kind, KIND_COLOURS.get(kind, "secondary"),
                 inner=" " + zh(chinese, translated=True) if chinese is not None else "")


def paragraph(classes: list[str], *parts: str) -> str:
    return start("p", classes) + " ".join(parts) + "</p>\n"


#: How many tags a card shows (the page shows all).
CARD_TAGS = 4


class CardParts(NamedTuple):
    """What a card shows, for both renderings (this module's and ``cards.card``'s nodes)."""

    name: str
    chinese: str | None
    translated: bool  #: the Chinese name is this knowledge base's translation
    badges: list[tuple[str, str]]  #: (text, colour) of the outline badges after the kind's
    summary: str
    tags: list[str]


def card_parts(record: EntryRecord) -> CardParts:
    """Name, Chinese name, year and status badges, summary and the first tags of an entry."""
    entry = record.entry
    if entry is None or isinstance(entry, News):
        raise ValueError(f"{record.id} did not build or is a news item: it has no card")
    chinese, translated, badges = None, False, []
    if isinstance(entry, Project):
        chinese, translated = name_zh({"name_zh": entry.name_zh, "derived": entry.derived})
        if entry.year:
            badges.append((shown_as_derived(entry.year, entry.derived.get("year")), "secondary"))
        if entry.status:
            badges.append((entry.status, "info"))
    return CardParts(entry.name, chinese or None, translated, badges, entry.summary,
                     list(getattr(entry, "tags", []))[:CARD_TAGS])


def card(record: EntryRecord, uri: str | None) -> str:
    """One card (see :func:`labkb.sphinxext.cards.card`)."""
    parts = card_parts(record)
    title = encode(parts.name)
    if parts.chinese:
        title += " " + zh(parts.chinese, translated=parts.translated)
    meta = [kind_badge(record.kind), *(badge(text, colour, outline=True)
                                       for text, colour in parts.badges)]
    body = [paragraph(["sd-card-title", "sd-font-weight-bold", "kb-card-title"], title),
            paragraph(["kb-card-meta"], *meta),
            paragraph(["sd-card-text", "kb-card-summary"], encode(parts.summary))]
    if parts.tags:
        body.append(paragraph(["kb-card-tags"], *(badge(t, "secondary", outline=True,
                                                        extra=("kb-tag",)) for t in parts.tags)))
    link = "" if uri is None else (
        start("a", ["sd-stretched-link", "sd-hide-link-text", "reference", "internal"],
              href=uri or "#") + "<span>" + encode(parts.name) + "</span></a>")
    return (start("div", ["sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm",
                          "sd-card-hover", "kb-card", "docutils"]) + "\n"
            + start("div", ["sd-card-body", "docutils"]) + "\n" + "".join(body) + "</div>\n"
            + link + "</div>\n")


def column(data: dict[str, str], inner: str) -> str:
    """The grid column around a card, with the filter bar's ``data-kb-*`` attributes."""
    attributes = {f"data-kb-{k}": v for k, v in data.items()}
    return start("div", ["sd-col", "sd-d-flex-row", "kb-card-col"], **attributes) + inner + \
        "</div>\n"


def grid(row_classes: list[str], columns: Iterable[str]) -> str:
    """The sphinx-design grid container and row around the columns."""
    return (start("div", ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4", "kb-grid",
                          "docutils"]) + "\n"
            + start("div", [*row_classes, "docutils"]) + "\n" + "".join(columns)
            + "</div>\n</div>\n")
