"""The model-card sections of a model's page, one renderer each, in the Hugging Face template's
order (details, training, uses, capabilities, applications, evaluation, limitations, significance,
outlook, metadata). Each takes the validated data and returns its section, or None when the
entry says nothing for it."""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes

from labkb.core.schema import Item, Model, Project
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



def details(model: Model) -> nodes.section | None:
    """Modalities, parameters, variants and architecture."""
    sec = section("Model details", "model-details")
    rows = []
    if model.modalities:
        rows.append(("Modalities", text_list(model.modalities)))
    if model.parameters:
        rows.append(("Parameters", [nodes.Text(model.parameters)]))
    if rows:
        sec += field_list(rows)
    if model.variants:
        sec += table(["Variant", "Parameters", "Link"], [
            [nodes.Text(v.name), nodes.Text(v.parameters or ""),
             nodes.reference("", "link", refuri=v.link) if v.link else nodes.Text("")]
            for v in model.variants], ["kb-variants"])
    if model.architecture:
        arch = section("Architecture", "architecture")
        arch += named_items(model.architecture)
        sec += arch
    return sec if len(sec) > 1 else None


def training(model: Model) -> nodes.section | None:
    """The training stages in order, and the training data."""
    if not (model.training_procedure or model.training_data):
        return None
    sec = section("Training", "training")
    if model.training_procedure:
        sec += named_items(model.training_procedure, enumerated=True)
    if model.training_data:
        sec += paragraph(nodes.strong("", "Training data: "), nodes.Text(model.training_data))
    return sec


def uses(model: Model) -> nodes.section | None:
    """Intended and out-of-scope uses."""
    if not (model.intended_uses or model.out_of_scope_uses):
        return None
    sec = section("Uses", "uses")
    for values, title in ((model.intended_uses, "Intended uses"),
                          (model.out_of_scope_uses, "Out-of-scope uses")):
        if values:
            sec += paragraph(nodes.strong("", title))
            sec += bullets([nodes.Text(u) for u in values])
    return sec


def item_section(field: str) -> Callable[[Model], nodes.section | None]:
    """The renderer of a section made of named items (see :data:`ITEM_SECTIONS`)."""
    title, ident = ITEM_SECTIONS[field]

    def render(model: Model) -> nodes.section | None:
        items: list[Item] = getattr(model, field)
        if not items:
            return None
        sec = section(title, ident)
        sec += named_items(items)
        return sec

    return render


def evaluation(entry: Project) -> nodes.section | None:
    """The entry's results and claims: a :mod:`labkb.sphinxext.compare` table of the entry alone
    (filled at write time; the entry page sets its selector and notes it as an aggregate)."""
    if not (entry.model_index or entry.claims):
        return None
    sec = section("Evaluation results", "evaluation") if entry.model_index else \
        section("Claims", "claims")
    sec += kb_compare("", selector={"own": True})
    return sec


def metadata(model: Model) -> nodes.section | None:
    """The card's front-matter values (license, languages, task, ...)."""
    meta = [(title, text_list(value)) for f, title in METADATA_FIELDS
            if (value := getattr(model, f))]
    if not meta:
        return None
    sec = section("Model card metadata", "model-card-metadata")
    sec += field_list(meta)
    return sec


#: The sections, in page order.
SECTIONS: list[Callable[[Model], nodes.section | None]] = [
    details, training, uses, item_section("capabilities"), item_section("applications"),
    evaluation, item_section("limitations"), item_section("significance"), item_section("outlook"),
    metadata,
]


def model_card(model: Model) -> list[nodes.Node]:
    """Every model-card section the entry has something for."""
    return [sec for render in SECTIONS if (sec := render(model)) is not None]
