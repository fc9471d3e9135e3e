"""Hugging Face model cards (README.md: YAML front matter + Markdown) to model entries and back.

Sections follow the Hub's template (``huggingface_hub/templates/modelcard_template.md``) so an exported
card reads like any other; import keeps what maps and reports the rest instead of guessing. Nothing
here imports huggingface_hub: it is only a test dependency that checks the output.
"""

from __future__ import annotations

import copy
import re
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import BaseModel

from .loader import Loaded, load_yaml
from .problems import Problem, field_path
from .schema import Model, ModelIndex

#: Front-matter keys copied as they are (lists accept a single string on the Hub).
META_SCALARS = ("license", "pipeline_tag", "library_name")
META_LISTS = ("language", "datasets", "base_model", "tags")
#: Template section (normalized title) -> entry field, by the kind of value it holds.
TEXT_SECTIONS = {"model details": "description", "model description": "description",
                 "training data": "training_data"}
LIST_SECTIONS = {"uses": "intended_uses", "direct use": "intended_uses", "downstream use": "intended_uses",
                 "out-of-scope use": "out_of_scope_uses"}
ITEM_SECTIONS = {"bias, risks, and limitations": "limitations", "training procedure": "training_procedure",
                 "model architecture and objective": "architecture"}
SOURCE_LINKS = {"repository": "code", "paper": "paper", "demo": "demo"}
#: "- **Label:** value" lines of Model Description: who developed it, or what the front matter says.
FACTS = {"language(s) (nlp)": "language", "license": "license", "finetuned from model": "base_model"}
#: Entry fields a card carries both ways (of ``links``: code, paper, demo); papers are only exported.
MAPPED = ("name", "summary", "description", "organization", "links", "intended_uses", "out_of_scope_uses",
          "limitations", "training_data", "training_procedure", "architecture", *META_SCALARS, *META_LISTS,
          "model-index")
EXPORTED = {*MAPPED, "papers"}
DEFAULT_SOURCE = {"name": "Hugging Face model card"}
RESULTS_HEADER = ["Model", "Task", "Dataset", "Metric", "Value", "Source"]
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
        out.front = loaded = load_yaml(front, path)
        out.problems += [Problem(p.path, p.line + 1, p.field, p.message, p.subtype) for p in loaded.problems]
        if isinstance(loaded.data, dict):
            meta = loaded.data
        elif loaded.data is not None:
            out.problems.append(Problem(path, 2, "", "the front matter must be a mapping", "yaml"))
    data = out.data
    title = next((s for s in sections if s.level == 1), None)
    if title is not None:
        data["name"] = re.sub(r"^model card for\s+", "", title.title, flags=re.I).strip()
    intro = blocks(title.body if title else sections[0].body)
    prose = [b for b in intro if re.match(r"^(?![<|`]|!\[|\[!\[)\W*\w", b)]
    if prose:
        data["summary"] = " ".join(line.strip() for line in prose[0].split("\n"))
        intro.remove(prose[0])
    if title:
        intro += blocks(sections[0].body)
    start = title.line if title else sections[0].line
    _note_unmapped(out, "text before the first section", "\n\n".join(intro), start)
    _map_meta(meta, data, out)
    _map_sections([s for s in sections[1:] if s is not title], meta, data, out)
    if "summary" not in data and data.get("description"):
        data["summary"] = blocks(data["description"])[0].replace("\n", " ")
        out.note("the card has no summary paragraph; taken from the description", start, ("summary",))
    return out


def _map_meta(meta: dict[str, Any], data: dict[str, Any], out: Imported) -> None:
    for key in META_SCALARS:
        if meta.get(key) is not None:
            data[key] = meta[key]
    for key in META_LISTS:
        value = meta.get(key)
        if value is not None:
            data[key] = value if isinstance(value, list) else [value]
    for key in meta:
        if key not in (*META_SCALARS, *META_LISTS, "model-index"):
            out.note("front matter key not mapped (no such entry field)", out.front_line((key,)), (str(key),))


def _map_sections(sections: list[Section], meta: dict[str, Any], data: dict[str, Any], out: Imported) -> None:
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
        elif key == "results":
            _note_unmapped(out, section.title, _results_table(body, sources), section.line)
        elif target is None:
            _note_unmapped(out, section.title, body, section.line)
        elif target in TEXT_SECTIONS.values():
            texts.setdefault(target, []).append(body)
        elif target in LIST_SECTIONS.values():
            data.setdefault(target, []).extend(blocks(body))
        else:  # named items; an unknown subsection is one item named by its heading
            named = section.key not in ITEM_SECTIONS
            items = [{"name": section.title, "description": body}] if named else map(to_item, blocks(body))
            data.setdefault(target, []).extend(items)
    for target, parts in texts.items():
        data[target] = "\n\n".join(parts)
    if "model-index" in meta:
        data["model-index"] = _model_index(meta["model-index"], sources, out)


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


