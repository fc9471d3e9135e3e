"""For machines: ``llms.txt`` (https://llmstxt.org) and one Markdown file per record and person,
written from the validated data (never from the HTML). The same data gives the same bytes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from labkb.core.news import Item
from labkb.core.provenance import shown_as_derived
from labkb.core.records import EntryRecord

LLMS = "llms.txt"
#: Field -> label of the facts list (in this order; the rest of the data follows by schema order).
FACT_LABELS = {
    "name_zh": "Chinese name", "date": "Date", "type": "Type", "publisher": "Publisher",
    "authors": "Authors", "organization": "Organization", "status": "Status", "year": "Year",
    "release_date": "Release date", "venue": "Venue", "areas": "Research areas",
    "people": "People", "entries": "About", "tags": "Tags", "modalities": "Modalities",
    "parameters": "Parameters", "license": "License", "license_name": "License name",
    "license_link": "License link", "language": "Language", "pipeline_tag": "Task",
    "library_name": "Library", "datasets": "Datasets", "base_model": "Base model",
    "papers": "Papers", "related": "Related", "github": "GitHub", "url": "Address",
    "link": "Link", "training_data": "Training data",
}
#: Lists of named items, each a section.
SECTION_LABELS = {
    "variants": "Variants", "architecture": "Architecture", "training_procedure": "Training",
    "capabilities": "Capabilities", "applications": "Applications",
    "significance": "Significance", "limitations": "Bias, risks and limitations",
    "outlook": "Outlook", "intended_uses": "Intended uses",
    "out_of_scope_uses": "Out-of-scope uses", "claims": "Claims",
}
_SKIP = {"name", "title", "summary", "description", "links", "sources", "derived", "model-index"}


_SPACES = re.compile(r"\s+")
_MARKUP = re.compile(r"([\\`*_\[\]<>#|])")


def inline(text: Any) -> str:
    """Plain text on one Markdown line: whitespace folded, Markdown's link and emphasis
    characters escaped (the text is data, not markup). The patterns are compiled once: re's
    cache of 512 is overrun in a build, and they were compiled again for every record."""
    return _MARKUP.sub(r"\\\1", _SPACES.sub(" ", str(text)).strip())


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(inline(v) for v in value)
    return inline(value)


@dataclass
class Page:
    """One record or person as the Markdown file shows it."""

    title: str
    url: str  #: its HTML page
    kind: str
    summary: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)  #: heading, lines

    def markdown(self) -> str:
        lines = [f"# {inline(self.title)}", ""]
        if self.summary:
            lines += [f"> {inline(self.summary)}", ""]
        lines += [f"- Kind: {self.kind}", f"- Page: <{self.url}>"]
        lines += [f"- {label}: {text}" for label, text in self.facts]
        for heading, body in self.sections:
            if body:
                lines += ["", f"## {heading}", "", *body]
        return "\n".join(lines) + "\n"


def _flat(value: Any) -> str:
    """A nested value on one line: ``key: value`` pairs, lists joined."""
    if isinstance(value, dict):
        return "; ".join(f"{inline(k)}: {_flat(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return ", ".join(_flat(v) for v in value)
    return inline(value)


def _items(values: list[Any]) -> list[str]:
    out = []
    for value in values:
        if isinstance(value, dict) and "name" in value:
            rest = {k: v for k, v in value.items() if k != "name"}
            out.append(f"- **{inline(value['name'])}**" + (f": {_flat(rest)}" if rest else ""))
        else:
            out.append(f"- {_flat(value)}")
    return out


def _source_label(source: dict[str, Any]) -> str:
    label = source.get("name") or source.get("bib") or source.get("record") or source.get("url")
    return inline(label) + (f", {inline(source['locator'])}" if source.get("locator") else "")


def _results(data: dict[str, Any]) -> list[str]:
    """Each evaluation number with its benchmark, metric and source (and date, status)."""
    out = []
    for model in data.get("model-index", []):
        for r in model["results"]:
            extra = "".join(f"; {k}: {_flat(r[k])}" for k in ("date", "status", "setting")
                            if r.get(k))
            out += [f"- {inline(model['name'])}: "
                    f"{inline(r['dataset'].get('name') or r['dataset']['type'])} "
                    f"{inline(m['type'])} {inline(m['value'])} (source: "
                    f"{_source_label(r['source'])}{extra})" for m in r["metrics"]]
    return out


def record_basis(record: EntryRecord, url: str, items: list[Item],
                 source_names: Mapping[str, str]) -> tuple[str, tuple[Any, ...]]:
    """The record's summary (for ``llms.txt``), and all :func:`record_page` makes its file from
    (whose digest says whether the file must be made again)."""
    data = record.dump()
    names = [source_names.get(ref.get("id", "")) for ref in data.get("sources", [])]
    return data.get("summary", ""), (record.kind, record.name, data, url, items, names)


def record_page(record: EntryRecord, url: str, items: list[Item],
                source_names: Mapping[str, str]) -> Page:
    """A built record as a :class:`Page` (its fields as the file sets them)."""
    data = record.dump()
    derived = data.get("derived", {})
    page = Page(record.name, url, record.kind, data.get("summary", ""))
    for name, value in data.items():
        if name in _SKIP or name in SECTION_LABELS:
            continue
        text = inline(shown_as_derived(value, derived[name])) if name in derived else _value(value)
        page.facts.append((FACT_LABELS.get(name, name), text))
    for kind, url_ in data.get("links", {}).items():
        page.facts.append((f"Link ({kind})", f"<{url_}>"))
    if data.get("description"):
        page.sections.append(("Description", data["description"].rstrip("\n").split("\n")))
    for name, label in SECTION_LABELS.items():
        if data.get(name):
            page.sections.append((label, _items(data[name])))
    page.sections.append(("Evaluation results", _results(data)))
    page.sections.append(("News and releases", timeline_lines(items)))
    page.sections.append(("Sources", [
        f"- {inline(source_names.get(ref['id'], ref['id']))}"
        + (f" ({inline(ref['locator'])})" if ref.get("locator") else "")
        for ref in data.get("sources", [])]))
    page.sections.append(("Derived values", [f"- {inline(k)}: {inline(v)}"
                                             for k, v in derived.items()]))
    return page


def timeline_lines(items: Iterable[Item]) -> list[str]:
    return [f"- {i.date}{' (year only)' if i.year_only else ''}, {i.kind}: {inline(i.title)}"
            for i in items]


def person_page(name: str, url: str, entries: list[tuple[str, str]], items: list[Item],
                papers: list[tuple[str, str]] | None = None) -> Page:
    """A person: the entries naming them (title, Markdown URL), the .bib records listing them in
    their ``people`` field (key, title) and their news and releases."""
    page = Page(name, url, "person")
    page.sections.append(("Entries", [f"- [{inline(t)}]({u})" for t, u in entries]))
    page.sections.append(("Papers", [f"- {inline(title)} (`{key}`)"
                                     for key, title in papers or []]))
    page.sections.append(("News and releases", timeline_lines(items)))
    return page


def llms_txt(title: str, summary: str, details: str,
             sections: list[tuple[str, list[tuple[str, str, str]]]]) -> str:
    """``llms.txt``: an H1, a blockquote, details, then H2 sections of ``- [name](url): notes``
    (the "Optional" section last, as the format says)."""
    lines = [f"# {inline(title)}", ""]
    if summary:
        lines += [f"> {inline(summary)}", ""]
    if details:
        lines += [details, ""]
    for heading, links in sections:
        if not links:
            continue
        lines += [f"## {heading}", ""]
        lines += [f"- [{inline(name)}]({url})" + (f": {inline(notes)}" if notes else "")
                  for name, url, notes in links]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def md_path(docname: str) -> str:
    """The Markdown file of a page, beside its HTML: ``projects/adan.md``."""
    return f"{docname}.md"


UrlOf = Callable[[str], str]
