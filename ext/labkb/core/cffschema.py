"""The CFF 1.2.0 JSON Schema check, for the CITATION.cff writer and importer alike (no Sphinx)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: The CFF 1.2.0 JSON Schema, shipped with labkb (see ``data/README.md``): validation never depends on
#: an optional package being installed.
SCHEMA_PATH = Path(__file__).parent.parent / "data" / "cff-1.2.0.schema.json"


def schema_errors(doc: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Where ``doc`` breaks the CFF 1.2.0 schema: (path in the document, message), in path order."""
    import json

    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
    return [(tuple(e.absolute_path), e.message) for e in errors]


def schema_problems(doc: Any) -> list[str]:
    """Every place where ``doc`` (a loaded CITATION.cff) breaks the CFF 1.2.0 schema, as
    ``path: message``; empty when it is valid."""
    import json

    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{'.'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}" for e in errors]
