"""Atom 1.0 feeds (RFC 4287) of the timeline (:mod:`labkb.core.news`), with ``xml.etree``.

Everything in a feed comes from the data: ids are ``tag:`` URIs (RFC 4151) built from the
configured authority and the item's key, so they never change with the site's address; every
``updated`` is an item's date (a feed's is its newest item's), never the build time. The same data
gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from labkb.core.news import SITE, Item

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml"
#: Feed files, relative to the output folder.
FEED_DIR = "feeds"


def feed_path(key: str) -> str:
    """``site`` -> ``feeds/site.xml``; ``area/vision`` -> ``feeds/area/vision.xml``."""
    return f"{FEED_DIR}/{key}.xml"


@dataclass(frozen=True)
class FeedMeta:
    """What a feed says about itself."""

    key: str
    title: str
    page_url: str  #: the page the feed belongs to
    self_url: str  #: the feed's own address
    author: str


def tag_uri(authority: str, specific: str) -> str:
    """``tag:<authority>:<specific>`` (the authority is ``name,date``, RFC 4151)."""
    return f"tag:{authority}:{specific}"


#: Characters XML 1.0 does not allow (a YAML string may hold them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    node.text = _NOT_XML.sub("\ufffd", text)
    return node


def _entry(feed: ET.Element, item: Item, authority: str, url: Callable[[str], str],
           sources: Mapping[str, str]) -> None:
    entry = ET.SubElement(feed, "entry")
    _text(entry, "id", tag_uri(authority, item.key))
    _text(entry, "title", item.title, type="text")
    _text(entry, "updated", item.timestamp)
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html",
                                  "href": url(item.target)})
    ET.SubElement(entry, "category", {"term": item.kind})
    if item.entry_kind != "news":
        ET.SubElement(entry, "category", {"term": item.entry_kind})
    summary = item.summary
    if item.year_only:
        summary += " (The timestamp of this entry is the first day of that year.)"
    if item.sources:
        summary += " Sources: " + "; ".join(sources.get(s, s) for s in item.sources) + "."
    _text(entry, "summary", summary, type="text")


def atom(meta: FeedMeta, items: list[Item], authority: str, url: Callable[[str], str],
         sources: Mapping[str, str] | None = None) -> str:
    """One feed as text. ``items`` newest first and not empty; ``url(id)`` is the address of a
    record's page; ``sources`` names the source ids."""
    if not items:
        raise ValueError("a feed needs an item: its updated date comes from the items")
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _text(feed, "id", tag_uri(authority, f"feed/{meta.key}"))
    _text(feed, "title", meta.title, type="text")
    _text(feed, "updated", max(i.timestamp for i in items))
    author = ET.SubElement(feed, "author")
    _text(author, "name", meta.author)
    ET.SubElement(feed, "link", {"rel": "self", "type": ATOM_TYPE, "href": meta.self_url})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html",
                                 "href": meta.page_url})
    _text(feed, "generator", "labkb")
    for item in items:
        _entry(feed, item, authority, url, sources or {})
    ET.indent(feed, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") \
        + "\n"


def feed_title(site: str, key: str, names: dict[str, str]) -> str:
    """``OpenMOSS knowledge base: Multimodal Large Models`` (``names`` maps keys to titles)."""
    site = " ".join(site.split())
    if key == SITE:
        return f"{site}: news and releases"
    return f"{site}: {names.get(key, key.split('/', 1)[-1])}"
