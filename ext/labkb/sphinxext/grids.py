"""``kb-grid`` and ``kb-card``: placeholders at read time, filled from the domain at write time.

Filling late means a page showing entries is never re-read when an entry changes, only re-written
(see :mod:`labkb.sphinxext.incremental`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from labkb.core.select import SORT_KEYS
from labkb.sphinxext.cards import grid
from labkb.sphinxext.domain import kb_domain, knowledge_base
from labkb.sphinxext.nodes import kb_grid

logger = logging.getLogger(__name__)

FILTER_FIELDS = ("area", "tag", "kind", "status", "year", "source")
_FIELD_OF = {"area": "areas", "tag": "tags", "kind": "kind", "status": "status", "year": "year",
             "source": "source"}


def _csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _columns(value: str | None) -> list[int]:
    parts = (value or "1 2 3 3").split()
    if not 1 <= len(parts) <= 4 or not all(p.isdigit() and 1 <= int(p) <= 12 for p in parts):
        raise ValueError("columns must be 1 to 4 numbers from 1 to 12, e.g. '1 2 3 3'")
    return [int(p) for p in parts]


class _GridBase(SphinxDirective):
    def placeholder(self, selector: dict[str, Any]) -> list[nodes.Node]:
        kb_domain(self.env).note_aggregate(self.env.docname, selector)
        node = kb_grid("", selector=selector)
        self.set_source_info(node)
        return [node]


class GridDirective(_GridBase):
    """A grid of cards for the entries that match every given option.

    Options take comma-separated values (any of them matches): ``:area:``, ``:tag:``, ``:kind:``,
    ``:status:``, ``:year:``, ``:source:`` (entries based on that source record); ``:ids:``
    lists entries explicitly (shown in that order);
    ``:sort:`` is ``name`` (default), ``year``, ``-year`` or ``id``; ``:limit:`` caps the count;
    ``:columns:`` gives columns per breakpoint (xs sm md lg), default ``1 2 3 3``.
    """

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        **{name: directives.unchanged for name in FILTER_FIELDS},
        "ids": directives.unchanged,
        "sort": lambda v: directives.choice(v, SORT_KEYS),
        "limit": directives.positive_int,
        "columns": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        where: dict[str, list[str]] = {}
        for name in FILTER_FIELDS:
            if name in self.options:
                where[_FIELD_OF[name]] = _csv(self.options[name])
        ids = _csv(self.options.get("ids"))
        if ids:
            where["id"] = ids
            for entry_id in ids:
                kb_domain(self.env).note_reference(self.env.docname, entry_id)
        try:
            columns = _columns(self.options.get("columns"))
        except ValueError as exc:
            logger.warning("kb-grid: %s", exc, location=self.get_location(), type="kb",
                           subtype="directive")
            columns = [1, 2, 3, 3]
        selector = {"where": where, "sort": self.options.get("sort", "name"),
                    "limit": self.options.get("limit"), "columns": columns,
                    "keep_order": bool(ids) and "sort" not in self.options}
        return self.placeholder(selector)


class CardDirective(_GridBase):
    """One entry's card: ``kb-card`` with the entry id as argument."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        entry_id = self.arguments[0].strip()
        kb_domain(self.env).note_reference(self.env.docname, entry_id)
        return self.placeholder({"where": {"id": [entry_id]}, "columns": [1, 1, 1, 1],
                                 "single": True})


def fill_grids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: replace each placeholder by the cards it selects."""
    placeholders = list(doctree.findall(kb_grid))
    if not placeholders:
        return
    kb = knowledge_base(app.env)
    for node in placeholders:
        selector = node["selector"]
        records = kb.select(selector)
        if selector.get("single") and not records:
            entry_id = selector["where"]["id"][0]
            logger.warning("kb-card: unknown entry id %r", entry_id, location=node, type="kb",
                           subtype="ref")
            node.replace_self([])
            continue
        found = {r.id for r in records}
        for entry_id in selector["where"].get("id", []) if not selector.get("single") else []:
            if entry_id not in found and entry_id not in kb:
                logger.warning("kb-grid: unknown entry id %r", entry_id, location=node,
                               type="kb", subtype="ref")
        node.replace_self(grid(app.builder, docname, records, selector["columns"]))
