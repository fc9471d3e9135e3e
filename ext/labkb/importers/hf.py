"""Hugging Face model cards (README.md: YAML front matter + Markdown) to model entries and back.

Sections follow the Hub's template (``huggingface_hub/templates/modelcard_template.md``) so an exported
card reads like any other; import keeps what maps and reports the rest instead of guessing. Nothing
here imports huggingface_hub: it is only a test dependency that checks the output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from labkb.core.hfcard import (
    FACTS,
    ITEM_SECTIONS,
    LIST_SECTIONS,
    META_LISTS,
    META_SCALARS,
    SOURCE_LINKS,
    TEXT_SECTIONS,
)
from labkb.core.loader import Loaded, load_yaml
from labkb.core.problems import Problem, field_path
from labkb.importers.hfbody import (
    INTRO_TITLES,
    SKIPPED,
    bold_heading,
    file_name,
    is_prose,
    plain,
    slug,
    to_myst,
)
from labkb.importers.hfindex import model_index, results_table

#: Text the template fills in when a value is missing: dropped, never imported.
PLACEHOLDER_RE = re.compile(r"\[More Information Needed\]|\{\{.*?\}\}|\{%.*?%\}", re.I | re.S)
BOILERPLATE = (
    "Use the code below to get started with the model.",
    "Users (both direct and downstream) should be made aware of the risks, biases and limitations of "
    "the model. More information needed for further recommendations.",
    "Carbon emissions can be estimated using the [Machine Learning Impact calculator]"
    "(https://mlco2.github.io/impact#compute) presented in [Lacoste et al. (2019)]"
    "(https://arxiv.org/abs/1910.09700).",
)
FRONT_RE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
BULLET_RE = re.compile(r"^(\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+)(.*)$")
LABEL_RE = re.compile(r"^\s*(?:[-*+]\s+)?\*\*(?P<label>[^*]+?)(?:\s*\[optional\])?(?::\*\*|\*\*:)\s*"
                      r"(?P<value>.*)$", re.I)
BOLD_RE = re.compile(r"^\*\*(?P<name>.+?)\*\*\s*(?P<rest>.*)$", re.S)
URL_RE = re.compile(r"https?://[^\s)>\]\"']+")


@dataclass
class Section:
    level: int  #: 0 for the text before the first heading
    title: str  #: as written, without "[optional]"
    line: int  #: line of the heading in the card
    body: str  #: cleaned text up to the next heading
    parent: Section | None = None

    @property
    def key(self) -> str:
        return self.title.lower()


@dataclass
class Imported:
    """A model entry read from a card; ``notes`` locate what could not be mapped (for stderr)."""

    path: str
    data: dict[str, Any] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    front: Loaded = field(default_factory=Loaded)
    front_text: str = ""

    def note(self, message: str, line: int, where: tuple[str | int, ...] = ()) -> None:
        self.notes.append(Problem(self.path, line, field_path(where), message, "hf"))

    def front_line(self, loc: tuple[str | int, ...]) -> int:
        """The card line of a front-matter value (the front matter starts on line 2)."""
        return self.front.line(loc) + 1


# -- reading ------------------------------------------------------------------------------------------


def clean(text: str) -> str:
    """Drop comments, template placeholders and boilerplate, and the labels they leave empty."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    for sentence in BOILERPLATE:
        text = text.replace(sentence, "")
    lines = []
    for line in text.split("\n"):
        stripped = PLACEHOLDER_RE.sub("", line)
        if stripped != line and (not stripped.strip() or _label_only(stripped)):
            stripped = ""
        lines.append(stripped if stripped.strip() else "")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _label_only(line: str) -> bool:
    match = LABEL_RE.match(line)
    return match is not None and not match.group("value").strip()


def is_empty(body: str) -> bool:
    return all(not line.strip() or _label_only(line) for line in body.split("\n"))


