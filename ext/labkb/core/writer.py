"""Entries written back as YAML, as contributors write them (schema order, ``|`` for long text)."""

from __future__ import annotations

from typing import Any

import yaml

from labkb.core.schema import Model


class _Dumper(yaml.SafeDumper):
    """Block style; multi-line strings as ``|`` literals, as contributors write them."""


_Dumper.add_representer(str, lambda d, v: d.represent_scalar(
    "tag:yaml.org,2002:str", v, style="|" if "\n" in v else None))


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


def entry_yaml(data: dict[str, Any]) -> str:
    """An entry file's YAML with keys in schema order."""
    order = [info.alias or name for name, info in Model.model_fields.items()]
    ordered = {k: data[k] for k in sorted(data, key=lambda k: order.index(k) if k in order else len(order))}
    return dump_yaml(ordered)
