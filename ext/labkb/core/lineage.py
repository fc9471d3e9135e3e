"""Model lineage: ``base_model`` (with ``base_model_relation``) and ``new_version``, as the Hub's
model tree has them, checked and arranged into families (no Sphinx).

A value of the form ``owner/name`` is a Hugging Face Hub id (a model outside the knowledge base) and is not
checked; any other value must be the id of a model entry. Read from older to newer (a base model
before what is built from it, a version before its ``new_version``), a chain that leads back to
where it started is a cycle. Both are ``kb.ref`` problems, located at the value, and the link is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from labkb.core.problems import Problem
from labkb.core.records import EntryRecord
from labkb.core.schema import Model

#: model id -> the model's entry record
Models = Mapping[str, EntryRecord]

HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")


def is_hub_id(value: str) -> bool:
    """A Hugging Face Hub model id, ``owner/name`` (letters, digits, ``_.-``)."""
    return bool(HUB_ID.match(value))


@dataclass(frozen=True)
class Link:
    source: str  #: the model that states it
    target: str
    type: str  #: base_model or new_version
    field: str  #: the field path, e.g. ``base_model[0]``


def _links(models: Models) -> list[Link]:
    out = []
    for mid, rec in sorted(models.items()):
        model = rec.entry
        if not isinstance(model, Model):
            continue
        for i, base in enumerate(model.base_model):
            out.append(Link(mid, base, "base_model", f"base_model[{i}]"))
        if model.new_version:
            out.append(Link(mid, model.new_version, "new_version", "new_version"))
    return [link for link in out if not is_hub_id(link.target)]


def _line(rec: EntryRecord, field_path: str) -> int:
    return rec.lines.get(field_path) or rec.lines.get(field_path.split("[")[0]) or 1


def check(models: Models, known: set[str]) -> tuple[list[Problem], set[Link]]:
    """Problems of the models' lineage, and the links to drop (unknown ids, cycle closers).
    ``models``: model id -> entry record; ``known``: entry ids."""
    problems: list[Problem] = []
    bad: set[Link] = set()
    links = _links(models)
    for link in links:
        if link.target not in models:
            rec = models[link.source]
            what = "an entry that is not a model" if link.target in known else "no entry"
            problems.append(Problem(rec.path, _line(rec, link.field), link.field,
                                    f"{link.type} {link.target!r} is {what} (a model id of the "
                                    "models folder, or a Hub id owner/name)", "ref"))
            bad.add(link)
    # oriented from older to newer: a base model before what is built from it, an old version
    # before its new_version; a walk that comes back to where it started is a cycle
    graph: dict[str, list[tuple[str, Link]]] = {}
    for link in links:
        if link not in bad:
            older, newer = ((link.target, link.source) if link.type == "base_model"
                            else (link.source, link.target))
            graph.setdefault(older, []).append((newer, link))
    for link in _cycle_closers(graph):
        rec = models[link.source]
        problems.append(Problem(rec.path, _line(rec, link.field), link.field,
                                f"{link.type} {link.target!r} makes a cycle: the lineage of "
                                f"{link.source} leads back to it", "ref"))
        bad.add(link)
    return problems, bad


def _cycle_closers(graph: dict[str, list[tuple[str, Link]]]) -> list[Link]:
    """The links that close a cycle in a depth-first walk in id order (one per cycle)."""
    state: dict[str, int] = {}  # 1 on the path, 2 done
    closers: list[Link] = []

    def walk(node: str) -> None:
        state[node] = 1
        for newer, link in graph.get(node, []):
            mark = state.get(newer)
            if mark == 1:
                closers.append(link)
            elif mark is None:
                walk(newer)
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    return closers


def families(models: Models, dropped: set[Link]) -> list[list[str]]:
    """Groups of models joined by lineage links (each sorted: oldest version first, then by
    id), largest first; models without a link are left out."""
    parent: dict[str, str] = {m: m for m in models}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    linked = [link for link in _links(models) if link not in dropped]
    for link in linked:
        parent[find(link.source)] = find(link.target)
    groups: dict[str, set[str]] = {}
    for link in linked:
        for m in (link.source, link.target):
            groups.setdefault(find(m), set()).add(m)
    depth = _depth(linked)
    out = [sorted(g, key=lambda m: (depth.get(m, 0), m)) for g in groups.values()]
    return sorted(out, key=lambda g: (-len(g), g))


def _depth(links: list[Link]) -> dict[str, int]:
    """How many base models or older versions lie before each model (0 for the first)."""
    before: dict[str, set[str]] = {}
    for link in links:
        before.setdefault(link.source if link.type == "base_model" else link.target,
                          set()).add(link.target if link.type == "base_model" else link.source)
    memo: dict[str, int] = {}

    def depth(m: str, seen: frozenset[str]) -> int:
        if m in memo:
            return memo[m]
        value = max((depth(p, seen | {m}) + 1 for p in before.get(m, ()) if p not in seen),
                    default=0)
        memo[m] = value
        return value

    return {m: depth(m, frozenset()) for m in {x for link in links
                                                 for x in (link.source, link.target)}}
