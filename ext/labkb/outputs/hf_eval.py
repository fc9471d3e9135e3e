"""The Hub's ``.eval_results/*.yaml`` files written from an entry's results (``labkb export-hf
--eval-results DIR``), the inverse of :func:`labkb.importers.hfindex.eval_results`.

One file per benchmark dataset, each a list of results: ``dataset: {id, task_id, revision}``,
``value``, and where the entry has them ``date``, ``source: {url, name, user, org}``, ``notes`` and
``verifyToken``. The Hub requires ``source.url`` as soon as a source is given, so a source without
a URL (a .bib key, a source record) is left out and said so; what the format has no place for
(status, setting, locator, lower_is_better, several metrics) is listed in the notes.
"""

from __future__ import annotations

import re
from typing import Any

from labkb.core.writer import dump_yaml

#: Result fields the format has no place for.
NOT_IN_FORMAT = ("status", "setting")


def eval_files(data: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """``{file name: YAML text}`` for ``data`` (a validated entry), and notes on what is left out."""
    files: dict[str, list[dict[str, Any]]] = {}
    notes: list[str] = []
    for model in data.get("model-index", []):
        for result in model["results"]:
            items = _items(result, notes, model["name"])
            ident = result["dataset"]["type"]
            files.setdefault(_file_name(ident), []).extend(items)
    return {name: dump_yaml(items) for name, items in sorted(files.items())}, notes


def _file_name(dataset: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", dataset).strip("-.") + ".yaml"


def _items(result: dict[str, Any], notes: list[str], model: str) -> list[dict[str, Any]]:
    dataset = result["dataset"]
    where = f"{model} / {dataset.get('name') or dataset['type']}"
    base: dict[str, Any] = {"dataset": {"id": dataset["type"],
                                        "task_id": dataset.get("task_id") or result["task"]["type"]}}
    if dataset.get("revision"):
        base["dataset"]["revision"] = dataset["revision"]
    left = [k for k in NOT_IN_FORMAT if result.get(k)]
    left += [f"dataset.{k}" for k in ("split", "config") if dataset.get(k)]
    source = result["source"]
    if source.get("url"):
        base["source"] = {k: source[k] for k in ("url", "name", "user", "org") if source.get(k)}
    else:
        left.append("source (no url, which the Hub requires)")
    if source.get("locator") or source.get("bib") or source.get("record"):
        left.append("source locator/bib/record")
    out = []
    for metric in result["metrics"]:
        item = {**base, "value": metric["value"]}
        for key in ("date", "notes", "verifyToken"):
            if result.get(key):
                item[key] = str(result[key])
        if metric.get("lower_is_better") is not None:
            left.append("metrics.lower_is_better")
        out.append(item)
    if len(result["metrics"]) > 1:
        left.append(f"metric names ({len(result['metrics'])} metrics share one dataset and task)")
    if left:
        notes.append(f"{where}: not in the .eval_results format, left out: {', '.join(sorted(set(left)))}")
    return out
