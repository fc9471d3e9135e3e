"""The description sanitiser: only what the site writes may run.

A description is the one MyST field of an entry. After parsing, raw HTML is shown as text, links
and images with other schemes than http(s) (``javascript:``, ``data:`` ...) are removed, and so
are ``meta`` tags and files from outside the docs folder (images and downloads); each kind of
removal is one located warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from labkb.core.fields import unsafe_uri

logger = logging.getLogger(__name__)


def outside(env: Any, uri: str) -> bool:
    """Whether a local file reference of the current document resolves outside the sources."""
    if "://" in uri or uri.startswith("data:"):
        return False
    try:
        _, path = env.relfn2path(uri, env.docname)
        return not Path(path).resolve().is_relative_to(Path(env.srcdir).resolve())
    except (OSError, ValueError):  # e.g. a NUL character: no file of ours
        return True


def sanitize(holder: nodes.Element, document: nodes.document, env: Any, location: str) -> None:
    """Clean the parsed description in ``holder`` in place (``document`` for its meta tags)."""
    said: set[str] = set()

    def complain(message: str, subtype: str = "link") -> None:
        if message in said:  # e.g. an rST link and its target
            return
        said.add(message)
        logger.warning("description: %s", message, location=location, type="kb",
                       subtype=subtype)

    for raw in list(holder.findall(nodes.raw)):
        complain("raw HTML is not allowed and was shown as text", "markup")
        text = raw.astext()
        inline = isinstance(raw.parent, nodes.TextElement)
        raw.replace_self(nodes.literal(text, text) if inline else
                         nodes.literal_block(text, text))
    for meta in [*holder.findall(nodes.meta), *document.findall(nodes.meta)]:
        complain("meta tags are not allowed and were removed", "markup")
        meta.parent.remove(meta)
    for node in list(holder.findall(nodes.Element)):
        _clean(node, env, complain)


def _clean(node: nodes.Element, env: Any, complain: Any) -> None:
    """Remove one image, download, link or target the site must not show."""
    if isinstance(node, nodes.image) and (unsafe_uri(node["uri"]) or outside(env, node["uri"])):
        complain(f"image {node['uri']!r} removed: only http(s) URLs and files in the "
                 "docs folder can be shown")
        node.parent.remove(node)
    elif isinstance(node, addnodes.download_reference) and outside(
            env, node.get("reftarget", "")):
        complain(f"download {node['reftarget']!r} removed: only files in the docs "
                 "folder can be offered")
        node.replace_self(nodes.inline("", "", *node.children))
    elif isinstance(node, (nodes.reference, nodes.target)) and unsafe_uri(node.get("refuri", "")):
        complain(f"link {node['refuri']!r} removed: only http(s) and relative links "
                 "are allowed")
        if isinstance(node, nodes.target):
            del node["refuri"]
        else:
            node.replace_self(nodes.inline("", "", *node.children))