def split_card(text: str) -> tuple[str | None, list[Section]]:
    """The front matter (or None) and the sections of the Markdown, in order (level 0: before any)."""
    text = text.replace("\r\n", "\n")
    match = FRONT_RE.match(text)
    front = match.group(1) if match else None
    offset = text[: match.end()].count("\n") if match else 0
    body = text[match.end():] if match else text
    sections = [Section(0, "", offset + 1, "")]
    chunks: list[list[str]] = [[]]
    fence = ""
    for number, line in enumerate(body.split("\n"), start=offset + 1):
        opener = re.match(r"^\s{0,3}(`{3,}|~{3,})", line)
        if opener and (not fence or opener.group(1).startswith(fence)):
            fence = "" if fence else opener.group(1)[0] * 3
        heading = None if fence else HEADING_RE.match(line)
        if heading is None:
            chunks[-1].append(line)
            continue
        level = len(heading.group(1))
        title = re.sub(r"\s*\[optional\]\s*", " ", heading.group(2), flags=re.I).strip()
        parent = next((s for s in reversed(sections) if s.level < level), None)
        sections.append(Section(level, title, number, "", parent))
        chunks.append([])
    for section, chunk in zip(sections, chunks, strict=True):
        section.body = clean("\n".join(chunk))
    return front, sections


