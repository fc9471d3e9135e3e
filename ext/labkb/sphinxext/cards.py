"""Cards and grids of entries, built at write time from the ``kb`` domain's records."""

from __future__ import annotations

from docutils import nodes
from sphinx.builders import Builder
from sphinx.errors import NoUri
from sphinx_design.shared import PassthroughTextElement, create_component

from labkb.core.records import EntryRecord
from labkb.core.schema import Project
from labkb.sphinxext import cards_html
from labkb.sphinxext.badges import badge, kind_badge, paragraph, zh
from labkb.sphinxext.nodes import kb_div


def entry_uri(builder: Builder, fromdocname: str, record: EntryRecord) -> str | None:
    try:
        return builder.get_relative_uri(fromdocname, record.docname)
    except NoUri:
        return None


def filter_data(record: EntryRecord) -> dict[str, str]:
    """What the filter bar matches on, as ``data-kb-*`` attributes (escaped by the writer)."""
    entry = record.entry
    project = entry if isinstance(entry, Project) else None
    return {key: value.replace("\x00", "") for key, value in {  # NUL: not a character of HTML
        "id": record.id,
        "kind": record.kind,
        "areas": " ".join(project.areas) if project else "",
        "tags": "|".join(getattr(entry, "tags", [])),
        "status": project.status or "" if project else "",
        "year": str(project.year or "") if project else "",
        "text": " ".join(filter(None, [record.name, project.name_zh if project else None,
                                       entry.summary if entry else None])),
    }.items()}


def card(builder: Builder, fromdocname: str, record: EntryRecord) -> nodes.container:
    """One card: name, kind and year badges, summary, tags; the whole card links to the page."""
    parts = cards_html.card_parts(record)
    title = paragraph(nodes.Text(parts.name), classes=["sd-card-title", "sd-font-weight-bold",
                                                       "kb-card-title"])
    if parts.chinese:
        title += nodes.Text(" ")
        title += zh(parts.chinese, translated=parts.translated)
    meta = [kind_badge(record.kind), *(badge(text, colour, outline=True)
                                       for text, colour in parts.badges)]
    body = create_component("card-body", ["sd-card-body"], children=[
        title,
        paragraph(*meta, classes=["kb-card-meta"]),
        paragraph(nodes.Text(parts.summary), classes=["sd-card-text", "kb-card-summary"]),
    ])
    if parts.tags:
        body += paragraph(*(badge(t, "secondary", outline=True, extra=("kb-tag",))
                            for t in parts.tags), classes=["kb-card-tags"])
    node = create_component("card", ["sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm",
                                     "sd-card-hover", "kb-card"], children=[body])
    uri = entry_uri(builder, fromdocname, record)
    if uri is not None:
        link = nodes.reference("", "", refuri=uri, internal=True,
                               classes=["sd-stretched-link", "sd-hide-link-text"])
        link += nodes.inline("", parts.name)
        node += PassthroughTextElement("", "", link)
    return node


def row_classes(columns: list[int]) -> list[str]:
    """The grid row's classes for the given columns per breakpoint (xs sm md lg)."""
    # sphinx-design has no -xs- column classes: the first count is the unprefixed default
    classes = ["sd-row", "sd-g-3", "sd-g-xs-3", "sd-g-sm-3", "sd-g-md-3", "sd-g-lg-3",
               f"sd-row-cols-{columns[0]}"]
    for size, count in zip(("sm", "md", "lg"), columns[1:], strict=False):
        classes.append(f"sd-row-cols-{size}-{count}")
    return classes


def grid(builder: Builder, fromdocname: str, records: list[EntryRecord],
         columns: list[int]) -> nodes.Element:
    """A responsive sphinx-design grid of cards, or a note when nothing matches.

    For HTML, the grid is its markup (:mod:`labkb.sphinxext.cards_html`); other writers get
    the nodes."""
    if not records:
        return nodes.paragraph("", "No entries yet.", classes=["kb-empty"])
    if builder.format == "html":
        html = cards_html.grid(row_classes(columns), (
            cards_html.column(filter_data(r), cards_html.card(r, entry_uri(builder, fromdocname, r)))
            for r in records))
        return nodes.raw("", html, format="html")
    return grid_nodes(builder, fromdocname, records, columns)


def grid_nodes(builder: Builder, fromdocname: str, records: list[EntryRecord],
               columns: list[int]) -> nodes.Element:
    """The grid as sphinx-design nodes (what :func:`grid` gives writers other than HTML)."""
    row = create_component("grid-row", row_classes(columns))
    for record in records:
        col = kb_div("", classes=["sd-col", "sd-d-flex-row", "kb-card-col"],
                          data=filter_data(record))
        col += card(builder, fromdocname, record)
        row += col
    return create_component("grid-container", ["sd-container-fluid", "sd-sphinx-override",
                                               "sd-mb-4", "kb-grid"], children=[row])
