"""Docutils building blocks of labkb's pages: sections, lists, field lists and tables built from
plain values (every string a ``Text`` node, escaped by the writer)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docutils import nodes

from labkb.core.schema import Item
from labkb.sphinxext.badges import paragraph


def section(title: str, ident: str) -> nodes.section:
    sec = nodes.section("", ids=[ident], names=[nodes.fully_normalize_name(title)])
    sec += nodes.title("", title)
    return sec


def bullets(items: list[nodes.Node]) -> nodes.bullet_list:
    out = nodes.bullet_list()
    for item in items:
        li = nodes.list_item()
        li += item if isinstance(item, nodes.Body) else paragraph(item)
        out += li
    return out


def named_items(items: Sequence[Item], enumerated: bool = False) -> nodes.Element:
    """Named items as a definition list (or an enumerated list for ordered stages)."""
    if enumerated:
        stages = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
        for item in items:
            li = nodes.list_item()
            para = paragraph(nodes.strong("", item.name))
            if item.description:
                para += nodes.Text(": " + item.description)
            li += para
            stages += li
        return stages
    out = nodes.definition_list(classes=["kb-items"])
    for item in items:
        dli = nodes.definition_list_item()
        dli += nodes.term("", item.name)
        definition = nodes.definition()
        if item.description:
            definition += paragraph(nodes.Text(item.description))
        dli += definition
        out += dli
    return out


def field_list(rows: list[tuple[str, list[nodes.Node]]]) -> nodes.field_list:
    out = nodes.field_list(classes=["kb-facts"])
    for name, value in rows:
        field = nodes.field()
        field += nodes.field_name("", name)
        body = nodes.field_body()
        body += paragraph(*value)
        field += body
        out += field
    return out


def text_list(values: list[Any]) -> list[nodes.Node]:
    return [nodes.Text(", ".join(str(v) for v in values))] if isinstance(values, list) else \
        [nodes.Text(str(values))]


def table(header: list[str], rows: list[list[nodes.Node]], classes: list[str]) -> nodes.table:
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    thead = nodes.thead()
    group += thead
    row = nodes.row()
    for name in header:
        row += nodes.entry("", paragraph(nodes.Text(name)))
    thead += row
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            row += nodes.entry("", paragraph(cell))
        body += row
    return table
