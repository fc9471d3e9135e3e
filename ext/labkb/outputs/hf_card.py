"""A Hugging Face model card (README.md) written from a model entry, in the Hub template's sections."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from labkb.core.compare import source_text
from labkb.core.hfcard import EXPORTED, META_LISTS, META_SCALARS, RESULTS_HEADER, SOURCE_LINKS, results_row
from labkb.core.writer import dump_yaml


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


#: What the Hub's model-index holds (huggingface_hub ``repocard_data``); other keys stay in labkb.
HUB_KEYS = {"result": {"task", "dataset", "metrics", "source"}, "source": {"name", "url"},
            "dataset": {"type", "name", "config", "split", "revision"},
            "metric": {"type", "value", "name", "config", "verified"}}


def _hub_keys(result: dict[str, Any], left: set[str]) -> None:
    """Drop from ``result`` (in place) what the Hub's model-index has no key for."""
    for key in set(result) - HUB_KEYS["result"]:
        left.add(key)
        del result[key]
    for part in ("source", "dataset"):
        for key in set(result[part]) - HUB_KEYS[part]:
            left.add(f"{part}.{key}")
            del result[part][key]
    for metric in result["metrics"]:
        for key in set(metric) - HUB_KEYS["metric"]:
            left.add(f"metrics.{key}")
            del metric[key]


def _hub_model_index(index: list[dict[str, Any]], notes: list[str]) -> list[dict[str, Any]]:
    """The Hub requires a dataset name and a url for a source: fill the one, move the other."""
    index = copy.deepcopy(index)
    moved = named = 0
    left: set[str] = set()
    for entry in index:
        for result in entry["results"]:
            if not result["source"].get("name"):
                result["source"]["name"] = source_text(result["source"])
            _hub_keys(result, left)
            if "name" not in result["dataset"]:
                result["dataset"]["name"] = result["dataset"]["type"]
                named += 1
            if "url" not in result["source"]:
                del result["source"]
                moved += 1
    if named:
        notes.append(f"model-index: {named} datasets without a name are named by their type "
                     "(the Hub needs one)")
    if left:
        notes.append("model-index: not in the Hub's model-index, kept in the entry only: "
                     + ", ".join(sorted(left)))
    if moved:
        notes.append(f"model-index: {moved} sources have no url, which the Hub requires: they are "
                     "listed in the Results table only (import-hf reads them back)")
    return index


def _table(index: list[dict[str, Any]]) -> str:
    rows = []
    for entry in index:
        for result in entry["results"]:
            source = result["source"]
            name = source_text(source)
            cell = f"[{name}]({source['url']})" if source.get("url") else name
            rows += [[*results_row(entry["name"], result, m), cell] for m in result["metrics"]]
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
    (:func:`labkb.core.bibdata.bibtex`), by case-folded key: a card is for readers too, so the
    site-only fields (``keywords``, ``people``, ``citations``, al-folio's) stay out. The first
    definition of a key wins, as in the build."""
    from labkb.core.bibcheck import parse_lenient  # pybtex: only for export-hf
    from labkb.core.bibdata import bibtex

    out: dict[str, str] = {}
    for path, text in files:
        for key, entry in parse_lenient(text, path)[0].entries.items():
            out.setdefault(key.casefold(), bibtex(key, entry))
    return out