def _cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner)]


def _results_table(body: str, sources: dict[tuple[str, ...], dict[str, str]]) -> str:
    """Read the sources of the table :func:`export_card` writes; return the rest of the text."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line.lstrip().startswith("|") and _cells(line) == RESULTS_HEADER:
            end = i + 2
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                cells = _cells(lines[end])
                if len(cells) == len(RESULTS_HEADER):
                    link = re.fullmatch(r"\[(.+)\]\((https?://\S+)\)", cells[-1])
                    sources[tuple(cells[:-1])] = ({"name": link.group(1), "url": link.group(2)} if link
                                                  else {"name": cells[-1]})
                end += 1
            return "\n".join(lines[:i] + lines[end:]).strip()
    return body


def _row(model: str, result: dict[str, Any], metric: dict[str, Any]) -> list[str]:
    """One Results table row, without the source (also the key the importer matches on)."""
    dataset = result.get("dataset") or {}
    return [str(model), str((result.get("task") or {}).get("type", "")),
            str(dataset.get("name") or dataset.get("type", "")),
            str(metric.get("name") or metric.get("type")), str(metric.get("value"))]


def _model_index(value: Any, sources: dict[tuple[str, ...], dict[str, str]], out: Imported) -> Any:
    """Keep the model-index, minus keys the schema lacks; every result gets a source."""
    if not isinstance(value, list):
        return value
    value = _prune(copy.deepcopy(value), ModelIndex, ("model-index",), out)
    for i, entry in enumerate(value):
        results = entry.get("results") if isinstance(entry, dict) else None
        for j, result in enumerate(results if isinstance(results, list) else []):
            if not isinstance(result, dict) or "source" in result:
                continue
            metrics = [m for m in result.get("metrics") or [] if isinstance(m, dict)]
            source = sources.get(tuple(_row(entry.get("name", ""), result, metrics[0]))) if metrics else None
            result["source"] = source or dict(DEFAULT_SOURCE)
            if source is None:
                loc = ("model-index", i, "results", j)
                out.note(f"no source; set to {DEFAULT_SOURCE['name']!r}", out.front_line(loc), loc)
    return value


def _prune(value: Any, model: type[BaseModel] | None, loc: tuple[str | int, ...], out: Imported) -> Any:
    """Drop mapping keys the pydantic ``model`` does not define (e.g. a metric's ``args``)."""
    if isinstance(value, list):
        return [_prune(v, model, (*loc, i), out) for i, v in enumerate(value)]
    if model is None or not isinstance(value, dict):
        return value
    kept: dict[Any, Any] = {}
    for key, item in value.items():
        info = next((f for n, f in model.model_fields.items() if key in (n, f.alias)), None)
        if info is None:
            out.note("not in the schema; dropped", out.front_line((*loc, key)), (*loc, key))
            continue
        kept[key] = _prune(item, _model_in(info.annotation), (*loc, key), out)
    return kept


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        return next((m for a in typing.get_args(annotation) if (m := _model_in(a))), None)
    return None


# -- writing ------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style; multi-line strings as ``|`` literals, as contributors write them."""


_Dumper.add_representer(str, lambda d, v: d.represent_scalar(
    "tag:yaml.org,2002:str", v, style="|" if "\n" in v else None))


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


def entry_yaml(data: dict[str, Any]) -> str:
    """An entry file's YAML with keys in schema order."""
    order = [info.alias or name for name, info in Model.model_fields.items()]
    ordered = {k: data[k] for k in sorted(data, key=lambda k: order.index(k) if k in order else len(order))}
    return dump_yaml(ordered)




def export_card(data: dict[str, Any], bibtex: dict[str, str]) -> tuple[str, list[str]]:
    """A README.md for ``data`` (a validated model entry) and notes on what it leaves out."""
    left_out = [k for k in data if k not in EXPORTED]
    notes = [f"not exported (no place in a model card): {', '.join(left_out)}"] if left_out else []
    meta = {k: data[k] for k in (*META_SCALARS, *META_LISTS) if data.get(k)}
    if data.get("model-index"):
        meta["model-index"] = _hub_model_index(data["model-index"], notes)
    out = ["---", *([dump_yaml(meta).rstrip()] if meta else []), "---", "", f"# {data['name']}", "",
           data["summary"]]
    facts = [("Developed by", data.get("organization")),
             ("Language(s) (NLP)", ", ".join(data.get("language", []))), ("License", data.get("license")),
             ("Finetuned from model", ", ".join(data.get("base_model", [])))]
    links = data.get("links") or {}
    other_links = [k for k in links if k not in SOURCE_LINKS.values()]
    if other_links:
        notes.append("links not exported (the template has Repository, Paper, Demo): "
                     + ", ".join(other_links))
    sources = [(label.capitalize(), links.get(key)) for label, key in SOURCE_LINKS.items()]
    description = "\n\n".join(p for p in (data.get("description"), _bullets(facts)) if p)
    out += _sections([
        (2, "Model Details", ""), (3, "Model Description", description),
        (3, "Model Sources", _bullets(sources)),
        (2, "Uses", ""), (3, "Direct Use", _list(data.get("intended_uses"))),
        (3, "Out-of-Scope Use", _list(data.get("out_of_scope_uses"))),
        (2, "Bias, Risks, and Limitations", _items(data.get("limitations"))),
        (2, "Training Details", ""), (3, "Training Data", data.get("training_data") or ""),
        (3, "Training Procedure", _items(data.get("training_procedure"))),
        (2, "Evaluation", ""), (3, "Results", _table(data.get("model-index") or [])),
        (2, "Technical Specifications", ""),
        (3, "Model Architecture and Objective", _items(data.get("architecture"))),
        (2, "Citation", _citation(data.get("papers") or [], bibtex, notes)),
    ])
    return "\n".join(out).rstrip() + "\n", notes


def _sections(specs: list[tuple[int, str, str]]) -> list[str]:
    """Headings with their text; a heading is kept only when it or a subsection has text."""
    out: list[str] = []
    for i, (level, title, text) in enumerate(specs):
        below = []
        for deeper, _, sub in specs[i + 1:]:
            if deeper <= level:
                break
            below.append(sub)
        if text or any(below):
            out += ["", "#" * level + " " + title] + (["", text] if text else [])
    return out


def _bullets(pairs: list[tuple[str, str | None]]) -> str:
    return "\n".join(f"- **{label}:** {value}" for label, value in pairs if value)


def _list(values: list[str] | None) -> str:
    """A Markdown list; continuation lines are indented under their item."""
    return "\n".join("- " + "\n".join(("  " + line) if line and n else line
                                       for n, line in enumerate(value.split("\n")))
                     for value in values or [])


def _items(items: list[dict[str, str]] | None) -> str:
    """Items as ``- **Name:** description`` (no colon after a name that ends a sentence)."""
    texts = []
    for item in items or []:
        name, text = item["name"], item.get("description")
        bold = f"**{name}**" if name[-1] in ".!?:" or not text else f"**{name}:**"
        texts.append(f"{bold} {text}" if text else bold)
    return _list(texts)


def _hub_model_index(index: list[dict[str, Any]], notes: list[str]) -> list[dict[str, Any]]:
    """The Hub requires a dataset name and a url for a source: fill the one, move the other."""
    index = copy.deepcopy(index)
    moved = named = 0
    for entry in index:
        for result in entry["results"]:
            if "name" not in result["dataset"]:
                result["dataset"]["name"] = result["dataset"]["type"]
                named += 1
            if "url" not in result["source"]:
                del result["source"]
                moved += 1
    if named:
        notes.append(f"model-index: {named} datasets without a name are named by their type "
                     "(the Hub needs one)")
    if moved:
        notes.append(f"model-index: {moved} sources have no url, which the Hub requires: they are "
                     "listed in the Results table only (import-hf reads them back)")
    return index


def _table(index: list[dict[str, Any]]) -> str:
    rows = []
    for entry in index:
        for result in entry["results"]:
            source = result["source"]
            cell = f"[{source['name']}]({source['url']})" if source.get("url") else source["name"]
            rows += [[*_row(entry["name"], result, m), cell] for m in result["metrics"]]
    if not rows:
        return ""
    lines = [RESULTS_HEADER, ["---"] * len(RESULTS_HEADER), *rows]
    return "\n".join("| " + " | ".join(c.replace("|", "\\|") for c in line) + " |" for line in lines)


def _citation(keys: list[str], bibtex: dict[str, str], notes: list[str]) -> str:
    missing = [k for k in keys if k.casefold() not in bibtex]
    if missing:
        notes.append(f"papers not found in refs/*.bib, not cited: {', '.join(missing)}")
    records = [bibtex[k.casefold()] for k in keys if k.casefold() in bibtex]
    return "**BibTeX:**\n\n```bibtex\n" + "\n\n".join(records) + "\n```" if records else ""


def bib_records(files: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each record of the .bib ``(path, text)`` files as the site's BibTeX disclosure shows it
    (:func:`labkb.bibdata.bibtex`), by case-folded key: a card is for readers too, so the
    site-only fields (``keywords``, ``people``, ``citations``, al-folio's) stay out. The first
    definition of a key wins, as in the build."""
    from .bibcheck import parse_lenient  # pybtex: only for export-hf
    from .bibdata import bibtex

    out: dict[str, str] = {}
    for path, text in files:
        for key, entry in parse_lenient(text, path)[0].entries.items():
            out.setdefault(key.casefold(), bibtex(key, entry))
    return out
