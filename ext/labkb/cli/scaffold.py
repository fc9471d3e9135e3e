"""New entry stubs and the JSON Schema files editors read, both generated from :mod:`labkb.core.schema`.

A stub documents every field with its pydantic description (never written twice) and is valid as
written, so ``labkb check`` passes on it until a contributor edits it.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import yaml

from labkb.core.schema import KINDS, json_schema

#: Folder of the schema files, relative to the repository root (the parent of ``docs/``).
SCHEMA_DIR = "schema"
#: Values of the required fields; a stub must validate, so they are valid placeholders.
PLACEHOLDERS: dict[str, Any] = {"summary": "TODO: one sentence."}


def schema_file(kind: str) -> str:
    return f"{kind}.schema.json"


def schema_text(kind: str) -> str:
    """The content of ``schema/<kind>.schema.json``, exactly as committed."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write the schema of every kind into ``folder``; editors find it through :func:`modeline`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = folder / schema_file(kind)
        path.write_text(schema_text(kind), encoding="utf-8")
        written.append(path)
    return written


def modeline(kind: str) -> str:
    """The yaml-language-server comment, relative from ``docs/<folder>/<id>.yaml`` to the schema."""
    return f"# yaml-language-server: $schema=../../{SCHEMA_DIR}/{schema_file(kind)}"


def first_area(docs: Path, area_dir: str = "research") -> str | None:
    """The first research area id (page of ``docs/<area_dir>/``), for a stub that validates."""
    folder = docs / area_dir
    if not folder.is_dir():
        return None
    stems = sorted(p.stem for p in folder.iterdir() if p.suffix in (".md", ".rst") and p.stem != "index")
    return stems[0] if stems else None


def _flow(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).removesuffix("...\n").strip()


def _comment(text: str) -> list[str]:
    return ["# " + line for line in textwrap.wrap(text, 100)]


def first_source(docs: Path, source_dirs: list[str]) -> str | None:
    """The first source record id, so that a new entry's stub names one (edit it)."""
    stems = sorted(p.stem for d in source_dirs if (docs / d).is_dir()
                   for p in (docs / d).glob("*.yaml"))
    return stems[0] if stems else None


def stub(kind: str, entry_id: str, docs: Path, area_dir: str = "research",
         source: str | None = None) -> str:
    """A commented YAML stub for a new entry of ``kind``: required fields set, the rest commented out."""
    schema = json_schema(kind)
    props: dict[str, Any] = schema["properties"]
    required = set(schema.get("required", []))
    area = first_area(docs, area_dir)
    values: dict[str, Any] = {**PLACEHOLDERS, "name": entry_id, "title": entry_id,
                              "date": entry_id[:10], "areas": [area] if area else None}
    lines = [modeline(kind),
             f"# {kind.capitalize()} entry {entry_id!r} (the file name is the id). State only what a "
             "source says:",
             "# uncomment a field to fill it in, delete the ones you do not need. Check: labkb check", ""]
    for name, spec in props.items():
        text = spec.get("description", "")
        choices = next((s["enum"] for s in [spec, *spec.get("anyOf", [])] if "enum" in s), None)
        if choices:
            text += " One of: " + ", ".join(choices) + "."
        lines += _comment(text + (" Required." if name in required else ""))
        if name in required and values.get(name, "TODO") is not None:
            lines.append(f"{name}: {_flow(values.get(name, 'TODO'))}")
        elif name == "sources" and source:
            lines.append(f"sources: [{source}]  # the documents this entry states facts from")
        elif name in required:
            lines.append(f"# {name}: [area-id]  # required: a page of docs/research/ (none found)")
        else:
            empty = {"array": " []", "object": " {}"}.get(spec.get("type", ""), "")
            lines.append(f"# {name}:{empty}")
    return "\n".join(lines) + "\n"
