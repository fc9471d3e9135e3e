"""Which .bib records a publication list shows: selectors are plain dicts (they pickle), records
are their summaries (:func:`labkb.core.bibdata.summary`), so the build decides what a .bib edit
changes without formatting anything."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from labkb.core import bibdata


def names(value: str | None) -> list[str]:
    """``:author:`` values: name variants separated by ``;`` or new lines, normalised."""
    return [bibdata.name_key(v) for v in re.split(r"[;\n]", value or "") if v.strip()]


def csv(value: str | None) -> list[str]:
    """Comma-separated option values, case-folded."""
    return [v.strip().casefold() for v in (value or "").split(",") if v.strip()]


def pub_matches(selector: Mapping[str, Any], key: str, summary: Mapping[str, Any] | None) -> bool:
    """Whether the record ``key`` (its summary) is in the list ``selector`` describes."""
    if summary is None:
        return False
    where = selector["where"]
    if "keys" in where and key.casefold() not in where["keys"]:
        return False
    if "area" in where and not set(where["area"]) & set(summary["areas"]):
        return False
    if "author" in where or "person" in where:  # either names an author or lists the person
        by_name = bool(set(where.get("author", [])) & set(summary["authors"]))
        by_id = bool(set(where.get("person", [])) & set(summary["people"]))
        if not (by_name or by_id):
            return False
    if "year" in where and str(summary["year"]) not in where["year"]:
        return False
    return not (where.get("selected") and not summary["selected"])
