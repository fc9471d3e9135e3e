"""Small sphinx-design-styled pieces shared by cards and entry pages (text nodes only: escaped)."""

from __future__ import annotations

from docutils import nodes

from labkb.core.names_zh import kind_zh
from labkb.sphinxext.nodes import kb_zh

KIND_COLOURS = {"project": "primary", "model": "success"}


def badge(text: str, colour: str = "secondary", *, outline: bool = False,
          extra: tuple[str, ...] = ()) -> nodes.inline:
    """A sphinx-design badge (the classes its ``bdg-*`` roles produce)."""
    if outline:
        classes = ["sd-badge", f"sd-outline-{colour}", f"sd-text-{colour}"]
    else:
        classes = ["sd-badge", f"sd-bg-{colour}", f"sd-bg-text-{colour}"]
    return nodes.inline("", text, classes=["sd-sphinx-override", *classes, *extra])


def zh(text: str, *, translated: bool) -> kb_zh:
    """A Chinese name, marked when this knowledge base translated it."""
    return kb_zh("", text, translated=translated)


def kind_badge(kind: str) -> nodes.inline:
    """The badge of a kind of entry: its English name, and beside it its Chinese name (a
    translation by this knowledge base, marked as such)."""
    node = badge(kind, KIND_COLOURS.get(kind, "secondary"))
    if (chinese := kind_zh(kind)) is not None:
        node += nodes.Text(" ")
        node += zh(chinese, translated=True)
    return node


def button(label: str, url: str, colour: str = "primary") -> nodes.reference:
    """An outline button linking to an external (already validated http/https) URL."""
    ref = nodes.reference("", "", refuri=url,
                          classes=["sd-sphinx-override", "sd-btn", "sd-text-wrap",
                                   f"sd-btn-outline-{colour}", "kb-link"])
    ref += nodes.inline("", label)
    return ref


def paragraph(*children: nodes.Node, classes: list[str] | None = None) -> nodes.paragraph:
    para = nodes.paragraph("", "", classes=classes or [])
    for i, child in enumerate(children):
        if i:
            para += nodes.Text(" ")
        para += child
    return para
