"""Comparison tables: rows are entries, columns are (benchmark, metric, setting).

Two results of one benchmark and metric under different settings never share a column: they get
adjacent columns labelled by their setting, all flagged "not comparable". The best value of a
column is marked by the metric's ``lower_is_better`` (higher is better when it is not stated), only
when at least two rows report a number. A cell with no result is "not reported", never 0.
Relative claims are listed beside the table, never in a column. Pure data: the Sphinx directive,
the entry pages and the CSV/JSON downloads all render the same :class:`Table`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

NOT_REPORTED = "not reported"
NOT_COMPARABLE = "not comparable"
NO_SETTING = "setting not stated"
#: Setting parts, in label order: (where in the result, how the label shows it).
_SETTING_PARTS = (("dataset", "split", "split {}"), ("dataset", "config", "config {}"),
                  ("dataset", "revision", "revision {}"), ("dataset", "task_id", "task {}"),
                  ("setting", "shots", "{}"), ("setting", "prompt", "{}"),
                  ("setting", "decoding", "{}"), ("metric", "config", "metric config {}"),
                  ("", "notes", "{}"))
#: An entry as the table reads it: its id and its validated data.
Entry = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Column:
    benchmark: str
    metric: str
    setting: str
    lower_is_better: bool
    comparable: bool = True

    @property
    def label(self) -> str:
        return f"{self.benchmark} / {self.metric} / {self.setting}"


@dataclass
class Value:
    """One reported number with its provenance."""

    value: float | int | str
    source: dict[str, Any]
    status: str | None = None
    date: str | None = None
    best: bool = False

    @property
    def number(self) -> float | None:
        return as_number(self.value)

    @property
    def text(self) -> str:
        return str(self.value)


@dataclass
class Row:
    entry: str
    name: str
    model: str | None  #: the model-index name, when it is not the entry's own name
    fields: dict[str, str | None]
    cells: list[list[Value]] = field(default_factory=list)


@dataclass
class ClaimRow:
    entry: str
    name: str
    claim: dict[str, Any]


@dataclass
class Table:
    columns: list[Column]
    fields: list[str]
    rows: list[Row]
    claims: list[ClaimRow]


def as_number(value: Any) -> float | None:
    """A value as a number (``85.5``, ``"85.5%"``), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().removesuffix("%").strip()
    return float(text) if re.fullmatch(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?", text) else None


def setting_label(result: dict[str, Any], metric: dict[str, Any]) -> str:
    """The setting a number holds under, as a label ("split test · 5-shot · chain-of-thought")."""
    parts = []
    for where, key, form in _SETTING_PARTS:
        holder = metric if where == "metric" else (result.get(where) or {}) if where else result
        value = holder.get(key)
        if value is None or value == "":
            continue
        if key == "shots" and isinstance(value, int):
            value = f"{value}-shot"
        parts.append(form.format(" ".join(str(value).split())))
    return " · ".join(parts) or NO_SETTING


def field_text(value: Any) -> str | None:
    """An entry field as a cell: lists joined, absent as None."""
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _observations(data: dict[str, Any]) -> Iterable[tuple[str, tuple[str, str, str, bool], Value,
                                                          tuple[str, str]]]:
    """(model name, column key, value, display names) for every metric of every result."""
    for model in data.get("model-index", []):
        for result in model["results"]:
            dataset = result["dataset"]
            for metric in result["metrics"]:
                key = (dataset["type"].casefold(), metric["type"].casefold(),
                       setting_label(result, metric), bool(metric.get("lower_is_better")))
                shown = (dataset.get("name") or dataset["type"], metric.get("name") or metric["type"])
                yield model["name"], key, Value(metric["value"], result["source"],
                                                result.get("status"), result.get("date")), shown


def _wanted(benchmarks: Sequence[str] | None, key: tuple[str, str, str, bool],
            shown: tuple[str, str]) -> bool:
    if not benchmarks:
        return True
    names = {b.casefold() for b in benchmarks}
    return key[0] in names or shown[0].casefold() in names


def _order(benchmarks: Sequence[str] | None, key: tuple[str, str, str, bool], shown: str,
           first: int) -> tuple[int, int, str, str]:
    """Columns follow ``benchmarks`` when given, else first appearance; settings sit together."""
    names = [b.casefold() for b in benchmarks or []]
    at = next((i for i, n in enumerate(names) if n in (key[0], shown.casefold())), len(names))
    return (at, first, key[1], key[2])


def compare(entries: Sequence[Entry], benchmarks: Sequence[str] | None = None,
            fields: Sequence[str] = ()) -> Table:
    """The comparison table of ``entries`` (in the order given)."""
    keyed: dict[tuple[str, str, str, bool], tuple[str, str]] = {}
    first: dict[str, int] = {}
    rows: list[tuple[Row, dict[tuple[str, str, str, bool], list[Value]]]] = []
    for entry_id, data in entries:
        by_model: dict[str, dict[tuple[str, str, str, bool], list[Value]]] = {}
        for model, key, value, shown in _observations(data):
            if not _wanted(benchmarks, key, shown):
                continue
            keyed.setdefault(key, shown)
            first.setdefault(key[0], len(first))
            by_model.setdefault(model, {}).setdefault(key, []).append(value)
        extra = {f: field_text(data.get(f)) for f in fields}
        for model, cells in by_model.items() or [(data["name"], {})]:
            shown_model = None if model == data["name"] else model
            rows.append((Row(entry_id, data["name"], shown_model, extra), cells))
    keys = sorted(keyed, key=lambda k: _order(benchmarks, k, keyed[k][0], first[k[0]]))
    settings: dict[tuple[str, str], set[tuple[str, bool]]] = {}
    for key in keys:  # a direction stated by one result and not another differs too
        settings.setdefault(key[:2], set()).add(key[2:])
    columns = [Column(keyed[k][0], keyed[k][1], k[2], k[3], len(settings[k[:2]]) == 1)
               for k in keys]
    out = []
    for row, cells in rows:
        row.cells = [cells.get(k, []) for k in keys]
        out.append(row)
    _mark_best(columns, out)
    claims = [ClaimRow(entry_id, data["name"], claim) for entry_id, data in entries
              for claim in data.get("claims", [])]
    return Table(columns, list(fields), out, claims)


def _mark_best(columns: list[Column], rows: list[Row]) -> None:
    for i, column in enumerate(columns):
        numbers = [(v.number, v) for row in rows for v in row.cells[i] if v.number is not None]
        if len({id(r) for r in rows if any(v.number is not None for v in r.cells[i])}) < 2:
            continue
        pick = min if column.lower_is_better else max
        best = pick(n for n, _ in numbers)
        for number, value in numbers:
            value.best = number == best


def source_text(source: dict[str, Any]) -> str:
    """A source in words: its name (or key, or record id) and its locator."""
    name = source.get("name") or source.get("bib") or source.get("record") or source.get("url")
    return f"{name}, {source['locator']}" if source.get("locator") else str(name)


def claim_text(claim: dict[str, Any]) -> str:
    """A claim in short: "learning speed: at least 10x" (its baseline has a column of its own)."""
    return f"{claim['measure']}: {claim['factor']}"


def table_data(table: Table) -> dict[str, Any]:
    """The table as plain data: what the JSON download holds, cell for cell."""
    return {
        "columns": [{"benchmark": c.benchmark, "metric": c.metric, "setting": c.setting,
                     "lower_is_better": c.lower_is_better, "comparable": c.comparable}
                    for c in table.columns],
        "fields": table.fields,
        "rows": [{"entry": r.entry, "name": r.name, "model": r.model, "fields": r.fields,
                  "cells": [[{"value": v.value, "best": v.best, "source": v.source,
                              "status": v.status, "date": v.date} for v in cell] or None
                            for cell in r.cells]} for r in table.rows],
        "claims": [{"entry": c.entry, "name": c.name, **c.claim} for c in table.claims],
    }


def table_rows(table: Table) -> list[list[str]]:
    """The table as text rows (header first): what the CSV download and the page show."""
    header = ["entry", "model", *table.fields, *(c.label for c in table.columns)]
    out = [header]
    for row in table.rows:
        cells = ["; ".join(v.text for v in cell) or NOT_REPORTED for cell in row.cells]
        fields = [row.fields.get(f) or NOT_REPORTED for f in table.fields]
        out.append([row.name, row.model or "", *fields, *cells])
    return out
