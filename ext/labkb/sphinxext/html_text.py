"""HTML text written as docutils' HTML writer writes it, for markup made without nodes.

Escaping is docutils' own (``HTMLTranslator.special_characters``), so text from data is escaped
exactly as it is in the rest of the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docutils.nodes import unescape
from docutils.writers._html_base import HTMLTranslator

from labkb.core.names_zh import TRANSLATED_MARK, TRANSLATED_TEXT

_SPECIAL = HTMLTranslator.special_characters
#: ``attval``'s whitespace (``[\n\r\t\v\f]`` to a space) and escaping, as one table
_ATTRIBUTE = {**_SPECIAL, **{ord(c): " " for c in "\n\r\t\v\f"}}
#: A character that the two change (NUL, which ``unescape`` drops, and the tables' keys): text
#: without one is returned as it is, ten times sooner than translated (most class names and
#: addresses of a card have none, and a listing page writes thousands of cards).
_CHANGED = re.compile("[\x00" + re.escape("".join(map(chr, _ATTRIBUTE))) + "]")


def encode(text: str) -> str:
    """Text content, as the writer writes a text node: NUL characters dropped (docutils'
    ``unescape``, which ``Text.astext`` applies), then escaped as ``HTMLTranslator.encode`` does."""
    text = str(text)
    return text if _CHANGED.search(text) is None else unescape(text).translate(_SPECIAL)


def attval(text: str) -> str:
    """An attribute value, cleansed and escaped as ``HTMLTranslator.attval`` does."""
    text = str(text)  # a raw node is written unescaped
    return text if _CHANGED.search(text) is None else unescape(text).translate(_ATTRIBUTE)


def start(tag: str, classes: Iterable[str] = (), **attributes: str) -> str:
    """A start tag with sorted attributes, as ``HTMLTranslator.starttag`` writes it."""
    atts = dict(attributes)
    if names := " ".join(classes):
        atts["class"] = names
    return "<" + " ".join([tag, *(f'{k}="{attval(v)}"' for k, v in sorted(atts.items()))]) + ">"


def translated_mark() -> str:
    """What follows a Chinese name this knowledge base translated (see ``nodes.kb_zh``)."""
    return (f'<sup class="kb-translated" title="{attval(TRANSLATED_TEXT)}" '
            f'aria-hidden="true">{TRANSLATED_MARK}</sup>'
            f'<span class="visually-hidden"> ({encode(TRANSLATED_TEXT)})</span>')
