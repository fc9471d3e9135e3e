"""The model-card sections of a model's page, one renderer each, in the Hugging Face template's
order (details, training, uses, capabilities, applications, evaluation, limitations, significance,
outlook, metadata). Each takes the validated data and returns its section, or None when the
entry says nothing for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes

from labkb.sphinxext.badges import paragraph
from labkb.sphinxext.blocks import bullets, field_list, named_items, section, table, text_list
from labkb.sphinxext.nodes import kb_compare

#: Model-card sections made of named items: field -> (title, section id).
ITEM_SECTIONS = {
    "capabilities": ("Capabilities", "capabilities"),
    "applications": ("Applications", "applications"),
    "limitations": ("Bias, risks and limitations", "limitations"),
    "significance": ("Open-source significance", "significance"),
    "outlook": ("Outlook", "outlook"),
}

METADATA_FIELDS = [
    ("license", "License"), ("language", "Languages"), ("pipeline_tag", "Task (pipeline tag)"),
    ("library_name", "Library"), ("datasets", "Datasets"), ("base_model", "Base model"),
]


def details(data: dict[str, Any]) -> nodes.section | None:
    """Modalities, parameters, variants and architecture."""
    sec = section("Model details", "model-details")
    rows = []
    if data.get("modalities"):
        rows.append(("Modalities", text_list(data["modalities"])))
    if data.get("parameters"):
        rows.append(("Parameters", [nodes.Text(data["parameters"])]))
    if rows:
        sec += field_list(rows)
    if data.get("variants"):
        sec += table(["Variant", "Parameters", "Link"], [
            [nodes.Text(v["name"]), nodes.Text(v.get("parameters", "")),
             nodes.reference("", "link", refuri=v["link"]) if v.get("link") else
             nodes.Text("")] for v in data["variants"]], ["kb-variants"])
    if data.get("architecture"):
        arch = section("Architecture", "architecture")
        arch += named_items(data["architecture"])
        sec += arch
    return sec if len(sec) > 1 else None


def training(data: dict[str, Any]) -> nodes.section | None:
    """The training stages in order, and the training data."""
    if not (data.get("training_procedure") or data.get("training_data")):
        return None
    sec = section("Training", "training")
    if data.get("training_procedure"):
        sec += named_items(data["training_procedure"], enumerated=True)
    if data.get("training_data"):
        sec += paragraph(nodes.strong("", "Training data: "), nodes.Text(data["training_data"]))
    return sec


def uses(data: dict[str, Any]) -> nodes.section | None:
    """Intended and out-of-scope uses."""
    if not (data.get("intended_uses") or data.get("out_of_scope_uses")):
        return None
    sec = section("Uses", "uses")
    for field, title in (("intended_uses", "Intended uses"),
                         ("out_of_scope_uses", "Out-of-scope uses")):
        if data.get(field):
            sec += paragraph(nodes.strong("", title))
            sec += bullets([nodes.Text(u) for u in data[field]])
    return sec


def item_section(field: str) -> Callable[[dict[str, Any]], nodes.section | None]:
    """The renderer of a section made of named items (see :data:`ITEM_SECTIONS`)."""
    title, ident = ITEM_SECTIONS[field]

    def render(data: dict[str, Any]) -> nodes.section | None:
        if not data.get(field):
            return None
        sec = section(title, ident)
        sec += named_items(data[field])
        return sec

    return render


def evaluation(data: dict[str, Any]) -> nodes.section | None:
    """The entry's results and claims: a :mod:`labkb.sphinxext.compare` table of the entry alone
    (filled at write time; the entry page notes it as an aggregate)."""
    if not (data.get("model-index") or data.get("claims")):
        return None
    sec = section("Evaluation results", "evaluation") if data.get("model-index") else \
        section("Claims", "claims")
    sec += kb_compare("", selector={"own": True})  # the entry page sets the selector
    return sec


def metadata(data: dict[str, Any]) -> nodes.section | None:
    """The card's front-matter values (license, languages, task, ...)."""
    meta = [(title, text_list(data[f])) for f, title in METADATA_FIELDS if data.get(f)]
    if not meta:
        return None
    sec = section("Model card metadata", "model-card-metadata")
    sec += field_list(meta)
    return sec


#: The sections, in page order.
SECTIONS: list[Callable[[dict[str, Any]], nodes.section | None]] = [
    details, training, uses, item_section("capabilities"), item_section("applications"),
    evaluation, item_section("limitations"), item_section("significance"), item_section("outlook"),
    metadata,
]


def model_card(data: dict[str, Any]) -> list[nodes.Node]:
    """Every model-card section the entry has something for."""
    return [sec for render in SECTIONS if (sec := render(data)) is not None]
