"""A model card's Markdown body as an entry's text: the summary paragraph, the description, the id.

Cards are written for the Hub, not for this site: raw HTML (``<img>``, ``<a>``, ``<details>``,
``<p align>``) becomes Markdown or text, links relative to the Hub repository (``LICENSE``,
``#anchors``) become their text (they would be broken links here), and section headings become bold
lines (a description sits inside an entry page, under its own heading). What a card does not state
is not made up: without a prose paragraph there is no summary.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

#: Section titles whose first paragraph can be the summary when the card has none before them.
INTRO_TITLES = re.compile(r"introduction|model summary|summary|overview|about|model description|"
                          r"简介|介绍|概述|模型介绍|description", re.I)
#: Sections left out of the description: navigation, or what another field holds.
SKIPPED = re.compile(r"table of contents|contents|目录|citation|引用|cite", re.I)
_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")


class _ToMarkdown(HTMLParser):
    """Inline HTML as Markdown: links, images, line breaks, emphasis; other tags as their text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.href: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "img":
            self.out.append(_image(values.get("alt", ""), values.get("src", "")))
        elif tag == "a":
            self.href.append((values.get("href", ""), len(self.out)))
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("b", "strong", "summary"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag in ("p", "div", "details", "li", "tr", "table", "center", "h1", "h2", "h3", "h4"):
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href:
            href, start = self.href.pop()
            text = "".join(self.out[start:])
            del self.out[start:]
            self.out.append(_link(text.strip(), href))
        elif tag in ("b", "strong", "summary"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag in ("p", "div", "details", "tr", "table", "center", "h1", "h2", "h3", "h4"):
            self.out.append("\n\n")
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def _http(url: str) -> bool:
    return re.match(r"https?://[^\s<>\"']+$", url) is not None


def _image(alt: str, src: str) -> str:
    return f"![{alt.strip()}]({src})" if _http(src) else alt.strip()


def _link(text: str, href: str) -> str:
    if not text:
        return ""
    return f"[{text}]({href})" if _http(href) else text


def html_to_markdown(text: str) -> str:
    """Raw HTML in Markdown turned into Markdown or text; code blocks are left alone."""
    parts = re.split(r"(^\s{0,3}(?:```|~~~).*?^\s{0,3}(?:```|~~~)[^\n]*$)", text, flags=re.M | re.S)
    out = []
    for i, part in enumerate(parts):
        if i % 2 or not _TAG.search(part):
            out.append(part)
            continue
        parser = _ToMarkdown()
        try:
            parser.feed(part)
            parser.close()
        except Exception:  # HTMLParser is lenient; anything else: show the text without tags
            out.append(unescape(_TAG.sub("", part)))
            continue
        out.append("".join(parser.out))
    return re.sub(r"\n[ \t]+\n", "\n\n", re.sub(r"\n{3,}", "\n\n", "".join(out)))


def local_links(text: str) -> str:
    """Links and images that are not http(s) (relative to the Hub repository) as their text."""
    def repl(match: re.Match[str]) -> str:
        bang, label, url = match.groups()
        return match.group(0) if _http(url) else label if not bang else label or ""
    return _LINK.sub(repl, text)


def to_myst(text: str) -> str:
    """Card Markdown as description MyST (see the module)."""
    return local_links(html_to_markdown(text)).strip()


def plain(text: str) -> str:
    """Markdown as one line of plain text: links as their text, no emphasis, images or tags."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", html_to_markdown(text))
    text = _LINK.sub(lambda m: m.group(2), text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`)", "", text)
    return re.sub(r"\s+", " ", unescape(text)).strip()


def is_prose(block: str) -> bool:
    """A paragraph of sentences: not a table, code, image, heading, link list or ``Label: link`` line."""
    if re.match(r"^\s*(\||```|~~~|!\[|\[!\[|<img|#|>|\$\$)", block):
        return False
    text = plain(block)
    if re.match(r"^[\w\s-]{1,30}:\s*\S+$", text) and len(text.split()) <= 4:
        return False
    words = len(re.findall(r"[A-Za-z0-9]+", text))
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    return words >= 8 or cjk >= 12 or (words + cjk >= 1 and text.endswith((".", "。", "!", "！", "?", "？")))


def bold_heading(title: str) -> str:
    return f"**{plain(title).rstrip(':：')}**"


def slug(name: str) -> str:
    """An id from a title or repository name: ``Org/My Model-7B`` -> ``my-model-7b``."""
    return re.sub(r"[^a-z0-9]+", "-", name.rsplit("/", 1)[-1].lower()).strip("-")


def file_name(path: str) -> str:
    """The model's repository name from where the card was read: the folder of a ``README.md``,
    else the file name up to its first dot (``deepseek-vl-7b-chat.license-other.md`` ->
    ``deepseek-vl-7b-chat``)."""
    file = Path(path)
    if file.name.lower() == "readme.md":
        return file.resolve().parent.name
    return file.name.split(".", 1)[0]
