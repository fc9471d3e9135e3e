"""Chinese names beside the English ones on the pages of the site (research areas).

An area page's front matter may give ``name_zh``; with ``derived: {name_zh: how}`` it is this
knowledge base's translation and is marked so. The line is added under the page's title when the
page is read, so the page and its search entry show it.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from labkb.core.names_zh import kind_zh, name_zh
from labkb.sphinxext.badges import zh


def show_page_zh(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: under an area page's title, its kind and its Chinese name."""
    docname = app.env.docname
    folder, _, leaf = docname.rpartition("/")
    if folder != app.config.kb_area_dir or leaf == "index":
        return
    chinese, translated = name_zh(app.env.metadata.get(docname, {}))
    section = next(iter(doctree.findall(nodes.section)), None)
    if chinese is None or section is None or not isinstance(section[0], nodes.title):
        return
    line = nodes.paragraph("", "", classes=["kb-page-zh"])
    line += zh(chinese, translated=translated)
    line += nodes.Text(" · Research area ")
    line += zh(kind_zh("area") or "", translated=True)
    section.insert(1, line)
