"""Chinese names of the kinds of pages, and how names this knowledge base translated are marked.

No source of the knowledge base gives Chinese names for its kinds of pages or its research areas,
so the names here (and the ``name_zh`` of the area pages) are the knowledge base's own translations:
pages show them as such, never as a source's wording, and search indexes them as aliases, so that
a reader typing Chinese finds the English pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

#: kind of page -> its Chinese name (a translation by this knowledge base).
KIND_NAMES_ZH: dict[str, str] = {
    "project": "项目",
    "model": "模型",
    "person": "人物",
    "paper": "论文",
    "news": "新闻",
    "area": "研究方向",
    "source": "来源",
    "page": "页面",
}

#: How the kinds' Chinese names were derived (the ``derived`` note they would carry).
KIND_NAMES_HOW = "translated from the English name by this knowledge base"

#: The mark beside a translated name, and what it says to a screen reader and in its tooltip.
TRANSLATED_MARK = "译"
TRANSLATED_TEXT = "Chinese name translated by this knowledge base, not a source's wording"


def kind_zh(kind: str) -> str | None:
    """The Chinese name of a kind of page, if it has one."""
    return KIND_NAMES_ZH.get(kind)


def name_zh(data: Mapping[str, Any]) -> tuple[str | None, bool]:
    """The Chinese name of an entry or page (``name_zh``) and whether this knowledge base
    translated it (a ``derived`` note explains it) rather than a source stating it."""
    value = data.get("name_zh")
    if not isinstance(value, str) or not value.strip():
        return None, False
    derived = data.get("derived")
    if isinstance(derived, str):  # MyST front matter hands nested values over as JSON text
        try:
            derived = json.loads(derived)
        except ValueError:
            derived = None
    return value.strip(), isinstance(derived, Mapping) and "name_zh" in derived
