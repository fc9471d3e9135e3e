"""Evaluation results of a model card: its model-index (pruned to the schema, every result with a
source) and the Hub's newer ``.eval_results/*.yaml`` files of a model folder.

An ``.eval_results`` file lists results as ``dataset: {id, task_id, revision}``, ``value``, and
optionally ``source: {url, name, user, org}``, ``date``, ``notes`` and ``verifyToken`` (hub-docs,
``docs/hub/eval-results.md``). Each becomes a model-index result: the task and the metric are named by
the ``task_id`` (the format names no metric), which is also kept as ``dataset.task_id``, the dataset by
its Hub id, and the source is the file's ``source``, else the file itself; ``date``, ``notes`` and
``verifyToken`` are kept as they are, so :mod:`labkb.outputs.hf_eval` writes the same files back.
"""

from __future__ import annotations

import copy
import datetime
import re
import types
import typing
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from labkb.core.hfcard import RESULTS_HEADER, results_row
from labkb.core.loader import load_yaml
from labkb.core.problems import Problem
from labkb.core.results import ModelIndex

DEFAULT_SOURCE = {"name": "Hugging Face model card"}


class Notes(Protocol):
    path: str
    data: dict[str, Any]
    problems: list[Problem]
    notes: list[Problem]

    def note(self, message: str, line: int, where: tuple[str | int, ...] = ()) -> None: ...

    def front_line(self, loc: tuple[str | int, ...]) -> int: ...


def model_index(value: Any, sources: dict[tuple[str, ...], dict[str, str]], out: Notes) -> Any:
    """Keep the model-index, minus keys the schema lacks; every result gets a source."""
    if not isinstance(value, list):
        return value
    value = _complete(_prune(copy.deepcopy(value), ModelIndex, ("model-index",), out), out)
    for i, entry in enumerate(value):
        results = entry.get("results") if isinstance(entry, dict) else None
        for j, result in enumerate(results if isinstance(results, list) else []):
            if not isinstance(result, dict) or "source" in result:
                continue
            metrics = [m for m in result.get("metrics") or [] if isinstance(m, dict)]
            row = results_row(entry.get("name", ""), result, metrics[0]) if metrics else None
            source = sources.get(tuple(row)) if row else None
            result["source"] = source or dict(DEFAULT_SOURCE)
            if source is None:
                loc: tuple[str | int, ...] = ("model-index", i, "results", j)
                out.note(f"no source; set to {DEFAULT_SOURCE['name']!r}", out.front_line(loc), loc)
    return value


def _complete(value: list[Any], out: Notes) -> list[Any]:
    """Results without a task, a dataset or metrics are dropped (as huggingface_hub does), and
    model-index entries left without results."""
    kept = []
    for i, entry in enumerate(value):
        results = entry.get("results") if isinstance(entry, dict) else None
        if not isinstance(results, list):
            kept.append(entry)
            continue
        whole = []
        for j, result in enumerate(results):
            missing = [k for k in ("task", "dataset", "metrics")
                       if not isinstance(result, dict) or not result.get(k)]
            if missing:
                loc: tuple[str | int, ...] = ("model-index", i, "results", j)
                out.note(f"no {', '.join(missing)}: this result is left out", out.front_line(loc), loc)
            else:
                whole.append(result)
        if whole:
            kept.append({**entry, "results": whole})
        else:
            at: tuple[str | int, ...] = ("model-index", i)
            out.note("no complete result: this model-index entry is left out", out.front_line(at), at)
    return kept


def _prune(value: Any, model: type[BaseModel] | None, loc: tuple[str | int, ...], out: Notes) -> Any:
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


def _cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner)]


def results_table(body: str, sources: dict[tuple[str, ...], dict[str, str]]) -> str:
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


def eval_results(folder: Path, out: Notes) -> None:
    """Add the results of ``folder/.eval_results/*.yaml`` to ``out.data``'s model-index."""
    files = sorted((folder / ".eval_results").glob("*.y*ml")) if (folder / ".eval_results").is_dir() else []
    results: list[dict[str, Any]] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            out.problems.append(Problem(str(path), 1, "", f"cannot read the file: {exc}", "yaml"))
            continue
        loaded = load_yaml(text, str(path))
        out.problems += loaded.problems
        items = loaded.data if isinstance(loaded.data, list) else []
        if loaded.data is not None and not isinstance(loaded.data, list):
            out.problems.append(Problem(str(path), 1, "", "an .eval_results file is a list of results",
                                        "schema"))
        for i, item in enumerate(items):
            result = _eval_result(item, path, loaded.line((i,)), out)
            if result is not None:
                results.append(result)
    if not results:
        return
    index = out.data.setdefault("model-index", [])
    if not index:
        index.append({"name": str(out.data.get("name") or folder.name), "results": []})
    index[0].setdefault("results", []).extend(results)


def _eval_result(item: Any, path: Path, line: int, out: Notes) -> dict[str, Any] | None:
    dataset = item.get("dataset") if isinstance(item, dict) else None
    ident = dataset.get("id") if isinstance(dataset, dict) else None
    task = dataset.get("task_id") if isinstance(dataset, dict) else None
    value = item.get("value") if isinstance(item, dict) else None
    if not all(isinstance(v, str) and v and "{" not in v for v in (ident, task)) or not isinstance(
            value, (int, float, str)) or isinstance(value, bool) or "{" in str(value):
        out.notes.append(Problem(str(path), line, "", "a result needs dataset.id, dataset.task_id and "
                                 "value (a placeholder such as {task_id} is not one); skipped", "hf"))
        return None
    assert isinstance(item, dict) and isinstance(dataset, dict)
    data_set: dict[str, Any] = {"type": ident, "name": ident, "task_id": task}
    if isinstance(dataset.get("revision"), str) and "{" not in dataset["revision"]:
        data_set["revision"] = dataset["revision"]
    result: dict[str, Any] = {"task": {"type": task}, "dataset": data_set,
                              "metrics": [{"type": task, "value": value}],
                              "source": _source(item.get("source"), path)}
    for key in ("date", "notes", "verifyToken"):
        value = item.get(key)
        if isinstance(value, (str, datetime.date)) and value and "{" not in str(value):
            result[key] = value.isoformat() if isinstance(value, datetime.date) else value
        elif value is not None:
            out.notes.append(Problem(str(path), line, key, f"{str(value)[:40]!r}: not a value "
                                     "(a placeholder or not text); not kept", "hf"))
    return result


def _source(source: Any, path: Path) -> dict[str, Any]:
    """The file's ``source`` (the Hub requires its url), else the file itself."""
    url = source.get("url") if isinstance(source, dict) else None
    if not (isinstance(url, str) and url.startswith("http")):
        return {"name": f"{path.parent.name}/{path.name}"}
    assert isinstance(source, dict)
    out = {"url": url}
    for key in ("name", "user", "org"):
        if isinstance(source.get(key), str) and "{" not in source[key]:
            out[key] = source[key]
    return out
