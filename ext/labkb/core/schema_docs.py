"""The README's field table, generated from the schema (a test keeps the README equal to it)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from labkb.core.results import Claim, Dataset, Metric, Result, Setting, Source
from labkb.core.schema import Model, field_name, json_schema

#: The parts of a result (and a claim) documented under the entry fields: (prefix, model).
RESULT_PARTS: list[tuple[str, type[BaseModel]]] = [
    ("model-index[].results[].", Result), ("…source.", Source), ("…dataset.", Dataset),
    ("…metrics[].", Metric), ("…setting.", Setting), ("claims[].", Claim)]


def markdown_table() -> str:
    """The fields of every kind as a Markdown table, generated for the README."""
    rows = ["| field | kinds | type | required | description |", "|---|---|---|---|---|"]
    project = json_schema("project")
    model = json_schema("model")
    for name, spec in model["properties"].items():
        kinds = "project, model" if name in project["properties"] else "model"
        required = "yes" if name in model.get("required", []) else ""
        rows.append(f"| `{name}` | {kinds} | {_type_of(spec, model)} | {required} | "
                    f"{_describe(name)} |")
    return "\n".join(rows) + "\n\n" + results_table()


def results_table() -> str:
    """The fields of a result (``model-index[].results[]``) and of a claim."""
    rows = ["| result field | type | required | description |", "|---|---|---|---|"]
    for prefix, model in RESULT_PARTS:
        schema = model.model_json_schema(by_alias=True)
        for name, spec in schema["properties"].items():
            info = model.model_fields[field_name(model, name)]
            required = "yes" if name in schema.get("required", []) else ""
            rows.append(f"| `{prefix}{name}` | {_type_of(spec, schema)} | {required} | "
                        f"{info.description or ''} |")
    return "\n".join(rows)


def _type_of(spec: dict[str, Any], root: dict[str, Any]) -> str:
    if "anyOf" in spec:
        kinds = [_type_of(s, root) for s in spec["anyOf"] if s.get("type") != "null"]
        return " or ".join(kinds)
    if "$ref" in spec:
        return "mapping (" + str(spec["$ref"]).rsplit("/", 1)[-1] + ")"
    if spec.get("type") == "array":
        return "list of " + _type_of(spec.get("items", {}), root)
    if "enum" in spec:
        return "one of " + ", ".join(str(v) for v in spec["enum"])
    if spec.get("format") == "date":
        return "date"
    return str(spec.get("type", "any"))


def _describe(name: str) -> str:
    info = Model.model_fields.get(field_name(Model, name))
    return (info.description or "") if info is not None else ""