def blocks(body: str) -> list[str]:
    """Top-level list items and paragraphs, each as one text (continuation lines dedented)."""
    lines, out, i = body.split("\n"), [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        bullet = BULLET_RE.match(lines[i])
        indent = len(bullet.group(1)) if bullet else 0
        chunk = [bullet.group(2) if bullet else lines[i].strip()]
        i += 1
        while i < len(lines):
            line = lines[i]
            if not line.strip():
                j = i
                while j < len(lines) and not lines[j].strip():
                    j += 1
                if bullet and j < len(lines) and _indent(lines[j]) >= indent:
                    chunk += [""] * (j - i)
                    i = j
                    continue
                break
            if bullet and _indent(line) >= indent:
                chunk.append(line[indent:])
            elif BULLET_RE.match(line) or HEADING_RE.match(line):
                break
            else:
                chunk.append(line.strip())
            i += 1
        out.append("\n".join(chunk).strip())
    return [b for b in out if b]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def to_item(text: str) -> dict[str, str]:
    """``**Name:** description`` as written by :func:`export_card`; else the first sentence names it."""
    match = BOLD_RE.match(text)
    if match:
        name, rest = match.group("name").removesuffix(":").strip(), match.group("rest")
        rest = rest.removeprefix(":").strip()
    else:
        sentence = re.match(r"^(.{1,300}?[.!?])(?:\s+|$)(.*)$", text, re.S)
        name, rest = (sentence.group(1), sentence.group(2).strip()) if sentence else (text, "")
        if len(name) > 300:
            name, rest = name[:80].rsplit(" ", 1)[0] + " …", text
    return {"name": name, "description": rest} if rest else {"name": name}


def import_card(text: str, path: str) -> Imported:
    """Map a model card onto model entry fields; ``notes`` says what was dropped and why."""
    out = Imported(path)
    front, sections = split_card(text)
    meta: dict[str, Any] = {}
    if front is not None and front.strip():
        out.front, out.front_text = (loaded := load_yaml(front, path)), front
        out.problems += [Problem(p.path, p.line + 1, p.field, p.message, p.subtype) for p in loaded.problems]
        if isinstance(loaded.data, dict):
            meta = loaded.data
        elif loaded.data is not None:
            out.problems.append(Problem(path, 2, "", "the front matter must be a mapping", "yaml"))
    data = out.data
    title = next((s for s in sections if s.level == 1), None)
    if title is not None:
        data["name"] = re.sub(r"^model card for\s+", "", plain(title.title), flags=re.I).strip()
    intro = blocks(title.body if title else sections[0].body)
    prose = [b for b in intro if is_prose(b)]
    if prose:
        data["summary"] = plain(prose[0])
        intro.remove(prose[0])
    if title:
        intro += blocks(sections[0].body)
    start = title.line if title else sections[0].line
    _map_meta(meta, data, out)
    kept = [text for text in map(to_myst, intro) if text]
    extras = ["\n\n".join(kept)] if kept else []
    if kept:
        out.note(f"text before the first section: kept in the description: {kept[0][:60]}", start)
    _map_sections([s for s in sections[1:] if s is not title], meta, data, out, extras)
    _fallbacks(sections, meta, data, out, start)
    return out


def _fallbacks(sections: list[Section], meta: dict[str, Any], data: dict[str, Any], out: Imported,
               start: int) -> None:
    """A name and a summary from elsewhere in the card, when it has no title or first paragraph."""
    if not data.get("name"):
        index = meta.get("model-index")
        named = index[0].get("name") if isinstance(index, list) and index and isinstance(index[0], dict) \
            else None
        for value, where in ((meta.get("model_name"), "model_name"), (named, "model-index[0].name"),
                             (file_name(out.path), "the file or folder name")):
            if isinstance(value, str) and value.strip():
                data["name"] = value.strip()
                out.note(f"the card has no # title; name taken from {where}", start, ("name",))
                break
    if "summary" in data:
        return
    intro = next((s for s in sections if INTRO_TITLES.search(s.title) and any(map(is_prose, blocks(s.body)))),
                 None)
    candidates = [(b, intro.line, f"section {intro.title!r}") for b in blocks(intro.body)] if intro else []
    candidates += [(b, start, "the description") for b in blocks(data.get("description", ""))]
    found = next(((b, line, where) for b, line, where in candidates if is_prose(b)), None)
    if found is not None:
        data["summary"] = plain(found[0])
        out.note(f"the card has no summary paragraph; taken from {found[2]}", found[1], ("summary",))
    if len(data.get("summary", "")) > 1000:
        cut = data["summary"][:1000]
        end = max(cut.rfind(". "), cut.rfind("。"))
        data["summary"] = cut[: end + 1] if end > 0 else cut.rsplit(" ", 1)[0] + " …"
        out.note("summary: the paragraph is over 1000 characters; its first sentences are kept", start,
                 ("summary",))


def _map_meta(meta: dict[str, Any], data: dict[str, Any], out: Imported) -> None:
    for key in META_SCALARS:
        if meta.get(key) is not None:
            data[key] = meta[key]
    for key in META_LISTS:
        value = meta.get(key)
        if value is not None:
            data[key] = value if isinstance(value, list) else [value]
    if "language" in data:
        data["language"] = [_language(v, i, out) for i, v in enumerate(data["language"])]
    link = data.get("license_link")
    if link is not None and not re.match(r"https?://", str(link)):
        out.note(f"license_link {link!r} is relative to the Hub repository; not kept",
                 out.front_line(("license_link",)), ("license_link",))
        del data["license_link"]
    for key in meta:
        if key not in (*META_SCALARS, *META_LISTS, "model-index"):
            out.note("front matter key not mapped (no such entry field)", out.front_line((key,)), (str(key),))


def _language(value: Any, i: int, out: Imported) -> Any:
    """``- no`` is Norwegian on the Hub (YAML 1.2) but ``False`` in YAML 1.1: read it as the Hub does."""
    if not isinstance(value, bool):
        return value
    listed = isinstance(out.front.data, dict) and isinstance(out.front.data.get("language"), list)
    line = out.front_line(("language", i) if listed else ("language",))
    rows = out.front_text.split("\n")
    written = rows[line - 2] if 0 <= line - 2 < len(rows) else ""
    word = re.sub(r"^\s*(?:language\s*:)?\s*-?\s*", "", written).strip().strip("'\"").lower()
    code = word if word in ("no", "n", "on", "off", "yes", "y") else ("no" if value is False else "")
    out.note(f"YAML 1.1 reads {word or code!r} as {value}; the Hub reads the language code {code!r} "
             f"(Norwegian for 'no'): imported as {code!r}. Quote it in the card: - '{code}'",
             line, ("language", i))
    return code


def _map_sections(sections: list[Section], meta: dict[str, Any], data: dict[str, Any], out: Imported,
                  extras: list[str]) -> None:
    texts: dict[str, list[str]] = {}
    sources: dict[tuple[str, ...], dict[str, str]] = {}
    for section in sections:
        key, body = section.key, section.body
        if key in ("model details", "model description"):
            body = _facts(body, meta, data, out, section.line)
        target = TEXT_SECTIONS.get(key) or LIST_SECTIONS.get(key) or ITEM_SECTIONS.get(key)
        if target is None and key not in ("model sources", "results"):
            target, body = _inherit(section)
        if not body or is_empty(body):
            continue
        if key == "model sources":
            _sources(body, data, out, section.line)
        elif key == "results" or target is None:
            _extra(section, results_table(body, sources) if key == "results" else body, out, extras)
        elif target in TEXT_SECTIONS.values():
            texts.setdefault(target, []).append(body)
        elif target in LIST_SECTIONS.values():
            data.setdefault(target, []).extend(blocks(body))
        else:  # named items; an unknown subsection is one item named by its heading
            named = section.key not in ITEM_SECTIONS
            items = [{"name": section.title, "description": body}] if named else map(to_item, blocks(body))
            data.setdefault(target, []).extend(items)
    if extras:
        texts.setdefault("description", []).extend(extras)
    _fit(texts.get("description", []), out)
    for target, parts in texts.items():
        data[target] = "\n\n".join(to_myst(p) for p in parts if p.strip()) if target == "description" \
            else "\n\n".join(parts)
    if "model-index" in meta:
        data["model-index"] = model_index(meta["model-index"], sources, out)


def _extra(section: Section, body: str, out: Imported, extras: list[str]) -> None:
    """A section with no field of its own goes into the description (navigation and citations do not)."""
    if SKIPPED.search(section.title):
        _note_unmapped(out, section.title, body, section.line)
    elif body.strip() and not is_empty(body):
        extras.append(f"{bold_heading(section.title)}\n\n{to_myst(body)}")
        out.note(f"section kept in the description: {section.title}", section.line)


def _fit(parts: list[str], out: Imported, limit: int = 20000) -> None:
    """Keep the description within the schema's length: whole parts, in order; the rest is noted."""
    total = 0
    for i, part in enumerate(parts):
        total += len(part) + 2
        if total > limit:
            left = [p.split("\n", 1)[0][:60] for p in parts[i:]]
            out.note(f"description: over {limit} characters; left out: {', '.join(left)}", 1,
                     ("description",))
            del parts[i:]
            return


def _inherit(section: Section) -> tuple[str | None, str]:
    """An unknown subsection belongs to the closest mapped ancestor (a heading kept in text)."""
    parent = section.parent
    while parent is not None:
        key = parent.key
        if key in TEXT_SECTIONS:
            heading = "#" * section.level + " " + section.title
            return TEXT_SECTIONS[key], f"{heading}\n\n{section.body}" if section.body else ""
        if key in LIST_SECTIONS or key in ITEM_SECTIONS:
            return LIST_SECTIONS.get(key) or ITEM_SECTIONS[key], section.body
        parent = parent.parent
    return None, section.body


def _note_unmapped(out: Imported, where: str, body: str, line: int) -> None:
    if body.strip() and not is_empty(body):
        first = next(text.strip() for text in body.split("\n") if text.strip() and not _label_only(text))
        out.note(f"section not mapped: {where}: {first[:70]}{'…' if len(first) > 70 else ''}", line)


def _facts(body: str, meta: dict[str, Any], data: dict[str, Any], out: Imported, at: int) -> str:
    """Take "Developed by" into ``organization``; other facts repeat the front matter."""
    kept = []
    for line in body.split("\n"):
        match = LABEL_RE.match(line)
        label = match.group("label").strip().lower() if match else ""
        value = match.group("value").strip() if match else ""
        if label == "developed by":
            data["organization"] = value
        elif label in FACTS and meta.get(FACTS[label]) is not None:
            pass
        elif label in (*FACTS, "model type", "funded by", "shared by"):
            out.note(f"Model Description: {line.strip()}: not mapped", at)
        else:
            kept.append(line)
    return "\n".join(kept).strip()


def _sources(body: str, data: dict[str, Any], out: Imported, at: int) -> None:
    for block in blocks(body):
        match = LABEL_RE.match("- " + block)
        target = SOURCE_LINKS.get(match.group("label").strip().lower()) if match else None
        url = URL_RE.search(match.group("value")) if match else None
        if target and url is not None:
            data.setdefault("links", {})[target] = url.group(0)
        else:
            out.note(f"Model Sources: {block}: not mapped", at)


def card_id(card: Imported) -> str:
    """The entry id of a card: from its name (the # title), ``model_name``, or the folder or file name."""
    meta = card.front.data if isinstance(card.front.data, dict) else {}
    for value in (card.data.get("name"), meta.get("model_name"), file_name(card.path)):
        if isinstance(value, str) and slug(value):
            return slug(value)
    return ""
