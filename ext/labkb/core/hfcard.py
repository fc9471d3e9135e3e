"""How a Hugging Face model card (front matter + the Hub template's sections) maps onto a model
entry: shared by the importer and the exporter, so the two directions agree."""

from __future__ import annotations

from typing import Any

#: Front-matter keys copied as they are (lists accept a single string on the Hub).
META_SCALARS = ("license", "license_name", "license_link", "pipeline_tag", "library_name",
                "base_model_relation", "new_version")
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

#: The header of the results table a card carries beside its model-index.
RESULTS_HEADER = ["Model", "Task", "Dataset", "Metric", "Value", "Source"]


def results_row(model: str, result: dict[str, Any], metric: dict[str, Any]) -> list[str]:
    """One Results table row, without the source (also the key the importer matches on)."""
    dataset = result.get("dataset") or {}
    return [str(model), str((result.get("task") or {}).get("type", "")),
            str(dataset.get("name") or dataset.get("type", "")),
            str(metric.get("name") or metric.get("type")), str(metric.get("value"))]
