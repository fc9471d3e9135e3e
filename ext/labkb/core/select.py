"""Which entries a grid shows: selectors are plain dicts so they pickle and compare cheaply."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from labkb.core.records import EntryRecord
from labkb.core.schema import ENTRY_KINDS

SORT_KEYS = ("name", "year", "-year", "id")


def _values(record: EntryRecord, field: str) -> set[str]:
    if field == "kind":
        return {record.kind}
    if field == "id":
        return {record.id}
    if field == "source":  # the entries based on a source
        return {ref.id.casefold() for ref in getattr(record.entry, "sources", [])}
    value = getattr(record.entry, field, None)
    if value is None:
        return set()
    if isinstance(value, list):
        return {str(v).casefold() for v in value}
    return {str(value).casefold()}


def matches(selector: Mapping[str, Any], record: EntryRecord | None) -> bool:
    """True when every criterion of ``selector`` accepts ``record`` (values within one are ORed)."""
    if record is None or record.entry is None:
        return False
    where = selector.get("where", {})
    # a selector naming no kind and no id shows research entries, never source records
    if "kind" not in where and "id" not in where and record.kind not in ENTRY_KINDS:
        return False
    return all(_values(record, field) & {w.casefold() for w in wanted} for field, wanted in where.items())


def _year(record: EntryRecord) -> int:
    return getattr(record.entry, "year", None) or 0


def select(selector: Mapping[str, Any], records: Iterable[EntryRecord]) -> list[EntryRecord]:
    """The records a selector shows, sorted and limited as it asks."""
    chosen = [r for r in records if matches(selector, r)]
    sort = selector.get("sort", "name")
    if sort == "id":
        chosen.sort(key=lambda r: r.id)
    else:
        chosen.sort(key=lambda r: (r.name.casefold(), r.id))
        if sort in ("year", "-year"):
            chosen.sort(key=_year, reverse=sort == "-year")
    ids = selector.get("where", {}).get("id")
    if ids and selector.get("keep_order"):
        order = {i: n for n, i in enumerate(ids)}
        chosen.sort(key=lambda r: order.get(r.id, len(order)))
    limit = selector.get("limit")
    return chosen[:limit] if limit else chosen
